// `hooks:` of a host: defaults merged per hook name, placeholders expanded.
#include "vmoodle/manifest/resolve_hooks.hpp"

#include "vmoodle/manifest/placeholders.hpp"

namespace vmoodle::manifest {
namespace {

using nlohmann::json;

class HookResolver {
public:
  HookResolver(const model::Host& host, ResolveContext& ctx)
      : m_values{{"vhostname", host.vhostname},
                 {"shortname", host.shortname},
                 {"database", host.database},
                 {"dataroot", host.dataroot}},
        m_ctx(ctx) {}

  /// The commands of one hook written at `at` (a list, as the schema checked).
  std::vector<model::HookCommand> commands(const json& list, const JsonPath& at) {
    std::vector<model::HookCommand> out;
    if (!list.is_array()) {
      return out;
    }
    for (std::size_t i = 0; i < list.size(); ++i) {
      JsonPath item_at = at;
      item_at.push_back(PathSegment::item(static_cast<int>(i)));
      if (auto command = one(list[i], item_at)) {
        out.push_back(std::move(*command));
      }
    }
    return out;
  }

private:
  std::optional<model::HookCommand> one(const json& item, JsonPath at) {
    model::HookCommand command;
    command.loc = m_ctx.source.at(at);
    const json* argv = &item;
    if (item.is_object()) {
      command.timeout_seconds = item.value("timeout", k_default_hook_timeout);
      argv = item.contains("argv") ? &item.at("argv") : nullptr;
      at.push_back(PathSegment::field("argv"));
    }
    if (argv == nullptr || !argv->is_array() || argv->empty()) {
      return std::nullopt; // the schema reported it
    }
    bool ok = true;
    for (std::size_t i = 0; i < argv->size(); ++i) {
      JsonPath arg_at = at;
      arg_at.push_back(PathSegment::item(static_cast<int>(i)));
      if (!(*argv)[i].is_string()) {
        return std::nullopt;
      }
      auto expanded = expand_placeholders((*argv)[i].get<std::string>(), m_values);
      if (!expanded) {
        m_ctx.diags.add(m_ctx.source.at(arg_at), expanded.error(),
                        "use one of those, or remove the braces");
        ok = false;
        continue;
      }
      command.argv.push_back(std::move(*expanded));
    }
    if (!ok) {
      return std::nullopt;
    }
    const std::string& program = command.argv.front();
    if (program.empty() || (program.front() != '/' && program.find('/') != std::string::npos)) {
      JsonPath program_at = at;
      program_at.push_back(PathSegment::item(0));
      m_ctx.diags.add(m_ctx.source.at(program_at),
                      "hook program `" + program + "` is neither an absolute path nor a name",
                      "write an absolute path such as /usr/bin/php, or a name found on PATH "
                      "such as php");
      return std::nullopt;
    }
    return command;
  }

  PlaceholderTable m_values;
  ResolveContext& m_ctx;
};

} // namespace

std::map<std::string, std::vector<model::HookCommand>>
resolve_hooks(const nlohmann::json& entry, const nlohmann::json& defaults, int index,
              const model::Host& host, ResolveContext& ctx) {
  std::map<std::string, std::vector<model::HookCommand>> out;
  HookResolver resolver(host, ctx);
  const JsonPath host_at = {PathSegment::field("hosts"), PathSegment::item(index),
                            PathSegment::field("hooks")};
  const JsonPath defaults_at = {PathSegment::field("defaults"), PathSegment::field("hooks")};
  for (const char* name : model::k_hook_names) {
    const json* own = entry.contains("hooks") ? &entry.at("hooks") : nullptr;
    const json* inherited =
        defaults.is_object() && defaults.contains("hooks") ? &defaults.at("hooks") : nullptr;
    JsonPath at;
    const json* list = nullptr;
    if (own != nullptr && own->is_object() && own->contains(name)) {
      list = &own->at(name);
      at = host_at;
    } else if (inherited != nullptr && inherited->is_object() && inherited->contains(name)) {
      list = &inherited->at(name);
      at = defaults_at;
    } else {
      continue;
    }
    at.push_back(PathSegment::field(name));
    auto commands = resolver.commands(*list, at);
    if (!commands.empty()) {
      out[name] = std::move(commands);
    }
  }
  return out;
}

} // namespace vmoodle::manifest
