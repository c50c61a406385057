// docs/manifest.md and schemas/fleet.schema.json must list the same keys, so that a key added
// to the schema is documented and a documented key exists.
//
// The schema's keys are written as paths: `version`, `master.server`, `servers.<name>.port`
// (any server), `hosts[].database` (any host), `hosts[].db_password.env`. In the document,
// each table of keys follows a comment naming the objects whose keys it lists:
//
//   <!-- schema-keys: hosts[] defaults -->
//   | Key | ... |
//   |---|...|
//   | `database` | ... |
//
// `(top)` names the root. A row's key must exist in at least one of the named objects (so
// `vhostname` may share a table with `defaults`, which lacks it), and every key of each named
// object needs a row.
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace vmoodle::docs {
namespace {

using nlohmann::json;

constexpr const char* k_manifest_doc = "docs/manifest.md";
constexpr const char* k_schema = "schemas/fleet.schema.json";
constexpr const char* k_marker = "<!-- schema-keys:";
constexpr const char* k_top = "(top)";

std::string read_source_file(const std::string& relative) {
  const std::string path = std::string(VMOODLE_SOURCE_DIR) + "/" + relative;
  std::ifstream in(path);
  if (!in) {
    ADD_FAILURE() << "cannot read " << path;
    return {};
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// --- the schema's key paths -------------------------------------------------------------

const json& resolve(const json& root, const json& node) {
  if (!node.is_object() || !node.contains("$ref")) {
    return node;
  }
  const std::string ref = node.at("$ref").get<std::string>();
  if (ref.rfind("#/", 0) != 0 || !root.contains(json::json_pointer(ref.substr(1)))) {
    ADD_FAILURE() << "unresolvable $ref " << ref;
    return node;
  }
  return resolve(root, root.at(json::json_pointer(ref.substr(1))));
}

std::string join(const std::string& object, const std::string& key) {
  return object.empty() ? key : object + "." + key;
}

// Adds `object.key` for every key that `node` (an object schema) allows, and descends into
// their values: nested objects, maps (`<name>`) and lists (`[]`).
void collect_keys(const json& root, const json& schema_node, const std::string& object,
                  std::map<std::string, std::set<std::string>>& keys_by_object, int depth = 0) {
  ASSERT_LT(depth, 12) << "schema nests too deeply (a $ref cycle?) at " << object;
  const json& node = resolve(root, schema_node);
  if (!node.is_object()) {
    return;
  }
  if (node.contains("properties")) {
    for (const auto& [key, value] : node.at("properties").items()) {
      keys_by_object[object].insert(key);
      collect_keys(root, value, join(object, key), keys_by_object, depth + 1);
    }
  }
  for (const char* map_keyword : {"additionalProperties", "patternProperties"}) {
    if (!node.contains(map_keyword) || !node.at(map_keyword).is_object()) {
      continue;
    }
    if (std::string(map_keyword) == "patternProperties") {
      for (const auto& [pattern, value] : node.at(map_keyword).items()) {
        collect_keys(root, value, object + ".<name>", keys_by_object, depth + 1);
      }
    } else {
      collect_keys(root, node.at(map_keyword), object + ".<name>", keys_by_object, depth + 1);
    }
  }
  if (node.contains("items") && node.at("items").is_object()) {
    collect_keys(root, node.at("items"), object + "[]", keys_by_object, depth + 1);
  }
  for (const char* combinator : {"oneOf", "anyOf", "allOf"}) {
    if (node.contains(combinator)) {
      for (const auto& branch : node.at(combinator)) {
        collect_keys(root, branch, object, keys_by_object, depth + 1);
      }
    }
  }
}

std::map<std::string, std::set<std::string>> schema_keys(const std::string& schema_text) {
  const json root = json::parse(schema_text);
  std::map<std::string, std::set<std::string>> keys_by_object;
  collect_keys(root, root, "", keys_by_object);
  return keys_by_object;
}

// --- the document's tables --------------------------------------------------------------

/// One table row naming a key.
struct DocumentedKey {
  std::vector<std::string> objects; // from the marker; "" is the root
  std::string key;
  int line;
};

std::string trim(const std::string& text) {
  const auto first = text.find_first_not_of(" \t");
  const auto last = text.find_last_not_of(" \t");
  return first == std::string::npos ? std::string() : text.substr(first, last - first + 1);
}

std::vector<DocumentedKey> documented_keys(const std::string& doc) {
  std::vector<DocumentedKey> out;
  std::istringstream lines(doc);
  std::string line;
  int number = 0;
  std::vector<std::string> objects;
  bool in_table = false;
  int table_row = 0;
  while (std::getline(lines, line)) {
    ++number;
    if (line.rfind(k_marker, 0) == 0) {
      const auto end = line.find("-->");
      EXPECT_NE(end, std::string::npos) << k_manifest_doc << ":" << number << ": unclosed marker";
      std::istringstream words(
          line.substr(std::string(k_marker).size(), end - std::string(k_marker).size()));
      objects.clear();
      for (std::string word; words >> word;) {
        objects.push_back(word == k_top ? "" : word);
      }
      EXPECT_FALSE(objects.empty()) << k_manifest_doc << ":" << number << ": marker names nothing";
      in_table = false;
      table_row = 0;
      continue;
    }
    if (objects.empty()) {
      continue;
    }
    if (line.rfind("|", 0) != 0) {
      if (in_table) {
        objects.clear(); // the table ended; the next one needs its own marker
        in_table = false;
      }
      continue;
    }
    in_table = true;
    if (++table_row <= 2) {
      continue; // header and |---| separator
    }
    const auto cell_end = line.find('|', 1);
    const std::string cell =
        trim(line.substr(1, cell_end == std::string::npos ? std::string::npos : cell_end - 1));
    if (cell.size() < 3 || cell.front() != '`' || cell.back() != '`' ||
        cell.find('`', 1) != cell.size() - 1) {
      ADD_FAILURE() << k_manifest_doc << ":" << number
                    << ": the first cell of a row of keys must be one `key`, not: " << cell;
      continue;
    }
    out.push_back({objects, cell.substr(1, cell.size() - 2), number});
  }
  return out;
}

std::string describe(const std::vector<std::string>& objects) {
  std::string out;
  for (const auto& object : objects) {
    out += (out.empty() ? "" : " ") + (object.empty() ? std::string(k_top) : object);
  }
  return out;
}

// --- the tests ----------------------------------------------------------------------------

TEST(ManifestDocs, TheSchemaWalkSeesNestedKeys) {
  const auto keys = schema_keys(read_source_file(k_schema));
  // Guards the checks below against passing on an empty or shallow walk.
  ASSERT_TRUE(keys.count("") && keys.at("").count("hosts"));
  ASSERT_TRUE(keys.count("servers.<name>") && keys.at("servers.<name>").count("port"));
  ASSERT_TRUE(keys.count("hosts[]") && keys.at("hosts[]").count("database"));
  ASSERT_TRUE(keys.count("hosts[].db_password") && keys.at("hosts[].db_password").count("env"));
  ASSERT_TRUE(keys.count("snapshots[]") && keys.at("snapshots[]").count("from"));
}

TEST(ManifestDocs, TheDocumentHasTablesOfKeys) {
  const auto documented = documented_keys(read_source_file(k_manifest_doc));
  EXPECT_GE(documented.size(), 30u) << "expected the key tables of " << k_manifest_doc << " after `"
                                    << k_marker << " OBJECT... -->` lines";
}

TEST(ManifestDocs, EveryDocumentedKeyIsInTheSchema) {
  const auto keys = schema_keys(read_source_file(k_schema));
  for (const auto& row : documented_keys(read_source_file(k_manifest_doc))) {
    bool found = false;
    for (const auto& object : row.objects) {
      found = found || (keys.count(object) && keys.at(object).count(row.key));
    }
    EXPECT_TRUE(found) << k_manifest_doc << ":" << row.line << ": documents `" << row.key << "` in "
                       << describe(row.objects) << ", but " << k_schema
                       << " has no such key there: remove the row or add the key to the schema";
  }
}

TEST(ManifestDocs, EverySchemaKeyIsDocumented) {
  const auto keys = schema_keys(read_source_file(k_schema));
  std::set<std::string> documented;
  for (const auto& row : documented_keys(read_source_file(k_manifest_doc))) {
    for (const auto& object : row.objects) {
      documented.insert(join(object, row.key));
    }
  }
  for (const auto& [object, object_keys] : keys) {
    for (const auto& key : object_keys) {
      EXPECT_TRUE(documented.count(join(object, key)))
          << k_schema << " has the key `" << join(object, key) << "`, which " << k_manifest_doc
          << " does not document: add a row | `" << key << "` | ... | to the table whose `"
          << k_marker << " ... -->` line names " << (object.empty() ? std::string(k_top) : object)
          << " (or start a table with such a line)";
    }
  }
}

} // namespace
} // namespace vmoodle::docs
