#pragma once
// Small wrappers over OpenSSL: random tokens, SHA-256, HMAC, constant-time compare.
#include <string>
#include <string_view>

namespace cc::auth {

// `bytes` random bytes from the CSPRNG, base64url without padding.
std::string random_token(std::size_t bytes = 32);
std::string sha256(std::string_view data);  // raw 32 bytes
std::string hmac_sha256(std::string_view key, std::string_view data);  // raw 32 bytes
std::string base64url(std::string_view raw);
std::string hex(std::string_view raw);
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace cc::auth
