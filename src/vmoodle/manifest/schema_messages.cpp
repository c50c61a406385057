// Wording of schema violations. valijson says "Value type not permitted by 'type'
// constraint."; an operator needs "expected an integer, found the string "3306"" at
// the line that holds it. The schema itself supplies the expected types, allowed
// keys, bounds and the custom `errorMessage` of patterns.
#include "vmoodle/manifest/schema_validation.hpp"

#include <map>
#include <set>

#include "vmoodle/manifest/schema_lookup.hpp"
#include "vmoodle/manifest/suggest.hpp"

namespace vmoodle::manifest {

namespace {

using nlohmann::json;

bool starts_with(const std::string& text, const std::string& prefix) {
  return text.compare(0, prefix.size(), prefix) == 0;
}

// A plain-string password must never be echoed back, not even in an error.
bool is_secret_value(const JsonPath& path) {
  return !path.empty() && !path.back().is_index() &&
         (path.back().key == "password" || path.back().key == "db_password");
}

std::string quoted(const json& value) {
  std::string text = value.dump(-1, ' ', false, json::error_handler_t::replace);
  if (text.size() > 64) {
    // Cut at a character boundary: half a UTF-8 sequence in an error is invalid text
    // (found by fuzz/manifest_fuzz.cpp).
    std::size_t cut = 60;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) {
      --cut;
    }
    text = text.substr(0, cut) + "...\"";
  }
  return text;
}

std::string found(const json& value, bool secret) {
  switch (value.type()) {
  case json::value_t::string:
    return secret ? "a string" : "the string " + quoted(value);
  case json::value_t::number_integer:
  case json::value_t::number_unsigned:
    return "the integer " + value.dump();
  case json::value_t::number_float:
    return "the number " + value.dump();
  case json::value_t::boolean:
    return value.get<bool>() ? "true" : "false";
  case json::value_t::array:
    return "a list";
  case json::value_t::object:
    return "a mapping";
  default:
    return "an empty value";
  }
}

std::string type_name(const std::string& type) {
  static const std::map<std::string, std::string> k_names = {
      {"integer", "an integer"},    {"number", "a number"},  {"string", "a string"},
      {"boolean", "true or false"}, {"object", "a mapping"}, {"array", "a list"},
      {"null", "an empty value"}};
  auto it = k_names.find(type);
  return it == k_names.end() ? type : it->second;
}

std::string expected_types(const json* node) {
  if (node == nullptr || !node->contains("type")) {
    return "another type";
  }
  const json& type = node->at("type");
  if (type.is_string()) {
    return type_name(type.get<std::string>());
  }
  std::string out;
  for (const auto& each : type) {
    out += (out.empty() ? "" : " or ") + type_name(each.get<std::string>());
  }
  return out;
}

std::vector<std::string> property_names(const json* node) {
  std::vector<std::string> out;
  if (node != nullptr && node->contains("properties")) {
    for (const auto& [name, ignored] : node->at("properties").items()) {
      out.push_back(name);
    }
  }
  return out;
}

std::string join(const std::vector<std::string>& names, const std::string& separator = ", ") {
  std::string out;
  for (const auto& name : names) {
    out += (out.empty() ? "" : separator) + name;
  }
  return out;
}

std::string parent_key(const JsonPath& path) {
  return path.empty() || path.back().is_index() ? std::string() : path.back().key;
}

class Reporter {
public:
  Reporter(const json& schema, const json& doc, const SourceMap& source, Diagnostics& diags)
      : m_schema(schema), m_doc(doc), m_source(source), m_diags(diags) {}

  void report(const std::vector<SchemaViolation>& violations) {
    // A failed `oneOf: [{required: [host]}, {required: [socket]}]` also reports each
    // branch's missing key; the summary says it better, so those are dropped.
    std::map<std::string, std::set<std::string>> covered;
    for (const auto& violation : violations) {
      if (is_choice_failure(violation.description)) {
        add_choice_keys(violation.path, covered[render_path(violation.path)]);
      }
    }
    for (const auto& violation : violations) {
      if (m_source.suppressed(violation.path)) {
        continue;
      }
      const std::string& text = violation.description;
      const std::string k_missing = "Missing required property '";
      if (starts_with(text, k_missing)) {
        const std::string key = text.substr(k_missing.size(), text.rfind('\'') - k_missing.size());
        if (covered[render_path(violation.path)].count(key) == 0) {
          missing_key(violation.path, key);
        }
      } else if (is_choice_failure(text)) {
        choice(violation.path);
      } else if (starts_with(text, "Object contains a property that could not be validated")) {
        unknown_keys(violation.path);
      } else if (is_propagation(text)) {
        continue;
      } else {
        value_problem(violation.path, text);
      }
    }
  }

private:
  static bool is_choice_failure(const std::string& text) {
    return starts_with(text, "Failed to validate against any child schemas allowed by oneOf") ||
           starts_with(text, "Failed to validate against exactly one child schema") ||
           starts_with(text, "Failed to validate against any schemas allowed by anyOf");
  }

