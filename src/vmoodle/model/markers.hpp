#pragma once

#include <string>

namespace vmoodle::model {

// How the tool recognises its own interrupted creations. A database or dataroot
// that exists for a host with no registry row is someone else's (a conflict)
// unless it carries one of these marks naming that very host.

/// Schema comment set by `CREATE DATABASE` until the registry row is written.
inline std::string creating_comment(const std::string& vhostname) {
  return "vmoodle-apply: creating " + vhostname;
}
/// Schema comment once the host is registered.
inline constexpr const char* k_managed_comment = "vmoodle-apply: managed";

/// File inside a dataroot under creation; holds the host's vhostname.
inline constexpr const char* k_creating_marker = ".vmoodle-apply-creating";
/// Suffix of the directory a dataroot is copied into before it is renamed in place.
inline constexpr const char* k_partial_suffix = ".vmoodle-apply-partial";

} // namespace vmoodle::model
