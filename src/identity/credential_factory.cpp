#include <wisetup/core/error.hpp>
#include <wisetup/http/url.hpp>
#include <wisetup/identity/cached_credential.hpp>
#include <wisetup/identity/client_secret_credential.hpp>
#include <wisetup/identity/credential_factory.hpp>

#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <string_view>
#include <vector>

namespace wisetup::identity {
namespace {

/// What every kind of credential may use to build itself.
struct Inputs {
  std::map<std::string_view, std::string> variables; ///< the kind's variables, all set
  std::string authority_host;
  std::shared_ptr<http::Transport> transport;
  std::shared_ptr<core::Clock> clock;
};

/// One way to authenticate: the variables that select it (all of them must be set) and how to
/// build it. Kinds are tried in order; the first one fully configured wins.
struct CredentialKind {
  std::vector<std::string_view> variables;
  std::function<std::shared_ptr<TokenCredential const>(Inputs const&)> make;
};

/// A GUID or a DNS name: the only shapes a tenant or client id takes. Checked before the value
/// reaches a URL path or a form body.
void require_id(std::string_view variable, std::string const& value) {
  bool const valid =
      value.size() <= 253 && std::all_of(value.begin(), value.end(), [](unsigned char c) {
        return std::isalnum(c) != 0 || c == '-' || c == '.';
      });
  if (!valid) {
    throw core::InvalidInput(std::string(variable) +
                             " is not a GUID or a domain name; set it to the id Azure shows (for "
                             "example 00000000-0000-0000-0000-000000000000 or "
                             "contoso.onmicrosoft.com)");
  }
}

std::vector<CredentialKind> const& credential_kinds() {
  static std::vector<CredentialKind> const kinds{
      {{"AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET"},
       [](Inputs const& inputs) -> std::shared_ptr<TokenCredential const> {
         auto const& tenant = inputs.variables.at("AZURE_TENANT_ID");
         auto const& client = inputs.variables.at("AZURE_CLIENT_ID");
         require_id("AZURE_TENANT_ID", tenant);
         require_id("AZURE_CLIENT_ID", client);
         return std::make_shared<ClientSecretCredential>(inputs.authority_host,
                                                         tenant,
                                                         client,
                                                         inputs.variables.at("AZURE_CLIENT_SECRET"),
                                                         inputs.transport,
                                                         inputs.clock);
       }},
  };
  return kinds;
}

/// "A, B and C".
std::string join(std::vector<std::string_view> const& names, std::string_view last_separator) {
  std::string result;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) {
      result += i + 1 == names.size() ? last_separator : ", ";
    }
    result += names[i];
  }
  return result;
}

std::string authority_host(core::Environment const& environment, core::Cloud const& cloud) {
  auto const configured = environment.get("AZURE_AUTHORITY_HOST");
  std::string host = configured.value_or(cloud.active_directory);
  while (!host.empty() && host.back() == '/') {
    host.pop_back();
  }
  if (configured) {
    bool https = false;
    try {
      https = http::parse_url(host).scheme == "https";
    } catch (core::InvalidInput const&) {
      https = false;
    }
    if (!https) {
      throw core::InvalidInput("AZURE_AUTHORITY_HOST is not an https:// URL; set it to the "
                               "authority, for example https://login.microsoftonline.com/");
    }
  }
  return host;
}

} // namespace

std::shared_ptr<TokenCredential const> make_credential(core::Environment const& environment,
                                                       core::Cloud const& cloud,
                                                       std::shared_ptr<http::Transport> transport,
                                                       std::shared_ptr<core::Clock> clock) {
  std::vector<std::string> choices;
  for (auto const& kind : credential_kinds()) {
    Inputs inputs;
    std::vector<std::string_view> missing;
    for (auto const name : kind.variables) {
      if (auto value = environment.get(name)) {
        inputs.variables.emplace(name, std::move(*value));
      } else {
        missing.push_back(name);
      }
    }
    if (missing.empty()) {
      inputs.authority_host = authority_host(environment, cloud);
      inputs.transport = std::move(transport);
      inputs.clock = clock;
      return std::make_shared<CachedCredential>(kind.make(inputs), std::move(clock));
    }
    choices.push_back("set " + join(kind.variables, " and ") + " (missing: " + join(missing, ", ") +
                      ")");
  }
  std::string message = "no Azure credential: ";
  for (std::size_t i = 0; i < choices.size(); ++i) {
    message += (i > 0 ? "; or " : "") + choices[i];
  }
  throw core::AuthenticationError(message);
}

} // namespace wisetup::identity
