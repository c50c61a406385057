#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "vmoodle/model/fleet.hpp"

namespace vmoodle::apply {

/// `UPDATE` of the registry row `id` of `vhostname`: `enabled = 0` and `metadata` set
/// to the destroying mark naming `final_snapshot` (empty: none).
std::string disable_for_destroy_sql(const model::Master& master, std::int64_t id,
                                    const std::string& vhostname,
                                    const std::string& final_snapshot);

/// `DELETE` of the registry row `id` of `vhostname` only (VMoodle deletes every row
/// with that vhostname).
std::string delete_registry_row_sql(const model::Master& master, std::int64_t id,
                                    const std::string& vhostname);

/// A master-side MNet table that references `mnet_host.id`, and the column that does.
struct MnetReference {
  std::string table; ///< without prefix
  std::string column;
};

/// The tables VMoodle's destroy cleans for a removed host, in deletion order, with
/// the column Moodle names the host by in each.
const std::vector<MnetReference>& mnet_references();

/// `SELECT TABLE_NAME` of those of `mnet_host` and mnet_references() that exist in
/// the master database (full names, with the master's prefix).
std::string existing_mnet_tables_sql(const model::Master& master);

/// `SELECT id` of the master's `mnet_host` rows whose `wwwroot` is `vhostname`.
std::string mnet_host_ids_sql(const model::Master& master, const std::string& vhostname);

/// The `DELETE`s that remove the `mnet_host` rows `ids` (still of `vhostname`) and
/// what references them, dependents first, for the tables in `existing` (full
/// names) only. Empty when `ids` is.
std::vector<std::string> mnet_cleanup_sql(const model::Master& master,
                                          const std::vector<std::int64_t>& ids,
                                          const std::string& vhostname,
                                          const std::vector<std::string>& existing);

} // namespace vmoodle::apply
