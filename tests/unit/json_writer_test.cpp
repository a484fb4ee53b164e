// The answers' JSON writer gives exactly what nlohmann's dump() gives for valid text, and
// valid JSON for anything else.
#include <gtest/gtest.h>

#include "json/writer.hpp"

using Json = nlohmann::json;

namespace {
std::string dumped(const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }
}  // namespace

TEST(JsonWriter, MatchesDumpForEveryKindOfValue) {
  std::string controls;
  for (int c = 0; c < 0x20; ++c) controls += static_cast<char>(c);
  const std::vector<Json> cases = {
      nullptr, true, false, 0, -1, 42, INT64_MIN, INT64_MAX, UINT64_MAX, 0.5, -3.25, 1e300, 0.1,
      "", "plain", "quote \" backslash \\ slash /", controls + "\x7f", "Caf\xC3\xA9 \xE2\x80\x94 \xF0\x9F\x98\x80",
      Json::array(), Json::object(), Json::array({1, "two", nullptr, Json::array({3.5})}),
      {{"zeta", 1}, {"alpha", {{"nested", "x\ny"}, {"list", {1, 2, 3}}}}, {"", false}, {"k\"ey", "v"}},
  };
  for (const auto& j : cases) EXPECT_EQ(cc::json::to_text(j), dumped(j)) << dumped(j);
}

TEST(JsonWriter, ALongTextWithEscapesHereAndThere) {
  std::string text;
  for (int i = 0; i < 500; ++i) text += (i % 37 == 0) ? "\"\t\xC3\xB1" : "word ";
  Json j = {{"items", Json::array({{{"body", text}, {"id", 7}}})}};
  EXPECT_EQ(cc::json::to_text(j), dumped(j));
}

// Strings are scanned eight bytes at a time: every kind of character at every offset
// and length, against dump().
TEST(JsonWriter, EscapesWhateverTheOffsetAndLength) {
  const std::vector<std::string> pieces = {"a", "Z", " ", "/", "~", "\"", "\\", "\n", "\t", "\x01", "\x1f",
                                           "\x7f", "\xC3\xA9", "\xE2\x80\x94", "\xF0\x9F\x98\x80"};
  std::uint64_t state = 0x9E3779B97F4A7C15ULL;
  auto next = [&state] {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    const auto length = next() % 40;
    const bool mostly_plain = round % 2 == 0;
    for (std::uint64_t k = 0; k < length; ++k)
      text += mostly_plain && next() % 8 != 0 ? pieces[next() % 5] : pieces[next() % pieces.size()];
    ASSERT_EQ(cc::json::to_text(Json(text)), dumped(Json(text))) << dumped(Json(text));
  }
}

TEST(JsonWriter, InvalidUtf8BecomesTheReplacementCharacter) {
  for (std::string bad : {"a\xFFz", "a\xC3", "\xE0\x80\x80", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xC0\xAF"}) {
    auto text = cc::json::to_text(Json(bad));
    EXPECT_NE(text.find("\xEF\xBF\xBD"), std::string::npos) << text;
    // What comes out parses as JSON again.
    EXPECT_FALSE(Json::parse(text, nullptr, false).is_discarded()) << text;
  }
}

TEST(TextWriter, PlacesCommasInNestedContainers) {
  std::string out;
  cc::json::TextWriter w(out);
  w.begin_object().key("a").integer(1).key("b").begin_array();
  w.begin_array().end_array().begin_object().end_object().string("x\"y").null().boolean(false);
  w.end_array().key("c").begin_object().key("d").optional(std::optional<std::int64_t>{}).end_object();
  w.key("e").value(Json{{"k", {1, 2}}}).end_object();
  EXPECT_EQ(out, R"({"a":1,"b":[[],{},"x\"y",null,false],"c":{"d":null},"e":{"k":[1,2]}})");
  EXPECT_EQ(Json::parse(out)["b"].size(), 5u);
}

TEST(TextWriter, WritesStringsAsTheDocumentWriterDoes) {
  const std::string text = "line\nbreak \x01 Caf\xC3\xA9 \xFF bad";
  std::string out;
  cc::json::TextWriter(out).string(text);
  EXPECT_EQ(out, cc::json::to_text(Json(text)));
}
