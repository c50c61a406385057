#pragma once

#include "vmoodle/util/error.hpp"
#include "vmoodle/util/secret.hpp"

namespace vmoodle {

/// `error` with every occurrence of `secret` replaced by `(sensitive)`. Server
/// messages may quote the statement they reject, and some statements carry a
/// password: errors from those go through here before anyone sees them.
Error redact(Error error, const Secret& secret);

} // namespace vmoodle
