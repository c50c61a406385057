#pragma once

#include <string>
#include <vector>

#include "vmoodle/importer/import.hpp"
#include "vmoodle/importer/manifest_writer.hpp"

namespace vmoodle::importer {

/// The `defaults:` and `hosts:` entries that write `records`, and the password
/// variables they use.
struct HostLayout {
  Entries defaults;
  std::vector<Entries> hosts; ///< one per record, same order
  std::vector<PasswordVariable> passwords;
  std::vector<std::string> warnings;
};

/// Factors the records' values (factor()) into defaults and per-host keys. Hosts
/// sharing a password share a variable: the most common password is
/// `options.password_env`, each other one `<password_env>_<SHORTNAME>` after the
/// first host that has it.
HostLayout lay_out(const std::vector<HostRecord>& records, const ImportOptions& options);

/// `<base>_<SHORTNAME>` as an environment variable name (letters, digits, `_`).
std::string variable_name(const std::string& base, const std::string& shortname);

} // namespace vmoodle::importer
