#pragma once

#include <wisetup/core/error.hpp>

#include <string>

namespace wisetup::identity {

/// This kind of credential is not configured here (its variables are unset, `az` is missing or
/// signed out, no managed identity endpoint answers). A chain moves on to the next kind; any
/// other core::AuthenticationError (a configured credential that was rejected) stops it, since
/// falling through would provision as somebody else's identity.
class CredentialUnavailable : public core::AuthenticationError {
public:
  explicit CredentialUnavailable(std::string const& message) : core::AuthenticationError(message) {}
};

} // namespace wisetup::identity
