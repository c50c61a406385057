#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "vmoodle/util/error.hpp"

namespace vmoodle::manifest {

/// Values of the placeholders a host's strings may use.
struct PlaceholderValues {
  std::string shortname; ///< `{shortname}`
  std::string vhost;     ///< `{vhost}`: first DNS label of the vhostname's host
};

/// Placeholder names (without braces) and their values, in the order error messages list them.
using PlaceholderTable = std::vector<std::pair<std::string, std::string>>;

/// `text` with every `{name}` of `values` replaced. An unknown `{name}` is an error whose
/// message names it and the known ones; a lone `{` or `}` is kept as written.
tl::expected<std::string, std::string> expand_placeholders(std::string_view text,
                                                           const PlaceholderTable& values);

/// `text` with every `{shortname}` and `{vhost}` replaced. An unknown `{name}` is an
/// error whose message names it; a lone `{` or `}` is kept as written.
tl::expected<std::string, std::string> expand_placeholders(std::string_view text,
                                                           const PlaceholderValues& values);

/// First DNS label of the host part of a vhostname: `kleber` for
/// `https://kleber.example.org:8443`; empty when there is no host part.
std::string first_dns_label(std::string_view vhostname);

} // namespace vmoodle::manifest
