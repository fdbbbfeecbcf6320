#include <wisetup/cli/logging.hpp>

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace wisetup::cli {

void configure_logging(int verbosity) {
  auto logger = spdlog::get("wi-setup");
  if (!logger) {
    logger = spdlog::stderr_logger_mt("wi-setup");
  }
  logger->set_pattern("[%H:%M:%S.%e] %l: %v");
  logger->set_level(verbosity >= 2   ? spdlog::level::trace
                    : verbosity == 1 ? spdlog::level::debug
                                     : spdlog::level::warn);
  spdlog::set_default_logger(logger);
}

} // namespace wisetup::cli
