// A benchmark, not a timed test (disabled by default): the tool's migration of a legacy
// Moodle host against (a) Moodle's per-column method, as VMoodle's mysql_engine.php and
// mysql_collation.php run it, and (b) three separate passes (engine, row format,
// collation), on copies of the same data in the same run. Prints the ratios; the numbers
// are recorded in docs/performance.md.
//
//   build/integration/vmoodle_integration_tests --gtest_also_run_disabled_tests
//     --gtest_filter='MigrationBenchmark.*'   (one command line)
//
// VMOODLE_BENCH_SCALE (default 1) multiplies the generated rows (~170 MB at 1).
#include <chrono>
#include <cstdlib>
#include <iostream>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "integration/migrate/migrate_fixture.hpp"

namespace vmoodle::testing {
namespace {

/// Rows a site collects over a few years: users, logs, files, forum posts (utf8mb4
/// messages with emoji), a search index behind a FULLTEXT key. `{n}` scales them.
std::string bulk_rows_sql(int scale) {
  auto n = [&](int rows) { return std::to_string(rows * scale); };
  return "INSERT INTO mdl_user (auth, confirmed, mnethostid, username, password, idnumber, "
         "firstname, lastname, email, city, country, lang, description, timecreated, "
         "timemodified, lastnamephonetic, firstnamephonetic) SELECT 'manual', 1, 1, "
         "CONCAT('eleve', seq), CONCAT('$2y$10$', MD5(seq), MD5(seq + 1)), CONCAT('ID', seq), "
         "ELT(1 + seq % 6, 'Élodie', 'Jérôme', 'Françoise', 'Noël', 'Zoé', 'Anaïs'), "
         "ELT(1 + seq % 5, 'Müller', 'Lefèvre', 'Dubœuf', 'Garçon', 'Hélène'), "
         "CONCAT('eleve', seq, '@lycee-kleber.fr'), ELT(1 + seq % 3, 'Strasbourg', 'Sélestat', "
         "'Haguenau'), 'FR', 'fr', REPEAT(CONCAT('Élève de seconde, option ', seq % 7, "
         "' — très motivé. '), 8), 1700000000 + seq, 1700000000 + seq, '', '' FROM seq_1_to_" +
         n(20000) +
         ";\n"
         "INSERT INTO mdl_logstore_standard_log (eventname, component, action, target, "
         "objecttable, objectid, crud, edulevel, contextid, contextlevel, contextinstanceid, "
         "userid, courseid, anonymous, other, timecreated, origin, ip) SELECT ELT(1 + seq % 4, "
         "'\\\\core\\\\event\\\\course_viewed', '\\\\mod_forum\\\\event\\\\post_created', "
         "'\\\\core\\\\event\\\\user_loggedin', '\\\\mod_page\\\\event\\\\course_module_viewed'), "
         "ELT(1 + seq % 4, 'core', 'mod_forum', 'core', 'mod_page'), ELT(1 + seq % 3, 'viewed', "
         "'created', 'loggedin'), ELT(1 + seq % 3, 'course', 'post', 'user'), 'course', "
         "seq % 50, 'r', 2, 20 + seq % 30, 50, seq % 30, 1 + seq % 20000, 2, 0, "
         "CONCAT('{\"forumid\":', seq % 40, ',\"forumtype\":\"général\",\"discussionid\":', "
         "seq, '}'), 1700000000 + seq * 7, 'web', CONCAT('10.1.', seq % 250, '.', seq % 200) "
         "FROM seq_1_to_" +
         n(100000) +
         ";\n"
         "INSERT INTO mdl_files (contenthash, pathnamehash, contextid, component, filearea, "
         "itemid, filepath, filename, userid, filesize, mimetype, status, source, author, "
         "license, timecreated, timemodified) SELECT SHA1(CONCAT('c', seq)), "
         "SHA1(CONCAT('p', seq)), 20 + seq % 30, 'mod_resource', 'content', seq % 100, '/', "
         "CONCAT('Séance ', seq, ' — résumé.pdf'), 1 + seq % 20000, 1000 + seq * 13 % 2000000, "
         "'application/pdf', 0, CONCAT('Séance ', seq, '.pdf'), ELT(1 + seq % 3, 'Mme Müller', "
         "'M. Lefèvre', 'Zoé Garçon'), 'allrightsreserved', 1700000000 + seq, 1700000000 + seq "
         "FROM seq_1_to_" +
         n(50000) +
         ";\n"
         "INSERT INTO mdl_forum_posts (discussion, parent, userid, created, subject, message, "
         "messageformat, attachment, rawdraft) SELECT 1 + seq % 3000, 0, 1 + seq % 20000, "
         "1700000000 + seq, CONCAT('Re: Sortie n°', seq % 500, ' — à préparer'), "
         "CONCAT(REPEAT('<p>Bonjour à tous, voici le compte rendu de la séance : élèves "
         "présents, exercices corrigés. </p>', 6), ELT(1 + seq % 4, '😀', '👍🏽', '🎉', "
         "'𝔪𝔞𝔱𝔥𝔰')), "
         "1, '', IF(seq % 10 = 0, CAST(CONCAT('brouillon 🎨 ', seq) AS BINARY), NULL) "
         "FROM seq_1_to_" +
         n(30000) +
         ";\n"
         "INSERT INTO mdl_search_simpledb_index (docid, itemid, title, content, contextid, "
         "areaid, type, courseid, owneruserid, modified, userid) SELECT CONCAT('mod_forum-post-"
         "', seq + 100), seq, CONCAT('Sujet ', seq, ' : révisions de français'), "
         "REPEAT(CONCAT('Les élèves étudient ', ELT(1 + seq % 4, 'Molière', 'Hugo', 'Zola', "
         "'Camus'), ' et rédigent une dissertation. '), 10), 21, 'mod_forum-post', 1, 2, 0, "
         "1700000000 + seq, 3 FROM seq_1_to_" +
         n(20000) +
         ";\n"
         "INSERT INTO mdl_log (time, userid, ip, course, module, cmid, action, url, info) "
         "SELECT 1500000000 + seq, 1 + seq % 20000, '192.168.1.1', seq % 50, 'forum', seq % 300, "
         "'view discussion', CONCAT('discuss.php?d=', seq), CONCAT('Discussion n°', seq, "
         "' — élèves') FROM seq_1_to_" +
         n(50000) + ";\n";
}

struct Outcome {
  double seconds = 0;
  int statements = 0;
  int failed = 0;
  std::string first_failure;
};

class Sql {
public:
  Sql(FleetWorkspace& ws, const std::string& database) : m_conn(ws.sandbox().connect(database)) {}

