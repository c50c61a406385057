#include "vmoodle/cli/import_command.hpp"

#include <cstdio>
#include <filesystem>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "vmoodle/cli/run.hpp"
#include "vmoodle/cli/workspace.hpp"
#include "vmoodle/importer/import.hpp"
#include "vmoodle/importer/nodelist_csv.hpp"
#include "vmoodle/live/refresh.hpp"
#include "vmoodle/render/plan_text.hpp"

namespace vmoodle::cli {
namespace {

Result<importer::Imported> from_registry(Adapters& adapters, const model::Fleet& base,
                                         const importer::ImportOptions& options) {
  VM_TRY_ASSIGN(auto live,
                live::refresh(base, {adapters.connector, adapters.files, adapters.secrets}));
  return importer::manifest_from_registry(live.registry, base, options);
}

Result<importer::Imported> from_csv(Adapters& adapters, const model::Fleet& base,
                                    const std::string& path,
                                    const importer::ImportOptions& options) {
  std::error_code ec;
  const std::string absolute = std::filesystem::absolute(path, ec).lexically_normal().string();
  auto stat = adapters.files.stat(absolute);
  if (ec || !stat || !stat->exists) {
    return fail(ErrorKind::usage, "node list not found", path,
                "give VMoodle's bulkcreatenodes CSV with --from-csv FILE");
  }
  VM_TRY_ASSIGN(auto text, adapters.files.read_file(absolute));
  VM_TRY_ASSIGN(auto nodelist, importer::parse_nodelist_csv(text, path));
  return importer::manifest_from_nodelist(nodelist, base, options);
}

// What the operator must do before the manifest plans cleanly, on stderr so that
// stdout is the manifest alone.
void report(const importer::Imported& imported, const model::Fleet& base) {
  fmt::print(stderr, "Imported {} host(s).\n", imported.hosts);
  if (!base.hosts.empty() || !base.snapshots.empty()) {
    fmt::print(stderr,
               "Note: the hosts and snapshots of {} are not carried over; the output lists "
               "what the source holds.\n",
               base.file);
  }
  if (!imported.passwords.empty()) {
    fmt::print(stderr, "Set these environment variables to the hosts' passwords before plan:\n");
    for (const auto& variable : imported.passwords) {
      fmt::print(stderr, "  {} ({} host(s))\n", variable.name, variable.vhostnames.size());
    }
  }
  for (const auto& warning : imported.warnings) {
    fmt::print(stderr, "Warning: {}\n", warning);
  }
  if (!imported.skipped.empty()) {
    fmt::print(stderr, "Left out, {} row(s) (they stay unmanaged; reasons in the header):\n",
               imported.skipped.size());
    for (const auto& skipped : imported.skipped) {
      fmt::print(stderr, "  {} ({})\n", render::quoted(skipped.vhostname), skipped.origin);
    }
  }
}

} // namespace

ImportCommand::ImportCommand(CLI::App& app) {
  m_command = app.add_subcommand(
      "import", "Write a manifest for an existing fleet (from the registry or a VMoodle CSV) "
                "on stdout");
  m_command
      ->add_option("-f,--file", m_manifest,
                   "Manifest giving the servers, master and dataroot_roots (hosts may be [])")
      ->capture_default_str();
  auto* registry = m_command->add_flag("--from-registry", m_from_registry,
                                       "Import the hosts of the master's VMoodle registry");
  auto* csv = m_command->add_option("--from-csv", m_from_csv,
                                    "Import VMoodle's bulkcreatenodes CSV (nodelist.csv)");
  registry->excludes(csv);
  m_command
      ->add_option("--password-env", m_password_env,
                   "Environment variable of the most common host password")
      ->check([](const std::string& value) -> std::string {
        const bool ok = !value.empty() && !(value[0] >= '0' && value[0] <= '9') &&
                        value.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstu"
                                                "vwxyz0123456789_") == std::string::npos;
        return ok ? std::string() : "an environment variable name: letters, digits and `_`";
      })
      ->capture_default_str();
}

bool ImportCommand::parsed() const {
  return m_command->parsed();
}

int ImportCommand::run() const {
  if (!m_from_registry && m_from_csv.empty()) {
    print_error(Error{ErrorKind::usage,
                      "say what to import from",
                      "import",
                      "use --from-registry or --from-csv FILE",
                      {}});
    return k_exit_error;
  }
  Adapters adapters;
  auto base = load_manifest(adapters, m_manifest);
  if (!base) {
    print_error(base.error());
    return k_exit_error;
  }
  importer::ImportOptions options;
  options.password_env = m_password_env;
  auto imported = m_from_registry ? from_registry(adapters, *base, options)
                                  : from_csv(adapters, *base, m_from_csv, options);
  if (!imported) {
    print_error(imported.error());
    return k_exit_error;
  }
  fmt::print("{}", imported->yaml);
  std::fflush(stdout);
  report(*imported, *base);
  return k_exit_ok;
}

} // namespace vmoodle::cli
