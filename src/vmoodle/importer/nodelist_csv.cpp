#include "vmoodle/importer/nodelist_csv.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <optional>

#include <fmt/format.h>

namespace vmoodle::importer {
namespace {

constexpr std::array<const char*, 7> k_required = {
    "vhostname", "name", "shortname", "vdatapath", "vdbname", "vdblogin", "vdbpass"};
constexpr std::array<const char*, 9> k_optional = {"description", "vdbtype",   "vdbhost",
                                                   "vdbpersist",  "vdbprefix", "vtemplate",
                                                   "services",    "enabled",   "mnet"};

std::string trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\v\f\r\n");
  if (first == std::string_view::npos) {
    return "";
  }
  const auto last = text.find_last_not_of(" \t\v\f\r\n");
  return std::string(text.substr(first, last - first + 1));
}

std::vector<std::string> split(std::string_view line) {
  std::vector<std::string> fields;
  std::size_t start = 0;
  while (true) {
    const auto end = line.find(';', start);
    std::string field = trim(line.substr(start, end == std::string_view::npos ? end : end - start));
    // VMoodle's escape for the delimiter inside a value.
    std::string value;
    std::size_t from = 0;
    for (auto pos = field.find("&#44"); pos != std::string::npos; pos = field.find("&#44", from)) {
      value.append(field, from, pos - from);
      value += ';';
      from = pos + 4;
    }
    value.append(field, from, std::string::npos);
    field = std::move(value);
    fields.push_back(std::move(field));
    if (end == std::string_view::npos) {
      return fields;
    }
    start = end + 1;
  }
}

bool skipped_line(std::string_view line) {
  return line.empty() || std::string_view("([-#/ ").find(line.front()) != std::string_view::npos;
}

bool known(const std::string& column) {
  auto is = [&](const char* name) { return column == name; };
  return std::any_of(k_required.begin(), k_required.end(), is) ||
         std::any_of(k_optional.begin(), k_optional.end(), is);
}

std::optional<long long> integer(const std::string& value) {
  if (value.empty() || value.size() > 10) {
    return std::nullopt;
  }
  std::size_t start = value.front() == '-' ? 1 : 0;
  if (start == value.size() ||
      !std::all_of(value.begin() + static_cast<std::ptrdiff_t>(start), value.end(),
                   [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  return std::stoll(value);
}

class Parser {
public:
  explicit Parser(std::string file) : m_file(std::move(file)) {}

  Result<Nodelist> parse(std::string_view text) {
    if (text.substr(0, 3) == "\xEF\xBB\xBF") {
      text.remove_prefix(3);
    }
    Nodelist out;
    out.file = m_file;
    int number = 0;
    std::size_t start = 0;
    bool have_header = false;
    while (start < text.size()) {
      auto end = text.find('\n', start);
      end = end == std::string_view::npos ? text.size() : end;
      std::string line(text.substr(start, end - start));
      line.erase(std::remove(line.begin(), line.end(), '\r'), line.end());
      start = end + 1;
      ++number;
      if (skipped_line(line)) {
        continue;
      }
      if (!have_header) {
        header(split(line), number, out);
        have_header = true;
      } else if (m_header_ok) {
        node(split(line), number, out);
      }
    }
    if (!have_header) {
      error(0, "", "no header line: the file has no line that is not empty or a comment",
            "start the file with the header, e.g. vhostname;name;shortname;vdatapath;vdbname;"
            "vdblogin;vdbpass");
    }
    if (!m_errors.empty()) {
      return tl::unexpected(
          Error{ErrorKind::manifest,
                fmt::format("{}: {} error(s) in the node list", m_file, m_errors.size()), "", "",
                std::move(m_errors)});
    }
    return out;
  }

private:
  std::string at(int line, const std::string& column) const {
    Location loc{m_file, line, 0, column};
    return loc.render();
  }

  void error(int line, const std::string& column, std::string message, std::string hint) {
    m_errors.push_back(
        Error{ErrorKind::manifest, std::move(message), at(line, column), std::move(hint), {}});
  }

  void header(const std::vector<std::string>& columns, int line, Nodelist& out) {
    m_columns = columns;
    m_header_ok = true;
    std::map<std::string, int> seen;
    for (const auto& column : columns) {
      if (++seen[column] == 2) {
        error(line, column, "column `" + column + "` appears twice in the header",
              "keep one column of each name");
        m_header_ok = false;
      }
      if (known(column)) {
        continue;
      }
      if (column == "forcedns" || column.rfind("config_", 0) == 0 ||
          column.find('|') != std::string::npos) {
        out.warnings.push_back(fmt::format(
            "{}: column `{}` is not imported ({})", at(line, column), column,
            column == "forcedns" ? "VMoodle's CLI ignores it too"
                                 : "per-host settings are not part of the manifest yet"));
        continue;
      }
      error(line, column, "unknown column `" + column + "`",
            "the columns are vhostname, name, shortname, vdatapath, vdbname, vdblogin, vdbpass "
            "(required) and description, vdbtype, vdbhost, vdbpersist, vdbprefix, vtemplate, "
            "services, enabled, mnet; is this line really the header?");
      m_header_ok = false;
    }
    for (const char* required : k_required) {
      if (seen.count(required) == 0) {
        error(line, required, std::string("required column `") + required + "` is missing",
              "add it to the header and give a value on every line");
        m_header_ok = false;
      }
    }
    if (seen.count("services") != 0) {
      out.warnings.push_back(
          fmt::format("{}: column `services` is not imported", at(line, "services")));
    }
    if (seen.count("vdbpersist") == 0) {
      out.warnings.push_back(fmt::format(
          "{}: no vdbpersist column: VMoodle would use the master's dbpersist; the manifest "
          "uses false (db_persist)",
          at(line, "")));
    }
  }

  void node(const std::vector<std::string>& values, int line, Nodelist& out) {
    if (values.size() != m_columns.size()) {
      error(line, "", fmt::format("{} value(s) for {} column(s)", values.size(), m_columns.size()),
            "give one value per header column, separated by `;` (write `&#44` for a `;` "
            "inside a value)");
      return;
    }
    std::map<std::string, std::string> v;
    for (std::size_t i = 0; i < values.size(); ++i) {
      v[m_columns[i]] = values[i];
    }
    NodelistNode node;
    node.line = line;
    for (const char* required : k_required) {
      if (v[required].empty()) {
        error(line, required, std::string("empty ") + required,
              std::string("give the node's ") + required);
      }
    }
    node.vhostname = v["vhostname"];
    node.name = v["name"];
    node.shortname = v["shortname"];
    node.vdatapath = v["vdatapath"];
    node.vdbname = v["vdbname"];
    node.vdblogin = v["vdblogin"];
    node.vdbpass = Secret(v["vdbpass"]);
    node.description = v["description"];
    node.vdbhost = v["vdbhost"];
    node.vtemplate = v["vtemplate"];
    if (!v["vdbtype"].empty()) {
      node.vdbtype = v["vdbtype"];
    }
    if (!v["vdbprefix"].empty()) {
      node.vdbprefix = v["vdbprefix"];
    }
    node.vdbpersist = flag(v, "vdbpersist", line, node.vdbpersist);
    node.enabled = flag(v, "enabled", line, node.enabled);
    if (const std::string& mnet = v["mnet"]; !mnet.empty()) {
      if (mnet == "NEW" || mnet == "new") {
        node.mnet = model::Mnet{true, 0};
      } else if (auto number = integer(mnet); number && *number >= -1) {
        node.mnet = model::Mnet{false, static_cast<int>(*number)};
      } else {
        error(line, "mnet", "mnet `" + mnet + "` is not -1, 0, a sub-network number or NEW",
              "-1 no MNet, 0 master only, N sub-network N, NEW a new sub-network");
      }
    }
    out.nodes.push_back(std::move(node));
  }

  bool flag(std::map<std::string, std::string>& v, const char* column, int line, bool fallback) {
    const std::string& value = v[column];
    if (value.empty()) {
      return fallback;
    }
    if (value == "0" || value == "1") {
      return value == "1";
    }
    error(line, column, std::string(column) + " `" + value + "` is not 0 or 1", "write 0 or 1");
    return fallback;
  }

  std::string m_file;
  std::vector<std::string> m_columns;
  bool m_header_ok = false;
  std::vector<Error> m_errors;
};

} // namespace

Result<Nodelist> parse_nodelist_csv(std::string_view text, const std::string& file) {
  return Parser(file).parse(text);
}

Result<Imported> manifest_from_nodelist(const Nodelist& nodelist, const model::Fleet& base,
                                        const ImportOptions& options) {
  std::vector<HostRecord> records;
  std::vector<Error> errors;
  for (const auto& node : nodelist.nodes) {
    const std::string origin = Location{nodelist.file, node.line, 0, {}}.render();
    const model::Server* server = node.vdbhost.empty() ? base.find_server(base.master.server)
                                                       : server_for_vdbhost(base, node.vdbhost);
    if (server == nullptr) {
      errors.push_back(
          Error{ErrorKind::manifest,
                "vdbhost `" + node.vdbhost + "` is the registry_host of no server in the manifest",
                origin + ": vdbhost",
                "declare that server under servers: (registry_host: " + node.vdbhost +
                    ") and import again",
                {}});
      continue;
    }
    HostRecord record;
    record.origin = origin;
    record.order = node.line;
    record.vhostname = node.vhostname;
    record.shortname = node.shortname;
    record.name = node.name;
    record.description = node.description;
    record.server = server->name;
    record.database = node.vdbname;
    record.prefix = node.vdbprefix;
    record.db_type = node.vdbtype;
    record.db_user = node.vdblogin;
    record.password = node.vdbpass;
    record.db_persist = node.vdbpersist;
    record.dataroot = node.vdatapath;
    record.mnet = node.mnet;
    record.enabled = node.enabled;
    record.template_name = node.vtemplate;
    records.push_back(std::move(record));
  }
  if (!errors.empty()) {
    return tl::unexpected(Error{ErrorKind::manifest,
                                fmt::format("{} node(s) cannot be imported", errors.size()), "", "",
                                std::move(errors)});
  }
  ImportOptions with_source = options;
  if (with_source.source.empty()) {
    with_source.source = nodelist.file + " (VMoodle's bulkcreatenodes format)";
  }
  if (with_source.password_holder == ImportOptions{}.password_holder) {
    with_source.password_holder = nodelist.file + " (column vdbpass)";
  }
  VM_TRY_ASSIGN(Imported imported, manifest_from_records(std::move(records), {}, base, with_source,
                                                         /*skip_invalid=*/false));
  imported.warnings.insert(imported.warnings.begin(), nodelist.warnings.begin(),
                           nodelist.warnings.end());
  for (const auto& node : nodelist.nodes) {
    if (node.vtemplate.empty()) {
      imported.warnings.push_back(
          Location{nodelist.file, node.line, 0, "vtemplate"}.render() +
          ": no vtemplate: vmoodle-apply creates hosts from templates only; set `template:` "
          "for " +
          node.vhostname + " unless it is already in the registry");
    }
  }
  return imported;
}

} // namespace vmoodle::importer
