#include <functional>
#include <map>

#include "vmoodle/manifest/identifiers.hpp"
#include "vmoodle/manifest/manifest.hpp"
#include "vmoodle/manifest/resolve.hpp"
#include "vmoodle/manifest/semantic_checks.hpp"

namespace vmoodle::manifest {

namespace {

std::string describe(const model::Host& host) {
  std::string out = "hosts[" + std::to_string(host.index) + "]";
  if (host.loc.line > 0) {
    out += " (line " + std::to_string(host.loc.line) + ")";
  }
  return out;
}

/// Reports every host whose `key_of` value (when not empty) was already taken by an
/// earlier host, unless `message` returns an empty text for the pair.
void unique_by(const model::Fleet& fleet, Diagnostics& diags, const char* key,
               const std::function<std::string(const model::Host&)>& key_of,
               const std::function<std::string(const model::Host&, const model::Host&)>& message,
               const std::string& hint) {
  std::map<std::string, const model::Host*> seen;
  for (const auto& host : fleet.hosts) {
    const std::string value = key_of(host);
    if (value.empty()) {
      continue;
    }
    auto [previous, inserted] = seen.emplace(value, &host);
    if (inserted) {
      continue;
    }
    // An empty message means "already reported by a stricter rule".
    if (std::string text = message(host, *previous->second); !text.empty()) {
      diags.add(host_key_location(host, key), text, hint);
    }
  }
}

} // namespace

void check_uniqueness(const model::Fleet& fleet, Diagnostics& diags) {
  // Host names are case-insensitive: two spellings would be one site for a browser.
  unique_by(
      fleet, diags, "vhostname", [](const model::Host& h) { return ascii_lower(h.vhostname); },
      [](const model::Host& h, const model::Host& first) {
        return "vhostname " + h.vhostname + " is already used by " + describe(first);
      },
      "each host needs its own vhostname; remove or rename one entry");
  unique_by(
      fleet, diags, "shortname", [](const model::Host& h) { return h.shortname; },
      [](const model::Host& h, const model::Host& first) {
        return "shortname `" + h.shortname + "` is already used by " + describe(first);
      },
      "give each host its own shortname");
  // Two different shortnames can still yield the same cookie (`a-b` and `ab`), and
  // then users of one site are logged out by the other.
  unique_by(
      fleet, diags, "shortname",
      [](const model::Host& h) { return sessioncookie_for(h.shortname); },
      [](const model::Host& h, const model::Host& first) {
        if (h.shortname == first.shortname) {
          return std::string();
        }
        return "shortname `" + h.shortname + "` gives the session cookie `" +
               sessioncookie_for(h.shortname) + "`, like `" + first.shortname + "` of " +
               describe(first);
      },
      "VMoodle keeps only the letters and digits of the shortname; make them differ");
  unique_by(
      fleet, diags, "database",
      [](const model::Host& h) {
        return h.server.empty() || h.database.empty() ? std::string()
                                                      : h.server + "\n" + h.database;
      },
      [](const model::Host& h, const model::Host& first) {
        return "database `" + h.database + "` on server `" + h.server + "` is already used by " +
               describe(first);
      },
      "each host needs its own database; use a placeholder such as vmdl_{shortname}");
  unique_by(
      fleet, diags, "dataroot", [](const model::Host& h) { return h.dataroot; },
      [](const model::Host& h, const model::Host& first) {
        return "dataroot " + h.dataroot + " is already used by " + describe(first);
      },
      "each host needs its own dataroot; use a placeholder such as .../{shortname}");
}

} // namespace vmoodle::manifest
