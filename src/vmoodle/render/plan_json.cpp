#include "vmoodle/render/plan_json.hpp"

#include "vmoodle/plan/plan_codec.hpp"

namespace vmoodle::render {

std::string plan_json(const plan::Plan& plan) {
  return plan::to_json(plan).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

} // namespace vmoodle::render
