#pragma once

#include <wisetup/http/policy.hpp>

#include <string_view>

namespace wisetup::http {

/// The guard of `plan`: refuses, before anything is sent, every request that could change
/// something. GET passes, and so do the POSTs that only read or sign in: paths ending in
/// /listClusterUserCredential, /oauth2/v2.0/token, /oauth2/token, /devicecode and
/// /selfsubjectaccessreviews. Anything else throws core::Error("internal error: plan tried to
/// write: METHOD URL-without-query", ExitCode::Unexpected): reaching it is a bug in wi-setup.
class ReadOnlyPolicy final : public Policy {
public:
  [[nodiscard]] Response send(Request& request, NextPolicy const& next) const override;

  /// Whether `method` on `url` is one of the requests the policy lets through.
  [[nodiscard]] static bool allows(Method method, std::string_view url);
};

} // namespace wisetup::http
