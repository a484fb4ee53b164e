// Sanitizer and fuzz builds keep Boost's own assertions (Asio's and Beast's checks of how
// they are used) and route them here (BOOST_ENABLE_ASSERT_HANDLER, set by CMakeLists.txt
// for those builds only): a failed one prints the stack and stops the program, like any
// other sanitizer finding. Other builds leave Boost's assertions to NDEBUG as usual.
#ifdef BOOST_ENABLE_ASSERT_HANDLER
#include <sanitizer/common_interface_defs.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace boost {

void assertion_failed_msg(char const* expr, char const* msg, char const* function, char const* file, long line) {
  // Boost 1.81's chunked-body parser asserts n >= 5 when a final chunk "0\r\n" arrives
  // with its closing CRLF in later reads ("0\r\n", "\r", "\n"), although the code after
  // it handles that case correctly (need more). The assertion was corrected upstream
  // (boostorg/beast pull request 2861); found here by tests/fuzz/http_request_fuzz.
  if (std::strcmp(expr, "n >= 5") == 0 && std::strstr(file, "beast/http/impl/basic_parser.ipp")) return;
  std::fprintf(stderr, "Boost assertion failed: %s%s%s\n  in %s\n  at %s:%ld\n", expr, msg ? " — " : "", msg ? msg : "",
               function, file, line);
  __sanitizer_print_stack_trace();
  std::abort();
}

void assertion_failed(char const* expr, char const* function, char const* file, long line) {
  assertion_failed_msg(expr, nullptr, function, file, line);
}

}  // namespace boost
#endif
