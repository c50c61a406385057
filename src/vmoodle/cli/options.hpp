#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace vmoodle::cli {

enum class Format { text, json, markdown };

/// Everything the command line can say, filled by CLI11.
struct Options {
  std::string manifest = "fleet.yaml";
  Format format = Format::text;
  std::vector<std::string> hosts;
  bool detailed_exitcode = false;
  bool auto_approve = false;
  int lock_timeout = 10;
  int parallelism = 4;
  int max_destroy = 5;
  /// `--replace snapshot.NAME`: names without the `snapshot.` prefix.
  std::vector<std::string> replace;
  std::string out;       ///< `plan --out FILE`
  std::string plan_file; ///< `apply FILE`, `show FILE`
  bool skip_stale = false;
  std::size_t max_bytes = 60000; ///< `--format markdown` size limit
  std::string rev;               ///< `--rev REV`: the manifest as committed at REV
  std::string base;              ///< `--base REF`: refuse a branch that lacks REF's head
  bool allow_dirty = false;      ///< `apply --allow-dirty`
};

} // namespace vmoodle::cli
