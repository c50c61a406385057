#include "vmoodle/plan/plan.hpp"

namespace vmoodle::plan {

const char* symbol(Action action) {
  switch (action) {
  case Action::create:
  case Action::snapshot:
    return "+";
  case Action::update:
  case Action::migrate:
  case Action::configure:
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
  case Action::configure:
    return "configure";
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

std::string label(const HostChange& change) {
  return change.action == Action::snapshot ? "snapshot." + change.snapshot : change.vhostname;
}

Plan Plan::without(const std::vector<std::size_t>& dropped,
                   std::vector<std::string>* also_dropped) const {
  std::vector<bool> drop(changes.size(), false);
  for (std::size_t index : dropped) {
    drop[index] = true;
  }
  // Changes come after their dependencies, so one pass carries drops forward.
  for (std::size_t i = 0; i < changes.size(); ++i) {
    for (std::size_t dep : changes[i].depends_on) {
      if (drop[dep] && !drop[i]) {
        drop[i] = true;
        if (also_dropped != nullptr) {
          also_dropped->push_back(label(changes[i]));
        }
      }
    }
  }
  Plan kept;
  kept.unmanaged = unmanaged;
  kept.warnings = warnings;
  std::vector<std::size_t> position(changes.size());
  for (std::size_t i = 0; i < changes.size(); ++i) {
    if (drop[i]) {
      continue;
    }
    position[i] = kept.changes.size();
    HostChange change = changes[i];
    for (auto& dep : change.depends_on) {
      dep = position[dep];
    }
    kept.changes.push_back(std::move(change));
  }
  return kept;
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
    case Action::configure:
      ++summary.configure;
      break;
    }
  }
  return summary;
}

} // namespace vmoodle::plan
