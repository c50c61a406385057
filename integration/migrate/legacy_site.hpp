#pragma once

#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "integration/e2e/fleet_workspace.hpp"

namespace vmoodle::testing {

/// The tables of the legacy site that are MyISAM, as on sites older than Moodle 2.9.
inline const std::vector<std::string>& legacy_myisam_tables() {
  static const std::vector<std::string> k_tables = {"mdl_cache_flags",           "mdl_config_log",
                                                    "mdl_glossary_entries",      "mdl_log",
                                                    "mdl_logstore_standard_log", "mdl_sessions"};
  return k_tables;
}

/// Tables written by a site that went on running after an admin added utf8mb4 columns:
/// a FULLTEXT index on an InnoDB table (search_simpledb), one on a MyISAM table, and
/// 4-byte characters in a utf8mb4 column and in a blob of a utf8mb3 table.
inline const char* k_legacy_extra_tables = R"SQL(
CREATE TABLE `mdl_search_simpledb_index` (
  `id` BIGINT(10) NOT NULL AUTO_INCREMENT,
  `docid` VARCHAR(255) COLLATE utf8mb3_unicode_ci NOT NULL,
  `itemid` BIGINT(10) NOT NULL,
  `title` LONGTEXT COLLATE utf8mb3_unicode_ci,
  `content` LONGTEXT COLLATE utf8mb3_unicode_ci,
  `contextid` BIGINT(10) NOT NULL,
  `areaid` VARCHAR(255) COLLATE utf8mb3_unicode_ci NOT NULL,
  `type` TINYINT(1) NOT NULL,
  `courseid` BIGINT(10) NOT NULL,
  `owneruserid` BIGINT(10) DEFAULT NULL,
  `modified` BIGINT(10) NOT NULL,
  `userid` BIGINT(10) DEFAULT NULL,
  `description1` LONGTEXT COLLATE utf8mb3_unicode_ci,
  `description2` LONGTEXT COLLATE utf8mb3_unicode_ci,
  PRIMARY KEY (`id`),
  UNIQUE KEY `mdl_searsimpinde_doc_uix` (`docid`),
  KEY `mdl_searsimpinde_owncon_ix` (`owneruserid`,`contextid`),
  FULLTEXT KEY `mdl_search_simpledb_index_index` (`title`,`content`,`description1`,`description2`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb3 COLLATE=utf8mb3_unicode_ci ROW_FORMAT=COMPACT COMMENT='search_simpledb table containing the index data.';

INSERT INTO `mdl_search_simpledb_index` (`docid`, `itemid`, `title`, `content`, `contextid`, `areaid`, `type`, `courseid`, `owneruserid`, `modified`, `userid`, `description1`, `description2`) VALUES
('mod_forum-post-1',1,'Rentrée des élèves','Les élèves de seconde découvrent le lycée : café, crème brûlée et forêt-noire à la cantine.',21,'mod_forum-post',1,2,0,1700000100,3,'Réunion à 18 h','Ça commence'),
('mod_forum-post-2',2,'Conseil de classe — 1ère trimestre','Œuvre collective ; naïveté, Noël, août, garçon, Ægir.',21,'mod_forum-post',1,2,0,1700000200,4,NULL,NULL),
('mod_page-activity-3',3,'Programme de 2nde','Français, mathématiques, histoire-géographie, SVT, EPS.',22,'mod_page-activity',1,2,0,1700000300,2,'Où ?','Là-bas'),
('core_course-course-2',2,'Lycée Kléber','Strasbourg, Bas-Rhin : « Unité, Égalité ».',20,'core_course-course',1,2,NULL,1700000400,NULL,'',NULL);

CREATE TABLE `mdl_glossary_entries` (
  `id` BIGINT(10) NOT NULL AUTO_INCREMENT,
  `glossaryid` BIGINT(10) NOT NULL DEFAULT 0,
  `userid` BIGINT(10) NOT NULL DEFAULT 0,
  `concept` VARCHAR(255) COLLATE utf8mb3_unicode_ci NOT NULL DEFAULT '',
  `definition` LONGTEXT COLLATE utf8mb3_unicode_ci NOT NULL,
  `definitionformat` TINYINT(2) NOT NULL DEFAULT 0,
  `attachment` VARCHAR(100) COLLATE utf8mb3_unicode_ci NOT NULL DEFAULT '',
  `timecreated` BIGINT(10) NOT NULL DEFAULT 0,
  `approved` TINYINT(2) NOT NULL DEFAULT 1,
  PRIMARY KEY (`id`),
  KEY `mdl_glosentr_con_ix` (`concept`),
  KEY `mdl_glosentr_glo_ix` (`glossaryid`),
  FULLTEXT KEY `mdl_glosentr_ft` (`concept`,`definition`)
) ENGINE=MyISAM DEFAULT CHARSET=utf8mb3 COLLATE=utf8mb3_unicode_ci COMMENT='all glossary entries';

INSERT INTO `mdl_glossary_entries` (`glossaryid`, `userid`, `concept`, `definition`, `definitionformat`, `attachment`, `timecreated`) VALUES
(1,3,'Épistémologie','Étude critique des sciences ; « théorie de la connaissance ».',1,'',1700000500),
(1,4,'Hétérogénéité','Caractère de ce qui est hétérogène — composé d''éléments différents.',1,'',1700000600),
(1,3,'Naïf','Qui est d''une crédulité excessive.',1,'1',1700000700);

CREATE TABLE `mdl_forum_posts` (
  `id` BIGINT(10) NOT NULL AUTO_INCREMENT,
  `discussion` BIGINT(10) NOT NULL DEFAULT 0,
  `parent` BIGINT(10) NOT NULL DEFAULT 0,
  `userid` BIGINT(10) NOT NULL DEFAULT 0,
  `created` BIGINT(10) NOT NULL DEFAULT 0,
  `subject` VARCHAR(255) COLLATE utf8mb3_unicode_ci NOT NULL DEFAULT '',
  `message` LONGTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NOT NULL,
  `messageformat` TINYINT(2) NOT NULL DEFAULT 0,
  `attachment` VARCHAR(100) COLLATE utf8mb3_unicode_ci NOT NULL DEFAULT '',
  `rawdraft` LONGBLOB,
  PRIMARY KEY (`id`),
  KEY `mdl_forupost_dis_ix` (`discussion`),
  KEY `mdl_forupost_use_ix` (`userid`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb3 COLLATE=utf8mb3_unicode_ci ROW_FORMAT=COMPACT COMMENT='All posts are stored in this table';

INSERT INTO `mdl_forum_posts` (`discussion`, `parent`, `userid`, `created`, `subject`, `message`, `messageformat`, `attachment`, `rawdraft`) VALUES
(1,0,3,1700000800,'Sortie au musée','Rendez-vous à 8 h 🚌 devant le lycée — n''oubliez pas vos carnets 📓 !',1,'',_binary 'brouillon 🎨 à finir'),
(1,1,4,1700000900,'Re: Sortie au musée','Super idée 👍🏽, merci Mme Müller 😀',1,'',NULL),
(2,0,2,1700001000,'Bac blanc','Résultats en ligne 𝔪𝔞𝔱𝔥𝔰 ; courage à tous 💪',1,'1',_binary 'é𝄞');
)SQL";

/// moodle-mini.sql as a legacy site: every table utf8mb3_unicode_ci with COMPACT rows,
/// the log, session and cache tables MyISAM, 4-byte characters taken out of the data
/// (utf8mb3 cannot hold them), and the extra tables above. Creating it turns InnoDB's
/// strict mode off, as such sites were built before it existed: some tables (mdl_user)
/// exceed what strict Compact rows allow.
inline std::string legacy_site_sql() {
  std::ifstream in(std::string(VMOODLE_SOURCE_DIR) + "/integration/fixtures/moodle-mini.sql",
                   std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string raw = buffer.str();
  if (raw.empty()) {
    throw std::runtime_error("cannot read integration/fixtures/moodle-mini.sql");
  }
  std::string sql;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    const auto byte = static_cast<unsigned char>(raw[i]);
    if (byte >= 0xF0) {
      i += 3; // the lead byte of a 4-byte UTF-8 sequence and its three continuations
      continue;
    }
    sql += raw[i];
  }
  auto replace_all = [&](const std::string& from, const std::string& to) {
    for (auto at = sql.find(from); at != std::string::npos; at = sql.find(from, at + to.size())) {
      sql.replace(at, from.size(), to);
    }
  };
  replace_all("TEMPLATE_WWWROOT", "https://legacy.example.org");
  replace_all("utf8mb4_unicode_ci", "utf8mb3_unicode_ci");
  replace_all("CHARSET=utf8mb4", "CHARSET=utf8mb3");
  replace_all("CHARACTER SET utf8mb4", "CHARACTER SET utf8mb3");
  replace_all("ROW_FORMAT=DYNAMIC", "ROW_FORMAT=COMPACT");
  for (const auto& table : legacy_myisam_tables()) {
    const auto create = sql.find("CREATE TABLE `" + table + "` (");
    if (create == std::string::npos) {
      continue; // an extra table, MyISAM already
    }
    const auto engine = sql.find(") ENGINE=InnoDB", create);
    sql.replace(engine, 15, ") ENGINE=MyISAM");
    const auto format = sql.find(" ROW_FORMAT=COMPACT", engine);
    sql.erase(format, 19);
  }
  return "SET SESSION innodb_strict_mode = OFF;\n" + sql + k_legacy_extra_tables;
}

/// Runs `sql` with the stock client on `database`; throws with its stderr on failure.
inline void run_sql_script(FleetWorkspace& ws, const std::string& database,
                           const std::string& sql) {
  std::vector<std::string> argv = {"mariadb", "--no-defaults", "--socket=" + ws.sandbox().socket(),
                                   "-u", k_sandbox_user};
  if (!database.empty()) {
    argv.push_back(database);
  }
  auto result = run_command(argv, {{"MYSQL_PWD", ws.sandbox().password()}}, sql);
  if (result.exit_code != 0) {
    throw std::runtime_error("mariadb " + database + ": " + result.err);
  }
}

/// Replaces database `database` with the legacy site (default utf8mb3_general_ci), then
/// runs `extra_sql` in it.
inline void load_legacy_site(FleetWorkspace& ws, const std::string& database,
                             const std::string& extra_sql = "") {
  run_sql_script(ws, "",
                 "DROP DATABASE IF EXISTS `" + database + "`; CREATE DATABASE `" + database +
                     "` CHARACTER SET utf8mb3 COLLATE utf8mb3_general_ci;");
  run_sql_script(ws, database, legacy_site_sql() + extra_sql);
}

/// `table|engine|row format|table collation` for each table, by name.
inline std::vector<std::string> table_states(FleetWorkspace& ws, const std::string& database) {
  return ws.rows("SELECT TABLE_NAME, ENGINE, ROW_FORMAT, TABLE_COLLATION FROM "
                 "information_schema.TABLES WHERE TABLE_SCHEMA = '" +
                 database + "' ORDER BY TABLE_NAME");
}

/// `table.column|collation` for each text column, by table and position.
inline std::vector<std::string> column_collations(FleetWorkspace& ws, const std::string& database) {
  return ws.rows("SELECT CONCAT(TABLE_NAME, '.', COLUMN_NAME), COLLATION_NAME FROM "
                 "information_schema.COLUMNS WHERE TABLE_SCHEMA = '" +
                 database +
                 "' AND COLLATION_NAME IS NOT NULL ORDER BY TABLE_NAME, ORDINAL_POSITION");
}

/// `charset|collation` of the database default.
inline std::string database_default(FleetWorkspace& ws, const std::string& database) {
  auto rows = ws.rows("SELECT DEFAULT_CHARACTER_SET_NAME, DEFAULT_COLLATION_NAME FROM "
                      "information_schema.SCHEMATA WHERE SCHEMA_NAME = '" +
                      database + "'");
  return rows.empty() ? "" : rows.front();
}

/// Every row of every table, text read as utf8mb4 and binary as hex, by first column:
/// what must be the same before and after a migration.
inline std::map<std::string, std::vector<std::string>> table_contents(FleetWorkspace& ws,
                                                                      const std::string& database) {
  std::map<std::string, std::vector<std::string>> out;
  std::map<std::string, std::string> selects;
  for (const auto& line :
       ws.rows("SELECT TABLE_NAME, COLUMN_NAME, COLLATION_NAME IS NOT NULL, DATA_TYPE FROM "
               "information_schema.COLUMNS WHERE TABLE_SCHEMA = '" +
               database + "' ORDER BY TABLE_NAME, ORDINAL_POSITION")) {
    std::vector<std::string> f;
    std::stringstream parts(line);
    for (std::string part; std::getline(parts, part, '|');) {
      f.push_back(part);
    }
    const std::string column = "`" + f[1] + "`";
    std::string expr = column;
    if (f[2] == "1") {
      expr = "CONVERT(" + column + " USING utf8mb4)";
    } else if (f[3].find("blob") != std::string::npos || f[3].find("binary") != std::string::npos) {
      expr = "HEX(" + column + ")";
    }
    auto& select = selects[f[0]];
    select += (select.empty() ? "" : ", ") + expr;
  }
  for (const auto& [table, columns] : selects) {
    out[table] =
        ws.rows("SELECT " + columns + " FROM `" + database + "`.`" + table + "` ORDER BY 1");
  }
  return out;
}

} // namespace vmoodle::testing
