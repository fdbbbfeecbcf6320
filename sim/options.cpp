#include "sim/options.hpp"

#include <charconv>
#include <cmath>
#include <stdexcept>

namespace wisetup::sim {
namespace {

double parse_seconds(std::string const& flag, std::string const& text, bool allow_zero) {
  std::size_t used = 0;
  double value = 0;
  try {
    value = std::stod(text, &used);
  } catch (std::exception const&) {
    used = 0;
  }
  if (used != text.size() || text.empty() || !std::isfinite(value) || value < 0 ||
      (!allow_zero && value == 0)) {
    throw std::invalid_argument(flag + " expects a " + (allow_zero ? "non-negative" : "positive") +
                                " number of seconds (fractions allowed), not \"" + text + "\"");
  }
  return value;
}

int parse_int(std::string const& flag, std::string const& text, int minimum, int maximum) {
  int value = 0;
  auto const* end = text.data() + text.size();
  auto const [last, error] = std::from_chars(text.data(), end, value);
  if (text.empty() || error != std::errc{} || last != end || value < minimum || value > maximum) {
    throw std::invalid_argument(flag + " expects a whole number from " + std::to_string(minimum) +
                                " to " + std::to_string(maximum) + ", not \"" + text + "\"");
  }
  return value;
}

} // namespace

CommandLine parse_command_line(std::vector<std::string> const& arguments) {
  CommandLine result;
  Options& options = result.options;
  bool have_state_dir = false;
  for (std::size_t i = 0; i < arguments.size(); ++i) {
    std::string flag = arguments[i];
    std::string value;
    bool inline_value = false;
    if (auto const eq = flag.find('='); flag.rfind("--", 0) == 0 && eq != std::string::npos) {
      value = flag.substr(eq + 1);
      flag = flag.substr(0, eq);
      inline_value = true;
    }
    if (flag == "--help" || flag == "-h") {
      result.help = true;
      continue;
    }
    auto next = [&]() -> std::string const& {
      if (inline_value) {
        return value;
      }
      if (i + 1 >= arguments.size()) {
        throw std::invalid_argument(flag + " needs a value");
      }
      return arguments[++i];
    };
    if (flag == "--state-dir") {
      options.state_dir = next();
      if (options.state_dir.empty()) {
        throw std::invalid_argument("--state-dir needs a directory path");
      }
      have_state_dir = true;
    } else if (flag == "--port") {
      options.port = parse_int(flag, next(), 0, 65535);
    } else if (flag == "--seed") {
      options.seed = next();
    } else if (flag == "--cluster-update-seconds") {
      options.cluster_update = Seconds{parse_seconds(flag, next(), true)};
    } else if (flag == "--latency-ms") {
      options.latency = std::chrono::milliseconds{parse_int(flag, next(), 0, 600000)};
    } else if (flag == "--token-lifetime-seconds") {
      options.token_lifetime = Seconds{parse_seconds(flag, next(), false)};
    } else if (flag == "--retry-after-seconds") {
      options.retry_after_seconds = parse_int(flag, next(), 0, 3600);
    } else if (flag == "--fic-write-hold-ms") {
      options.fic_write_hold = std::chrono::milliseconds{parse_int(flag, next(), 0, 60000)};
    } else if (flag == "--imds-port") {
      options.imds_port = parse_int(flag, next(), 0, 65535);
    } else if (flag == "--device-code-expires-seconds") {
      options.device_code_lifetime = Seconds{parse_seconds(flag, next(), false)};
    } else if (flag == "--device-code-interval-seconds") {
      options.device_code_interval = Seconds{parse_seconds(flag, next(), true)};
    } else if (flag == "--kubeconfig-proxy-url") {
      options.kubeconfig_proxy_url = next();
    } else if (flag == "--device-code-auto-approve-polls") {
      options.device_code_auto_approve_polls = parse_int(flag, next(), 0, 1000);
    } else {
      throw std::invalid_argument("unknown flag \"" + flag + "\"; see wi-setup-sim --help");
    }
  }
  if (!have_state_dir && !result.help) {
    throw std::invalid_argument("--state-dir is required: the directory where the simulator "
                                "writes ca.pem, cloud.json and ready.json");
  }
  return result;
}

std::string usage() {
  return R"(Usage: wi-setup-sim --state-dir DIR [flags]

A local HTTPS simulator of Microsoft Entra ID (token and device code endpoints), Azure Resource
Manager, the AKS OIDC issuers and Kubernetes API, a GitHub-Actions-like token service and the
managed identity endpoints (IMDS, App Service; plain HTTP), for wi-setup's tests and demos. Serves
on 127.0.0.1 only.

  --state-dir DIR               where ca.pem, cloud.json and ready.json are written (required)
  --port N                      port for Entra and ARM; 0 = any free port (default 0)
  --seed FILE                   JSON seed of the simulated world (default: the compiled-in
                                sim/seed/default.json)
  --cluster-update-seconds S    how long a cluster PUT's operation runs (default 5; fractions ok)
  --latency-ms MS               delay added to every answer (default 0)
  --token-lifetime-seconds S    lifetime of issued access tokens of every kind (Entra, managed
                                identity) and the default of GitHub job tokens (default 3600)
  --retry-after-seconds S       send Retry-After: S on long-running-operation answers (default: none)
  --kubeconfig-proxy-url URL    put proxy-url: URL in every kubeconfig handed out (default: none)
  --fic-write-hold-ms MS        how long a federated-credential write holds its identity; a second
                                write meanwhile gets 409 (default 50)
  --imds-port N                 port of the plain-HTTP managed identity listener (IMDS and App
                                Service endpoints); 0 = any free port (default 0)
  --device-code-expires-seconds S
                                lifetime of a device code sign-in (default 900)
  --device-code-interval-seconds S
                                the polling interval device code sign-ins ask for; a faster poll
                                gets slow_down (default 1; 0 turns slow_down off, for tests)
  --device-code-auto-approve-polls N
                                approve every device code sign-in (as the first seeded user) after
                                N polls answered authorization_pending (default: wait for
                                POST /_sim/devicecode/approve)
  --help                        this text

Stop it with SIGTERM or SIGINT; it then exits 0.
)";
}

} // namespace wisetup::sim
