#pragma once

#include <wisetup/core/clock.hpp>
#include <wisetup/core/cloud.hpp>
#include <wisetup/core/environment.hpp>
#include <wisetup/http/transport.hpp>
#include <wisetup/identity/token_credential.hpp>

#include <memory>

namespace wisetup::identity {

/// The credential for this run, from the environment (AZURE_TENANT_ID, AZURE_CLIENT_ID,
/// AZURE_CLIENT_SECRET; AZURE_AUTHORITY_HOST overrides the cloud's authority), wrapped in a cache.
/// Throws core::AuthenticationError naming each missing variable when none is usable.
[[nodiscard]] std::shared_ptr<TokenCredential const>
make_credential(core::Environment const& environment,
                core::Cloud const& cloud,
                std::shared_ptr<http::Transport> transport,
                std::shared_ptr<core::Clock> clock);

} // namespace wisetup::identity