  std::vector<db::Row> rows(const std::string& sql) {
    auto result = m_conn->query(sql);
    if (!result) {
      throw std::runtime_error(result.error().render());
    }
    return result->rows;
  }
  /// Runs `sql`, counting it and any failure in `outcome` (the method goes on, as
  /// Moodle's loop does for the tables after a failed one).
  void run(const std::string& sql, Outcome& outcome) {
    ++outcome.statements;
    if (auto done = m_conn->execute(sql); !done) {
      if (outcome.failed++ == 0) {
        outcome.first_failure = done.error().message;
      }
    }
  }
  std::vector<std::string> tables() {
    std::vector<std::string> out;
    for (const auto& row : rows("SELECT TABLE_NAME FROM information_schema.TABLES WHERE "
                                "TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME")) {
      out.push_back(*row[0]);
    }
    return out;
  }

private:
  std::unique_ptr<db::Connection> m_conn;
};

template <typename F> double seconds(F&& body) {
  const auto start = std::chrono::steady_clock::now();
  body();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

/// (b) One pass per property, each a full rebuild of the tables it concerns.
Outcome three_passes(FleetWorkspace& ws, const std::string& database) {
  Sql sql(ws, database);
  Outcome out;
  out.seconds = seconds([&] {
    for (const auto& row : sql.rows("SELECT TABLE_NAME FROM information_schema.TABLES WHERE "
                                    "TABLE_SCHEMA = DATABASE() AND ENGINE <> 'InnoDB'")) {
      sql.run("ALTER TABLE `" + *row[0] + "` ENGINE=InnoDB", out);
    }
    for (const auto& row : sql.rows("SELECT TABLE_NAME FROM information_schema.TABLES WHERE "
                                    "TABLE_SCHEMA = DATABASE() AND ROW_FORMAT <> 'Dynamic'")) {
      sql.run("ALTER TABLE `" + *row[0] + "` ROW_FORMAT=DYNAMIC", out);
    }
    for (const auto& table : sql.tables()) {
      sql.run("ALTER TABLE `" + table +
                  "` CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci",
              out);
    }
    sql.run("ALTER DATABASE `" + database +
                "` DEFAULT CHARACTER SET utf8mb4 DEFAULT COLLATE = utf8mb4_unicode_ci",
            out);
  });
  return out;
}

/// (a) VMoodle's mysql_engine.php, then mysql_collation.php: the table default, then a
/// MODIFY per text column, a ROW_FORMAT rebuild before every VARCHAR one.
Outcome moodle_per_column(FleetWorkspace& ws, const std::string& database) {
  Sql sql(ws, database);
  Outcome out;
  out.seconds = seconds([&] {
    for (const auto& row : sql.rows("SELECT TABLE_NAME FROM information_schema.TABLES WHERE "
                                    "TABLE_SCHEMA = DATABASE() AND ENGINE <> 'InnoDB'")) {
      sql.run("ALTER TABLE " + *row[0] + " ENGINE = INNODB", out);
    }
    sql.run("ALTER DATABASE `" + database +
                "` DEFAULT CHARACTER SET utf8mb4 DEFAULT COLLATE = utf8mb4_unicode_ci",
            out);
    for (const auto& table : sql.tables()) {
      sql.run("ALTER TABLE " + table +
                  " DEFAULT CHARACTER SET utf8mb4 DEFAULT COLLATE = "
                  "utf8mb4_unicode_ci",
              out);
      for (const auto& c : sql.rows("SELECT COLUMN_NAME, COLUMN_TYPE, DATA_TYPE, IS_NULLABLE, "
                                    "COLUMN_DEFAULT FROM information_schema.COLUMNS WHERE "
                                    "TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '" +
                                    table +
                                    "' AND COLLATION_NAME IS NOT NULL AND COLLATION_NAME <> "
                                    "'utf8mb4_unicode_ci' ORDER BY ORDINAL_POSITION")) {
        const std::string type = *c[2];
        const bool is_text = type.find("text") != std::string::npos;
        if (!is_text && type != "varchar") {
          continue; // "ERROR (unknown column type)" in the PHP script
        }
        if (!is_text) {
          sql.run("ALTER TABLE " + table + " ROW_FORMAT=Dynamic", out);
        }
        // MariaDB gives string defaults already quoted ('x'); NULL for none.
        const std::string def = c[4].value_or("NULL");
        const bool has_default = def != "NULL" && (is_text ? def != "''" : true);
        sql.run("ALTER TABLE " + table + " MODIFY COLUMN " + *c[0] + " " + *c[1] +
                    " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci " +
                    (*c[3] == "YES" ? "NULL" : "NOT NULL") +
                    (has_default ? " DEFAULT " + def : std::string()),
                out);
      }
    }
  });
  return out;
}

/// Copies `from` into a new database `to`: same engines, row formats, collations, rows.
void clone_database(FleetWorkspace& ws, const std::string& from, const std::string& to) {
  std::string script = "DROP DATABASE IF EXISTS `" + to + "`; CREATE DATABASE `" + to +
                       "` CHARACTER SET utf8mb3 COLLATE utf8mb3_general_ci; SET SESSION "
                       "innodb_strict_mode = OFF;\n";
  for (const auto& table : ws.rows("SELECT TABLE_NAME FROM information_schema.TABLES WHERE "
                                   "TABLE_SCHEMA = '" +
                                   from + "'")) {
    script += "CREATE TABLE `" + to + "`.`" + table + "` LIKE `" + from + "`.`" + table +
              "`; INSERT INTO `" + to + "`.`" + table + "` SELECT * FROM `" + from + "`.`" + table +
              "`;\n";
  }
  run_sql_script(ws, "", script);
}

/// Reads every row of `database` so that each method starts with its copy equally warm
/// (the clones were made one after the other).
void warm(FleetWorkspace& ws, const std::string& database) {
  for (const auto& table : ws.rows("SELECT TABLE_NAME FROM information_schema.TABLES WHERE "
                                   "TABLE_SCHEMA = '" +
                                   database + "'")) {
    ws.rows("CHECKSUM TABLE `" + database + "`.`" + table + "` EXTENDED");
  }
}

/// Tables off InnoDB / Dynamic / utf8mb4_unicode_ci, plus text columns off the collation.
std::size_t off_target(FleetWorkspace& ws, const std::string& database) {
  std::size_t count =
      tables_not_at(table_states(ws, database), "InnoDB|Dynamic|utf8mb4_unicode_ci").size();
  for (const auto& column : column_collations(ws, database)) {
    count += column.substr(column.find('|') + 1) != "utf8mb4_unicode_ci" ? 1 : 0;
  }
  return count;
}

/// Table → row count.
std::map<std::string, std::string> row_counts(FleetWorkspace& ws, const std::string& database) {
  std::map<std::string, std::string> out;
  for (const auto& table : ws.rows("SELECT TABLE_NAME FROM information_schema.TABLES WHERE "
                                   "TABLE_SCHEMA = '" +
                                   database + "'")) {
    out[table] = ws.rows("SELECT COUNT(*) FROM `" + database + "`.`" + table + "`").front();
  }
  return out;
}

TEST(MigrationBenchmark, DISABLED_ToolAgainstMoodlePerColumnAndThreePasses) {
  const char* scale_env = std::getenv("VMOODLE_BENCH_SCALE");
  const int scale = scale_env != nullptr ? std::max(1, std::atoi(scale_env)) : 1;
  FleetWorkspace ws("migbench");
  auto created =
      ws.cli({"apply", "-f", ws.write_manifest(ws.manifest_head() + host_entries({"tool"})),
              "--auto-approve"});
  ASSERT_EQ(created.exit_code, 0) << created.out << created.err;
  const std::string source = ws.db("source");
  load_legacy_site(ws, source, bulk_rows_sql(scale));
  clone_database(ws, source, ws.db("tool"));
  clone_database(ws, source, ws.db("passes"));
  clone_database(ws, source, ws.db("percolumn"));
  const auto size = ws.rows("SELECT SUM(DATA_LENGTH + INDEX_LENGTH), COUNT(*) FROM "
                            "information_schema.TABLES WHERE TABLE_SCHEMA = '" +
                            source + "'");
  const auto rows_before = row_counts(ws, source);

  MigrationRunner runner(ws);
  runner.load(head_with_defaults(ws, k_moodle_target) + host_entries({"tool"}));
  warm(ws, ws.db("tool"));
  Outcome tool;
  Status done;
  tool.seconds = seconds([&] { done = runner.migrate("tool"); });
  ASSERT_TRUE(done) << done.error().render();
  tool.statements = static_cast<int>(runner.reporter().events.size()) - 1;
  warm(ws, ws.db("passes"));
  const Outcome passes = three_passes(ws, ws.db("passes"));
  warm(ws, ws.db("percolumn"));
  const Outcome per_column = moodle_per_column(ws, ws.db("percolumn"));

  // The tool and the passes reach the same state; the per-column method does not.
  EXPECT_EQ(off_target(ws, ws.db("tool")), 0u);
  EXPECT_EQ(off_target(ws, ws.db("passes")), 0u);
  EXPECT_EQ(row_counts(ws, ws.db("tool")), rows_before);
  EXPECT_EQ(row_counts(ws, ws.db("passes")), rows_before);

  auto line = [&](const char* name, const Outcome& o, const std::string& db) {
    return fmt::format("  {:<44} {:7.2f} s  {:5.2f}x  {:4} statements  {:3} failed  {:3} "
                       "tables/columns off target{}\n",
                       name, o.seconds, o.seconds / tool.seconds, o.statements, o.failed,
                       off_target(ws, db),
                       o.first_failure.empty() ? "" : "\n      first failure: " + o.first_failure);
  };
  std::cout << fmt::format(
                   "\nMigrationBenchmark: legacy host, {} tables, {:.1f} MB (data + index), "
                   "scale {}\n",
                   size.front().substr(size.front().find('|') + 1),
                   std::stod(size.front().substr(0, size.front().find('|'))) / 1048576.0, scale)
            << line("vmoodle-apply (one ALTER per table)", tool, ws.db("tool"))
            << line("(b) three passes: engine, row format, charset", passes, ws.db("passes"))
            << line("(a) Moodle per-column (mysql_engine+collation)", per_column,
                    ws.db("percolumn"))
            << std::flush;
}

} // namespace
} // namespace vmoodle::testing
