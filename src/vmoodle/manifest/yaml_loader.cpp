#include "vmoodle/manifest/yaml_loader.hpp"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <map>
#include <set>
#include <string_view>

#include <fmt/format.h>
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include "vmoodle/manifest/utf8.hpp"

namespace vmoodle::manifest {

namespace {

// yaml-cpp's messages quote the offending input byte (`unknown escape character: X`):
// a NUL, ESC, newline or invalid UTF-8 byte must not reach the terminal or the JSON
// output raw. Found by fuzz/manifest_fuzz.cpp.
std::string printable_message(const std::string& message) {
  std::string out;
  for (const char ch : message) {
    const auto byte = static_cast<unsigned char>(ch);
    if (byte < 0x20 || byte >= 0x7f) {
      out += fmt::format("\\x{:02x}", byte);
    } else {
      out += ch;
    }
  }
  return out;
}

// Deeper than any sensible manifest; stops a hostile file from exhausting the stack.
constexpr int k_max_depth = 64;
// Far above any VMoodle column, far below what the validator's std::regex can take:
// libstdc++ matches recursively and a ~20,000-character value overflows the stack.
constexpr std::size_t k_max_value_bytes = 1024;
// `description` goes to a TEXT column and is never matched against a pattern.
constexpr std::size_t k_max_description_bytes = 65535;
constexpr std::size_t k_max_key_bytes = 256;
// YAML aliases share one node in yaml-cpp but are copied into the JSON document: nine
// nested aliases of nine ("billion laughs") expand to 9^9 values. A fleet of thousands
// of hosts stays well below these bounds on what the document may expand to.
constexpr std::size_t k_max_values = 250000;
constexpr std::size_t k_max_document_bytes = std::size_t{64} * 1024 * 1024;

std::string invalid_utf8_message(std::string_view text, std::size_t offset) {
  return fmt::format("not valid UTF-8 (byte 0x{:02X} at offset {})",
                     static_cast<unsigned char>(text[offset]), offset);
}
const char* const k_utf8_hint = "save the manifest as UTF-8; VMoodle's columns hold utf8mb4 text";

Location location_of(const std::string& file, const YAML::Mark& mark, const JsonPath& path) {
  Location loc;
  loc.file = file;
  if (mark.line >= 0 && mark.column >= 0) {
    loc.line = mark.line + 1;
    loc.column = mark.column + 1;
  }
  loc.path = render_path(path);
  return loc;
}

bool all_of(std::string_view text, bool (*accept)(char)) {
  if (text.empty()) {
    return false;
  }
  for (char c : text) {
    if (!accept(c)) {
      return false;
    }
  }
  return true;
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_octal(char c) {
  return c >= '0' && c <= '7';
}
bool is_hex(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// Hand-written rather than std::regex, which recurses per character and would let a
// long numeric-looking value overflow the stack.
std::optional<std::int64_t> parse_integer(const std::string& text) {
  std::string_view digits = text;
  int base = 10;
  if (digits.substr(0, 2) == "0o" && all_of(digits.substr(2), is_octal)) {
    digits.remove_prefix(2);
    base = 8;
  } else if (digits.substr(0, 2) == "0x" && all_of(digits.substr(2), is_hex)) {
    digits.remove_prefix(2);
    base = 16;
  } else {
    if (!digits.empty() && digits.front() == '+') {
      digits.remove_prefix(1);
    }
    const std::string_view unsigned_part =
        !digits.empty() && digits.front() == '-' ? digits.substr(1) : digits;
    if (!all_of(unsigned_part, is_digit)) {
      return std::nullopt;
    }
  }
  std::int64_t value = 0;
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value, base);
  if (ec != std::errc() || ptr != digits.data() + digits.size()) {
    return std::nullopt;
  }
  return value;
}

// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`, `.inf`, `.nan`.
std::optional<double> parse_float(const std::string& text) {
  static const std::set<std::string> k_special = {".inf",  ".Inf",  ".INF",  "+.inf",
                                                  "+.Inf", "+.INF", "-.inf", "-.Inf",
                                                  "-.INF", ".nan",  ".NaN",  ".NAN"};
  if (k_special.count(text) > 0) {
    // strtod reads neither `.inf` nor `.nan` (it returned 0 for both).
    if (text.find_first_of("nN") != std::string::npos) {
      return std::numeric_limits<double>::quiet_NaN();
    }
    return text.front() == '-' ? -std::numeric_limits<double>::infinity()
                               : std::numeric_limits<double>::infinity();
  }
  std::size_t pos = 0;
  auto digits = [&text, &pos] {
    const std::size_t start = pos;
    while (pos < text.size() && is_digit(text[pos])) {
      ++pos;
    }
    return pos - start;
  };
  if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    ++pos;
  }
  std::size_t mantissa = digits();
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    mantissa += digits();
  }
  if (mantissa == 0) {
    return std::nullopt;
  }
  if (pos < text.size() && (text[pos] == 'e' || text[pos] == 'E')) {
    ++pos;
    if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
      ++pos;
    }
    if (digits() == 0) {
      return std::nullopt;
    }
  }
  if (pos != text.size()) {
    return std::nullopt;
  }
  return std::strtod(text.c_str(), nullptr);
}

