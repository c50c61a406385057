#include "integration/bench/bench_data.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <stdexcept>
#include <vector>

#include "vmoodle/sql/quote.hpp"

namespace vmoodle::bench {

namespace fs = std::filesystem;

namespace {

// Base row counts at scale 1 (about 10 MB with the Moodle 4.3 schema).
struct TableLoad {
  const char* table;
  int rows;
};
constexpr TableLoad k_loads[] = {
    {"mdl_logstore_standard_log", 8000},
    {"mdl_log", 3000},
    {"mdl_user", 800},
    {"mdl_files", 3000},
    {"mdl_event", 700},
    {"mdl_config_log", 700},
};

const char* const k_paragraph =
    "CONCAT_WS(' ', ELT(1 + seq % 8, 'Le devoir de mathématiques', 'La séance de français', "
    "'Le TP de physique-chimie', 'L''évaluation d''histoire-géographie', 'Le cours d''anglais', "
    "'La sortie au musée', 'Le conseil de classe', 'L''exposé de SVT'), 'pour la classe de', "
    "ELT(1 + seq % 5, 'seconde', 'première', 'terminale', 'sixième', 'troisième'), "
    "REPEAT('Les élèves révisent le chapitre et déposent leur travail avant vendredi. ', "
    "1 + seq % 6))";

// A value for one column of generated row `seq`, or "" to leave the column to its default.
std::string value_for(const std::string& column, const std::string& type, long max_length) {
  if (column.find("time") != std::string::npos &&
      (type == "bigint" || type == "int" || type == "mediumint")) {
    return "1700000000 + (seq * 7919) % 30000000";
  }
  if (type == "tinyint") {
    return "seq % 2";
  }
  if (type == "smallint") {
    return "seq % 50";
  }
  if (type == "bigint" || type == "int" || type == "mediumint") {
    return "1 + seq % 5000";
  }
  if (type == "decimal" || type == "float" || type == "double") {
    return "(seq % 10000) / 100";
  }
  if (type == "char" || type == "varchar") {
    return "LEFT(CONCAT(ELT(1 + seq % 6, 'eleve', 'prof', 'devoir', 'cours', 'forum', "
           "'quiz'), '-', seq, ' ', MD5(seq)), " +
           std::to_string(max_length) + ")";
  }
  if (type == "tinytext" || type == "text" || type == "mediumtext" || type == "longtext") {
    return type == "tinytext" ? std::string("LEFT(") + k_paragraph + ", 255)" : k_paragraph;
  }
  if (type == "binary" || type == "varbinary" || type == "tinyblob" || type == "blob" ||
      type == "mediumblob" || type == "longblob") {
    return "UNHEX(MD5(seq))";
  }
  return "";
}

} // namespace

std::string moodle_schema_path() {
  if (const char* env = std::getenv("VMOODLE_MOODLE_SCHEMA"); env != nullptr && *env != '\0') {
    return env;
  }
  const fs::path shared =
      fs::path(VMOODLE_SOURCE_DIR) / ".." / "shared" / "fixtures" / "moodle-4.3-schema.sql";
  if (fs::exists(shared)) {
    return fs::weakly_canonical(shared).string();
  }
  return std::string(VMOODLE_SOURCE_DIR) + "/integration/fixtures/moodle-mini.sql";
}

int count_tables(const std::string& path) {
  std::ifstream in(path);
  int count = 0;
  for (std::string line; std::getline(in, line);) {
    count += line.rfind("CREATE TABLE", 0) == 0 ? 1 : 0;
  }
  return count;
}

void fill_rows(const BenchWorkspace& ws, const std::string& database, int scale) {
  auto conn = ws.connect();
  for (const auto& load : k_loads) {
    auto columns = conn->query(
        "SELECT COLUMN_NAME, DATA_TYPE, COALESCE(CHARACTER_MAXIMUM_LENGTH, 0), EXTRA FROM "
        "information_schema.COLUMNS WHERE TABLE_SCHEMA = " +
        sql::literal(database) + " AND TABLE_NAME = " + sql::literal(load.table) +
        " ORDER BY ORDINAL_POSITION");
    if (!columns) {
      throw std::runtime_error(columns.error().render());
    }
    std::string names;
    std::string values;
    for (const auto& row : columns->rows) {
      if (row[3] && row[3]->find("auto_increment") != std::string::npos) {
        continue;
      }
      const std::string value = value_for(*row[0], *row[1], std::atol(row[2]->c_str()));
      if (value.empty()) {
        continue;
      }
      names += (names.empty() ? "" : ", ") + sql::ident(*row[0]);
      values += (values.empty() ? "" : ", ") + value;
    }
    if (names.empty()) {
      continue; // not in this schema
    }
    const std::string sql = "INSERT IGNORE INTO " + sql::ident(database, load.table) + " (" +
                            names + ") SELECT " + values + " FROM " +
                            sql::ident(database, "seq_1_to_" + std::to_string(load.rows * scale));
    if (auto done = conn->execute(sql); !done) {
      throw std::runtime_error("filling " + std::string(load.table) + ": " + done.error().render());
    }
  }
}

std::uint64_t database_bytes(const BenchWorkspace& ws, const std::string& database) {
  auto conn = ws.connect();
  auto tables = conn->query("SELECT TABLE_NAME FROM information_schema.TABLES WHERE "
                            "TABLE_SCHEMA = " +
                            sql::literal(database) + " AND DATA_LENGTH > 16384");
  if (tables) {
    for (const auto& row : tables->rows) {
      (void)conn->query("ANALYZE TABLE " + sql::ident(database, *row[0]));
    }
  }
  return std::strtoull(ws.scalar("SELECT SUM(DATA_LENGTH + INDEX_LENGTH) FROM "
                                 "information_schema.TABLES WHERE TABLE_SCHEMA = " +
                                 sql::literal(database))
                           .c_str(),
                       nullptr, 10);
}

std::uint64_t write_filedir(const std::string& filedir, int count, std::uint64_t min_bytes,
                            std::uint64_t max_bytes) {
  std::mt19937_64 random(20261125);
  std::vector<char> pool(max_bytes + 65536);
  for (auto& byte : pool) {
    byte = static_cast<char>(random());
  }
  std::uint64_t total = 0;
  for (int i = 0; i < count; ++i) {
    const double step = count > 1 ? static_cast<double>(i) / (count - 1) : 0;
    const auto size = static_cast<std::uint64_t>(
        static_cast<double>(min_bytes) *
        std::pow(static_cast<double>(max_bytes) / static_cast<double>(min_bytes), step));
    char hash[41];
    std::snprintf(hash, sizeof hash, "%016llx%016llx%08x",
                  static_cast<unsigned long long>(random()),
                  static_cast<unsigned long long>(random()), static_cast<unsigned>(i));
    const fs::path dir = fs::path(filedir) / std::string(hash, 2) / std::string(hash + 2, 2);
    fs::create_directories(dir);
    std::ofstream out(dir / hash, std::ios::binary);
    out.write(pool.data() + random() % 65536, static_cast<std::streamsize>(size));
    if (!out) {
      throw std::runtime_error("cannot write " + (dir / hash).string());
    }
    total += size;
  }
  return total;
}

std::string mebibytes(std::uint64_t bytes) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f MiB", static_cast<double>(bytes) / (1024.0 * 1024.0));
  return text;
}

} // namespace vmoodle::bench
