#include <wisetup/cli/app.hpp>

int main(int argc, char** argv) {
  return wisetup::cli::run_app(argc, argv);
}
