#pragma once

#include <string>
#include <vector>

#include "vmoodle/model/live.hpp"

namespace vmoodle::plan {

/// What happens to a host. Later issues add destroy, migrate and snapshot.
enum class Action { create, update };

/// `+` / `~`, as Terraform prints them.
const char* symbol(Action action);
/// `create` / `update`.
const char* name(Action action);

/// One registry column, before and after. `sensitive` values are never stored:
/// `before`/`after` then hold `(sensitive)`.
struct FieldChange {
  std::string column;
  std::string before;
  std::string after;
  bool sensitive = false;
};

/// Everything that will happen to one host.
struct HostChange {
  std::string vhostname;
  Action action = Action::update;
  /// For `update`: the columns that differ. For `create`: every column written.
  std::vector<FieldChange> fields;
  std::string server;
  std::string database;
  std::string dataroot;
  std::string template_name; ///< create only
  /// True when a previous create of this host by this tool was interrupted: its
  /// leftovers (marked database, temporary dataroot) are replaced.
  bool resume = false;
  std::vector<std::string> notes; ///< extra lines shown under the host
};

/// A registry row that no manifest entry claims. Reported, never touched.
struct Unmanaged {
  std::string vhostname;
  std::string vdbname;
  std::string vdbhost;
};

struct Summary {
  int create = 0;
  int update = 0;
  int migrate = 0;
  int snapshot = 0;
  int destroy = 0;
  int total() const { return create + update + migrate + snapshot + destroy; }
};

/// The outcome of comparing the manifest with live state: a value, printable,
/// serialisable, and the input of apply.
struct Plan {
  std::vector<HostChange> changes; ///< in manifest order
  std::vector<Unmanaged> unmanaged;
  std::vector<std::string> warnings;

  Summary summary() const;
  bool has_changes() const { return !changes.empty(); }
};

} // namespace vmoodle::plan
