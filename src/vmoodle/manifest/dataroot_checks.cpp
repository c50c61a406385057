// Dataroots are the paths apply creates and, on destroy, removes recursively: every
// rule here stands between a manifest typo and an `rm -rf` of the wrong tree.
#include <map>
#include <vector>

#include "vmoodle/manifest/paths.hpp"
#include "vmoodle/manifest/resolve.hpp"
#include "vmoodle/manifest/semantic_checks.hpp"

namespace vmoodle::manifest {

namespace {

std::string roots_list(const model::Fleet& fleet) {
  std::string out;
  for (const auto& root : fleet.dataroot_roots) {
    out += (out.empty() ? "" : ", ") + root;
  }
  return out;
}

// Why `dataroot` may not be used, or empty when it may.
std::string dataroot_problem(const model::Fleet& fleet, const std::string& dataroot) {
  if (dataroot.front() != '/') {
    return "dataroot " + dataroot + " is not an absolute path";
  }
  if (auto problem = path_problem(dataroot)) {
    return "dataroot " + dataroot + ": " + *problem;
  }
  const std::string& master = fleet.master.dataroot;
  const std::string templates = fleet.master.templates_dir();
  if (!master.empty()) {
    if (dataroot == master) {
      return "dataroot " + dataroot + " is the master's dataroot";
    }
    if (dataroot == templates) {
      return "dataroot " + dataroot + " is the templates folder";
    }
    if (is_strictly_under(dataroot, templates)) {
      return "dataroot " + dataroot + " is inside the templates folder " + templates;
    }
    if (is_strictly_under(master, dataroot)) {
      return "dataroot " + dataroot + " contains the master's dataroot " + master;
    }
  }
  for (const auto& root : fleet.dataroot_roots) {
    if (dataroot == root) {
      return "dataroot " + dataroot + " is a dataroot_roots entry itself";
    }
  }
  for (const auto& root : fleet.dataroot_roots) {
    if (is_strictly_under(dataroot, root)) {
      return {};
    }
  }
  return "dataroot " + dataroot + " is not below any dataroot_roots entry (" + roots_list(fleet) +
         ")";
}

} // namespace

void check_dataroots(const model::Fleet& fleet, Diagnostics& diags) {
  std::vector<const model::Host*> acceptable;
  for (const auto& host : fleet.hosts) {
    if (host.dataroot.empty()) {
      continue;
    }
    if (std::string problem = dataroot_problem(fleet, host.dataroot); !problem.empty()) {
      diags.add(host_key_location(host, "dataroot"), problem,
                "a host dataroot must lie strictly below a dataroot_roots entry, outside the "
                "master's dataroot and its templates");
    } else {
      acceptable.push_back(&host);
    }
  }
  // A destroy removes the whole tree: one host's dataroot must not hold another's.
  // Dataroots already refused above (a root itself, say) would only repeat the news.
  // Looking up each ancestor directory keeps this linear in the number of hosts: a
  // pairwise comparison took seconds on a (hostile or generated) 20,000-host manifest.
  std::map<std::string, std::vector<const model::Host*>> by_dataroot;
  for (const model::Host* host : acceptable) {
    by_dataroot[host->dataroot].push_back(host);
  }
  for (const model::Host* host : acceptable) {
    std::string ancestor = host->dataroot;
    for (auto slash = ancestor.rfind('/'); slash != std::string::npos && slash > 0;
         slash = ancestor.rfind('/')) {
      ancestor.resize(slash);
      auto found = by_dataroot.find(ancestor);
      if (found == by_dataroot.end()) {
        continue;
      }
      for (const model::Host* other : found->second) {
        diags.add(host_key_location(*host, "dataroot"),
                  "dataroot " + host->dataroot + " is inside the dataroot of hosts[" +
                      std::to_string(other->index) + "] (" + other->dataroot + ")",
                  "give each host a separate directory, e.g. <root>/{shortname}");
      }
    }
  }
}

} // namespace vmoodle::manifest
