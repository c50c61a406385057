#include "vmoodle/apply/timed_step.hpp"

namespace vmoodle::apply {

Status timed_step(Effects& effects, const std::string& host, const std::string& step,
                  const std::function<Status()>& body) {
  const auto started = effects.clock.monotonic_ms();
  auto result = body();
  if (!result) {
    Error error = result.error();
    error.in(host + " (" + step + ")");
    effects.reporter.step_failed(host, step, error.render());
    return tl::unexpected(std::move(error));
  }
  effects.reporter.step_done(host, step, effects.clock.monotonic_ms() - started);
  return {};
}

} // namespace vmoodle::apply
