#pragma once

#include <functional>
#include <string>

#include "vmoodle/apply/effects.hpp"

namespace vmoodle::apply {

/// Runs `body` as step `step` of `host`, reporting its elapsed time or its failure.
/// A failure comes back with `host` and the step in its `where`.
Status timed_step(Effects& effects, const std::string& host, const std::string& step,
                  const std::function<Status()>& body);

} // namespace vmoodle::apply
