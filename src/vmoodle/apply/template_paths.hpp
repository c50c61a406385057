#pragma once

#include <string>
#include <string_view>

namespace vmoodle::apply {

/// True when `name` can name a template: 1..64 bytes of `[A-Za-z0-9_]`, so that
/// `<name>_sql` and `<name>_vmoodledata` are plain folder names.
bool is_template_name(std::string_view name);

/// The folders of template `name` in the templates folder `dir`
/// (`<master dataroot>/vmoodle`). The temporary ones are hidden (leading `.`): VMoodle
/// and refresh list only visible `<T>_vmoodledata` folders, so they are never taken
/// for a template.
struct TemplatePaths {
  TemplatePaths(const std::string& dir, const std::string& name);

  std::string dir;
  std::string sql;          ///< `<T>_sql`: vmoodle_master.sql, manifest.php
  std::string data;         ///< `<T>_vmoodledata`
  std::string partial_sql;  ///< `.<T>.partial_sql`: a snapshot being written
  std::string partial_data; ///< `.<T>.partial_vmoodledata`
  std::string old_sql;      ///< `.<T>.old_sql`: a replaced template, until removed
  std::string old_data;     ///< `.<T>.old_vmoodledata`
  std::string dump() const { return sql + "/vmoodle_master.sql"; }
  std::string manifest() const { return sql + "/manifest.php"; }
};

/// Whether a snapshot copies the dataroot entry at `relative` (`a/b/c`, from the
/// dataroot): not the top-level `sessions`, `temp` and `cache` (VMoodle deletes
/// them from its copy), nor this tool's creation marker, nor any entry named
/// `vmoodle` at any depth (VMoodle's `^vmoodle$` exclusion: nested templates).
bool keep_in_template(const std::string& relative);

} // namespace vmoodle::apply
