#include "vmoodle/importer/host_layout.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include <fmt/format.h>

#include "vmoodle/manifest/placeholders.hpp"

namespace vmoodle::importer {
namespace {

/// One manifest key: how each record's value can be written, and its rule.
struct Key {
  const char* name;
  std::function<std::vector<Scalar>(const HostRecord&, std::size_t)> ways;
  KeyRule rule;
};

// Groups records by password (compared, never written), names a variable per group,
// and returns each record's variable.
std::vector<std::string> group_passwords(const std::vector<HostRecord>& records,
                                         const ImportOptions& options, HostLayout& layout) {
  std::vector<std::size_t> group_of;
  std::vector<std::vector<std::size_t>> groups;
  std::map<std::string, std::size_t> by_password;
  for (std::size_t i = 0; i < records.size(); ++i) {
    auto [it, inserted] = by_password.emplace(records[i].password.reveal(), groups.size());
    if (inserted) {
      groups.emplace_back();
    }
    groups[it->second].push_back(i);
    group_of.push_back(it->second);
  }
  if (groups.empty()) {
    return {};
  }
  std::size_t largest = 0;
  for (std::size_t g = 1; g < groups.size(); ++g) {
    if (groups[g].size() > groups[largest].size()) {
      largest = g;
    }
  }
  // The default variable first, then the others in order of first use.
  std::vector<std::size_t> order{largest};
  for (std::size_t g = 0; g < groups.size(); ++g) {
    if (g != largest) {
      order.push_back(g);
    }
  }
  std::vector<std::string> names(groups.size());
  std::set<std::string> taken;
  for (std::size_t g : order) {
    const std::string base =
        g == largest ? options.password_env
                     : variable_name(options.password_env, records[groups[g].front()].shortname);
    std::string name = base;
    for (int n = 2; taken.count(name) != 0; ++n) {
      name = fmt::format("{}_{}", base, n);
    }
    taken.insert(name);
    names[g] = name;
    PasswordVariable variable{name, {}};
    for (std::size_t i : groups[g]) {
      variable.vhostnames.push_back(records[i].vhostname);
    }
    layout.passwords.push_back(std::move(variable));
  }
  if (auto empty = by_password.find(""); empty != by_password.end()) {
    layout.warnings.push_back(fmt::format(
        "{} host(s) have an empty password (vdbpass); a password variable cannot be empty, so "
        "plan will show a vdbpass change for them ({})",
        groups[empty->second].size(), names[empty->second]));
  }
  std::vector<std::string> variable_of;
  for (std::size_t g : group_of) {
    variable_of.push_back(names[g]);
  }
  return variable_of;
}

std::vector<Scalar> text(const std::string& value) {
  return {Scalar::string(value)};
}

} // namespace

std::string variable_name(const std::string& base, const std::string& shortname) {
  std::string suffix;
  for (char c : shortname) {
    if ((c >= 'a' && c <= 'z')) {
      suffix += static_cast<char>(c - 'a' + 'A');
    } else if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
      suffix += c;
    } else {
      suffix += '_';
    }
  }
  return base + "_" + suffix;
}

HostLayout lay_out(const std::vector<HostRecord>& records, const ImportOptions& options) {
  HostLayout layout;
  const std::vector<std::string> variable_names = group_passwords(records, options, layout);
  auto patterns = [](const std::string HostRecord::*field) {
    return [field](const HostRecord& r, std::size_t) {
      return placeholder_ways(r.*field, r.shortname, manifest::first_dns_label(r.vhostname));
    };
  };
  const std::vector<Key> keys = {
      {"server", [](const HostRecord& r, std::size_t) { return text(r.server); }, {}},
      {"database", patterns(&HostRecord::database), {}},
      {"prefix",
       [](const HostRecord& r, std::size_t) { return text(r.prefix); },
       {Scalar::string("mdl_"), true}},
      {"db_type",
       [](const HostRecord& r, std::size_t) { return text(r.db_type); },
       {Scalar::string("mariadb"), true}},
      {"db_user", patterns(&HostRecord::db_user), {}},
      {"db_password",
       [&](const HostRecord&, std::size_t i) {
         return std::vector<Scalar>{Scalar::env(variable_names[i])};
       },
       {}},
      {"db_persist",
       [](const HostRecord& r, std::size_t) {
         return std::vector<Scalar>{Scalar::boolean(r.db_persist)};
       },
       {Scalar::boolean(false)}},
      {"dataroot", patterns(&HostRecord::dataroot), {}},
      {"mnet",
       [](const HostRecord& r, std::size_t) {
         return std::vector<Scalar>{r.mnet.allocate_new ? Scalar::string("new")
                                                        : Scalar::integer(r.mnet.value)};
       },
       {Scalar::integer(-1)}},
      {"enabled",
       [](const HostRecord& r, std::size_t) {
         return std::vector<Scalar>{Scalar::boolean(r.enabled)};
       },
       {Scalar::boolean(true)}},
      {"template",
       [](const HostRecord& r, std::size_t) {
         return r.template_name.empty() ? std::vector<Scalar>{} : text(r.template_name);
       },
       {std::nullopt, false, true}},
  };

  layout.hosts.assign(records.size(), {});
  for (std::size_t i = 0; i < records.size(); ++i) {
    const HostRecord& r = records[i];
    Entries& host = layout.hosts[i];
    host.emplace_back("vhostname", Scalar::string(r.vhostname));
    host.emplace_back("shortname", Scalar::string(r.shortname));
    if (r.name != r.shortname) {
      host.emplace_back("name", Scalar::string(r.name));
    }
    if (!r.description.empty()) {
      host.emplace_back("description", Scalar::string(r.description));
    }
  }
  for (const Key& key : keys) {
    std::vector<std::vector<Scalar>> ways;
    for (std::size_t i = 0; i < records.size(); ++i) {
      ways.push_back(key.ways(records[i], i));
    }
    const Factored factored = factor(ways, key.rule);
    if (factored.default_value) {
      layout.defaults.emplace_back(key.name, *factored.default_value);
    }
    for (std::size_t i = 0; i < records.size(); ++i) {
      if (factored.per_host[i]) {
        layout.hosts[i].emplace_back(key.name, *factored.per_host[i]);
      }
    }
  }
  return layout;
}

} // namespace vmoodle::importer
