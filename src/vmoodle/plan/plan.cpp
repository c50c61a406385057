#include "vmoodle/plan/plan.hpp"

namespace vmoodle::plan {

const char* symbol(Action action) {
  switch (action) {
  case Action::create:
    return "+";
  case Action::update:
    return "~";
  }
  return "?";
}

const char* name(Action action) {
  switch (action) {
  case Action::create:
    return "create";
  case Action::update:
    return "update";
  }
  return "?";
}

Summary Plan::summary() const {
  Summary summary;
  for (const auto& change : changes) {
    switch (change.action) {
    case Action::create:
      ++summary.create;
      break;
    case Action::update:
      ++summary.update;
      break;
    }
  }
  return summary;
}

} // namespace vmoodle::plan