  // Messages that only say "something below failed": the something is reported itself.
  static bool is_propagation(const std::string& text) {
    return starts_with(text, "Failed to validate item #") ||
           starts_with(text, "Failed to validate against schema associated with") ||
           starts_with(text, "Failed to validate against additional properties schema") ||
           starts_with(text, "Failed to validate against child schema #") ||
           starts_with(text, "Failed to validate against dependent schema") ||
           starts_with(text, "Cannot validate item #");
  }

  void add_choice_keys(const JsonPath& path, std::set<std::string>& keys) const {
    const json* node = subschema_at(m_schema, path);
    for (const char* choice : {"oneOf", "anyOf"}) {
      if (node == nullptr || !node->contains(choice)) {
        continue;
      }
      for (const auto& branch : node->at(choice)) {
        for (const auto& key : branch.value("required", json::array())) {
          keys.insert(key.get<std::string>());
        }
      }
    }
  }

  void choice(const JsonPath& path) {
    const json* node = subschema_at(m_schema, path);
    const json* value = document_at(m_doc, path);
    std::set<std::string> keys;
    add_choice_keys(path, keys);
    std::vector<std::string> present;
    for (const auto& key : keys) {
      if (value != nullptr && value->is_object() && value->contains(key)) {
        present.push_back("`" + key + "`");
      }
    }
    const std::string hint = string_field(node, "errorMessage");
    if (present.size() > 1) {
      m_diags.add(m_source.at(path), join(present, " and ") + " cannot be set together", hint);
    } else if (present.empty() && !keys.empty()) {
      std::vector<std::string> names;
      for (const auto& key : keys) {
        names.push_back("`" + key + "`");
      }
      m_diags.add(m_source.at(path), "missing " + join(names, " or "), hint);
    } else {
      m_diags.add(m_source.at(path), hint.empty() ? "invalid value" : hint);
    }
  }

  void missing_key(const JsonPath& path, const std::string& key) {
    const std::string description = property_description(path, key);
    m_diags.add(m_source.at(path), "missing required key `" + key + "`",
                "add `" + key + ":`" + (description.empty() ? "" : " (" + description + ")"));
  }

  // A property's own description, which a `$ref` target would replace with a generic one.
  std::string property_description(const JsonPath& path, const std::string& key) const {
    const json* node = subschema_at(m_schema, path);
    if (node != nullptr && node->contains("properties") && node->at("properties").contains(key)) {
      const json& property = node->at("properties").at(key);
      if (std::string own = string_field(&property, "description"); !own.empty()) {
        return own;
      }
    }
    JsonPath child = path;
    child.push_back(PathSegment::field(key));
    return string_field(subschema_at(m_schema, child), "description");
  }

  void unknown_keys(const JsonPath& path) {
    const json* node = subschema_at(m_schema, path);
    const json* value = document_at(m_doc, path);
    if (node == nullptr || value == nullptr || !value->is_object()) {
      m_diags.add(m_source.at(path), "unknown key");
      return;
    }
    const auto allowed = property_names(node);
    const std::set<std::string> allowed_set(allowed.begin(), allowed.end());
    for (const auto& [key, ignored] : value->items()) {
      if (allowed_set.count(key) > 0) {
        continue;
      }
      JsonPath child = path;
      child.push_back(PathSegment::field(key));
      if (parent_key(path) == "defaults" && (key == "vhostname" || key == "shortname")) {
        m_diags.add(m_source.at(child), "`" + key + "` cannot be set in defaults",
                    "every host has its own " + key + "; set it in each entry of hosts:");
        continue;
      }
      // JSON-escaped: a control character in a key must not reach the terminal raw
      // (found by fuzz/manifest_fuzz.cpp).
      const std::string escaped = json(key).dump(-1, ' ', false, json::error_handler_t::replace);
      std::string message = "unknown key `" + escaped.substr(1, escaped.size() - 2) + "`";
      if (auto suggestion = closest_match(key, allowed)) {
        message += " (did you mean `" + *suggestion + "`?)";
      }
      m_diags.add(m_source.at(child), message, "allowed keys here: " + join(allowed));
    }
  }

  bool is_secret_ref(const json* node) const {
    const json::json_pointer k_secret_ref("/definitions/secret_ref");
    return node != nullptr && m_schema.contains(k_secret_ref) && node == &m_schema.at(k_secret_ref);
  }

