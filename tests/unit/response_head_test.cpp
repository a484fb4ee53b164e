#include <gtest/gtest.h>

#include "http/response_head.hpp"
#include "http/responses.hpp"

using cc::http::Response;
using cc::http::response_head;

namespace {

Response json_answer(std::string body) {
  Response r;
  r.body = std::move(body);
  return r;
}

}  // namespace

TEST(ResponseHead, StatusLineTypeLengthAndEnd) {
  auto r = json_answer(R"({"status":"ok"})");
  EXPECT_EQ(response_head(r, 11, true),
            "HTTP/1.1 200 OK\r\n"
            "Content-Type: application/json; charset=utf-8\r\n"
            "Content-Length: 15\r\n"
            "\r\n");
}

TEST(ResponseHead, ConnectionHeaderFollowsVersionAndKeepAlive) {
  auto r = json_answer("{}");
  r.status = 404;
  EXPECT_NE(response_head(r, 11, false).find("\r\nConnection: close\r\n"), std::string::npos);
  EXPECT_EQ(response_head(r, 11, true).find("Connection"), std::string::npos);
  EXPECT_EQ(response_head(r, 10, true).rfind("HTTP/1.0 404 Not Found\r\n", 0), 0u);
  EXPECT_NE(response_head(r, 10, true).find("\r\nConnection: keep-alive\r\n"), std::string::npos);
  EXPECT_EQ(response_head(r, 10, false).find("Connection"), std::string::npos);
}

TEST(ResponseHead, AHeaderSetAgainReplacesTheEarlierOneWhateverItsCase) {
  auto r = json_answer("x");
  r.set("Cache-Control", "public, max-age=300");
  r.set("X-Frame-Options", "DENY");
  r.set("cache-control", "no-store");
  r.set("content-type", "text/csv");
  auto head = response_head(r, 11, true);
  EXPECT_EQ(head.find("max-age"), std::string::npos) << head;
  EXPECT_NE(head.find("\r\ncache-control: no-store\r\n"), std::string::npos) << head;
  EXPECT_NE(head.find("\r\nX-Frame-Options: DENY\r\n"), std::string::npos) << head;
  EXPECT_EQ(head.find("application/json"), std::string::npos) << head;
  EXPECT_NE(head.find("\r\ncontent-type: text/csv\r\n"), std::string::npos) << head;
}

TEST(ResponseHead, TheServerWritesTheFramingHeaders) {
  auto r = json_answer("abc");
  r.set("Content-Length", "999");
  r.set("Transfer-Encoding", "chunked");
  r.set("Connection", "upgrade");
  auto head = response_head(r, 11, true);
  EXPECT_NE(head.find("\r\nContent-Length: 3\r\n"), std::string::npos) << head;
  EXPECT_EQ(head.find("999"), std::string::npos) << head;
  EXPECT_EQ(head.find("Transfer-Encoding"), std::string::npos) << head;
  EXPECT_EQ(head.find("Connection"), std::string::npos) << head;
}

TEST(ResponseHead, NoLineBreakInAValueCanStartAHeader) {
  auto r = json_answer("");
  r.set("Location", "/next\r\nSet-Cookie: stolen=1");
  r.set("X-Evil\r\nInjected", "1");
  auto head = response_head(r, 11, true);
  EXPECT_EQ(head.find("\r\nSet-Cookie"), std::string::npos) << head;
  EXPECT_EQ(head.find("\r\nInjected"), std::string::npos) << head;
  EXPECT_NE(head.find("\r\nLocation: /nextSet-Cookie: stolen=1\r\n"), std::string::npos) << head;
  // The header block still ends exactly once, at the end.
  EXPECT_EQ(head.find("\r\n\r\n"), head.size() - 4);
}

TEST(ResponseHead, NoContentAndNotModifiedCarryNoLength) {
  for (int status : {204, 304}) {
    Response r;
    r.status = status;
    r.content_type.clear();
    auto head = response_head(r, 11, true);
    EXPECT_EQ(head.find("Content-Length"), std::string::npos) << head;
    EXPECT_EQ(head.find("Content-Type"), std::string::npos) << head;
  }
  Response empty;
  empty.status = 200;
  EXPECT_NE(response_head(empty, 11, true).find("\r\nContent-Length: 0\r\n"), std::string::npos);
}

TEST(ResponseHead, ReasonPhrases) {
  EXPECT_STREQ(cc::http::reason_phrase(201), "Created");
  EXPECT_STREQ(cc::http::reason_phrase(413), "Content Too Large");
  EXPECT_STREQ(cc::http::reason_phrase(429), "Too Many Requests");
  EXPECT_STREQ(cc::http::reason_phrase(503), "Service Unavailable");
  EXPECT_STREQ(cc::http::reason_phrase(599), "Unknown");
}

TEST(ResponseHead, TheSecurityHeadersAsLinesAreTheHeadersAdded) {
  for (bool tls : {false, true}) {
    auto r = json_answer(R"({"ok":true})");
    r.set("Location", "/x");
    auto added = r;
    cc::http::add_security_headers(added, tls);
    EXPECT_EQ(response_head(r, 11, true, cc::http::security_header_lines(tls)), response_head(added, 11, true));
    EXPECT_EQ(cc::http::security_header_lines(tls).find("Strict-Transport-Security") != std::string_view::npos, tls);
    added.set("Cache-Control", "no-store");
    EXPECT_EQ(response_head(r, 11, true, cc::http::security_header_lines(tls, true)), response_head(added, 11, true));
  }
}

TEST(ResponseHead, ExtraLinesFollowTheAnswersOwnHeaders) {
  auto r = json_answer("{}");
  r.set("Location", "/x");
  auto head = response_head(r, 11, false, "X-Extra: 1\r\n");
  EXPECT_LT(head.find("\r\nLocation: /x\r\n"), head.find("\r\nX-Extra: 1\r\n")) << head;
  EXPECT_LT(head.find("\r\nX-Extra: 1\r\n"), head.find("\r\nConnection: close\r\n")) << head;
}

TEST(ResponseHead, AnAnswerThatSetsASecurityHeaderIsSeenToWhateverTheCase) {
  auto r = json_answer("{}");
  r.set("Cache-Control", "no-store");
  EXPECT_FALSE(cc::http::sets_security_header(r));
  r.set("x-frame-options", "SAMEORIGIN");
  EXPECT_TRUE(cc::http::sets_security_header(r));
}
