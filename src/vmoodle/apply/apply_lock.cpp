#include "vmoodle/apply/apply_lock.hpp"

#include "vmoodle/sql/quote.hpp"

namespace vmoodle::apply {

std::string apply_lock_name(const model::Master& master) {
  // MySQL caps lock names at 64 characters.
  return ("vmoodle-apply/" + master.database).substr(0, 64);
}

Status acquire_apply_lock(db::Connection& master, const model::Master& fleet_master,
                          int timeout_seconds) {
  const std::string name = sql::literal(apply_lock_name(fleet_master));
  VM_TRY_ASSIGN(auto got, master.query("SELECT GET_LOCK(" + name + ", " +
                                       std::to_string(timeout_seconds) + ")"));
  if (!got.rows.empty() && got.rows.front()[0] && *got.rows.front()[0] == "1") {
    return {};
  }
  std::string holder = "another session";
  auto who = master.query("SELECT p.USER, p.HOST, p.TIME, p.ID FROM information_schema.PROCESSLIST "
                          "p WHERE p.ID = IS_USED_LOCK(" +
                          name + ")");
  if (who && !who->rows.empty()) {
    const auto& r = who->rows.front();
    holder = "connection " + r[3].value_or("?") + " of " + r[0].value_or("?") + "@" +
             r[1].value_or("?") + " (connected " + r[2].value_or("?") + " s ago)";
  }
  return fail(ErrorKind::conflict,
              "another apply holds the lock " + apply_lock_name(fleet_master) + ": " + holder,
              "master database " + fleet_master.database,
              "wait for it to finish, or raise --lock-timeout (now " +
                  std::to_string(timeout_seconds) + " s)");
}

} // namespace vmoodle::apply
