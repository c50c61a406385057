-- moodle-mini.sql: a small Moodle 4.3 site ("site modèle"), the source of test templates.
--
-- 43 real Moodle tables, written in the form Moodle's MySQL generator gives them
-- (mysql_sql_generator): `mdl_` prefix, BIGINT(10) ids, per-column utf8mb4 charset and
-- collation, InnoDB, ROW_FORMAT=DYNAMIC, index names such as `mdl_conf_nam_uix`.
-- Rows look like a site that has been used for a while: French users with accents and
-- 4-byte emoji, MNet peers, logs, sessions, files, NULLs and one binary value.
--
-- Placeholders (scripts/seed-fleet.sh substitutes them, SQL-escaped):
--   TEMPLATE_WWWROOT  the template site's own wwwroot (mnet_host id 1, links in data)
-- Traps kept on purpose for the prefix rewrite (it must touch identifiers only):
--   config `maintenance_message`, upgrade_log `details` and local_mediacache `content`
--   contain the text mdl_course, the last two inside backquotes as in SQL.
-- The file `course/summary/programme-2nde.txt` (mdl_files) has its content written into the
-- template dataroot by scripts/seed-fleet.sh; keep its sha1 (contenthash) in step.

SET NAMES utf8mb4;
SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_AUTO_VALUE_ON_ZERO';

-- ---------------------------------------------------------------- configuration

