#include "vmoodle/manifest/diagnostics.hpp"

#include <algorithm>
#include <numeric>
#include <set>
#include <utility>

#include <nlohmann/json.hpp>

namespace vmoodle::manifest {

void Diagnostics::add(const Location& loc, std::string message, std::string hint) {
  m_errors.push_back(
      Error{ErrorKind::manifest, std::move(message), loc.render(), std::move(hint), {}});
  m_positions.push_back(Position{loc.line, loc.column});
}

Error Diagnostics::to_error(const std::string& file) const {
  std::vector<std::size_t> order(m_errors.size());
  std::iota(order.begin(), order.end(), 0);
  // Reading order: an operator fixes a manifest top to bottom. Errors without a
  // position (whole-file problems) come first.
  std::stable_sort(order.begin(), order.end(), [this](std::size_t a, std::size_t b) {
    const auto& pa = m_positions[a];
    const auto& pb = m_positions[b];
    return std::pair(pa.line, pa.column) < std::pair(pb.line, pb.column);
  });
  Error out{ErrorKind::manifest, {}, {}, {}, {}};
  // The same defaults value can fail for several hosts in the same way: say it once.
  std::set<std::pair<std::string, std::string>> seen;
  for (std::size_t index : order) {
    const Error& error = m_errors[index];
    if (seen.insert({error.where, error.message}).second) {
      out.causes.push_back(error);
    }
  }
  const std::size_t count = out.causes.size();
  out.message = file + ": " + std::to_string(count) + (count == 1 ? " error" : " errors") +
                " in the manifest";
  return out;
}

std::string shown(const std::string& value) {
  return nlohmann::json(value).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

} // namespace vmoodle::manifest
