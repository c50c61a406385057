#include "vmoodle/model/fleet.hpp"

namespace vmoodle::model {

std::string SecretRef::describe() const {
  return (source == Source::env ? "env " : "file ") + name;
}

std::string Server::describe() const {
  if (!socket.empty()) {
    return name + " (" + socket + ")";
  }
  return name + " (" + host + ":" + std::to_string(port) + ")";
}

Location Host::where(const std::string& key) const {
  auto it = key_locs.find(key);
  return it == key_locs.end() ? loc : it->second;
}

const Host* Fleet::find_host(const std::string& vhostname) const {
  for (const auto& host : hosts) {
    if (host.vhostname == vhostname) {
      return &host;
    }
  }
  return nullptr;
}

const Server* Fleet::find_server(const std::string& name) const {
  auto it = servers.find(name);
  return it == servers.end() ? nullptr : &it->second;
}

} // namespace vmoodle::model
