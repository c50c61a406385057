#pragma once

#include <string>
#include <vector>

#include "vmoodle/model/fleet.hpp"
#include "vmoodle/model/live.hpp"
#include "vmoodle/plan/plan.hpp"
#include "vmoodle/util/secret.hpp"

namespace vmoodle::diff {

/// The registry row the manifest asks for, column by column as VMoodle stores it.
struct DesiredRow {
  std::string name;
  std::string shortname;
  std::string description;
  std::string vhostname;
  std::string vdbtype;
  std::string vdbhost;
  std::string vdblogin;
  Secret vdbpass;
  bool generated_password = false; ///< `manage_db_user`: vdbpass is made by apply, never compared
  std::string vdbname;
  std::string vdbprefix;
  int vdbpersist = 0;
  std::string vdatapath;
  model::Mnet mnet;
  int enabled = 1;
};

/// Builds the row for `host` on `server` with the resolved `password`.
DesiredRow desired_row(const model::Host& host, const model::Server& server,
                       const Secret& password);

/// Every column a create writes, passwords shown as `(sensitive)`.
std::vector<plan::FieldChange> fields_to_create(const DesiredRow& row);

/// The columns that differ between `row` and `live`, in registry column order.
/// `mnet: new` is never compared: it was allocated when the host was created.
std::vector<plan::FieldChange> fields_to_update(const DesiredRow& row,
                                                const model::RegistryRow& live);

} // namespace vmoodle::diff
