// The log's buffering: warnings and errors are written at once with everything before
// them, in order; info lines are written by flush() (or the background thread) whole.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "common/log.hpp"

namespace {

// Points standard error at a file for the test's lifetime.
class CapturedStderr {
public:
  CapturedStderr() : path_(::testing::TempDir() + "log_test_" + std::to_string(::getpid()) + ".txt") {
    cc::log::flush();
    std::fflush(stderr);
    saved_ = ::dup(2);
    std::FILE* f = std::fopen(path_.c_str(), "w");
    ::dup2(::fileno(f), 2);
    std::fclose(f);
  }
  ~CapturedStderr() {
    cc::log::flush();
    ::dup2(saved_, 2);
    ::close(saved_);
    std::remove(path_.c_str());
  }
  std::string text() const {
    std::ifstream in(path_);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

private:
  std::string path_;
  int saved_ = -1;
};

}  // namespace

TEST(Log, AWarningWritesWhatWaitsBeforeItInOrder) {
  CapturedStderr err;
  cc::log::info("event=first n=1");
  cc::log::warn("event=second n=2");
  auto text = err.text();  // no flush: the warning wrote itself and the line before it
  auto first = text.find("info event=first n=1\n");
  auto second = text.find("warn event=second n=2\n");
  ASSERT_NE(first, std::string::npos) << text;
  ASSERT_NE(second, std::string::npos) << text;
  EXPECT_LT(first, second);
}

TEST(Log, FlushWritesWholeInfoLines) {
  CapturedStderr err;
  std::string big(1000, 'x');
  for (int i = 0; i < 100; ++i) cc::log::info("event=line n=" + std::to_string(i) + " pad=" + big);
  cc::log::flush();
  auto text = err.text();
  std::istringstream lines(text);
  int n = 0;
  for (std::string line; std::getline(lines, line);) {
    EXPECT_NE(line.find("info event=line n=" + std::to_string(n) + " pad="), std::string::npos) << line.substr(0, 80);
    ++n;
  }
  EXPECT_EQ(n, 100);
}
