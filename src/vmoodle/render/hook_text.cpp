#include "vmoodle/render/hook_text.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "vmoodle/render/plan_text.hpp"

namespace vmoodle::render {
namespace {

bool is_plain(const std::string& arg) {
  return !arg.empty() && std::all_of(arg.begin(), arg.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           std::string_view("_@%+=:,./-{}").find(c) != std::string_view::npos;
  });
}

} // namespace

std::string argv_text(const std::vector<std::string>& argv) {
  std::string out;
  for (const auto& arg : argv) {
    out += (out.empty() ? "" : " ") + (is_plain(arg) ? arg : quoted(arg));
  }
  return out;
}

std::string hook_step(const plan::HookRun& run, std::size_t i) {
  return fmt::format("hook {}[{}]", run.hook, i + 1);
}

std::string hook_lines(const plan::HostChange& change, const std::string& indent) {
  std::string out;
  std::map<std::string, std::size_t> seen; // numbered per hook name
  for (const auto& run : change.hooks) {
    out += fmt::format("{}{} = {}", indent, hook_step(run, seen[run.hook]++), argv_text(run.argv));
    if (run.timeout_seconds != 600) {
      out += fmt::format(" (timeout {}s)", run.timeout_seconds);
    }
    out += "\n";
  }
  return out;
}

} // namespace vmoodle::render
