#pragma once

#include <string>

namespace CLI {
class App;
}

namespace vmoodle::cli {

/// `vmoodle-apply import`: writes a fleet manifest for an existing fleet on stdout,
/// from the live registry (`--from-registry`) or from VMoodle's bulkcreatenodes CSV
/// (`--from-csv FILE`). The manifest given with `-f` supplies the servers, master and
/// dataroot_roots (its `hosts:` may be `[]`). Registers itself on construction; keeps
/// the options CLI11 fills, so it must outlive parsing and is neither copied nor moved.
class ImportCommand {
public:
  explicit ImportCommand(CLI::App& app);
  ImportCommand(const ImportCommand&) = delete;
  ImportCommand& operator=(const ImportCommand&) = delete;

  /// True when `import` was the subcommand on the command line.
  bool parsed() const;
  /// Runs it; returns the process exit code (0, or 1 with the error on stderr).
  int run() const;

private:
  CLI::App* m_command = nullptr;
  std::string m_manifest = "fleet.yaml";
  bool m_from_registry = false;
  std::string m_from_csv;
  std::string m_password_env = "MOODLE_DB_PASSWORD";
};

} // namespace vmoodle::cli
