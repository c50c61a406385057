// TLS of server connections (`ssl_mode`, `ssl_ca`) against real servers: one sandbox
// started with a certificate signed by a CA made here, and the shared sandbox, which
// offers no TLS.

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "integration/support/run.hpp"
#include "integration/support/sandbox.hpp"
#include "vmoodle/db/mysql_connector.hpp"

namespace vmoodle::testing {
namespace {

namespace fs = std::filesystem;

void openssl(const std::vector<std::string>& args) {
  std::vector<std::string> argv{"openssl"};
  argv.insert(argv.end(), args.begin(), args.end());
  RunResult result = run_command(argv);
  if (result.exit_code != 0) {
    throw std::runtime_error("openssl " + args.front() + " failed: " + result.err);
  }
}

// A CA, a server certificate it signs for a name that is not the sandbox's address (so
// that verify_ca and verify_identity differ), and an unrelated CA.
std::string make_certificates() {
  std::string dir = (fs::temp_directory_path() / "vmoodle-tls-XXXXXX").string();
  if (mkdtemp(dir.data()) == nullptr) {
    throw std::runtime_error("mkdtemp failed");
  }
  const auto at = [&dir](const char* name) { return dir + "/" + name; };
  openssl({"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
           "/CN=vmoodle-apply test CA", "-keyout", at("ca-key.pem"), "-out", at("ca.pem")});
  openssl({"req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=db.not-this-host.invalid",
           "-keyout", at("server-key.pem"), "-out", at("server.csr")});
  openssl({"x509", "-req", "-in", at("server.csr"), "-CA", at("ca.pem"), "-CAkey", at("ca-key.pem"),
           "-CAcreateserial", "-days", "2", "-out", at("server-cert.pem")});
  openssl({"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
           "/CN=some other CA", "-keyout", at("other-key.pem"), "-out", at("other-ca.pem")});
  // mariadbd may run as another user when the tests run as root (--user=root keeps it
  // root here), but the key must be readable by it in any case.
  fs::permissions(at("server-key.pem"), fs::perms::owner_read | fs::perms::owner_write);
  return dir;
}

class TlsTest : public ::testing::Test {
protected:
  static void SetUpTestSuite() {
    s_cert_dir = make_certificates();
    s_tls_sandbox = std::make_unique<MariadbSandbox>(s_cert_dir);
  }
  static void TearDownTestSuite() {
    s_tls_sandbox.reset();
    std::error_code ec;
    fs::remove_all(s_cert_dir, ec);
  }

  static model::Server tls_server(model::SslMode mode, const std::string& ca_file) {
    model::Server server = s_tls_sandbox->tcp_server("tls_db");
    server.ssl_mode = mode;
    server.ssl_ca = ca_file.empty() ? "" : s_cert_dir + "/" + ca_file;
    return server;
  }

  static Result<std::unique_ptr<db::Connection>> open(const model::Server& server) {
    db::MysqlConnector connector;
    return connector.connect(server, Secret(sandbox_password()), "");
  }

  // The session's cipher: empty for a plain session.
  static std::string cipher(db::Connection& connection) {
    auto result = connection.query("SHOW SESSION STATUS LIKE 'Ssl_cipher'");
    if (!result || result->rows.size() != 1 || !result->rows[0][1]) {
      ADD_FAILURE() << "cannot read Ssl_cipher";
      return {};
    }
    return *result->rows[0][1];
  }

  static inline std::string s_cert_dir;
  static inline std::unique_ptr<MariadbSandbox> s_tls_sandbox;
};

TEST_F(TlsTest, VerifyCaWithTheRightCaConnectsOverTls) {
  auto connection = open(tls_server(model::SslMode::verify_ca, "ca.pem"));
  ASSERT_TRUE(connection) << connection.error().render();
  EXPECT_FALSE(cipher(**connection).empty());
}

TEST_F(TlsTest, VerifyCaWithAnotherCaIsRefusedNamingTheServer) {
  auto connection = open(tls_server(model::SslMode::verify_ca, "other-ca.pem"));
  ASSERT_FALSE(connection) << "connected with a certificate the CA did not sign";
  const std::string text = connection.error().render();
  EXPECT_NE(text.find("tls_db"), std::string::npos) << text;
  EXPECT_NE(text.find("other-ca.pem"), std::string::npos) << text;
  EXPECT_EQ(text.find(sandbox_password()), std::string::npos);
}

TEST_F(TlsTest, VerifyIdentityRefusesACertificateForAnotherName) {
  auto connection = open(tls_server(model::SslMode::verify_identity, "ca.pem"));
  ASSERT_FALSE(connection) << "accepted a certificate issued to db.not-this-host.invalid";
  EXPECT_NE(connection.error().render().find("tls_db"), std::string::npos);
}

TEST_F(TlsTest, PreferredUsesTlsWhenTheServerOffersIt) {
  auto connection = open(tls_server(model::SslMode::preferred, ""));
  ASSERT_TRUE(connection) << connection.error().render();
  EXPECT_FALSE(cipher(**connection).empty());
}

TEST_F(TlsTest, DisabledConnectsWithoutTls) {
  auto connection = open(tls_server(model::SslMode::disabled, ""));
  ASSERT_TRUE(connection) << connection.error().render();
  EXPECT_EQ(cipher(**connection), "");
}

TEST_F(TlsTest, RequiredAgainstAServerWithoutTlsIsRefused) {
  model::Server plain = shared_sandbox().tcp_server("plain_db");
  plain.ssl_mode = model::SslMode::required;
  auto connection = open(plain);
  ASSERT_FALSE(connection) << "ssl_mode required accepted a plain session";
  const std::string text = connection.error().render();
  EXPECT_NE(text.find("plain_db"), std::string::npos) << text;
  EXPECT_NE(text.find("offers no TLS"), std::string::npos) << text;
}

TEST_F(TlsTest, VerifyCaAgainstAServerWithoutTlsIsRefused) {
  model::Server plain = shared_sandbox().tcp_server("plain_db");
  plain.ssl_mode = model::SslMode::verify_ca;
  plain.ssl_ca = s_cert_dir + "/ca.pem";
  auto connection = open(plain);
  ASSERT_FALSE(connection) << "ssl_mode verify_ca accepted a plain session";
}

TEST_F(TlsTest, PreferredFallsBackToPlainWhenTheServerHasNoTls) {
  model::Server plain = shared_sandbox().tcp_server("plain_db");
  auto connection = open(plain);
  ASSERT_TRUE(connection) << connection.error().render();
  EXPECT_EQ(cipher(**connection), "");
}

} // namespace
} // namespace vmoodle::testing
