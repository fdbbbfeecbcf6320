// No request of its own: the issuer URL comes from the cluster the cluster step read.
#include <wisetup/core/error.hpp>
#include <wisetup/core/text.hpp>
#include <wisetup/steps/keys.hpp>
#include <wisetup/steps/oidc_issuer_step.hpp>

namespace wisetup::steps {

OidcIssuerStep::OidcIssuerStep()
    : m_info{"oidc-issuer",
             "read the cluster's OIDC issuer URL",
             {keys::enabled_cluster.name},
             {keys::issuer_url.name}} {}

workflow::Observation OidcIssuerStep::observe(workflow::RunState& state,
                                              workflow::ProgressSink const& /*progress*/) {
  auto const cluster = state.get(keys::enabled_cluster);
  auto const& url = cluster.issuer_url;
  if (!workflow::is_known(url)) { // a plan, before the update that turns the issuer on
    state.set(keys::issuer_url, url);
    return {workflow::Drift::InSync, std::string(workflow::k_known_after_enable), {}, {}};
  }
  if (!core::is_https_url(url) || url.find_first_of(" \t\r\n") != std::string::npos) {
    throw core::Error("the cluster reports the OIDC issuer URL \"" + url +
                          "\", which is not an https:// URL; a federated credential cannot use it",
                      core::ExitCode::ServiceError);
  }
  state.set(keys::issuer_url, url);
  return {workflow::Drift::InSync, url, {}, {}};
}

std::string OidcIssuerStep::apply(workflow::RunState& /*state*/,
                                  workflow::ProgressSink const& /*progress*/) {
  return {}; // observe() never reports drift
}

} // namespace wisetup::steps
