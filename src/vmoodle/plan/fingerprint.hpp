#pragma once

#include <map>
#include <string>
#include <vector>

#include "vmoodle/model/fleet.hpp"
#include "vmoodle/model/live.hpp"
#include "vmoodle/plan/plan.hpp"

namespace vmoodle::plan {

/// SHA-256 of `data`, lower-case hex.
std::string sha256_hex(const std::string& data);

/// Digests of what live state says about one change's subject, part by part, so that
/// a stale plan can say what moved. Each is salted: the registry part covers the
/// password column and must reveal nothing of it.
struct Fingerprint {
  std::string registry; ///< every column of the host's registry rows
  std::string database; ///< existence, defaults, marks, each table's engine/collation/row format
  std::string dataroot; ///< existence, kind, creation mark
  std::string templ;    ///< the template the host is created from, or the snapshot's target
  std::string settings; ///< the live values (or absence) of the host's managed settings
  bool operator==(const Fingerprint&) const = default;
  /// Names of the parts that differ from `other` (`registry row`, `database`, …).
  std::vector<std::string> moved(const Fingerprint& other) const;
};

/// The fingerprint of `host`. Table sizes are left out: they move with every write.
Fingerprint host_fingerprint(const model::Host& host, const model::LiveState& live,
                             const std::string& salt);

/// The fingerprint of a snapshot change: the facts of template `name`.
Fingerprint template_fingerprint(const std::string& name, const model::LiveState& live,
                                 const std::string& salt);

/// The fingerprint of every change in `plan`, by change label (vhostname, or
/// `snapshot.NAME`).
std::map<std::string, Fingerprint> plan_fingerprints(const Plan& plan, const model::Fleet& fleet,
                                                     const model::LiveState& live,
                                                     const std::string& salt);

} // namespace vmoodle::plan
