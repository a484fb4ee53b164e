#pragma once
// Ideas and comments are about services, never about patients (SPEC §3, Patient data
// guard). Text holding a valid NHS number is always refused; other likely identifiers
// (a full UK postcode, a date of birth beside a name) unless the sender confirms.
#include <optional>
#include <string>
#include <string_view>

namespace cc::domain {

// True when the ten digits pass the NHS number Modulus 11 check.
bool is_valid_nhs_number(std::string_view ten_digits);

enum class PatientDataKind { none, nhs_number, postcode, date_of_birth };

// The first likely patient identifier in `text`.
PatientDataKind find_patient_data(std::string_view text);

// Throws 422 possible_patient_data naming `field` when `text` holds an NHS number, or
// another identifier and `confirmed` is false.
void guard_patient_data(std::string_view field, std::string_view text, bool confirmed);

}  // namespace cc::domain
