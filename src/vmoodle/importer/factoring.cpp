#include "vmoodle/importer/factoring.hpp"

#include <algorithm>
#include <map>

namespace vmoodle::importer {
namespace {

void add_unique(std::vector<Scalar>& ways, Scalar way) {
  if (std::find(ways.begin(), ways.end(), way) == ways.end()) {
    ways.push_back(std::move(way));
  }
}

// `value` with `needle` replaced by `placeholder`: everywhere, only the first
// occurrence, only the last. Each expands back to `value`.
void add_replacements(std::vector<Scalar>& ways, const std::string& value,
                      const std::string& needle, const std::string& placeholder) {
  if (needle.empty() || value.find(needle) == std::string::npos) {
    return;
  }
  std::string all;
  std::size_t pos = 0;
  for (auto hit = value.find(needle); hit != std::string::npos; hit = value.find(needle, pos)) {
    all += value.substr(pos, hit - pos) + placeholder;
    pos = hit + needle.size();
  }
  all += value.substr(pos);
  add_unique(ways, Scalar::string(all));
  const auto first = value.find(needle);
  add_unique(ways, Scalar::string(value.substr(0, first) + placeholder +
                                  value.substr(first + needle.size())));
  const auto last = value.rfind(needle);
  add_unique(ways, Scalar::string(value.substr(0, last) + placeholder +
                                  value.substr(last + needle.size())));
}

bool fits(const std::vector<Scalar>& ways, const Scalar& value) {
  return std::find(ways.begin(), ways.end(), value) != ways.end();
}

} // namespace

std::vector<Scalar> placeholder_ways(const std::string& value, const std::string& shortname,
                                     const std::string& vhost) {
  std::vector<Scalar> ways{Scalar::string(value)};
  add_replacements(ways, value, shortname, "{shortname}");
  add_replacements(ways, value, vhost, "{vhost}");
  return ways;
}

Factored factor(const std::vector<std::vector<Scalar>>& ways, const KeyRule& rule) {
  // Count, for each way of writing, how many hosts it fits; remember first sight
  // so that ties go to the earliest host and the output is stable.
  std::map<Scalar, std::pair<std::size_t, std::size_t>> fit; // way → (count, first seen)
  std::size_t seen = 0;
  std::size_t with_value = 0;
  for (const auto& host_ways : ways) {
    with_value += host_ways.empty() ? 0 : 1;
    for (const auto& way : host_ways) {
      auto [it, inserted] = fit.emplace(way, std::make_pair(std::size_t{0}, seen++));
      ++it->second.first;
    }
  }
  std::optional<Scalar> best;
  std::size_t best_count = 0;
  std::size_t best_seen = 0;
  for (const auto& [way, stats] : fit) {
    if (!best || stats.first > best_count ||
        (stats.first == best_count && stats.second < best_seen)) {
      best = way;
      best_count = stats.first;
      best_seen = stats.second;
    }
  }
  if (rule.builtin && best) {
    auto builtin = fit.find(*rule.builtin);
    if (builtin != fit.end() && builtin->second.first == best_count) {
      best = rule.builtin;
    }
  }
  if (rule.unanimous_only && (best_count != ways.size() || with_value != ways.size())) {
    best.reset();
  }

  Factored out;
  if (best && (rule.always_default || !rule.builtin || *best != *rule.builtin)) {
    out.default_value = best;
  }
  const std::optional<Scalar> effective = out.default_value ? out.default_value : rule.builtin;
  for (const auto& host_ways : ways) {
    if (host_ways.empty() || (effective && fits(host_ways, *effective))) {
      out.per_host.emplace_back();
    } else {
      out.per_host.emplace_back(host_ways.front());
    }
  }
  return out;
}

} // namespace vmoodle::importer
