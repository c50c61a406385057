#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "vmoodle/model/live.hpp"

namespace vmoodle::plan {

/// What happens to a host (or, for `snapshot`, to a template).
enum class Action { create, update, migrate, snapshot, destroy, configure };

/// `+`, `~`, `~`, `+`, `-`, `~`: as Terraform prints them.
const char* symbol(Action action);
/// `create`, `update`, `migrate`, `snapshot`, `destroy`, `configure`.
const char* name(Action action);

/// One registry column, before and after. `sensitive` values are never stored:
/// `before`/`after` then hold `(sensitive)`.
struct FieldChange {
  std::string column;
  std::string before;
  std::string after;
  bool sensitive = false;
};

/// One managed site setting, before and after (`configure`). `plugin` is empty for a
/// `{prefix}config` row. `before` is nullopt when the row is absent, or for a host not
/// yet created (its template's values are known only once it is loaded).
struct SettingChange {
  std::string plugin;
  std::string name;
  std::optional<std::string> before;
  std::string after;
  bool operator==(const SettingChange&) const = default;
};

/// One table off its target engine, collation or row format. An empty `*_to` means
/// that property is not managed or already right.
struct TableChange {
  std::string table;
  std::string engine_from, engine_to;
  std::string collation_from, collation_to; ///< table default and text columns
  std::string row_format_from, row_format_to;
  std::uint64_t bytes = 0; ///< data + index length: what the rebuild rewrites
};

/// A database brought to its target charset/collation, engine and row format.
struct Migration {
  std::string charset_from, charset_to;     ///< database default; empty `to` = unchanged
  std::string collation_from, collation_to; ///< database default; empty `to` = unchanged
  std::vector<TableChange> tables;
  std::uint64_t bytes() const;
};

/// One command of a manifest hook, as it will run (placeholders expanded).
struct HookRun {
  std::string hook;              ///< `after_create`, `before_destroy`...
  std::vector<std::string> argv; ///< never a shell string
  int timeout_seconds = 600;
};

/// Everything that will happen to one host, or for `snapshot` to one template.
struct HostChange {
  std::string vhostname; ///< the host acted on; for `snapshot`, the source host
  Action action = Action::update;
  /// `update`: the columns that differ. `create`: every column written.
  std::vector<FieldChange> fields;
  std::string server;
  std::string database;
  std::string dataroot;
  std::string template_name; ///< `create`: the template used
  /// `snapshot`: the template written; `destroy`: the final snapshot, empty for none.
  std::string snapshot;
  bool replace = false;               ///< `snapshot`: an existing template of that name is retaken
  std::optional<Migration> migration; ///< `migrate`
  /// `configure`: the settings that differ.
  std::vector<SettingChange> settings;
  /// True when a previous run of this tool on this host was interrupted and this
  /// change finishes it (its marks are in live state).
  bool resume = false;
  std::vector<std::string> notes; ///< extra lines shown under the host
  /// The host's hook commands this change runs, in order (see plan/hooks.hpp for when).
  std::vector<HookRun> hooks;
  /// Indexes in Plan::changes of the changes that must succeed before this one.
  std::vector<std::size_t> depends_on;
};

/// A registry row that no manifest entry claims. Reported, never touched.
struct Unmanaged {
  std::string vhostname;
  std::string vdbname;
  std::string vdbhost;
};

/// How a change is named in reports and plan files: its vhostname, or `snapshot.NAME`.
std::string label(const HostChange& change);

struct Summary {
  int create = 0;
  int update = 0;
  int migrate = 0;
  int snapshot = 0;
  int destroy = 0;
  int configure = 0;
  int total() const { return create + update + migrate + snapshot + destroy + configure; }
};

/// The outcome of comparing the manifest with live state: a value, printable,
/// serialisable, and the input of apply.
struct Plan {
  std::vector<HostChange> changes; ///< in execution order: dependencies first
  std::vector<Unmanaged> unmanaged;
  std::vector<std::string> warnings;

  Summary summary() const;
  bool has_changes() const { return !changes.empty(); }
  /// This plan without the changes at `dropped` and every change that depends on
  /// them, directly or not; `also_dropped` receives the labels of the latter.
  Plan without(const std::vector<std::size_t>& dropped,
               std::vector<std::string>* also_dropped = nullptr) const;
};

} // namespace vmoodle::plan
