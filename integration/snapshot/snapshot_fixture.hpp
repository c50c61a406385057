#pragma once

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "integration/e2e/fleet_workspace.hpp"
#include "integration/support/files.hpp"

namespace vmoodle::testing {

/// Runs `statements` in order on one session on `database`; throws on the first error.
inline void execute_all(FleetWorkspace& ws, const std::string& database,
                        const std::vector<std::string>& statements) {
  auto conn = ws.sandbox().connect(database);
  for (const auto& sql : statements) {
    if (auto done = conn->execute(sql); !done) {
      throw std::runtime_error(sql.substr(0, 200) + ": " + done.error().render());
    }
  }
}

/// A table holding what dumps get wrong: every column type Moodle (and MariaDB)
/// has, binary bytes 0-255, 4-byte UTF-8, NULL next to '', an id 0, a TIMESTAMP
/// written from another time zone, generated columns, rows over 1 MiB.
inline std::vector<std::string> edge_case_table(const std::string& table) {
  const std::string t = "`" + table + "`";
  return {
      "CREATE TABLE " + t +
          " ("
          "id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,"
          "txt LONGTEXT NULL,"
          "bin LONGBLOB NULL,"
          "fixed BINARY(4) NULL,"
          "vb VARBINARY(16) NULL,"
          "amount DECIMAL(20,5) NULL,"
          "f FLOAT NULL,"
          "d DOUBLE NULL,"
          "neg BIGINT NULL,"
          "b BIT(10) NULL,"
          "ts TIMESTAMP NULL DEFAULT NULL,"
          "dt DATETIME(6) NULL,"
          "y YEAR NULL,"
          "l1 VARCHAR(50) CHARACTER SET latin1 NULL,"
          "js JSON NULL,"
          "e ENUM('a','b''c') NULL,"
          "g POINT NULL,"
          "len INT AS (CHAR_LENGTH(txt)) VIRTUAL,"
          "digest VARCHAR(32) AS (MD5(txt)) PERSISTENT"
          ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci "
          "COMMENT='edge cases: caf\xc3\xa9 \xf0\x9f\x8f\xab'",
      // Ids of 0 survive only with NO_AUTO_VALUE_ON_ZERO; TIMESTAMPs are stored in UTC.
      "SET SESSION sql_mode = 'NO_AUTO_VALUE_ON_ZERO', time_zone = '+05:00'",
      "INSERT INTO " + t +
          " (id, txt, bin, fixed, vb, amount, f, d, neg, b, ts, dt, y, l1, js, e, g) VALUES "
          "(0, '', '', 'ab', '', 0, 0, 0, 0, b'0', '2024-03-31 02:30:00', "
          "'2024-03-31 02:30:00.123456', 2024, '', '{}', 'a', ST_GeomFromText('POINT(1 2)')),"
          "(1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, "
          "NULL, NULL, NULL),"
          "(2, 'it''s \\\\ a \"quote\"\\n\\r\\0 \\Z end', 'x', 'a\\0\\0', 0x00FF, "
          "-12345678901234.56789, 0.1, 1.0000000000000002, -9223372036854775808, b'1010101010', "
          "'1970-01-01 06:00:01', '1000-01-01 00:00:00', 1901, 'caf\xc3\xa9', "
          "'{\"a\": \"\xc3\xa9\\\\n\"}', 'b''c', ST_GeomFromText('POINT(-1.5 1e10)')),"
          "(3, 'Lyc\xc3\xa9"
          "e \xf0\x9f\x8f\xab \xf0\x9d\x94\x98', 'NULL', 'NULL', 'NULL', "
          "99999999999999.99999, -3.4e38, -2.5e-300, 9223372036854775807, b'1111111111', "
          "'2038-01-19 03:14:07', '9999-12-31 23:59:59.999999', 2155, '\\'', 'null', NULL, NULL)",
      "INSERT INTO " + t +
          " (id, bin) SELECT 10 + seq, "
          "(SELECT GROUP_CONCAT(CHAR(n.seq) ORDER BY n.seq SEPARATOR '') FROM seq_0_to_255 n) "
          "FROM seq_0_to_3",
      // Over 1 MiB in text and in binary, in one row.
      "INSERT INTO " + t +
          " (id, txt, bin) VALUES (100, REPEAT('\xc3\xa9\xf0\x9f\x8f\xab', 200000), "
          "REPEAT(CONCAT(CHAR(0), CHAR(255), CHAR(39), CHAR(92)), 300000))",
      "SET SESSION sql_mode = DEFAULT, time_zone = DEFAULT",
  };
}

/// Every entry below `root`, relative, with `/` after directories and ` -> target` after
/// symlinks; `root` itself left out.
inline std::set<std::string> tree_of(const std::string& root) {
  namespace fs = std::filesystem;
  std::set<std::string> out;
  for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator();
       ++it) {
    std::string entry = it->path().lexically_relative(root).string();
    if (it->is_symlink()) {
      entry += " -> " + fs::read_symlink(it->path()).string();
    } else if (it->is_directory()) {
      entry += "/";
    }
    out.insert(entry);
  }
  return out;
}

inline unsigned mode_of(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    return 0;
  }
  return st.st_mode & 07777;
}

} // namespace vmoodle::testing
