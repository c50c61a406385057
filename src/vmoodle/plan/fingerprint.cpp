#include "vmoodle/plan/fingerprint.hpp"

#include <openssl/evp.h>

#include <fmt/format.h>

namespace vmoodle::plan {
namespace {

// Length-prefixed fields: no two different sequences of values digest alike.
void put(std::string& out, const std::string& value) {
  out += std::to_string(value.size());
  out += ':';
  out += value;
}

void put_template(std::string& out, const model::LiveState& live, const std::string& name) {
  const auto* tpl = live.find_template(name);
  put(out, "template");
  put(out, name);
  if (tpl != nullptr) {
    put(out, tpl->usable() ? "usable" : "incomplete");
    put(out, tpl->wwwroot);
    put(out, tpl->prefix);
  }
}

// Only the managed keys: a write to any other setting leaves saved plans valid.
std::string settings_digest(const model::Host& host, const model::LiveState& live,
                            const std::string& salt) {
  std::string data;
  put(data, salt);
  const auto* facts = live.settings_of(host.server, host.database);
  if (host.settings.empty() || facts == nullptr || !facts->read) {
    put(data, "not read");
    return sha256_hex(data);
  }
  auto value = [&data](const std::optional<std::string>& found) {
    put(data, found ? "=" + *found : std::string("absent"));
  };
  for (const auto& [name, wanted] : host.settings.config) {
    put(data, name);
    value(facts->config_value(name));
  }
  for (const auto& [key, wanted] : host.settings.plugins) {
    put(data, key.first);
    put(data, key.second);
    value(facts->plugin_value(key));
  }
  return sha256_hex(data);
}

} // namespace

std::string sha256_hex(const std::string& data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr);
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    hex += fmt::format("{:02x}", digest[i]);
  }
  return hex;
}

std::vector<std::string> Fingerprint::moved(const Fingerprint& other) const {
  std::vector<std::string> parts;
  if (registry != other.registry) {
    parts.emplace_back("registry row");
  }
  if (database != other.database) {
    parts.emplace_back("database");
  }
  if (dataroot != other.dataroot) {
    parts.emplace_back("dataroot");
  }
  if (templ != other.templ) {
    parts.emplace_back("template");
  }
  if (settings != other.settings) {
    parts.emplace_back("settings");
  }
  return parts;
}

Fingerprint host_fingerprint(const model::Host& host, const model::LiveState& live,
                             const std::string& salt) {
  std::string registry;
  put(registry, salt);
  for (const auto* row : live.rows_for(host.vhostname)) {
    for (const auto& value :
         {std::to_string(row->id), row->name, row->shortname, row->description, row->vhostname,
          row->vdbtype, row->vdbhost, row->vdblogin, row->vdbpass, row->vdbname, row->vdbprefix,
          std::to_string(row->vdbpersist), row->vdatapath, std::to_string(row->mnet),
          std::to_string(row->enabled), row->metadata}) {
      put(registry, value);
    }
  }
  std::string database;
  put(database, salt);
  if (const auto* db = live.database(host.server, host.database); db != nullptr) {
    put(database, db->exists ? "db" : "no db");
    put(database, db->charset);
    put(database, db->collation);
    put(database, db->comment);
    for (const auto& table : db->tables) {
      put(database, table.name);
      put(database, table.engine);
      put(database, table.collation);
      put(database, table.row_format);
    }
  }
  std::string dataroot;
  put(dataroot, salt);
  if (const auto* dir = live.dataroot(host.dataroot); dir != nullptr) {
    put(dataroot, fmt::format("dir {} {} {} {}", dir->exists, dir->is_dir, dir->is_symlink,
                              dir->escapes_root));
    put(dataroot, dir->creating_for);
  }
  std::string templ;
  put(templ, salt);
  if (host.template_name) {
    put_template(templ, live, *host.template_name);
  }
  return {sha256_hex(registry), sha256_hex(database), sha256_hex(dataroot), sha256_hex(templ),
          settings_digest(host, live, salt)};
}

Fingerprint template_fingerprint(const std::string& name, const model::LiveState& live,
                                 const std::string& salt) {
  std::string data;
  put(data, salt);
  put_template(data, live, name);
  Fingerprint print;
  print.templ = sha256_hex(data);
  return print;
}

std::map<std::string, Fingerprint> plan_fingerprints(const Plan& plan, const model::Fleet& fleet,
                                                     const model::LiveState& live,
                                                     const std::string& salt) {
  std::map<std::string, Fingerprint> out;
  for (const auto& change : plan.changes) {
    if (change.action == Action::snapshot) {
      out["snapshot." + change.snapshot] = template_fingerprint(change.snapshot, live, salt);
    } else if (const auto* host = fleet.find_host(change.vhostname); host != nullptr) {
      out[change.vhostname] = host_fingerprint(*host, live, salt);
    }
  }
  return out;
}

} // namespace vmoodle::plan
