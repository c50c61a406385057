#include <gtest/gtest.h>

#include "tests/fakes/memory_file_reader.hpp"
#include "tests/manifest/manifest_test_util.hpp"

namespace vmoodle::manifest {
namespace {

using fixtures::k_base_dir;
using fixtures::k_valid_manifest;

model::Fleet load_valid() {
  auto result = load(k_valid_manifest, "fleet.yaml", k_base_dir);
  EXPECT_TRUE(result.has_value()) << (result ? "" : result.error().render());
  return result ? *result : model::Fleet{};
}

TEST(ManifestLoad, ResolvesServers) {
  const model::Fleet fleet = load_valid();
  ASSERT_EQ(fleet.servers.size(), 2u);
  const model::Server& db1 = fleet.servers.at("db1");
  EXPECT_EQ(db1.host, "127.0.0.1");
  EXPECT_EQ(db1.port, 3307u);
  EXPECT_EQ(db1.user, "vmoodle_admin");
  ASSERT_TRUE(db1.password.has_value());
  EXPECT_EQ(db1.password->describe(), "env DB1_PASSWORD");
  EXPECT_EQ(db1.password->loc.render(), "fleet.yaml:7:5: servers.db1.password");
  EXPECT_EQ(db1.registry_host, "db1.internal");
  EXPECT_EQ(db1.max_parallel, 8);
  EXPECT_EQ(db1.loc.render(), "fleet.yaml:3:3: servers.db1");

  const model::Server& db2 = fleet.servers.at("db2");
  EXPECT_EQ(db2.socket, "/run/mysqld/mysqld.sock");
  EXPECT_EQ(db2.host, "");
  EXPECT_EQ(db2.port, 3306u) << "default port";
  EXPECT_EQ(db2.registry_host, "localhost") << "a socket server defaults to localhost";
  EXPECT_EQ(db2.max_parallel, 4) << "default max_parallel";
  ASSERT_TRUE(db2.password.has_value());
  EXPECT_EQ(db2.password->source, model::SecretRef::Source::file);
  EXPECT_EQ(db2.password->name, "/srv/fleet/secrets/db2.pass") << "relative path joined";
}

TEST(ManifestLoad, ResolvesMasterAndRoots) {
  const model::Fleet fleet = load_valid();
  EXPECT_EQ(fleet.file, "fleet.yaml");
  EXPECT_EQ(fleet.version, 1);
  EXPECT_EQ(fleet.master.server, "db1");
  EXPECT_EQ(fleet.master.database, "moodle");
  EXPECT_EQ(fleet.master.registry_table(), "mdl_local_vmoodle");
  EXPECT_EQ(fleet.master.templates_dir(), "/var/moodledata/vmoodle");
  EXPECT_EQ(fleet.master.wwwroot, "https://moodle.example.org");
  EXPECT_EQ(fleet.master.loc.line, 14);
  EXPECT_EQ(fleet.dataroot_roots,
            (std::vector<std::string>{"/var/moodledata/vhosts", "/srv/fleet/vhosts"}));
}

TEST(ManifestLoad, MergesDefaultsAndExpandsPlaceholders) {
  const model::Fleet fleet = load_valid();
  ASSERT_EQ(fleet.hosts.size(), 3u);
  const model::Host& kleber = fleet.hosts[0];
  EXPECT_EQ(kleber.index, 0);
  EXPECT_EQ(kleber.vhostname, "https://kleber.example.org");
  EXPECT_EQ(kleber.name, "Lycée Kléber (kleber)");
  EXPECT_EQ(kleber.description, "Site of kleber");
  EXPECT_EQ(kleber.server, "db1");
  EXPECT_EQ(kleber.database, "vmdl_kleber");
  EXPECT_EQ(kleber.prefix, "mdl_");
  EXPECT_EQ(kleber.db_type, "mariadb");
  EXPECT_EQ(kleber.db_user, "moodle");
  ASSERT_TRUE(kleber.db_password.has_value());
  EXPECT_EQ(kleber.db_password->describe(), "env MOODLE_DB_PASSWORD");
  EXPECT_EQ(kleber.db_password->loc.render(), "fleet.yaml:26:3: defaults.db_password");
  EXPECT_EQ(kleber.dataroot, "/var/moodledata/vhosts/kleber");
  EXPECT_EQ(kleber.charset, "utf8mb4");
  EXPECT_EQ(kleber.collation, "utf8mb4_unicode_ci");
  EXPECT_EQ(kleber.engine, "InnoDB") << "engine is case-insensitive, stored canonical";
  EXPECT_EQ(kleber.row_format, "Dynamic");
  EXPECT_EQ(kleber.mnet, (model::Mnet{false, -1}));
  EXPECT_TRUE(kleber.enabled);
  EXPECT_EQ(kleber.template_name, "base44");
  EXPECT_TRUE(kleber.protect);
  EXPECT_EQ(kleber.state, model::HostState::present);
  EXPECT_TRUE(kleber.final_snapshot);
  EXPECT_FALSE(kleber.db_persist);
  EXPECT_EQ(kleber.loc.render(), "fleet.yaml:35:5: hosts[0]");
  // Keys as written: in the host entry, or in defaults.
  EXPECT_EQ(kleber.where("name").render(), "fleet.yaml:37:5: hosts[0].name");
  EXPECT_EQ(kleber.where("database").render(), "fleet.yaml:23:3: defaults.database");
  EXPECT_EQ(kleber.where("protect").render(), "fleet.yaml:40:5: hosts[0].protect");
  EXPECT_EQ(kleber.key_locs.count("prefix"), 0u) << "prefix was not written anywhere";
}

TEST(ManifestLoad, HostOverridesAndDefaultsOfItsOwn) {
  const model::Fleet fleet = load_valid();
  const model::Host& old = fleet.hosts[1];
  EXPECT_EQ(old.state, model::HostState::absent);
  EXPECT_FALSE(old.final_snapshot);
  EXPECT_EQ(old.name, "old") << "name defaults to the shortname";
  EXPECT_EQ(old.description, "");

  const model::Host& local = fleet.hosts[2];
  EXPECT_EQ(local.server, "db2");
  EXPECT_EQ(local.database, "local_local") << "{vhost} is the first DNS label";
  EXPECT_EQ(local.dataroot, "/srv/fleet/vhosts/local") << "relative dataroot joined";
  EXPECT_TRUE(local.mnet.allocate_new);
  EXPECT_TRUE(local.db_persist);
  EXPECT_FALSE(local.enabled);
  EXPECT_EQ(local.where("server").render(), "fleet.yaml:47:5: hosts[2].server");
}

TEST(ManifestLoad, ResolvesSnapshots) {
  const model::Fleet fleet = load_valid();
  ASSERT_EQ(fleet.snapshots.size(), 1u);
  EXPECT_EQ(fleet.snapshots[0].name, "base45");
  EXPECT_EQ(fleet.snapshots[0].from, "https://kleber.example.org");
  EXPECT_EQ(fleet.snapshots[0].loc.render(), "fleet.yaml:55:5: snapshots[0]");
}

TEST(ManifestLoad, MinimalManifestNeedsNoOptionalSections) {
  const std::string text = R"(version: 1
servers: {db1: {host: db.internal, user: admin}}
master: {server: db1, database: moodle, dataroot: /data, wwwroot: https://moodle.example.org}
dataroot_roots: [/data/vhosts]
hosts: []
)";
  auto fleet = load(text, "fleet.yaml");
  ASSERT_TRUE(fleet.has_value()) << fleet.error().render();
  EXPECT_TRUE(fleet->hosts.empty());
  EXPECT_EQ(fleet->master.prefix, "mdl_");
  EXPECT_EQ(fleet->servers.at("db1").registry_host, "db.internal") << "defaults to host";
  EXPECT_FALSE(fleet->servers.at("db1").password.has_value());
}

TEST(ManifestLoad, RelativePathWithoutBaseDirectoryIsAnError) {
  auto result = load(k_valid_manifest, "fleet.yaml");
  ASSERT_FALSE(result.has_value());
  // The three relative paths of the manifest: db2's password file, a root, a dataroot.
  ASSERT_EQ(result.error().causes.size(), 3u) << result.error().render();
  EXPECT_EQ(result.error().causes[0].where, "fleet.yaml:13:16: servers.db2.password.file");
  EXPECT_NE(result.error().causes[0].message.find("relative path \"secrets/db2.pass\""),
            std::string::npos);
  EXPECT_EQ(result.error().causes[1].where, "fleet.yaml:20:42: dataroot_roots[1]");
  EXPECT_EQ(result.error().causes[2].where, "fleet.yaml:49:5: hosts[2].dataroot");
}

TEST(ManifestLoadFile, ResolvesRelativePathsAgainstTheManifestDirectory) {
  vmoodle::testing::MemoryFileReader reader;
  reader.add_file("/home/ops/fleet/fleet.yaml", k_valid_manifest);
  auto fleet = load_file(reader, "/home/ops/fleet/fleet.yaml");
  ASSERT_TRUE(fleet.has_value()) << fleet.error().render();
  EXPECT_EQ(fleet->file, "/home/ops/fleet/fleet.yaml");
  EXPECT_EQ(fleet->hosts[2].dataroot, "/home/ops/fleet/vhosts/local");
  EXPECT_EQ(fleet->servers.at("db2").password->name, "/home/ops/fleet/secrets/db2.pass");
  EXPECT_EQ(reader.reads(), (std::vector<std::string>{"/home/ops/fleet/fleet.yaml"}));
}

TEST(ManifestLoadFile, NamesTheFileInErrors) {
  vmoodle::testing::MemoryFileReader reader;
  reader.add_file("/etc/vmoodle/fleet.yaml", "version: 1\nservers: []\n");
  auto fleet = load_file(reader, "/etc/vmoodle/fleet.yaml");
  ASSERT_FALSE(fleet.has_value());
  EXPECT_EQ(fleet.error().message.rfind("/etc/vmoodle/fleet.yaml: ", 0), 0u);
  EXPECT_EQ(fleet.error().causes.at(0).where.rfind("/etc/vmoodle/fleet.yaml:", 0), 0u);
}

TEST(ManifestLoadFile, ReturnsTheReadError) {
  vmoodle::testing::MemoryFileReader reader;
  auto fleet = load_file(reader, "/etc/vmoodle/missing.yaml");
  ASSERT_FALSE(fleet.has_value());
  EXPECT_EQ(fleet.error().kind, ErrorKind::io);
  EXPECT_EQ(fleet.error().where, "/etc/vmoodle/missing.yaml");
}

TEST(Sessioncookie, KeepsOnlyLettersAndDigits) {
  EXPECT_EQ(sessioncookie_for("Lycée-Kléber_2"), "LyceKlber2");
  EXPECT_EQ(sessioncookie_for("a b.c"), "abc");
  EXPECT_EQ(sessioncookie_for("--"), "");
}

} // namespace
} // namespace vmoodle::manifest
