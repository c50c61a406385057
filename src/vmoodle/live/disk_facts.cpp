#include "vmoodle/live/disk_facts.hpp"

#include <regex>

#include "vmoodle/model/markers.hpp"

namespace vmoodle::live {
namespace {

bool strictly_below(const std::string& path, const std::string& root) {
  return path.size() > root.size() + 1 && path.compare(0, root.size(), root) == 0 &&
         path[root.size()] == '/';
}

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

} // namespace

Result<model::DatarootFacts> read_dataroot(platform::FileReader& files, const std::string& path,
                                           const std::vector<std::string>& roots) {
  model::DatarootFacts facts;
  VM_TRY_ASSIGN(auto stat, files.stat(path));
  facts.exists = stat.exists;
  facts.is_dir = stat.is_dir;
  facts.is_symlink = stat.is_symlink;
  if (!stat.exists) {
    return facts;
  }
  auto resolved = files.canonical(path);
  facts.escapes_root = true;
  if (resolved) {
    for (const auto& root : roots) {
      auto resolved_root = files.canonical(root);
      if (resolved_root && strictly_below(*resolved, *resolved_root)) {
        facts.escapes_root = false;
      }
    }
  }
  if (facts.is_dir && !facts.is_symlink) {
    const std::string marker = path + "/" + model::k_creating_marker;
    VM_TRY_ASSIGN(auto marker_stat, files.stat(marker));
    if (marker_stat.exists && !marker_stat.is_dir && !marker_stat.is_symlink) {
      VM_TRY_ASSIGN(auto owner, files.read_file(marker));
      while (!owner.empty() && (owner.back() == '\n' || owner.back() == '\r')) {
        owner.pop_back();
      }
      facts.creating_for = owner;
    }
  }
  return facts;
}

bool parse_template_manifest(const std::string& php, std::string& wwwroot, std::string& prefix) {
  // VMoodle writes single-quoted PHP strings; accept either quote and spacing.
  static const std::regex k_wwwroot(R"(\$templatewwwroot\s*=\s*['"]([^'"]*)['"])");
  static const std::regex k_prefix(R"(\$templatevdbprefix\s*=\s*['"]([^'"]*)['"])");
  std::smatch match;
  if (!std::regex_search(php, match, k_wwwroot)) {
    return false;
  }
  wwwroot = match[1];
  if (!std::regex_search(php, match, k_prefix)) {
    return false;
  }
  prefix = match[1];
  return true;
}

Result<std::map<std::string, model::TemplateFacts>> read_templates(platform::FileReader& files,
                                                                   const std::string& folder) {
  std::map<std::string, model::TemplateFacts> templates;
  VM_TRY_ASSIGN(auto folder_stat, files.stat(folder));
  if (!folder_stat.exists || !folder_stat.is_dir) {
    return templates;
  }
  VM_TRY_ASSIGN(auto entries, files.list_dir(folder));
  const std::string data_suffix = "_vmoodledata";
  for (const auto& entry : entries) {
    // Same rule as VMoodle's vmoodle_get_available_templates: a visible
    // `<T>_vmoodledata` folder names template T.
    if (entry.empty() || entry[0] == '.' || !ends_with(entry, data_suffix) ||
        entry.size() == data_suffix.size()) {
      continue;
    }
    model::TemplateFacts tpl;
    tpl.name = entry.substr(0, entry.size() - data_suffix.size());
    VM_TRY_ASSIGN(auto data_stat, files.stat(folder + "/" + entry));
    tpl.has_data_dir = data_stat.is_dir && !data_stat.is_symlink;
    const std::string sql_dir = folder + "/" + tpl.name + "_sql";
    VM_TRY_ASSIGN(auto sql_stat, files.stat(sql_dir));
    tpl.has_sql_dir = sql_stat.is_dir && !sql_stat.is_symlink;
    if (tpl.has_sql_dir) {
      VM_TRY_ASSIGN(auto dump_stat, files.stat(sql_dir + "/vmoodle_master.sql"));
      tpl.has_dump = dump_stat.exists && !dump_stat.is_dir;
      VM_TRY_ASSIGN(auto manifest_stat, files.stat(sql_dir + "/manifest.php"));
      if (manifest_stat.exists && !manifest_stat.is_dir) {
        VM_TRY_ASSIGN(auto php, files.read_file(sql_dir + "/manifest.php"));
        tpl.has_manifest = parse_template_manifest(php, tpl.wwwroot, tpl.prefix);
      }
    }
    templates[tpl.name] = std::move(tpl);
  }
  return templates;
}

} // namespace vmoodle::live
