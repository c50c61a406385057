#pragma once

#include <nlohmann/json.hpp>

#include "vmoodle/plan/plan.hpp"
#include "vmoodle/util/error.hpp"

namespace vmoodle::plan {

/// The plan as JSON (documented in schemas/plan.schema.json under `plan`). Holds no
/// secret: sensitive fields are `(sensitive)` already.
nlohmann::json to_json(const Plan& plan);

/// The plan back from to_json()'s form; an error names the first malformed member.
Result<Plan> plan_from_json(const nlohmann::json& doc);

} // namespace vmoodle::plan
