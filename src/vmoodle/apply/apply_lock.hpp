#pragma once

#include "vmoodle/db/connection.hpp"
#include "vmoodle/model/fleet.hpp"

namespace vmoodle::apply {

/// The named lock (`GET_LOCK`) that keeps two applies off the same fleet.
std::string apply_lock_name(const model::Master& master);

/// Takes the apply lock on `master`'s connection, waiting up to `timeout_seconds`.
/// It is held until that connection closes. On time-out the error names the
/// session holding it (user, host, for how long).
Status acquire_apply_lock(db::Connection& master, const model::Master& fleet_master,
                          int timeout_seconds);

} // namespace vmoodle::apply
