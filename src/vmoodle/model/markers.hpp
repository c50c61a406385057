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

/// Registry `metadata` (unused by VMoodle's community code) of a host being destroyed:
/// written when the row is disabled, before anything is dropped, so that an
/// interrupted destroy is seen as such and finished without a second final snapshot.
inline constexpr const char* k_destroying_prefix = "vmoodle-apply: destroying";
inline std::string destroying_mark(const std::string& final_snapshot) {
  return std::string(k_destroying_prefix) + "; final snapshot " +
         (final_snapshot.empty() ? std::string("none") : final_snapshot);
}
/// True when `metadata` is a destroying mark.
inline bool is_destroying(const std::string& metadata) {
  return metadata.rfind(k_destroying_prefix, 0) == 0;
}
/// The final snapshot named in a destroying mark; empty for `none` or another text.
inline std::string final_snapshot_of(const std::string& metadata) {
  const std::string key = std::string(k_destroying_prefix) + "; final snapshot ";
  if (metadata.rfind(key, 0) != 0 || metadata.substr(key.size()) == "none") {
    return "";
  }
  return metadata.substr(key.size());
}

} // namespace vmoodle::model
