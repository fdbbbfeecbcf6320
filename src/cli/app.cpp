#include <wisetup/cli/app.hpp>
#include <wisetup/cli/build_info.hpp>
#include <wisetup/cli/ci_outputs.hpp>
#include <wisetup/cli/commands.hpp>
#include <wisetup/cli/json_reporter.hpp>
#include <wisetup/cli/logging.hpp>
#include <wisetup/cli/stop_watcher.hpp>
#include <wisetup/http/cpprest_transport.hpp>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <iostream>
#include <malloc.h>
#include <unistd.h>

namespace wisetup::cli {
namespace {

// cpprestsdk only needs a few threads: each step blocks its own thread on its request.
constexpr int k_cpprest_threads = 4;

void print_error(CLI::App const& app,
                 CommandOptions const& options,
                 std::string const& message,
                 core::ExitCode code) {
  if (options.output == "json") {
    auto const parsed = app.get_subcommands();
    nlohmann::ordered_json const document = {
        {"schemaVersion", 1},
        {"command", parsed.empty() ? "" : parsed.front()->get_name()},
        {"succeeded", false},
        {"exitCode", static_cast<int>(code)},
        {"interrupted", code == core::ExitCode::Interrupted || code == core::ExitCode::Terminated},
        {"steps", nlohmann::ordered_json::array()},
        {"outputs", nlohmann::ordered_json::object()},
        {"errors", {{{"message", message}, {"exitCode", static_cast<int>(code)}}}}};
    std::cout << document.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
  }
  std::cerr << "error: " << message << '\n';
  if (options.output != "json") {
    core::ProcessEnvironment const environment;
    announce_error(detect_ci(environment), message, std::cout);
  }
}

} // namespace

int run_app(int argc, char const* const* argv) {
  // One malloc arena for every thread, set before any thread starts. The steps' threads spend
  // their time waiting on the network, so they hardly contend for it, and each arena of its own
  // would add 100 to 160 KB to the peak memory (decision 0012).
  mallopt(M_ARENA_MAX, 1);
  // Next, so that every thread after it leaves SIGINT and SIGTERM to the watcher.
  StopWatcher const stop_watcher;
  http::initialize_cpprest(k_cpprest_threads);

  Console const console{std::cin,
                        std::cout,
                        std::cerr,
                        isatty(STDIN_FILENO) != 0 && isatty(STDERR_FILENO) != 0,
                        isatty(STDERR_FILENO) != 0,
                        isatty(STDOUT_FILENO) != 0};
  CLI::App app{"wi-setup: wire AKS workloads to Azure with Workload Identity, in one command.",
               "wi-setup"};
  app.set_version_flag("--version",
                       "wi-setup " + std::string(build_info::k_version) + " (commit " +
                           std::string(build_info::k_commit) + ")");
  app.require_subcommand(1);
  auto options = std::make_shared<CommandOptions>();
  core::ExitCode exit_code = core::ExitCode::Ok;
  add_commands(app, console, options, exit_code);

  try {
    app.parse(argc, argv);
  } catch (CLI::ParseError const& error) {
    auto const code = app.exit(error);
    return code == 0 ? 0 : static_cast<int>(core::ExitCode::InvalidInput);
  } catch (core::Error const& error) {
    print_error(app, *options, error.what(), error.exit_code());
    return static_cast<int>(error.exit_code());
  } catch (std::exception const& error) {
    print_error(
        app, *options, std::string("unexpected: ") + error.what(), core::ExitCode::Unexpected);
    return static_cast<int>(core::ExitCode::Unexpected);
  }
  return static_cast<int>(exit_code);
}

} // namespace wisetup::cli
