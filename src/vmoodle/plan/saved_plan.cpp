#include "vmoodle/plan/saved_plan.hpp"

#include <nlohmann/json.hpp>

#include "vmoodle/plan/plan_codec.hpp"

namespace vmoodle::plan {
namespace {

using nlohmann::json;

constexpr int k_format_version = 1;

json fingerprint_json(const Fingerprint& print) {
  return {{"registry", print.registry},
          {"database", print.database},
          {"dataroot", print.dataroot},
          {"template", print.templ},
          {"settings", print.settings}};
}

// A change as JSON, for comparing what was planned with what would be planned now.
std::string change_key(const Plan& plan, std::size_t index) {
  Plan one;
  one.changes.push_back(plan.changes[index]);
  one.changes.back().depends_on.clear();
  return to_json(one)["changes"][0].dump();
}

} // namespace

std::string saved_plan_text(const SavedPlan& saved) {
  json prints = json::object();
  for (const auto& [label, print] : saved.fingerprints) {
    prints[label] = fingerprint_json(print);
  }
  json doc = {
      {"format_version", k_format_version},
      {"tool_version", saved.tool_version},
      {"manifest",
       {{"path", saved.manifest.path},
        {"sha256", saved.manifest.sha256},
        {"commit", saved.manifest.commit},
        {"rev", saved.manifest.rev},
        {"dirty", saved.manifest.dirty}}},
      {"options",
       {{"hosts", saved.hosts}, {"replace", saved.replace}, {"max_destroy", saved.max_destroy}}},
      {"salt", saved.salt},
      {"fingerprints", std::move(prints)},
      {"plan", to_json(saved.plan)}};
  return doc.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

Result<SavedPlan> parse_saved_plan(const std::string& text, const std::string& file) {
  const std::string hint = "use a file written by `vmoodle-apply plan --out FILE`";
  json doc = json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    return fail(ErrorKind::usage, "not a JSON plan file", file, hint);
  }
  if (doc.value("format_version", 0) != k_format_version) {
    return fail(ErrorKind::usage,
                "plan file format " + doc.value("format_version", json(0)).dump() +
                    " is not supported (expected " + std::to_string(k_format_version) + ")",
                file, "make the plan again with this version of vmoodle-apply");
  }
  try {
    SavedPlan saved;
    saved.tool_version = doc.value("tool_version", "");
    const auto& manifest = doc.at("manifest");
    saved.manifest.path = manifest.at("path").get<std::string>();
    saved.manifest.sha256 = manifest.at("sha256").get<std::string>();
    saved.manifest.commit = manifest.value("commit", "");
    saved.manifest.rev = manifest.value("rev", "");
    saved.manifest.dirty = manifest.value("dirty", false);
    const auto& options = doc.at("options");
    saved.hosts = options.value("hosts", std::vector<std::string>{});
    saved.replace = options.value("replace", std::vector<std::string>{});
    saved.max_destroy = options.value("max_destroy", 5);
    saved.salt = doc.at("salt").get<std::string>();
    for (const auto& [label, print] : doc.at("fingerprints").items()) {
      saved.fingerprints[label] = {print.value("registry", ""), print.value("database", ""),
                                   print.value("dataroot", ""), print.value("template", ""),
                                   print.value("settings", "")};
    }
    auto plan = plan_from_json(doc.at("plan"));
    if (!plan) {
      Error error = plan.error();
      error.where = file;
      error.hint = hint;
      return tl::unexpected(std::move(error));
    }
    saved.plan = std::move(*plan);
    return saved;
  } catch (const json::exception& e) {
    return fail(ErrorKind::usage, std::string("malformed plan file: ") + e.what(), file, hint);
  }
}

std::vector<StaleChange> stale_changes(const SavedPlan& saved,
                                       const std::map<std::string, Fingerprint>& now,
                                       const Plan& replanned) {
  // A host can have several changes (an update and a migration): match on the action too.
  std::map<std::pair<std::string, Action>, std::size_t> replanned_by_label;
  for (std::size_t i = 0; i < replanned.changes.size(); ++i) {
    replanned_by_label[{label(replanned.changes[i]), replanned.changes[i].action}] = i;
  }
  std::vector<StaleChange> stale;
  for (std::size_t i = 0; i < saved.plan.changes.size(); ++i) {
    const std::string name = label(saved.plan.changes[i]);
    StaleChange entry{i, name, {}};
    auto then = saved.fingerprints.find(name);
    auto current = now.find(name);
    if (then == saved.fingerprints.end() || current == now.end()) {
      entry.moved.emplace_back("fingerprint missing");
    } else {
      entry.moved = then->second.moved(current->second);
    }
    if (entry.moved.empty()) {
      auto again = replanned_by_label.find({name, saved.plan.changes[i].action});
      if (again == replanned_by_label.end() ||
          change_key(replanned, again->second) != change_key(saved.plan, i)) {
        entry.moved.emplace_back("plan");
      }
    }
    if (!entry.moved.empty()) {
      stale.push_back(std::move(entry));
    }
  }
  return stale;
}

} // namespace vmoodle::plan
