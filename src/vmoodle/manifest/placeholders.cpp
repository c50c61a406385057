#include "vmoodle/manifest/placeholders.hpp"

#include <algorithm>

namespace vmoodle::manifest {

tl::expected<std::string, std::string> expand_placeholders(std::string_view text,
                                                           const PlaceholderTable& values) {
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
    const auto known = std::find_if(values.begin(), values.end(),
                                    [&](const auto& entry) { return entry.first == name; });
    if (known == values.end()) {
      std::string names;
      for (const auto& entry : values) {
        names += (names.empty() ? "{" : ", {") + entry.first + "}";
      }
      return tl::unexpected("unknown placeholder `{" + std::string(name) + "}` (known: " + names +
                            ")");
    }
    out += known->second;
    pos = close + 1;
  }
  return out;
}

tl::expected<std::string, std::string> expand_placeholders(std::string_view text,
                                                           const PlaceholderValues& values) {
  return expand_placeholders(
      text, PlaceholderTable{{"shortname", values.shortname}, {"vhost", values.vhost}});
}

std::string first_dns_label(std::string_view vhostname) {
  const auto scheme = vhostname.find("://");
  std::string_view rest =
      scheme == std::string_view::npos ? vhostname : vhostname.substr(scheme + 3);
  const auto end = rest.find_first_of(".:/");
  return std::string(rest.substr(0, end));
}

} // namespace vmoodle::manifest