// YAML 1.2 core schema. Quoted and block scalars carry the non-specific tag "!"
// and are always strings, so `port: "3306"` is reported as a string, as written.
nlohmann::json scalar_value(const YAML::Node& node) {
  const std::string& text = node.Scalar();
  const std::string& tag = node.Tag();
  if (tag == "!" || tag == "tag:yaml.org,2002:str") {
    return text;
  }
  if (text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL") {
    return nullptr;
  }
  if (text == "true" || text == "True" || text == "TRUE") {
    return true;
  }
  if (text == "false" || text == "False" || text == "FALSE") {
    return false;
  }
  if (auto integer = parse_integer(text)) {
    return *integer;
  }
  if (auto number = parse_float(text)) {
    // `.nan`, `.inf` and `1e400` have no JSON form (they would print as null): keep
    // the text, so that the schema says what was written.
    if (std::isfinite(*number)) {
      return *number;
    }
  }
  return text;
}

class Converter {
public:
  Converter(const std::string& file, Diagnostics& diags, SourceMap& source)
      : m_file(file), m_diags(diags), m_source(source) {}

  nlohmann::json convert(const YAML::Node& node, JsonPath& path, int depth) {
    if (m_exhausted) {
      return nullptr;
    }
    if (++m_values > k_max_values) {
      exhausted(node, path, fmt::format("more than {} values", k_max_values));
      return nullptr;
    }
    if (depth > k_max_depth) {
      m_diags.add(location_of(m_file, node.Mark(), path), "the manifest is nested too deeply",
                  "a fleet manifest needs only a few levels of nesting");
      return nullptr;
    }
    switch (node.Type()) {
    case YAML::NodeType::Map:
      return convert_map(node, path, depth);
    case YAML::NodeType::Sequence: {
      nlohmann::json out = nlohmann::json::array();
      int index = 0;
      for (const auto& item : node) {
        path.push_back(PathSegment::item(index));
        m_source.add(path, item.Mark().line, item.Mark().column);
        out.push_back(convert(item, path, depth + 1));
        path.pop_back();
        ++index;
      }
      return out;
    }
    case YAML::NodeType::Scalar:
      return checked_scalar(node, path);
    default:
      return nullptr;
    }
  }

private:
  void exhausted(const YAML::Node& node, const JsonPath& path, const std::string& what) {
    m_exhausted = true;
    m_diags.add(location_of(m_file, node.Mark(), path),
                "the manifest expands to " + what + "; YAML aliases (`*name`) repeat data",
                "write the values out, or use `defaults:` for what hosts share");
  }

  nlohmann::json checked_scalar(const YAML::Node& node, const JsonPath& path) {
    const std::string& text = node.Scalar();
    const bool description = !path.empty() && path.back().key == "description";
    const std::size_t limit = description ? k_max_description_bytes : k_max_value_bytes;
    if (text.size() > limit) {
      m_diags.add(location_of(m_file, node.Mark(), path),
                  "value too long (" + std::to_string(text.size()) + " bytes, at most " +
                      std::to_string(limit) + ")",
                  "no manifest value needs to be this long; check what was pasted here");
      // Reported once: the schema must neither repeat it nor run its patterns on it.
      m_source.suppress(path);
      return "";
    }
    m_bytes += text.size();
    if (m_bytes > k_max_document_bytes) {
      exhausted(node, path, fmt::format("more than {} MB of text", k_max_document_bytes >> 20));
      return "";
    }
    // Invalid UTF-8 cannot be stored in a utf8mb4 column, and the JSON library the
    // schema works on would throw on it.
    if (auto offset = invalid_utf8_offset(text)) {
      m_diags.add(location_of(m_file, node.Mark(), path),
                  "value is " + invalid_utf8_message(text, *offset), k_utf8_hint);
      m_source.suppress(path);
      return "";
    }
    return scalar_value(node);
  }

