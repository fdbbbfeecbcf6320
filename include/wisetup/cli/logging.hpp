#pragma once

namespace wisetup::cli {

/// Sends spdlog to stderr: warnings only by default, requests with -v, their allowed headers with
/// -vv. What is logged is allow-listed by the HTTP log policy, so no verbosity shows a secret.
void configure_logging(int verbosity);

} // namespace wisetup::cli
