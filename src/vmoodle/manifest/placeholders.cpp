#include "vmoodle/manifest/placeholders.hpp"

namespace vmoodle::manifest {

tl::expected<std::string, std::string> expand_placeholders(std::string_view text,
                                                           const PlaceholderValues& values) {
  std::string out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto open = text.find('{', pos);
    if (open == std::string_view::npos) {
      out.append(text.substr(pos));
      break;
    }
    const auto close = text.find_first_of("{}", open + 1);
    if (close == std::string_view::npos || text[close] == '{') {
      // Not a placeholder (`{` without its `}`): keep the brace as written.
      out.append(text.substr(pos, open + 1 - pos));
      pos = open + 1;
      continue;
    }
    out.append(text.substr(pos, open - pos));
    const std::string_view name = text.substr(open + 1, close - open - 1);
    if (name == "shortname") {
      out += values.shortname;
    } else if (name == "vhost") {
      out += values.vhost;
    } else {
      return tl::unexpected("unknown placeholder `{" + std::string(name) +
                            "}` (known: {shortname}, {vhost})");
    }
    pos = close + 1;
  }
  return out;
}

std::string first_dns_label(std::string_view vhostname) {
  const auto scheme = vhostname.find("://");
  std::string_view rest =
      scheme == std::string_view::npos ? vhostname : vhostname.substr(scheme + 3);
  const auto end = rest.find_first_of(".:/");
  return std::string(rest.substr(0, end));
}

} // namespace vmoodle::manifest
