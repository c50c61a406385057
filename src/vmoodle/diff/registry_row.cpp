#include "vmoodle/diff/registry_row.hpp"

namespace vmoodle::diff {
namespace {

struct Column {
  const char* name;
  std::string desired;
  std::string live;
  bool sensitive = false;
};

std::string mnet_text(const model::Mnet& mnet) {
  return mnet.allocate_new ? std::string("new") : std::to_string(mnet.value);
}

// The one list of registry columns the tool manages, so create and update cannot
// disagree on what a host's row is.
std::vector<Column> columns(const DesiredRow& row, const model::RegistryRow& live) {
  return {
      {"name", row.name, live.name},
      {"shortname", row.shortname, live.shortname},
      {"description", row.description, live.description},
      {"vhostname", row.vhostname, live.vhostname},
      {"vdbtype", row.vdbtype, live.vdbtype},
      {"vdbhost", row.vdbhost, live.vdbhost},
      {"vdblogin", row.vdblogin, live.vdblogin},
      {"vdbpass", row.vdbpass.reveal(), live.vdbpass, true},
      {"vdbname", row.vdbname, live.vdbname},
      {"vdbprefix", row.vdbprefix, live.vdbprefix},
      {"vdbpersist", std::to_string(row.vdbpersist), std::to_string(live.vdbpersist)},
      {"vdatapath", row.vdatapath, live.vdatapath},
      {"mnet", mnet_text(row.mnet), std::to_string(live.mnet)},
      {"enabled", std::to_string(row.enabled), std::to_string(live.enabled)},
  };
}

} // namespace

DesiredRow desired_row(const model::Host& host, const model::Server& server,
                       const Secret& password) {
  DesiredRow row;
  row.name = host.name;
  row.shortname = host.shortname;
  row.description = host.description;
  row.vhostname = host.vhostname;
  row.vdbtype = host.db_type;
  row.vdbhost = server.registry_host;
  row.vdblogin = host.db_user;
  row.vdbpass = password;
  row.generated_password = host.manage_db_user;
  row.vdbname = host.database;
  row.vdbprefix = host.prefix;
  row.vdbpersist = host.db_persist ? 1 : 0;
  row.vdatapath = host.dataroot;
  row.mnet = host.mnet;
  row.enabled = host.enabled ? 1 : 0;
  return row;
}

std::vector<plan::FieldChange> fields_to_create(const DesiredRow& row) {
  std::vector<plan::FieldChange> fields;
  for (auto& column : columns(row, model::RegistryRow{})) {
    fields.push_back(
        {column.name, "", column.sensitive ? k_sensitive : column.desired, column.sensitive});
  }
  return fields;
}

std::vector<plan::FieldChange> fields_to_update(const DesiredRow& row,
                                                const model::RegistryRow& live) {
  std::vector<plan::FieldChange> fields;
  for (auto& column : columns(row, live)) {
    if (column.desired == column.live) {
      continue;
    }
    if (std::string(column.name) == "mnet" && row.mnet.allocate_new) {
      continue;
    }
    if (std::string(column.name) == "vdbpass" && row.generated_password) {
      continue;
    }
    if (column.sensitive) {
      fields.push_back({column.name, k_sensitive, k_sensitive, true});
    } else {
      fields.push_back({column.name, column.live, column.desired, false});
    }
  }
  return fields;
}

} // namespace vmoodle::diff
