// Tokens (session and CSRF) and the small crypto helpers they rest on.
#include <gtest/gtest.h>

#include <set>

#include "auth/crypto.hpp"

using namespace cc::auth;

TEST(Tokens, HaveTheLengthOfTheirBytesInBase64url) {
  EXPECT_EQ(random_token().size(), 43u);  // 32 bytes: 256 bits
  EXPECT_EQ(random_token(32).size(), 43u);
  EXPECT_EQ(random_token(16).size(), 22u);
  EXPECT_EQ(random_token(24).size(), 32u);
  EXPECT_EQ(random_token(1).size(), 2u);
  for (char c : random_token(300))
    EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') << c;
}

TEST(Tokens, AreUnique) {
  std::set<std::string> seen;
  for (int i = 0; i < 10000; ++i) seen.insert(random_token());
  EXPECT_EQ(seen.size(), 10000u);
  // Short tokens too, and every alphabet position gets used (a broken generator
  // returning zeros would fill the set with one value).
  std::set<char> chars;
  for (int i = 0; i < 200; ++i)
    for (char c : random_token(16)) chars.insert(c);
  EXPECT_GT(chars.size(), 60u);
}

TEST(Tokens, ConstantTimeEqualComparesWholeValues) {
  auto t = random_token();
  EXPECT_TRUE(constant_time_equal(t, std::string(t)));
  EXPECT_TRUE(constant_time_equal("", ""));
  EXPECT_FALSE(constant_time_equal(t, random_token()));
  EXPECT_FALSE(constant_time_equal(t, t.substr(0, t.size() - 1)));
  EXPECT_FALSE(constant_time_equal(t.substr(0, 10), t));
  EXPECT_FALSE(constant_time_equal(t, ""));
  std::string last = t;
  last.back() = last.back() == 'a' ? 'b' : 'a';
  EXPECT_FALSE(constant_time_equal(t, last));
  std::string first = t;
  first.front() = first.front() == 'a' ? 'b' : 'a';
  EXPECT_FALSE(constant_time_equal(t, first));
  EXPECT_FALSE(constant_time_equal(std::string("a\0b", 3), std::string("a\0c", 3)));
}

TEST(Crypto, Base64urlMatchesRfc4648) {
  EXPECT_EQ(base64url(""), "");
  EXPECT_EQ(base64url("f"), "Zg");
  EXPECT_EQ(base64url("fo"), "Zm8");
  EXPECT_EQ(base64url("foo"), "Zm9v");
  EXPECT_EQ(base64url("foob"), "Zm9vYg");
  EXPECT_EQ(base64url("fooba"), "Zm9vYmE");
  EXPECT_EQ(base64url("foobar"), "Zm9vYmFy");
  EXPECT_EQ(base64url("\xfb\xff\xbf"), "-_-_");  // the URL-safe letters, no padding
}

TEST(Crypto, DigestsMatchKnownVectors) {
  EXPECT_EQ(hex(sha256("abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(hex(sha256("")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  // RFC 4231, test case 2.
  EXPECT_EQ(hex(hmac_sha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_EQ(hex(std::string("\x00\x0f\xf0\xff", 4)), "000ff0ff");
}
