// Reading fields out of request bodies (json/fields): wrong types and out-of-range numbers
// are refused with validation_failed naming the field, never with another exception.
#include <gtest/gtest.h>

#include "domain/error.hpp"
#include "json/fields.hpp"

using Json = nlohmann::json;
namespace fields = cc::json;

namespace {
std::string refused_field(const Json& body, const char* field) {
  try {
    fields::optional_int(body, field);
  } catch (const cc::domain::Error& e) {
    EXPECT_EQ(e.code(), "validation_failed");
    return e.field();
  }
  return "";
}
}  // namespace

TEST(RequestFields, WholeNumbersMayBeWrittenAsFloats) {
  EXPECT_EQ(fields::optional_int(Json::parse(R"({"value": 2.0})"), "value"), 2);
  EXPECT_EQ(fields::optional_int(Json::parse(R"({"value": -1e3})"), "value"), -1000);
  EXPECT_EQ(fields::optional_int(Json::parse(R"({"value": null})"), "value"), std::nullopt);
  EXPECT_EQ(refused_field(Json::parse(R"({"value": 1.5})"), "value"), "value");
}

// Found by tests/fuzz/json_body_fuzz: a float past int64's range was converted before its
// range was checked, which is undefined behaviour (UBSan: "outside the range of
// representable values").
TEST(RequestFields, HugeFloatsAreRefusedNotConverted) {
  for (const char* body : {R"({"value": 1e300})", R"({"value": -1e300})", R"({"value": 1.8446744073709552e19})",
                           R"({"value": 184467440792233720368547758080})", R"({"value": 9.3e18})"})
    EXPECT_EQ(refused_field(Json::parse(body), "value"), "value") << body;
  EXPECT_THROW(fields::required_int(Json::parse(R"({"into_id": 1e19})"), "into_id"), cc::domain::Error);
}
