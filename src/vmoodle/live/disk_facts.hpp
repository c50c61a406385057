#pragma once

#include <map>
#include <string>
#include <vector>

#include "vmoodle/model/live.hpp"
#include "vmoodle/platform/filesystem.hpp"

namespace vmoodle::live {

/// Whether `path` exists, is a real directory, stays inside one of `roots` once
/// symlinks are resolved, and carries the tool's creation marker.
Result<model::DatarootFacts> read_dataroot(platform::FileReader& files, const std::string& path,
                                           const std::vector<std::string>& roots);

/// The `<T>_sql` / `<T>_vmoodledata` pairs of the templates folder, with what
/// each `manifest.php` declares. A missing folder means no templates.
Result<std::map<std::string, model::TemplateFacts>> read_templates(platform::FileReader& files,
                                                                   const std::string& folder);

/// `$templatewwwroot` and `$templatevdbprefix` from a VMoodle `manifest.php`.
/// Returns false when either is missing.
bool parse_template_manifest(const std::string& php, std::string& wwwroot, std::string& prefix);

} // namespace vmoodle::live
