// wi-setup-sim: runs the simulator until SIGTERM or SIGINT (docs/simulator.md).
#include "sim/options.hpp"
#include "sim/simulator.hpp"

#include <openssl/crypto.h>

#include <csignal>
#include <iostream>
#include <pthread.h>

int main(int argc, char** argv) {
  // No OpenSSL clean-up at exit: the server's threads may still hold TLS state then.
  OPENSSL_init_crypto(OPENSSL_INIT_NO_ATEXIT, nullptr);
  using namespace wisetup::sim;
  CommandLine command_line;
  try {
    command_line = parse_command_line(std::vector<std::string>(argv + 1, argv + argc));
  } catch (std::invalid_argument const& error) {
    std::cerr << "wi-setup-sim: " << error.what() << "\n";
    return 2;
  }
  if (command_line.help) {
    std::cout << usage();
    return 0;
  }

  // Block the stop signals in every thread, so that only sigwait below receives them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  try {
    Simulator simulator{command_line.options};
    simulator.start();
    std::cerr << "wi-setup-sim: serving Entra and ARM on " << simulator.base_url()
              << ", the Kubernetes API on https://127.0.0.1:" << simulator.kube_port()
              << " and the managed identity endpoints on http://127.0.0.1:" << simulator.imds_port()
              << "; state in " << command_line.options.state_dir.string() << "\n";
    int received = 0;
    sigwait(&stop_signals, &received);
    std::cerr << "wi-setup-sim: stopping on signal " << received << "\n";
    simulator.stop();
  } catch (std::exception const& error) {
    std::cerr << "wi-setup-sim: " << error.what() << "\n";
    return 1;
  }
  return 0;
}
