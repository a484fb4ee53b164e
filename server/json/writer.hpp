#pragma once
// JSON text for answers, written straight into one string. nlohmann's dump() checks every
// byte through its UTF-8 state machine and writes through a small buffer: for a page of
// twenty ideas (~15 KB) it was half of the instructions the whole request took. This
// writer copies runs of plain bytes at once and checks only the bytes that need it. Its
// output is byte for byte what dump() gives for valid UTF-8 (keys in the same order,
// the same escapes, numbers as dump() writes them); invalid UTF-8, which input
// validation keeps out, becomes U+FFFD, so the text is always valid JSON.
#include <nlohmann/json.hpp>
#include <string>

namespace cc::json {

void write(std::string& out, const nlohmann::json& value);
std::string to_text(const nlohmann::json& value);

}  // namespace cc::json
