// Password hashing (Argon2id over a peppered HMAC) and the password rules of SPEC §4.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <fstream>

#include "auth/password_hasher.hpp"
#include "domain/error.hpp"
#include "domain/user.hpp"
#include "temp_db.hpp"

using cc::auth::HashCost;
using cc::auth::PasswordHasher;

namespace {
// Cheap enough for unit tests; the real cost is configuration.
constexpr HashCost kCheap{1, 64, 1};
const std::string kPepper(32, 'p');
}  // namespace

TEST(PasswordHasher, RoundTrips) {
  PasswordHasher h(kPepper, kCheap);
  auto encoded = h.hash("a long enough passphrase 42");
  EXPECT_TRUE(h.verify("a long enough passphrase 42", encoded));
  EXPECT_EQ(encoded.rfind("$argon2id$", 0), 0u) << encoded;
  EXPECT_NE(encoded.find("m=64,t=1,p=1"), std::string::npos) << "the cost travels with the hash: " << encoded;
  // Not the password, in any form.
  EXPECT_EQ(encoded.find("passphrase"), std::string::npos);
}

TEST(PasswordHasher, AWrongPasswordFails) {
  PasswordHasher h(kPepper, kCheap);
  auto encoded = h.hash("a long enough passphrase 42");
  EXPECT_FALSE(h.verify("a long enough passphrase 43", encoded));
  EXPECT_FALSE(h.verify("A long enough passphrase 42", encoded));
  EXPECT_FALSE(h.verify("", encoded));
  EXPECT_FALSE(h.verify("a long enough passphrase 42 ", encoded));
}

TEST(PasswordHasher, TheHashDependsOnThePepper) {
  PasswordHasher h(kPepper, kCheap);
  PasswordHasher other(std::string(32, 'q'), kCheap);
  auto encoded = h.hash("a long enough passphrase 42");
  EXPECT_FALSE(other.verify("a long enough passphrase 42", encoded)) << "a stolen database alone is not enough";
  EXPECT_TRUE(h.verify("a long enough passphrase 42", encoded));
}

TEST(PasswordHasher, HashesAreSalted) {
  PasswordHasher h(kPepper, kCheap);
  auto a = h.hash("the same password twice");
  auto b = h.hash("the same password twice");
  EXPECT_NE(a, b);
  EXPECT_TRUE(h.verify("the same password twice", a));
  EXPECT_TRUE(h.verify("the same password twice", b));
}

TEST(PasswordHasher, VerifiesWithTheCostStoredInTheHash) {
  PasswordHasher cheap(kPepper, kCheap);
  PasswordHasher dearer(kPepper, HashCost{2, 128, 1});
  auto encoded = cheap.hash("cost changes over time");
  EXPECT_TRUE(dearer.verify("cost changes over time", encoded));
}

TEST(PasswordHasher, RefusesDamagedHashes) {
  PasswordHasher h(kPepper, kCheap);
  auto encoded = h.hash("a long enough passphrase 42");
  auto damaged = encoded;
  auto& ch = damaged[damaged.size() - 10];  // inside the hash part
  ch = ch == 'A' ? 'B' : 'A';
  EXPECT_FALSE(h.verify("a long enough passphrase 42", damaged));
  EXPECT_FALSE(h.verify("a long enough passphrase 42", ""));
  EXPECT_FALSE(h.verify("a long enough passphrase 42", "not a hash"));
  EXPECT_FALSE(h.verify("a long enough passphrase 42", h.dummy_hash()));
}

TEST(PasswordHasher, ThePepperFileIsCreatedPrivateAndReused) {
  cc::unit::TempDir dir;
  auto path = dir.file("db.pepper");
  auto first = cc::auth::load_or_create_pepper(path);
  EXPECT_GE(first.size(), 32u);
  struct stat st{};
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
  EXPECT_EQ(cc::auth::load_or_create_pepper(path), first);
  EXPECT_EQ(cc::auth::default_pepper_path("data/x.db"), "data/x.db.pepper");
  std::ofstream(dir.file("short.pepper")) << "too short";
  EXPECT_THROW(cc::auth::load_or_create_pepper(dir.file("short.pepper")), std::runtime_error);
}

// ---------------------------------------------------------------------------------------

namespace {
// The field the validation error names, or "" if the password is accepted.
std::string refusal(const std::string& password) {
  try {
    cc::domain::check_password(password);
    return "";
  } catch (const cc::domain::Error& e) {
    EXPECT_EQ(e.kind(), cc::domain::ErrorKind::validation);
    return e.field();
  }
}
}  // namespace

TEST(PasswordRules, LengthIsTwelveToOneHundredTwentyEight) {
  EXPECT_EQ(refusal("short"), "password");
  EXPECT_EQ(refusal("elevenchars"), "password");        // 11
  EXPECT_EQ(refusal("zq7 vbn plok"), "");                // 12
  EXPECT_EQ(refusal(std::string(128, 'k')), "");
  EXPECT_EQ(refusal(std::string(129, 'k')), "password");
  EXPECT_EQ(refusal(""), "password");
}

TEST(PasswordRules, LengthCountsCharactersNotBytes) {
  std::string e_acute = "\xc3\xa9";
  std::string eleven, twelve;
  for (int i = 0; i < 11; ++i) eleven += e_acute;
  twelve = eleven + e_acute;
  EXPECT_EQ(refusal(eleven), "password");  // 22 bytes, 11 characters
  EXPECT_EQ(refusal(twelve), "");
  std::string many;
  for (int i = 0; i < 100; ++i) many += e_acute;  // 200 bytes, 100 characters
  EXPECT_EQ(refusal(many), "");
  EXPECT_EQ(refusal("invalid \xff utf-8 text"), "password");
}

TEST(PasswordRules, RefusesCommonPasswords) {
  EXPECT_EQ(refusal("password1234"), "password");
  EXPECT_EQ(refusal("qwertyuiop123"), "password");
  EXPECT_EQ(refusal("PASSWORD1234"), "password") << "case does not make a common password rare";
  EXPECT_TRUE(cc::domain::is_common_password("password1234"));
  EXPECT_FALSE(cc::domain::is_common_password("a long enough passphrase 42"));
  EXPECT_EQ(refusal("a long enough passphrase 42"), "");
}

TEST(PasswordRules, NoCompositionRules) {
  EXPECT_EQ(refusal("all lower case words here"), "");
  EXPECT_EQ(refusal("8312 4490 1273 55"), "");
}

TEST(PasswordRules, TheFieldNameIsTheCallers) {
  try {
    cc::domain::check_password("short", "new_password");
    FAIL() << "expected a validation error";
  } catch (const cc::domain::Error& e) {
    EXPECT_EQ(e.field(), "new_password");
  }
}
