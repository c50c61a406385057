#pragma once

#include <string>

#include "vmoodle/plan/plan.hpp"

namespace vmoodle::render {

/// The plan as one JSON document (`--format json`): `format_version`, `changes`
/// (per host: action, fields with before/after, sensitive ones as `(sensitive)`),
/// `unmanaged`, `warnings` and `summary`.
std::string plan_json(const plan::Plan& plan);

} // namespace vmoodle::render
