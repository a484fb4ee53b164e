// The patient data guard (SPEC §3): NHS numbers by their Modulus 11 check digit, full UK
// postcodes and dates of birth beside a name.
#include <gtest/gtest.h>

#include "domain/error.hpp"
#include "domain/patient_guard.hpp"

using namespace cc::domain;

namespace {
// The 422 the guard throws, or nothing.
std::optional<Error> refusal(const std::string& text, bool confirmed, const std::string& field = "body") {
  try {
    guard_patient_data(field, text, confirmed);
  } catch (const Error& e) {
    return e;
  }
  return std::nullopt;
}
}  // namespace

TEST(PatientGuard, Modulus11CheckDigit) {
  EXPECT_TRUE(is_valid_nhs_number("9434765919"));
  EXPECT_TRUE(is_valid_nhs_number("4010232137"));
  EXPECT_TRUE(is_valid_nhs_number("9876543210"));  // remainder 0: check digit 0
  EXPECT_FALSE(is_valid_nhs_number("9434765918"));  // wrong check digit
  EXPECT_FALSE(is_valid_nhs_number("9434765910"));
  EXPECT_FALSE(is_valid_nhs_number("943476591"));   // nine digits
  EXPECT_FALSE(is_valid_nhs_number("94347659190"));  // eleven
  EXPECT_FALSE(is_valid_nhs_number("94347a5919"));
  // A remainder that gives check digit 10 is never valid.
  for (char last = '0'; last <= '9'; ++last) EXPECT_FALSE(is_valid_nhs_number(std::string("100000001") + last));
}

TEST(PatientGuard, ValidNhsNumbersAreRefusedEvenWhenConfirmed) {
  for (const std::string text : {"NHS 9434765919", "943 476 5919", "nhs no: 943-476-5919.", "(9434765919)",
                                 "9434765919 was seen"}) {
    EXPECT_EQ(find_patient_data(text), PatientDataKind::nhs_number) << text;
    for (bool confirmed : {false, true}) {
      auto e = refusal(text, confirmed, "title");
      ASSERT_TRUE(e) << text;
      EXPECT_EQ(e->kind(), ErrorKind::validation);
      EXPECT_EQ(e->code(), "possible_patient_data");
      EXPECT_EQ(e->field(), "title");
    }
  }
}

TEST(PatientGuard, NumbersThatAreNotNhsNumbersPass) {
  for (const std::string text : {"9434765918",          // invalid check digit
                                 "94347659190",         // eleven digits
                                 "19434765919",         // a valid one inside a longer number
                                 "943 476 59190",       // grouped, but eleven digits
                                 "943476591",           // nine
                                 "Call 0151 706 2000",  // a phone number
                                 "Ward 12, bed 4, 3 nurses on 2 shifts"}) {
    EXPECT_EQ(find_patient_data(text), PatientDataKind::none) << text;
    EXPECT_FALSE(refusal(text, false)) << text;
  }
}

TEST(PatientGuard, PostcodesNeedConfirmation) {
  for (const std::string text : {"L3 5TQ", "The clinic at SW1A 1AA", "moved to M1 1AE last year", "EC1A1BB", "GIR 0AA"}) {
    EXPECT_EQ(find_patient_data(text), PatientDataKind::postcode) << text;
    auto e = refusal(text, false);
    ASSERT_TRUE(e) << text;
    EXPECT_EQ(e->code(), "possible_patient_data");
    EXPECT_EQ(e->field(), "body");
    EXPECT_FALSE(refusal(text, true)) << text;
  }
  // Outward codes alone, and things that look a little like postcodes, pass.
  for (const std::string text : {"Across L3 and L4", "Ward B2 3rd floor", "a B12 vitamin", "SW1A"})
    EXPECT_EQ(find_patient_data(text), PatientDataKind::none) << text;
}

TEST(PatientGuard, DatesOfBirthBesideANameNeedConfirmation) {
  for (const std::string text : {"born 12/03/1956 Mr Smith", "Mrs Jones DOB 1.2.1960", "patient born 3rd March 1948"}) {
    EXPECT_EQ(find_patient_data(text), PatientDataKind::date_of_birth) << text;
    auto e = refusal(text, false);
    ASSERT_TRUE(e) << text;
    EXPECT_EQ(e->code(), "possible_patient_data");
    EXPECT_FALSE(refusal(text, true)) << text;
  }
  // A date alone is ordinary.
  for (const std::string text : {"The rota starts on 12/03/2026", "Since March 2020 we have tried", "Meeting 01/02/2025"})
    EXPECT_EQ(find_patient_data(text), PatientDataKind::none) << text;
}

TEST(PatientGuard, OrdinaryTextPasses) {
  for (const std::string text :
       {"", "Give band 6 nurses four hours a month of protected leadership time.",
        "Shared learning sessions every 2nd Tuesday, 12:30-13:30, room 4B.",
        "Café culture 🙂 and 日本語 text", "Our 10 wards serve 250,000 people across 3 places",
        "<b>&amp;</b> \"quotes\""}) {
    EXPECT_EQ(find_patient_data(text), PatientDataKind::none) << text;
    EXPECT_FALSE(refusal(text, false)) << text;
  }
}
