#pragma once

#include <map>
#include <string>
#include <vector>

#include "vmoodle/plan/fingerprint.hpp"
#include "vmoodle/plan/plan.hpp"

namespace vmoodle::plan {

/// Where the manifest came from when the plan was made.
struct ManifestOrigin {
  std::string path;   ///< absolute path of the manifest file
  std::string sha256; ///< digest of the manifest text planned from
  std::string commit; ///< git commit holding it; empty outside a repository
  std::string rev;    ///< `--rev` given, empty for the working tree
  bool dirty = false; ///< the working-tree file differed from the commit
};

/// A plan saved by `plan --out FILE` (schemas/plan.schema.json): what was planned,
/// from which manifest, with which options, and fingerprints of the live state it saw.
/// It holds no secret: sensitive fields are `(sensitive)`, fingerprints are salted.
struct SavedPlan {
  std::string tool_version;
  ManifestOrigin manifest;
  std::vector<std::string> hosts;   ///< `--host`
  std::vector<std::string> replace; ///< `--replace` snapshot names
  int max_destroy = 5;
  std::string salt;
  std::map<std::string, Fingerprint> fingerprints; ///< by change label
  Plan plan;
};

/// The file's JSON text.
std::string saved_plan_text(const SavedPlan& saved);

/// Parses a plan file; errors say what is wrong and that the file must come from
/// `vmoodle-apply plan --out`.
Result<SavedPlan> parse_saved_plan(const std::string& text, const std::string& file);

/// One change whose live state moved since the plan was made.
struct StaleChange {
  std::size_t index;              ///< in SavedPlan::plan.changes
  std::string label;              ///< vhostname or snapshot.NAME
  std::vector<std::string> moved; ///< `registry row`, `database`, … or `plan`
};

/// Compares the saved fingerprints and changes with `now` (fingerprints computed with
/// the saved salt on fresh live state) and `replanned` (the plan made again from the
/// same manifest and fresh state). A change is stale when its fingerprint moved or
/// when planning again gives another change for it.
std::vector<StaleChange> stale_changes(const SavedPlan& saved,
                                       const std::map<std::string, Fingerprint>& now,
                                       const Plan& replanned);

} // namespace vmoodle::plan
