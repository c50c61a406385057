#include "vmoodle/apply/run_hooks.hpp"

#include <map>

#include <fmt/format.h>

#include "vmoodle/apply/timed_step.hpp"
#include "vmoodle/plan/hooks.hpp"
#include "vmoodle/render/hook_text.hpp"

namespace vmoodle::apply {
namespace {

constexpr const char* k_no_configuration = "No configuration for this host";
// Lines of a failed command's output put into the error.
constexpr std::size_t k_output_lines = 20;

/// The last lines of `output`, each indented under the error.
std::string output_tail(const platform::ProcessResult& result) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < result.output.size()) {
    auto end = result.output.find('\n', start);
    end = end == std::string::npos ? result.output.size() : end;
    lines.push_back(result.output.substr(start, end - start));
    start = end + 1;
  }
  if (lines.empty()) {
    return "\n    (no output)";
  }
  const std::size_t first = lines.size() > k_output_lines ? lines.size() - k_output_lines : 0;
  std::string out = first > 0 || result.truncated
                        ? fmt::format("\n    (output, last {} lines:)", lines.size() - first)
                        : std::string("\n    (output:)");
  for (std::size_t i = first; i < lines.size(); ++i) {
    out += "\n    | " + lines[i];
  }
  return out;
}

std::string failure_hint(const platform::ProcessResult& result, plan::HookPhase phase) {
  std::string hint;
  if (result.output.find(k_no_configuration) != std::string::npos) {
    hint = "VMoodle found no registry row whose vhostname is exactly the --host given "
           "(scheme, case, no trailing slash); ";
  }
  if (phase == plan::HookPhase::before) {
    return hint + "nothing was changed; fix the hook or the host and run apply again";
  }
  return hint + "the change itself is done and its hook is not run again by a later apply: "
                "fix the cause and run the command by hand";
}

} // namespace

std::optional<std::string> hook_failure(const platform::ProcessResult& result) {
  if (result.timed_out) {
    return std::string("timed out and was stopped");
  }
  if (result.signal != 0) {
    return fmt::format("was killed by signal {}", result.signal);
  }
  if (result.exit_code != 0) {
    return fmt::format("exited with status {}", result.exit_code);
  }
  if (result.output.find(k_no_configuration) != std::string::npos) {
    return std::string("printed VMoodle's \"") + k_no_configuration + "\" (it exits 0 then)";
  }
  return std::nullopt;
}

Status run_hooks(const plan::HostChange& change, const ActionContext& ctx) {
  Effects effects = ctx.effects;
  const auto point = plan::hook_point(change.action);
  const auto phase = point ? point->phase : plan::HookPhase::after;
  std::map<std::string, std::size_t> seen; // numbered per hook name, as the plan shows them
  for (const auto& run : change.hooks) {
    const std::string step = render::hook_step(run, seen[run.hook]++);
    VM_TRY(timed_step(effects, change.vhostname, step, [&]() -> Status {
      const std::string command = render::argv_text(run.argv);
      auto result = effects.processes.run(run.argv, run.timeout_seconds);
      if (!result) {
        Error error = result.error();
        error.message = "`" + command + "`: " + error.message;
        return tl::unexpected(std::move(error));
      }
      if (auto why = hook_failure(*result)) {
        if (result->timed_out) {
          *why = fmt::format("timed out after {}s and was stopped", run.timeout_seconds);
        }
        return fail(ErrorKind::io, "`" + command + "` " + *why + output_tail(*result), "",
                    failure_hint(*result, phase));
      }
      return {};
    }));
  }
  return {};
}

Status with_hooks(const plan::HostChange& change, const ActionContext& ctx,
                  const std::function<Status()>& action) {
  const auto point = plan::hook_point(change.action);
  if (point && point->phase == plan::HookPhase::before) {
    VM_TRY(run_hooks(change, ctx));
  }
  VM_TRY(action());
  if (point && point->phase == plan::HookPhase::after) {
    VM_TRY(run_hooks(change, ctx));
  }
  return {};
}

} // namespace vmoodle::apply
