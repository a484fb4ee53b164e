#include <gtest/gtest.h>

#include "domain/error.hpp"
#include "domain/text.hpp"

using namespace cc::domain;

TEST(Text, CountsCodePointsNotBytes) {
  EXPECT_EQ(utf8_length("abc"), 3u);
  EXPECT_EQ(utf8_length("caf\xc3\xa9"), 4u);
  EXPECT_EQ(utf8_length("\xf0\x9f\x98\x80"), 1u);
}

TEST(Text, RejectsInvalidUtf8) {
  EXPECT_FALSE(utf8_length("\xc3"));
  EXPECT_FALSE(utf8_length("\xc0\xaf"));          // overlong '/'
  EXPECT_FALSE(utf8_length("\xed\xa0\x80"));      // surrogate
  EXPECT_FALSE(utf8_length("\xff"));
}

TEST(Text, CheckTextNamesTheField) {
  try {
    check_text("title", "ab", 3, 140);
    FAIL() << "expected a validation error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::validation);
    EXPECT_EQ(e.field(), "title");
  }
  EXPECT_NO_THROW(check_text("title", "abc", 3, 140));
  EXPECT_THROW(check_text("title", std::string(141, 'x'), 3, 140), Error);
  EXPECT_THROW(check_text("title", "   ", 1, 140), Error);
}

TEST(Text, ControlCharactersOnlyWhereAllowed) {
  EXPECT_THROW(check_text("title", std::string("a\0b", 3), 1, 10), Error);
  EXPECT_THROW(check_text("title", "a\nb", 1, 10), Error);
  EXPECT_NO_THROW(check_text("body", "a\nb\tc", 1, 10, true));
  EXPECT_THROW(check_text("body", "a\x1b[31m", 1, 10, true), Error);
}
