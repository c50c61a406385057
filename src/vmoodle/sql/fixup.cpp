#include "vmoodle/sql/fixup.hpp"

#include <initializer_list>
#include <string_view>

#include <fmt/format.h>

#include "vmoodle/sql/quote.hpp"

namespace vmoodle::sql {

namespace {

// Collects statements, dropping those that need a table the template lacks (an older
// Moodle without `log`, say) so that one absent table cannot abort the whole fix-up.
class StatementList {
public:
  explicit StatementList(const FixupInput& in) : m_in(in) {}

  /// The quoted, prefixed name of table `base`.
  std::string table(std::string_view base) const { return ident(m_in.prefix + std::string(base)); }

  void add(std::initializer_list<std::string_view> bases, std::string statement) {
    for (const auto base : bases) {
      if (!m_in.tables.contains(m_in.prefix + std::string(base))) {
        return;
      }
    }
    m_statements.push_back(std::move(statement));
  }

  std::vector<std::string> take() { return std::move(m_statements); }

private:
  const FixupInput& m_in;
  std::vector<std::string> m_statements;
};

void add_identity(StatementList& out, const FixupInput& in) {
  const std::string config = out.table("config");
  out.add({"course"}, fmt::format("UPDATE {} SET `fullname` = {}, `shortname` = {}, `summary` = {} "
                                  "WHERE `category` = 0 AND `id` = 1",
                                  out.table("course"), literal(in.name), literal(in.shortname),
                                  literal(in.description)));
  out.add({"config"}, fmt::format("UPDATE {} SET `value` = {} WHERE `name` = 'sessioncookie'",
                                  config, literal(in.sessioncookie)));
  for (const std::string_view base :
       {"log", "mnet_log", "mnet_session", "sessions", "mnet_host2service"}) {
    out.add({base}, fmt::format("DELETE FROM {}", out.table(base)));
  }
  const std::string mnet_host = out.table("mnet_host");
  const std::string template_wwwroot = literal(in.template_wwwroot);
  out.add({"mnet_host"}, fmt::format("DELETE FROM {} WHERE `wwwroot` != '' AND `wwwroot` != {}",
                                     mnet_host, template_wwwroot));
  // The ip_address really is the master's: VMoodle does the same.
  out.add({"mnet_host"},
          fmt::format("UPDATE {} SET `id` = 1, `wwwroot` = {}, `name` = {}, `public_key` = '', "
                      "`public_key_expires` = 0, `ip_address` = {} WHERE `wwwroot` = {}",
                      mnet_host, literal(in.vhostname), literal(in.name),
                      literal(in.master.ip_address), template_wwwroot));
  out.add({"config"},
          fmt::format("UPDATE {} SET `value` = '1' WHERE `name` = 'mnet_localhost_id'", config));
  out.add({"user"}, fmt::format("UPDATE {} SET `deleted` = 1 "
                                "WHERE `auth` = 'mnet' AND `username` != 'admin'",
                                out.table("user")));
  // VMoodle also copies the master's local admin password hash into the node here.
  // Deliberately not done: it spreads one credential to every host, and whoever can read
  // any node's database gets the master's admin hash.
}

void add_mnet(StatementList& out, const FixupInput& in) {
  const std::string config = out.table("config");
  const std::string mnet_host = out.table("mnet_host");
  const std::string user = out.table("user");
  const std::string master_wwwroot = literal(in.master.wwwroot);
  out.add({"config"},
          fmt::format("UPDATE {} SET `value` = 'strict' WHERE `name` = 'mnet_dispatcher_mode'",
                      config));
  out.add({"mnet_host"},
          fmt::format("INSERT INTO {} (`wwwroot`, `ip_address`, `name`, `public_key`, "
                      "`applicationid`, `public_key_expires`) VALUES ({}, {}, {}, {}, {}, {})",
                      mnet_host, master_wwwroot, literal(in.master.ip_address),
                      literal(in.master.site_fullname), literal(in.master.public_key),
                      literal(in.master.applicationid), literal(in.master.public_key_expires)));
  struct Service {
    std::string_view name;
    int publish;
    int subscribe;
  };
  // Named columns and INSERT ... SELECT instead of VMoodle's positional VALUES with
  // scalar subqueries: a missing service then inserts nothing rather than NULLs.
  for (const Service& service :
       {Service{"mnetadmin", 1, 0}, Service{"sso_sp", 1, 0}, Service{"sso_idp", 0, 1}}) {
    out.add({"mnet_host2service", "mnet_host", "mnet_service"},
            fmt::format("INSERT INTO {} (`hostid`, `serviceid`, `publish`, `subscribe`) "
                        "SELECT h.`id`, s.`id`, {}, {} FROM {} h, {} s "
                        "WHERE h.`wwwroot` = {} AND s.`name` = {}",
                        out.table("mnet_host2service"), service.publish, service.subscribe,
                        mnet_host, out.table("mnet_service"), master_wwwroot,
                        literal(service.name)));
  }
  out.add(
      {"user", "mnet_host"},
      fmt::format("INSERT INTO {} (`auth`, `confirmed`, `policyagreed`, `deleted`, "
                  "`mnethostid`, `username`, `password`) "
                  "SELECT 'mnet', 1, 0, 0, h.`id`, 'admin', '' FROM {} h WHERE h.`wwwroot` = {}",
                  user, mnet_host, master_wwwroot));
  // The master's mnet admin, identified by joining through its mnet_host row.
  const std::string mnet_admin =
      fmt::format("u.`auth` = 'mnet' AND u.`username` = 'admin' AND u.`mnethostid` = h.`id` "
                  "AND h.`wwwroot` = {}",
                  master_wwwroot);
  out.add({"role_assignments", "role", "user", "mnet_host"},
          fmt::format("INSERT INTO {} (`roleid`, `contextid`, `userid`, `timemodified`, "
                      "`modifierid`, `component`, `itemid`, `sortorder`) "
                      "SELECT r.`id`, 1, u.`id`, {}, u.`id`, '', 0, 1 FROM {} r, {} u, {} h "
                      "WHERE r.`shortname` = 'manager' AND {}",
                      out.table("role_assignments"), literal(in.now), out.table("role"), user,
                      mnet_host, mnet_admin));
  // A multi-table UPDATE rather than CONCAT(value, ',', (SELECT ...)): if the admin is
  // missing, siteadmins is left alone instead of becoming NULL.
  out.add({"config", "user", "mnet_host"},
          fmt::format("UPDATE {} c, {} u, {} h SET c.`value` = CONCAT(c.`value`, ',', u.`id`) "
                      "WHERE c.`name` = 'siteadmins' AND {}",
                      config, user, mnet_host, mnet_admin));
  // config.name is UNIQUE: a template taken while a bootstrap was pending has the row.
  out.add({"config"}, fmt::format("INSERT INTO {} (`name`, `value`) VALUES ('bootstrap_init', {}) "
                                  "ON DUPLICATE KEY UPDATE `value` = VALUES(`value`)",
                                  config, master_wwwroot));
}

} // namespace

std::vector<std::string> fixup_statements(const FixupInput& in) {
  StatementList out(in);
  add_identity(out, in);
  if (in.mnet == -1) {
    out.add({"config"},
            fmt::format("UPDATE {} SET `value` = 'off' WHERE `name` = 'mnet_dispatcher_mode'",
                        out.table("config")));
  } else {
    add_mnet(out, in);
  }
  return out.take();
}

std::vector<std::string> fixup_changed_tables(const std::string& prefix) {
  std::vector<std::string> tables;
  for (const std::string_view base :
       {"config", "course", "log", "mnet_host", "mnet_host2service", "mnet_log", "mnet_session",
        "role_assignments", "sessions", "user"}) {
    tables.push_back(prefix + std::string(base));
  }
  return tables;
}

} // namespace vmoodle::sql
