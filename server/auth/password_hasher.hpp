#pragma once
// Argon2id over HMAC-SHA-256(pepper, password). The pepper lives outside the database
// (a file beside it by default), so a stolen database alone cannot be brute-forced.
#include <cstdint>
#include <string>
#include <string_view>

namespace cc::auth {

struct HashCost {
  std::uint32_t time = 2;            // iterations
  std::uint32_t memory_kib = 19456;  // OWASP's Argon2id minimum: 19 MiB
  std::uint32_t parallelism = 1;
};

class PasswordHasher {
public:
  PasswordHasher(std::string pepper, HashCost cost) : pepper_(std::move(pepper)), cost_(cost) {}

  // An encoded Argon2id string ($argon2id$v=19$m=...,t=...,p=...$salt$hash).
  std::string hash(std::string_view password) const;
  bool verify(std::string_view password, std::string_view encoded) const;
  // A hash of a random password, to spend the same time when the email is unknown.
  const std::string& dummy_hash() const;

private:
  std::string pepper_;
  HashCost cost_;
  mutable std::string dummy_;
};

// Reads the pepper file, creating it (0600, 32 random bytes) if it does not exist.
std::string load_or_create_pepper(const std::string& path);
// Where the pepper lives for a database path when the config does not say.
std::string default_pepper_path(const std::string& db_path);

}  // namespace cc::auth