  void value_problem(const JsonPath& path, const std::string& text) {
    const json* node = subschema_at(m_schema, path);
    const json* value = document_at(m_doc, path);
    const Location loc = m_source.at(path);
    const bool secret = is_secret_value(path);
    const std::string custom = string_field(node, "errorMessage");
    const std::string shown = value == nullptr ? std::string("value") : found(*value, secret);
    if (starts_with(text, "Value type not permitted")) {
      type_mismatch(path, node, value);
    } else if (starts_with(text, "Failed to match against any enum values")) {
      enum_mismatch(path, node, value);
    } else if (starts_with(text, "Failed to match regex")) {
      m_diags.add(
          loc, "invalid value " + (value ? quoted(*value) : "") + ": " +
                   (custom.empty() ? "does not match " + string_field(node, "pattern") : custom));
    } else if (starts_with(text, "Expected number")) {
      std::string range = custom;
      if (range.empty() && node != nullptr) {
        range = "must be between " + node->value("minimum", json()).dump() + " and " +
                node->value("maximum", json()).dump();
      }
      m_diags.add(loc,
                  (value ? value->dump() : std::string("value")) + " is out of range: " + range);
    } else if (starts_with(text, "Failed to match expected value set by 'const'")) {
      const std::string expected = node != nullptr ? node->value("const", json()).dump() : "";
      if (path.size() == 1 && path.back().key == "version") {
        m_diags.add(loc, "unsupported manifest version " + (value ? value->dump() : ""),
                    "this vmoodle-apply reads `version: " + expected + "` manifests");
      } else {
        m_diags.add(loc, "must be " + expected);
      }
    } else if (starts_with(text, "Object should have no more than")) {
      m_diags.add(loc, "set only one of `env` or `file`",
                  "a password comes either from an environment variable or from a file");
    } else if (starts_with(text, "Object should have no fewer than") && is_secret_ref(node)) {
      m_diags.add(loc, "empty password reference", "write {env: VAR} or {file: PATH}");
    } else if (starts_with(text, "Object should have no fewer than") ||
               starts_with(text, "Array should contain no fewer than") ||
               starts_with(text, "String should be no fewer than")) {
      const std::string description = string_field(node, "description");
      m_diags.add(loc, "must not be empty", description);
    } else {
      // Not expected with this schema; still say where, in valijson's words.
      m_diags.add(loc, "invalid " + shown + ": " + text);
    }
  }

  void type_mismatch(const JsonPath& path, const json* node, const json* value) {
    const Location loc = m_source.at(path);
    const bool secret = is_secret_value(path);
    if (is_secret_ref(node) && value != nullptr && !value->is_object()) {
      m_diags.add(loc,
                  "passwords are never written in the manifest; use {env: VAR} or {file: PATH}",
                  "e.g. `" + parent_key(path) + ": {env: DB_PASSWORD}`");
      return;
    }
    const std::string expected = expected_types(node);
    const std::string actual = value == nullptr ? "nothing" : found(*value, secret);
    std::string hint;
    if (value != nullptr && value->is_string() && !secret) {
      const std::string text = value->get<std::string>();
      static const std::set<std::string> k_yaml11_booleans = {
          "yes", "no", "Yes", "No", "YES", "NO", "on", "off", "On", "Off", "ON", "OFF", "y", "n"};
      if (expected == "true or false" && k_yaml11_booleans.count(text) > 0) {
        hint = "write true or false (`" + text + "` is a string in YAML 1.2)";
      } else if (expected.find("integer") != std::string::npos && !text.empty() &&
                 text.find_first_not_of("-0123456789") == std::string::npos) {
        hint = "remove the quotes: write " + text + ", not \"" + text + "\"";
      }
    } else if (value != nullptr && value->is_null()) {
      hint = "give it a value, or remove the key";
    } else if (expected == "a string" && value != nullptr && value->is_primitive()) {
      hint = "quote it: \"" + value->dump() + "\"";
    }
    if (hint.empty()) {
      hint = string_field(node, "errorMessage");
    }
    m_diags.add(loc, "expected " + expected + ", found " + actual, hint);
  }

  void enum_mismatch(const JsonPath& path, const json* node, const json* value) {
    const Location loc = m_source.at(path);
    std::vector<std::string> allowed;
    if (node != nullptr && node->contains("enum")) {
      for (const auto& each : node->at("enum")) {
        allowed.push_back(each.is_string() ? each.get<std::string>() : each.dump());
      }
    }
    const std::string text =
        value != nullptr && value->is_string() ? value->get<std::string>() : "";
    if (parent_key(path) == "db_type" &&
        (text == "postgres" || text == "postgres7" || text == "pgsql" || text == "postgresql")) {
      m_diags.add(loc, "postgres is not supported",
                  "vmoodle-apply manages MySQL/MariaDB hosts only; use " + join(allowed, " or "));
      return;
    }
    m_diags.add(loc, (value ? quoted(*value) : std::string("the value")) + " is not allowed",
                "use " + join(allowed, " or "));
  }

  const json& m_schema;
  const json& m_doc;
  const SourceMap& m_source;
  Diagnostics& m_diags;
};

} // namespace

void report_violations(const nlohmann::json& schema, const nlohmann::json& doc,
                       const std::vector<SchemaViolation>& violations, const SourceMap& source,
                       Diagnostics& diags) {
  Reporter(schema, doc, source, diags).report(violations);
}

} // namespace vmoodle::manifest
