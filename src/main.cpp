#include "vmoodle/cli/run.hpp"

int main(int argc, char** argv) {
  return vmoodle::cli::run(argc, argv);
}
