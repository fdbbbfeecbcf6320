#pragma once

#include <stdexcept>
#include <string>

namespace wisetup::core {

/// Process exit codes; main() is the only place that maps an Error to one.
enum class ExitCode : int {
  Ok = 0,
  Unexpected = 1,     ///< a bug or an unclassified failure
  InvalidInput = 2,   ///< flags, environment, config files: fix the input and re-run
  Authentication = 3, ///< no credential, or the credential was rejected
  ServiceError = 4,   ///< Azure or Kubernetes refused or failed a request
  Timeout = 5,        ///< an operation did not finish within its deadline
  Network = 6,        ///< an endpoint could not be reached (DNS, TCP, TLS)
  Declined = 7,       ///< the user answered "no" at the confirmation prompt
  Pending = 8,        ///< plan: changes are pending (not an error)
  Broken = 9,         ///< verify: a link of the binding is broken
  Interrupted = 130,  ///< SIGINT (Ctrl-C): 128 + 2, as shells report it
  Terminated = 143,   ///< SIGTERM: 128 + 15
};

/// Base of every error wi-setup throws on purpose. `what()` is a full sentence a user can act on.
class Error : public std::runtime_error {
public:
  explicit Error(std::string const& message, ExitCode code = ExitCode::Unexpected)
      : std::runtime_error(message), m_code(code) {}
  [[nodiscard]] ExitCode exit_code() const noexcept { return m_code; }

private:
  ExitCode m_code;
};

/// Bad flag, environment variable, config file or server answer that makes the input unusable.
class InvalidInput : public Error {
public:
  explicit InvalidInput(std::string const& message) : Error(message, ExitCode::InvalidInput) {}
};

/// A credential is missing or was rejected by the token endpoint.
class AuthenticationError : public Error {
public:
  explicit AuthenticationError(std::string const& message)
      : Error(message, ExitCode::Authentication) {}
};

/// A deadline passed (long-running operation, overall run).
class TimeoutError : public Error {
public:
  explicit TimeoutError(std::string const& message) : Error(message, ExitCode::Timeout) {}
};

/// The user declined the confirmation prompt.
class Declined : public Error {
public:
  explicit Declined(std::string const& message) : Error(message, ExitCode::Declined) {}
};

} // namespace wisetup::core
