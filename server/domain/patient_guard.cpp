#include "domain/patient_guard.hpp"

#include <cctype>
#include <regex>

#include "domain/error.hpp"
#include "domain/text.hpp"

namespace cc::domain {

bool is_valid_nhs_number(std::string_view d) {
  if (d.size() != 10) return false;
  int sum = 0;
  for (int i = 0; i < 9; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(d[i]))) return false;
    sum += (d[i] - '0') * (10 - i);
  }
  if (!std::isdigit(static_cast<unsigned char>(d[9]))) return false;
  int check = 11 - (sum % 11);
  if (check == 11) check = 0;
  if (check == 10) return false;
  return check == d[9] - '0';
}

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Ten digits in a row, or grouped 3-3-4 with single spaces or hyphens, not part of a
// longer number.
bool has_nhs_number(std::string_view t) {
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (!is_digit(t[i]) || (i > 0 && is_digit(t[i - 1]))) continue;
    std::string digits;
    std::size_t j = i;
    while (j < t.size() && digits.size() < 10) {
      if (is_digit(t[j])) {
        digits += t[j++];
      } else if ((t[j] == ' ' || t[j] == '-') && (digits.size() == 3 || digits.size() == 6) && j + 1 < t.size() &&
                 is_digit(t[j + 1])) {
        ++j;
      } else {
        break;
      }
    }
    if (digits.size() == 10 && (j >= t.size() || !is_digit(t[j])) && is_valid_nhs_number(digits)) return true;
  }
  return false;
}

bool is_capital(char c) { return c >= 'A' && c <= 'Z'; }

// What every match of the regular expressions below needs, found in one pass: most
// ideas have neither, and std::regex tries its whole pattern at every character (for a
// `\b`, it looks the class "w" up by name each time: 5% of an I/O thread under new
// ideas).
// A postcode starts with one or two capitals and a digit ("GIR 0AA" aside).
bool may_hold_postcode(std::string_view t) {
  for (std::size_t i = 0; i + 1 < t.size(); ++i) {
    if (!is_capital(t[i])) continue;
    if (is_digit(t[i + 1]) || (i + 2 < t.size() && is_capital(t[i + 1]) && is_digit(t[i + 2]))) return true;
  }
  return t.find("GIR") != std::string_view::npos;
}

// A date the guard looks at has a year from 1900 to 2099.
bool may_hold_date(std::string_view t) {
  for (std::size_t i = 0; i + 3 < t.size(); ++i) {
    bool century = (t[i] == '1' && t[i + 1] == '9') || (t[i] == '2' && t[i + 1] == '0');
    if (century && is_digit(t[i + 2]) && is_digit(t[i + 3])) return true;
  }
  return false;
}

bool has_postcode(const std::string& t) {
  if (!may_hold_postcode(t)) return false;
  // A full UK postcode in capitals: outward code, optional space, inward code whose
  // letters avoid C I K M O V ("L3 5TQ", "SW1A 1AA"). Capitals only keeps ordinary
  // prose such as "ward B2 3rd floor" from matching.
  static const std::regex re(
      R"((^|[^A-Za-z0-9])(GIR ?0AA|[A-Z]{1,2}[0-9][0-9A-Z]? ?[0-9][ABD-HJLNP-UW-Z]{2})($|[^A-Za-z0-9]))");
  return std::regex_search(t, re);
}

bool has_date_of_birth(const std::string& t) {
  if (!may_hold_date(t)) return false;
  static const std::regex date(
      R"(\b([0-3]?[0-9])[/.\-]([01]?[0-9])[/.\-]((19|20)[0-9]{2})\b|\b([0-3]?[0-9])(st|nd|rd|th)? (jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]* (19|20)[0-9]{2}\b)",
      std::regex::icase);
  static const std::regex beside(R"(\b(dob|d\.o\.b|born|birth|birthday|aged?|mr|mrs|ms|miss|dr|patient|name)\b)",
                                 std::regex::icase);
  std::smatch m;
  auto begin = t.cbegin();
  while (std::regex_search(begin, t.cend(), m, date)) {
    auto start = static_cast<std::size_t>(m.position(0) + (begin - t.cbegin()));
    auto end = start + static_cast<std::size_t>(m.length(0));
    std::size_t from = start > 60 ? start - 60 : 0;
    std::string around = t.substr(from, std::min(t.size(), end + 60) - from);
    if (std::regex_search(around, beside)) return true;
    begin = t.cbegin() + static_cast<long>(end);
  }
  return false;
}

}  // namespace

PatientDataKind find_patient_data(std::string_view text) {
  if (has_nhs_number(text)) return PatientDataKind::nhs_number;
  std::string t(text);
  if (has_postcode(t)) return PatientDataKind::postcode;
  if (has_date_of_birth(t)) return PatientDataKind::date_of_birth;
  return PatientDataKind::none;
}

void guard_patient_data(std::string_view field, std::string_view text, bool confirmed) {
  auto kind = find_patient_data(text);
  std::string f(field);
  switch (kind) {
    case PatientDataKind::none: return;
    case PatientDataKind::nhs_number:
      throw Error(ErrorKind::validation, "possible_patient_data",
                  f + " seems to contain an NHS number. Please share ideas about services, never details of a patient.",
                  f);
    case PatientDataKind::postcode:
      if (confirmed) return;
      throw Error(ErrorKind::validation, "possible_patient_data",
                  f + " seems to contain a full postcode, which could identify someone. Remove it, or confirm it is "
                      "not about a patient.",
                  f);
    case PatientDataKind::date_of_birth:
      if (confirmed) return;
      throw Error(ErrorKind::validation, "possible_patient_data",
                  f + " seems to contain a date of birth next to a name, which could identify someone. Remove it, "
                      "or confirm it is not about a patient.",
                  f);
  }
}

}  // namespace cc::domain