CREATE TABLE `mdl_config` (
  `id` BIGINT(10) NOT NULL AUTO_INCREMENT,
  `name` VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NOT NULL DEFAULT '',
  `value` LONGTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NOT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `mdl_conf_nam_uix` (`name`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci ROW_FORMAT=DYNAMIC COMMENT='Moodle configuration variables';

INSERT INTO `mdl_config` (`id`, `name`, `value`) VALUES
(1,'rolesactive','1'),
(2,'auth','email,cas'),
(3,'enrol_plugins_enabled','manual,guest,self,cohort'),
(4,'theme','boost'),
(5,'filter_multilang_converted','1'),
(6,'siteidentifier','v3Qm8XkPzL1rT0aWcN7yHbE4sJ9uFgDo_template.example.org'),
(7,'backup_version','2008111700'),
(8,'backup_release','2.0 dev'),
(9,'mnet_dispatcher_mode','strict'),
(10,'sessiontimeout','7200'),
(11,'stringfilters',''),
(12,'filterall','0'),
(13,'texteditors','tiny,atto,tinymce,textarea'),
(14,'upgrade_minmaxgradestepignored','1'),
(15,'upgrade_extracreditweightsstepignored','1'),
(16,'upgrade_calculatedgradeitemsignored','1'),
(17,'mnet_localhost_id','1'),
(18,'mnet_all_hosts_id','2'),
(19,'siteguest','1'),
(20,'siteadmins','2'),
(21,'themerev','1794201337'),
(22,'jsrev','1794201337'),
(23,'licenses','unknown,allrightsreserved,public,cc-4.0,cc-nc-4.0,cc-nd-4.0,cc-nc-nd-4.0,cc-nc-sa-4.0,cc-sa-4.0'),
(24,'version','2023100900.00'),
(25,'release','4.3 (Build: 20231009)'),
(26,'branch','403'),
(27,'localcachedirpurged','1794201337'),
(28,'scheduledtaskreset','1794201337'),
(29,'allversionshash','6f1b7d3c0f8e1a2b4c5d6e7f8091a2b3c4d5e6f7'),
(30,'registrationpending','0'),
(31,'sessioncookie','modele'),
(32,'sessioncookiepath','/'),
(33,'dbsessions','1'),
(34,'lang','fr'),
(35,'timezone','Europe/Paris'),
(36,'forcetimezone','99'),
(37,'country','FR'),
(38,'defaultcity','Strasbourg'),
(39,'noreplyaddress','noreply@template.example.org'),
(40,'supportemail','assistance@template.example.org'),
(41,'supportname','Assistance de l’académie'),
(42,'supportpage','TEMPLATE_WWWROOT/mod/page/view.php?id=3'),
(43,'maintenance_message','<p>Maintenance du 12/11 : réindexation de la table mdl_course, retour prévu à 7h.</p>'),
(44,'maintenance_enabled','0'),
(45,'registerauth',''),
(46,'defaultrequestcategory','1'),
(47,'frontpage','6'),
(48,'frontpageloggedin','6,5'),
(49,'notloggedinroleid','6'),
(50,'guestroleid','6'),
(51,'defaultuserroleid','7'),
(52,'creatornewroleid','3'),
(53,'restorernewroleid','3'),
(54,'gradebookroles','5'),
(55,'customusermenuitems','profile,moodle|/user/profile.php\ngrades,grades|/grade/report/mygrades.php\ncalendar,core_calendar|/calendar/view.php?view=month\nprivatefiles,moodle|/user/files.php\nreports,core_reportbuilder|/reportbuilder/index.php'),
(56,'fullnamedisplay','language'),
(57,'allowemailaddresses','');

CREATE TABLE `mdl_config_plugins` (
  `id` BIGINT(10) NOT NULL AUTO_INCREMENT,
  `plugin` VARCHAR(100) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NOT NULL DEFAULT 'core',
  `name` VARCHAR(100) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NOT NULL DEFAULT '',
  `value` LONGTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NOT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `mdl_confplug_plunam_uix` (`plugin`, `name`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci ROW_FORMAT=DYNAMIC COMMENT='Moodle modules and plugins configuration variables';

INSERT INTO `mdl_config_plugins` (`id`, `plugin`, `name`, `value`) VALUES
(1,'question','multichoice_sortorder','1'),
(2,'moodlecourse','visible','1'),
(3,'moodlecourse','format','topics'),
(4,'moodlecourse','maxsections','52'),
(5,'moodlecourse','numsections','4'),
(6,'auth_manual','version','2023100900'),
(7,'auth_email','version','2023100900'),
(8,'auth_mnet','version','2023100900'),
(9,'auth_mnet','rpc_negotiation_timeout','30'),
(10,'auth_cas','version','2023100900'),
(11,'auth_cas','hostname','cas.ac-exemple.fr'),
(12,'auth_cas','baseuri','cas/'),
(13,'auth_cas','port','443'),
(14,'enrol_manual','version','2023100900'),
(15,'enrol_manual','expiry_notify_hour','6'),
(16,'enrol_self','version','2023100900'),
(17,'enrol_guest','version','2023100900'),
(18,'mod_forum','version','2023100900'),
(19,'mod_assign','version','2023100900'),
(20,'local_vmoodle','version','2025043003'),
(21,'local_vmoodle','mnet_key_autorenew','1'),
(22,'local_vmoodle','vmoodlehost','https://<%%INSTANCE%%>.example.org'),
(23,'local_vmoodle','vdbbasename','vmdl_<%%INSTANCE%%>'),
(24,'local_vmoodle','vdatapathbase','/var/moodledata/vhosts/<%%INSTANCE%%>'),
(25,'tool_dataprivacy','contactdataprotectionofficer','0'),
(26,'tool_mobile','apppolicy',''),
(27,'theme_boost','brandcolor','#00305c'),
(28,'theme_boost','scss','// Charte graphique de l’académie\n.navbar { border-bottom: 3px solid #e30613; }'),
(29,'core_competency','enabled','0'),
(30,'editor_tiny','version','2023100900');

CREATE TABLE `mdl_config_log` (
  `id` BIGINT(10) NOT NULL AUTO_INCREMENT,
  `userid` BIGINT(10) NOT NULL,
  `timemodified` BIGINT(10) NOT NULL,
  `plugin` VARCHAR(100) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci,
  `name` VARCHAR(100) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NOT NULL DEFAULT '',
  `value` LONGTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci,
  `oldvalue` LONGTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci,
  PRIMARY KEY (`id`),
  KEY `mdl_conflog_tim_ix` (`timemodified`),
  KEY `mdl_conflog_use_ix` (`userid`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci ROW_FORMAT=DYNAMIC COMMENT='Changes done in server configuration through admin UI';

INSERT INTO `mdl_config_log` (`id`, `userid`, `timemodified`, `plugin`, `name`, `value`, `oldvalue`) VALUES
(1,0,1760011200,NULL,'lang','fr',NULL),
(2,0,1760011200,NULL,'timezone','Europe/Paris',NULL),
(3,2,1760014800,'theme_boost','brandcolor','#00305c',''),
(4,2,1761300000,NULL,'supportname','Assistance de l’académie','Assistance'),
(5,2,1794100000,NULL,'maintenance_enabled','0','1');

CREATE TABLE `mdl_upgrade_log` (
  `id` BIGINT(10) NOT NULL AUTO_INCREMENT,
  `type` BIGINT(10) NOT NULL,
  `plugin` VARCHAR(100) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci,
  `version` VARCHAR(100) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci,
  `targetversion` VARCHAR(100) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci,
  `info` VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NOT NULL DEFAULT '',
  `details` LONGTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci,
  `backtrace` LONGTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci,
  `userid` BIGINT(10) NOT NULL,
  `timemodified` BIGINT(10) NOT NULL,
  PRIMARY KEY (`id`),
  KEY `mdl_upgrlog_tim_ix` (`timemodified`),
  KEY `mdl_upgrlog_typtim_ix` (`type`, `timemodified`),
  KEY `mdl_upgrlog_use_ix` (`userid`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci ROW_FORMAT=DYNAMIC COMMENT='Upgrade logging';

INSERT INTO `mdl_upgrade_log` (`id`, `type`, `plugin`, `version`, `targetversion`, `info`, `details`, `backtrace`, `userid`, `timemodified`) VALUES
(1,0,'core','2023100900.00','2023100900.00','Upgrade savepoint reached',NULL,'',0,1760011140),
(2,0,'core','2023100900.00','2023100900.00','Core installed',NULL,'',0,1760011190),
(3,0,'local_vmoodle',NULL,'2025043003','Starting plugin installation',NULL,'',0,1760011195),
(4,2,'core','2023100900.00','2023100900.00','Exception: ddl_change_structure_exception','Error writing file: ALTER TABLE `mdl_course` ADD `pdfexportfont` VARCHAR(50) COLLATE utf8mb4_unicode_ci AFTER `showcompletionconditions`','* line 110 of /lib/dml/moodle_database.php: ddl_change_structure_exception thrown',2,1760011199),
(5,0,'local_vmoodle','2025043003','2025043003','Plugin installed',NULL,'',0,1760011201);

-- ---------------------------------------------------------------- courses

CREATE TABLE `mdl_course` (
  `id` BIGINT(10) NOT NULL AUTO_INCREMENT,
  `category` BIGINT(10) NOT NULL DEFAULT 0,
  `sortorder` BIGINT(10) NOT NULL DEFAULT 0,
  `fullname` VARCHAR(254) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NOT NULL DEFAULT '',
  `shortname` VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NOT NULL DEFAULT '',
  `idnumber` VARCHAR(100) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NOT NULL DEFAULT '',
  `summary` LONGTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci,
  `summaryformat` TINYINT(2) NOT NULL DEFAULT 0,
  `format` VARCHAR(21) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NOT NULL DEFAULT 'topics',
  `showgrades` TINYINT(2) NOT NULL DEFAULT 1,
  `newsitems` MEDIUMINT(5) NOT NULL DEFAULT 1,
  `startdate` BIGINT(10) NOT NULL DEFAULT 0,
  `enddate` BIGINT(10) NOT NULL DEFAULT 0,
  `relativedatesmode` TINYINT(1) NOT NULL DEFAULT 0,
  `marker` BIGINT(10) NOT NULL DEFAULT 0,
  `maxbytes` BIGINT(10) NOT NULL DEFAULT 0,
  `legacyfiles` SMALLINT(4) NOT NULL DEFAULT 0,
  `showreports` SMALLINT(4) NOT NULL DEFAULT 0,
  `visible` TINYINT(1) NOT NULL DEFAULT 1,
  `visibleold` TINYINT(1) NOT NULL DEFAULT 1,
  `downloadcontent` TINYINT(1),
  `groupmode` SMALLINT(4) NOT NULL DEFAULT 0,
  `groupmodeforce` SMALLINT(4) NOT NULL DEFAULT 0,
  `defaultgroupingid` BIGINT(10) NOT NULL DEFAULT 0,
  `lang` VARCHAR(30) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NOT NULL DEFAULT '',
  `calendartype` VARCHAR(30) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NOT NULL DEFAULT '',
  `theme` VARCHAR(50) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NOT NULL DEFAULT '',
  `timecreated` BIGINT(10) NOT NULL DEFAULT 0,
  `timemodified` BIGINT(10) NOT NULL DEFAULT 0,
  `requested` TINYINT(1) NOT NULL DEFAULT 0,
  `enablecompletion` TINYINT(1) NOT NULL DEFAULT 0,
  `completionnotify` TINYINT(1) NOT NULL DEFAULT 0,
  `cacherev` BIGINT(10) NOT NULL DEFAULT 0,
  `originalcourseid` BIGINT(10),
  `showactivitydates` TINYINT(1) NOT NULL DEFAULT 0,
  `showcompletionconditions` TINYINT(1),
  `pdfexportfont` VARCHAR(50) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci,
  PRIMARY KEY (`id`),
  KEY `mdl_cour_cat_ix` (`category`),
  KEY `mdl_cour_idn_ix` (`idnumber`),
  KEY `mdl_cour_sho_ix` (`shortname`),
  KEY `mdl_cour_sor_ix` (`sortorder`),
  KEY `mdl_cour_ori_ix` (`originalcourseid`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci ROW_FORMAT=DYNAMIC COMMENT='Central course table';
