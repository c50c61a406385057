#include "vmoodle/apply/destroy_sql.hpp"

#include <algorithm>

#include "vmoodle/model/markers.hpp"
#include "vmoodle/sql/quote.hpp"

namespace vmoodle::apply {
namespace {

std::string registry(const model::Master& master) {
  return sql::ident(master.database, master.registry_table());
}

std::string in_list(const std::vector<std::int64_t>& ids) {
  std::string out;
  for (const auto id : ids) {
    out += (out.empty() ? "" : ", ") + sql::literal(id);
  }
  return "(" + out + ")";
}

} // namespace

std::string disable_for_destroy_sql(const model::Master& master, std::int64_t id,
                                    const std::string& vhostname,
                                    const std::string& final_snapshot) {
  return "UPDATE " + registry(master) + " SET `enabled` = 0, `metadata` = " +
         sql::literal(model::destroying_mark(final_snapshot)) +
         " WHERE `id` = " + sql::literal(id) + " AND `vhostname` = " + sql::literal(vhostname);
}

std::string delete_registry_row_sql(const model::Master& master, std::int64_t id,
                                    const std::string& vhostname) {
  return "DELETE FROM " + registry(master) + " WHERE `id` = " + sql::literal(id) +
         " AND `vhostname` = " + sql::literal(vhostname);
}

const std::vector<MnetReference>& mnet_references() {
  // Columns as in Moodle's install.xml: the enrol and log tables say `hostid`, the
  // session table `mnethostid`, the SSO access list `mnet_host_id`.
  static const std::vector<MnetReference> k_references = {
      {"mnet_host2service", "hostid"},
      {"mnetservice_enrol_courses", "hostid"},
      {"mnetservice_enrol_enrolments", "hostid"},
      {"mnet_log", "hostid"},
      {"mnet_session", "mnethostid"},
      {"mnet_sso_access_control", "mnet_host_id"},
  };
  return k_references;
}

std::string existing_mnet_tables_sql(const model::Master& master) {
  std::string names = sql::literal(master.prefix + "mnet_host");
  for (const auto& reference : mnet_references()) {
    names += ", " + sql::literal(master.prefix + reference.table);
  }
  return "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = " +
         sql::literal(master.database) + " AND TABLE_NAME IN (" + names + ")";
}

std::string mnet_host_ids_sql(const model::Master& master, const std::string& vhostname) {
  return "SELECT `id` FROM " + sql::ident(master.database, master.prefix + "mnet_host") +
         " WHERE `wwwroot` = " + sql::literal(vhostname) + " ORDER BY `id`";
}

std::vector<std::string> mnet_cleanup_sql(const model::Master& master,
                                          const std::vector<std::int64_t>& ids,
                                          const std::string& vhostname,
                                          const std::vector<std::string>& existing) {
  std::vector<std::string> out;
  if (ids.empty()) {
    return out;
  }
  auto exists = [&](const std::string& table) {
    return std::find(existing.begin(), existing.end(), master.prefix + table) != existing.end();
  };
  for (const auto& reference : mnet_references()) {
    if (exists(reference.table)) {
      out.push_back("DELETE FROM " + sql::ident(master.database, master.prefix + reference.table) +
                    " WHERE " + sql::ident(reference.column) + " IN " + in_list(ids));
    }
  }
  if (exists("mnet_host")) {
    // The wwwroot condition again: only rows that still name the destroyed host go.
    out.push_back("DELETE FROM " + sql::ident(master.database, master.prefix + "mnet_host") +
                  " WHERE `id` IN " + in_list(ids) + " AND `wwwroot` = " + sql::literal(vhostname));
  }
  return out;
}

} // namespace vmoodle::apply
