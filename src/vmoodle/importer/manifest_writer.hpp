#pragma once

#include <string>
#include <utility>
#include <vector>

#include "vmoodle/importer/factoring.hpp"
#include "vmoodle/model/fleet.hpp"

namespace vmoodle::importer {

/// Keys and values in the order they are written.
using Entries = std::vector<std::pair<std::string, Scalar>>;

/// A manifest's text: `comment` as `#` lines (control and line-separator characters
/// shown as escapes, so no value can end the comment), then `version: 1`, the
/// servers, master and dataroot_roots of `base`, `defaults`, and `hosts`. Strings are
/// written plain only when they cannot be read as anything else (identifiers, paths,
/// URLs), otherwise double-quoted with yaml-cpp's escapes; `env_ref` values as
/// `{env: NAME}`.
std::string write_manifest(const std::vector<std::string>& comment, const model::Fleet& base,
                           const Entries& defaults, const std::vector<Entries>& hosts);

/// `text` made safe for one `#` comment line.
std::string comment_text(const std::string& text);

} // namespace vmoodle::importer
