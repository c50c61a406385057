#include "vmoodle/manifest/manifest.hpp"
#include "vmoodle/manifest/resolve.hpp"

namespace vmoodle::manifest {

namespace {

std::string missing_parts(const model::TemplateFacts& facts) {
  std::string out;
  auto add = [&out](bool present, const std::string& part) {
    if (!present) {
      out += (out.empty() ? "" : ", ") + part;
    }
  };
  add(facts.has_sql_dir, facts.name + "_sql/");
  add(facts.has_dump, facts.name + "_sql/vmoodle_master.sql");
  add(facts.has_manifest, facts.name + "_sql/manifest.php");
  add(facts.has_data_dir, facts.name + "_vmoodledata/");
  return out;
}

} // namespace

std::vector<Error> check_templates(const model::Fleet& fleet,
                                   const std::map<std::string, model::TemplateFacts>& templates) {
  std::vector<Error> errors;
  const std::string folder = fleet.master.templates_dir();
  for (const auto& host : fleet.hosts) {
    // Only a creation reads the template; a host being destroyed does not need one.
    if (!host.template_name || host.state != model::HostState::present) {
      continue;
    }
    const std::string& name = *host.template_name;
    bool declared = false;
    for (const auto& snapshot : fleet.snapshots) {
      declared = declared || snapshot.name == name;
    }
    if (declared) {
      continue;
    }
    const std::string where = host_key_location(host, "template").render();
    auto it = templates.find(name);
    if (it == templates.end()) {
      errors.push_back(Error{ErrorKind::manifest,
                             "template `" + name + "` does not exist in " + folder,
                             where,
                             "create it with VMoodle, or declare it under snapshots: to take it "
                             "from a host of this manifest",
                             {}});
    } else if (!it->second.usable()) {
      errors.push_back(
          Error{ErrorKind::manifest,
                "template `" + name + "` in " + folder + " is incomplete (missing " +
                    missing_parts(it->second) + ")",
                where,
                "retake the template, or remove the leftovers and declare it under snapshots:",
                {}});
    }
  }
  return errors;
}

} // namespace vmoodle::manifest
