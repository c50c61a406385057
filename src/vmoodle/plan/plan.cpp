#include "vmoodle/plan/plan.hpp"

namespace vmoodle::plan {

const char* symbol(Action action) {
  switch (action) {
  case Action::create:
  case Action::snapshot:
    return "+";
  case Action::update:
  case Action::migrate:
    return "~";
  case Action::destroy:
    return "-";
  }
  return "?";
}

const char* name(Action action) {
  switch (action) {
  case Action::create:
    return "create";
  case Action::update:
    return "update";
  case Action::migrate:
    return "migrate";
  case Action::snapshot:
    return "snapshot";
  case Action::destroy:
    return "destroy";
  }
  return "?";
}

std::uint64_t Migration::bytes() const {
  std::uint64_t total = 0;
  for (const auto& table : tables) {
    total += table.bytes;
  }
  return total;
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
    case Action::migrate:
      ++summary.migrate;
      break;
    case Action::snapshot:
      ++summary.snapshot;
      break;
    case Action::destroy:
      ++summary.destroy;
      break;
    }
  }
  return summary;
}

} // namespace vmoodle::plan
