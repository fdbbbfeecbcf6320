// Retry-After values (seconds or an HTTP-date, and retry-after-ms / x-ms-retry-after-ms) as any
// server or proxy may send them: http::retry_after and http::parse_http_date.
#include <wisetup/http/headers.hpp>
#include <wisetup/http/retry_after.hpp>

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace {

[[noreturn]] void broken(char const* what) {
  std::fprintf(stderr, "fuzz_retry_after: %s\n", what);
  std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  std::string_view const value(reinterpret_cast<char const*>(data), size);
  (void)wisetup::http::parse_http_date(value);

  // Two "now"s a real clock gives: the Unix epoch (a machine without time) and today.
  using std::chrono::system_clock;
  std::array const nows{system_clock::time_point{},
                        system_clock::time_point{std::chrono::seconds{1'700'000'000}}};
  for (char const* name : {"Retry-After", "retry-after-ms", "x-ms-retry-after-ms"}) {
    wisetup::http::Headers headers;
    headers.set(name, value);
    for (auto const now : nows) {
      auto const wait = wisetup::http::retry_after(headers, now);
      if (wait && wait->count() < 0) {
        broken("retry_after returned a negative wait");
      }
    }
  }
  return 0;
}