  nlohmann::json convert_map(const YAML::Node& node, JsonPath& path, int depth) {
    nlohmann::json out = nlohmann::json::object();
    std::map<std::string, int> first_line;
    for (const auto& pair : node) {
      const YAML::Node& key = pair.first;
      if (!key.IsScalar()) {
        m_diags.add(location_of(m_file, key.Mark(), path),
                    "a mapping key must be a plain name, not a list or a mapping",
                    "write `name: value`");
        continue;
      }
      const std::string name = key.Scalar();
      if (name.size() > k_max_key_bytes) {
        m_diags.add(location_of(m_file, key.Mark(), path),
                    "key too long (" + std::to_string(name.size()) + " bytes, at most " +
                        std::to_string(k_max_key_bytes) + ")",
                    "manifest keys are short names such as `database`");
        continue;
      }
      if (auto offset = invalid_utf8_offset(name)) {
        m_diags.add(location_of(m_file, key.Mark(), path),
                    "key is " + invalid_utf8_message(name, *offset), k_utf8_hint);
        continue;
      }
      path.push_back(PathSegment::field(name));
      const int line = key.Mark().line + 1;
      auto [previous, inserted] = first_line.emplace(name, line);
      if (!inserted) {
        m_diags.add(location_of(m_file, key.Mark(), path),
                    "duplicate key `" + name + "` (first set on line " +
                        std::to_string(previous->second) + ")",
                    "keep only one of them");
        path.pop_back();
        continue;
      }
      m_source.add(path, key.Mark().line, key.Mark().column);
      out[name] = convert(pair.second, path, depth + 1);
      path.pop_back();
    }
    return out;
  }

public:
  /// Whether conversion stopped at a size bound (the document is then incomplete).
  bool exhausted() const { return m_exhausted; }

private:
  const std::string& m_file;
  Diagnostics& m_diags;
  SourceMap& m_source;
  std::size_t m_values = 0;
  std::size_t m_bytes = 0;
  bool m_exhausted = false;
};

std::string describe_root(const YAML::Node& root) {
  switch (root.Type()) {
  case YAML::NodeType::Sequence:
    return "a list";
  case YAML::NodeType::Scalar:
    return "a single value";
  default:
    return "nothing";
  }
}

} // namespace

std::optional<YamlDocument> load_yaml(std::string_view text, const std::string& file,
                                      Diagnostics& diags) {
  const Location whole_file{file, 0, 0, {}};
  const std::string k_shape_hint =
      "a manifest is a mapping with version, servers, master, dataroot_roots and hosts; "
      "see docs/manifest.md";
  std::vector<YAML::Node> documents;
  try {
    documents = YAML::LoadAll(std::string(text));
  } catch (const YAML::DeepRecursion& e) {
    // yaml-cpp's own guard (2,000 levels); its message just says "bad file".
    diags.add(location_of(file, e.mark, {}), "the manifest is nested too deeply",
              "a fleet manifest needs only a few levels of nesting");
    return std::nullopt;
  } catch (const YAML::Exception& e) {
    diags.add(location_of(file, e.mark, {}), "YAML syntax error: " + printable_message(e.msg),
              "check the indentation, quotes and brackets at this position");
    return std::nullopt;
  }
  if (documents.empty() || documents.front().IsNull()) {
    diags.add(whole_file, "the manifest is empty", k_shape_hint);
    return std::nullopt;
  }
  if (documents.size() > 1) {
    diags.add(location_of(file, documents[1].Mark(), {}),
              "the manifest holds several YAML documents; vmoodle-apply reads exactly one",
              "remove the `---` separator and merge the documents");
  }
  const YAML::Node& root = documents.front();
  if (!root.IsMap()) {
    diags.add(location_of(file, root.Mark(), {}),
              "the manifest must be a mapping of keys, found " + describe_root(root), k_shape_hint);
    return std::nullopt;
  }
  YamlDocument doc{nlohmann::json::object(), SourceMap(file)};
  JsonPath path;
  doc.source.add(path, root.Mark().line, root.Mark().column);
  try {
    Converter converter(file, diags, doc.source);
    doc.json = converter.convert(root, path, 0);
    // What was cut off would only show up again as schema errors about missing keys.
    if (converter.exhausted()) {
      return std::nullopt;
    }
  } catch (const YAML::Exception& e) {
    diags.add(location_of(file, e.mark, {}), "YAML error: " + e.msg,
              "check the YAML at this position");
    return std::nullopt;
  }
  return doc;
}

} // namespace vmoodle::manifest
