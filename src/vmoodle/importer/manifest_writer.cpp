#include "vmoodle/importer/manifest_writer.hpp"

#include <regex>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

namespace vmoodle::importer {
namespace {

// Plain only for what YAML 1.1 and 1.2 both read as this very string: no leading
// digit, sign, `.` or indicator, no `: ` or ` #`, and no word YAML 1.1 reads as a
// boolean or null (`yes`, `off`, `null`...).
bool plain_is_safe(const std::string& value) {
  static const std::regex k_safe("^[A-Za-z/][A-Za-z0-9_./:+-]*$");
  static const std::regex k_reserved("^(y|n|yes|no|on|off|true|false|null)$", std::regex::icase);
  return std::regex_match(value, k_safe) && !std::regex_match(value, k_reserved) &&
         value.back() != ':';
}

void emit_string(YAML::Emitter& out, const std::string& value) {
  if (plain_is_safe(value)) {
    out << value;
  } else {
    out << YAML::DoubleQuoted << value;
  }
}

void emit_scalar(YAML::Emitter& out, const Scalar& value) {
  switch (value.kind) {
  case Scalar::Kind::string:
    emit_string(out, value.text);
    break;
  case Scalar::Kind::integer:
    out << std::stoll(value.text);
    break;
  case Scalar::Kind::boolean:
    out << (value.text == "true");
    break;
  case Scalar::Kind::env_ref:
    out << YAML::Flow << YAML::BeginMap << YAML::Key << "env" << YAML::Value;
    emit_string(out, value.text);
    out << YAML::EndMap;
    break;
  }
}

void emit_secret(YAML::Emitter& out, const model::SecretRef& ref) {
  out << YAML::Flow << YAML::BeginMap << YAML::Key
      << (ref.source == model::SecretRef::Source::env ? "env" : "file") << YAML::Value;
  emit_string(out, ref.name);
  out << YAML::EndMap;
}

void emit_entries(YAML::Emitter& out, const Entries& entries) {
  out << YAML::BeginMap;
  for (const auto& [key, value] : entries) {
    out << YAML::Key << key << YAML::Value;
    emit_scalar(out, value);
  }
  out << YAML::EndMap;
}

void emit_entries_under(YAML::Emitter& out, const char* key, const Entries& entries) {
  out << YAML::Key << key << YAML::Value;
  emit_entries(out, entries);
}

void emit_server(YAML::Emitter& out, const model::Server& server) {
  out << YAML::BeginMap;
  if (server.socket.empty()) {
    out << YAML::Key << "host" << YAML::Value;
    emit_string(out, server.host);
    if (server.port != 3306) {
      out << YAML::Key << "port" << YAML::Value << server.port;
    }
  } else {
    out << YAML::Key << "socket" << YAML::Value;
    emit_string(out, server.socket);
  }
  out << YAML::Key << "user" << YAML::Value;
  emit_string(out, server.user);
  if (server.password) {
    out << YAML::Key << "password" << YAML::Value;
    emit_secret(out, *server.password);
  }
  if (server.registry_host != (server.host.empty() ? "localhost" : server.host)) {
    out << YAML::Key << "registry_host" << YAML::Value;
    emit_string(out, server.registry_host);
  }
  if (server.max_parallel != 4) {
    out << YAML::Key << "max_parallel" << YAML::Value << server.max_parallel;
  }
  out << YAML::EndMap;
}

void emit_base(YAML::Emitter& out, const model::Fleet& base) {
  out << YAML::Key << "version" << YAML::Value << 1;
  out << YAML::Key << "servers" << YAML::Value << YAML::BeginMap;
  for (const auto& [name, server] : base.servers) {
    out << YAML::Key;
    emit_string(out, name);
    out << YAML::Value;
    emit_server(out, server);
  }
  out << YAML::EndMap;
  emit_entries_under(out, "master",
                     {{"server", Scalar::string(base.master.server)},
                      {"database", Scalar::string(base.master.database)},
                      {"prefix", Scalar::string(base.master.prefix)},
                      {"dataroot", Scalar::string(base.master.dataroot)},
                      {"wwwroot", Scalar::string(base.master.wwwroot)}});
  out << YAML::Key << "dataroot_roots" << YAML::Value << YAML::BeginSeq;
  for (const auto& root : base.dataroot_roots) {
    emit_string(out, root);
  }
  out << YAML::EndSeq;
}

} // namespace

std::string comment_text(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    // U+0085, U+2028 and U+2029 end a line for some YAML 1.1 readers.
    if (c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0x85) {
      out += "\\u0085";
      ++i;
    } else if (c == 0xE2 && i + 2 < text.size() &&
               static_cast<unsigned char>(text[i + 1]) == 0x80 &&
               (static_cast<unsigned char>(text[i + 2]) == 0xA8 ||
                static_cast<unsigned char>(text[i + 2]) == 0xA9)) {
      out += fmt::format("\\u{:04X}", 0x2000 + static_cast<unsigned char>(text[i + 2]) - 0x80);
      i += 2;
    } else if (c < 0x20 || c == 0x7F) {
      out += fmt::format("\\x{:02X}", c);
    } else {
      out += text[i];
    }
  }
  return out;
}

std::string write_manifest(const std::vector<std::string>& comment, const model::Fleet& base,
                           const Entries& defaults, const std::vector<Entries>& hosts) {
  std::string text;
  for (const auto& line : comment) {
    text += line.empty() ? "#\n" : "# " + comment_text(line) + "\n";
  }
  YAML::Emitter out;
  out << YAML::BeginMap;
  emit_base(out, base);
  if (!defaults.empty()) {
    emit_entries_under(out, "defaults", defaults);
  }
  out << YAML::Key << "hosts" << YAML::Value;
  if (hosts.empty()) {
    out << YAML::Flow << YAML::BeginSeq << YAML::EndSeq;
  } else {
    out << YAML::BeginSeq;
    for (const auto& host : hosts) {
      emit_entries(out, host);
    }
    out << YAML::EndSeq;
  }
  out << YAML::EndMap;
  return text + out.c_str() + "\n";
}

} // namespace vmoodle::importer
