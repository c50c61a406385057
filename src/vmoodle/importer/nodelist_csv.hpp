#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "vmoodle/importer/import.hpp"
#include "vmoodle/model/fleet.hpp"
#include "vmoodle/util/error.hpp"

namespace vmoodle::importer {

/// One node of a VMoodle nodelist CSV, with VMoodle's defaults filled in.
struct NodelistNode {
  int line = 0; ///< 1-based line in the file
  std::string vhostname;
  std::string name;
  std::string shortname;
  std::string description;
  std::string vdbtype = "mariadb";
  std::string vdbhost; ///< empty: the master's database host
  std::string vdblogin;
  Secret vdbpass;
  std::string vdbname;
  std::string vdbprefix = "mdl_";
  bool vdbpersist = false; ///< VMoodle defaults to the master's dbpersist: unknown here
  std::string vdatapath;
  model::Mnet mnet{false, 1}; ///< VMoodle's default is 1 (sub-network 1), not -1
  bool enabled = true;
  std::string vtemplate; ///< empty: none
};

/// A parsed nodelist and what was read but not used.
struct Nodelist {
  std::string file;
  std::vector<NodelistNode> nodes;
  std::vector<std::string> warnings; ///< `file:line: …`
};

/// Parses VMoodle's bulkcreatenodes CSV (`cli/clilib.php:vmoodle_parse_csv_nodelist`):
/// delimiter `;`; CR and LF stripped; a UTF-8 byte-order mark ignored; empty lines and
/// lines starting with `(`, `[`, `-`, `#`, `/` or a space skipped; the first other line
/// is the header; values trimmed, `&#44` in a value read as `;`.
/// Required columns: vhostname, name, shortname, vdatapath, vdbname, vdblogin, vdbpass.
/// Optional: description, vdbtype, vdbhost, vdbpersist, vdbprefix, vtemplate, services,
/// enabled, mnet (an integer or `NEW`), with VMoodle's defaults (mnet 1, vdbtype mariadb,
/// vdbprefix mdl_, enabled 1). `services`, `forcedns`, `config_*` and `component|setting`
/// columns are read and not imported (a warning each). Every problem is reported at
/// once (Error::causes), located as `file:line: column`: an unknown or repeated column,
/// a missing required column or value, a line with more or fewer values than the
/// header, a value that is not 0/1 or an integer. Never echoes a vdbpass.
Result<Nodelist> parse_nodelist_csv(std::string_view text, const std::string& file);

/// The manifest for the nodes of `nodelist` with the servers, master and roots of
/// `base` (see manifest_from_records()): `vtemplate` becomes `template`, `vdbhost` is
/// mapped to the server whose registry_host it is (the master's server when empty).
/// A node the manifest cannot hold is an error located at its line.
Result<Imported> manifest_from_nodelist(const Nodelist& nodelist, const model::Fleet& base,
                                        const ImportOptions& options);

} // namespace vmoodle::importer
