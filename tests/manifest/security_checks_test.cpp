// TLS options of servers and managed accounts of hosts: each rule with its message and
// location, and what a valid manifest resolves to.
#include <gtest/gtest.h>

#include "tests/manifest/manifest_test_util.hpp"

namespace vmoodle::manifest {
namespace {

using fixtures::k_base_dir;
using fixtures::k_valid_manifest;
using fixtures::only_error;
using fixtures::replaced;

// db1 with `lines` (each "    key: value\n") added after its max_parallel.
std::string with_db1(const std::string& lines) {
  return replaced(k_valid_manifest, "    max_parallel: 8\n", "    max_parallel: 8\n" + lines);
}

// kleber managed: its own account, no db_password anywhere (defaults hold one).
std::string managed_kleber(const std::string& extra = "") {
  std::string text = replaced(k_valid_manifest, "  db_password: {env: MOODLE_DB_PASSWORD}\n", "");
  text = replaced(text, "    template: base44\n",
                  "    template: base44\n    db_user: \"m_{shortname}\"\n    manage_db_user: "
                  "true\n" +
                      extra);
  // The other present host keeps a password of its own.
  return replaced(text, "    db_persist: true\n",
                  "    db_persist: true\n    db_password: {env: LOCAL_DB_PASSWORD}\n");
}

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

TEST(ManifestSecurity, DefaultsArePreferredTlsAndSharedAccounts) {
  auto fleet = load(k_valid_manifest, "fleet.yaml", k_base_dir);
  ASSERT_TRUE(fleet) << fleet.error().render();
  const model::Server& db1 = *fleet->find_server("db1");
  EXPECT_EQ(db1.ssl_mode, model::SslMode::preferred);
  EXPECT_EQ(db1.ssl_ca, "");
  EXPECT_FALSE(fleet->hosts.front().manage_db_user);
  EXPECT_EQ(fleet->hosts.front().db_user_host, "%");
}

TEST(ManifestSecurity, TlsOptionsResolveWithPathsRelativeToTheManifest) {
  auto fleet = load(with_db1("    ssl_mode: verify_identity\n    ssl_ca: tls/ca.pem\n"
                             "    ssl_cert: /etc/vmoodle/cert.pem\n    ssl_key: key.pem\n"),
                    "fleet.yaml", k_base_dir);
  ASSERT_TRUE(fleet) << fleet.error().render();
  const model::Server& db1 = *fleet->find_server("db1");
  EXPECT_EQ(db1.ssl_mode, model::SslMode::verify_identity);
  EXPECT_EQ(db1.ssl_ca, "/srv/fleet/tls/ca.pem");
  EXPECT_EQ(db1.ssl_cert, "/etc/vmoodle/cert.pem");
  EXPECT_EQ(db1.ssl_key, "/srv/fleet/key.pem");
}

TEST(ManifestSecurity, UnknownSslModeIsASchemaError) {
  const Error error = only_error(with_db1("    ssl_mode: strict\n"));
  EXPECT_TRUE(ends_with(error.where, "servers.db1.ssl_mode")) << error.where;
}

TEST(ManifestSecurity, VerifyModesNeedACa) {
  for (const char* mode : {"verify_ca", "verify_identity"}) {
    const Error error = only_error(with_db1(std::string("    ssl_mode: ") + mode + "\n"));
    EXPECT_TRUE(ends_with(error.where, "servers.db1.ssl_mode")) << error.where;
    EXPECT_EQ(error.message, std::string("ssl_mode ") + mode + " of server `db1` needs ssl_ca");
  }
}

TEST(ManifestSecurity, ClientCertificateNeedsItsKey) {
  const Error error = only_error(with_db1("    ssl_cert: /etc/vmoodle/cert.pem\n"));
  EXPECT_TRUE(ends_with(error.where, "servers.db1.ssl_cert")) << error.where;
  EXPECT_EQ(error.message, "ssl_cert of server `db1` is set without ssl_key");
}

TEST(ManifestSecurity, DisabledTakesNoCertificateFiles) {
  const Error error = only_error(with_db1("    ssl_mode: disabled\n    ssl_ca: /etc/ca.pem\n"));
  EXPECT_TRUE(ends_with(error.where, "servers.db1.ssl_ca")) << error.where;
  EXPECT_EQ(error.message, "ssl_ca is set but server `db1` has ssl_mode: disabled");
}

TEST(ManifestSecurity, ManagedAccountNeedsNoPassword) {
  auto fleet = load(managed_kleber("    db_user_host: \"10.0.%\"\n"), "fleet.yaml", k_base_dir);
  ASSERT_TRUE(fleet) << fleet.error().render();
  const model::Host& kleber = fleet->hosts.front();
  EXPECT_TRUE(kleber.manage_db_user);
  EXPECT_EQ(kleber.db_user, "m_kleber");
  EXPECT_EQ(kleber.db_user_host, "10.0.%");
  EXPECT_FALSE(kleber.db_password);
}

TEST(ManifestSecurity, ManagedAccountWithADbPasswordIsRefusedWhereThePasswordIsWritten) {
  const Error error = only_error(managed_kleber("    db_password: {env: KLEBER_PASSWORD}\n"));
  EXPECT_TRUE(ends_with(error.where, "hosts[0].db_password")) << error.where;
  EXPECT_EQ(error.message,
            "host https://kleber.example.org has manage_db_user: true and a db_password");
  EXPECT_NE(error.hint.find("generates"), std::string::npos);
}

TEST(ManifestSecurity, ManagedAccountInheritingADbPasswordIsRefusedToo) {
  std::string text = replaced(managed_kleber(), "  db_user: moodle\n",
                              "  db_user: moodle\n  db_password: {env: MOODLE_DB_PASSWORD}\n");
  const Error error = only_error(text);
  EXPECT_NE(error.where.find("hosts[0].db_password (from defaults.db_password)"), std::string::npos)
      << error.where;
}

TEST(ManifestSecurity, ManagedAccountIsNotTheServersOwnUser) {
  const Error error = only_error(replaced(managed_kleber(), "\"m_{shortname}\"", "vmoodle_admin"));
  EXPECT_TRUE(ends_with(error.where, "hosts[0].db_user")) << error.where;
  EXPECT_NE(error.message.find("is the account vmoodle-apply connects to server `db1` with"),
            std::string::npos)
      << error.message;
}

TEST(ManifestSecurity, AccountHostPartHoldsNoQuote) {
  const Error error = only_error(managed_kleber("    db_user_host: \"x'@'%\"\n"));
  EXPECT_TRUE(ends_with(error.where, "hosts[0].db_user_host")) << error.where;
}

} // namespace
} // namespace vmoodle::manifest
