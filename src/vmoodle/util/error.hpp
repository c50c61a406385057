#pragma once

#include <string>
#include <vector>

#include <tl/expected.hpp>

namespace vmoodle {

/// What went wrong, coarsely: the CLI maps it to an exit code and tests branch on it.
enum class ErrorKind {
  usage,    ///< bad command line
  manifest, ///< the fleet manifest is invalid
  secret,   ///< a password reference could not be resolved
  db,       ///< a database statement or connection failed
  io,       ///< a file-system operation failed
  conflict, ///< live state stands in the way (foreign database, duplicate registry rows...)
  unsafe,   ///< refused by a safety rule
  internal, ///< a bug
};

/// Where something is: a manifest position, or a host/server/table.
struct Location {
  std::string file; ///< manifest file, empty when not about the manifest
  int line = 0;     ///< 1-based; 0 when unknown
  int column = 0;   ///< 1-based; 0 when unknown
  std::string path; ///< manifest path such as `hosts[2].database`

  /// `file:line:col: path` with the parts that are known.
  std::string render() const;
};

/// An error value: what happened, where, and what the operator can do about it.
/// Never carries a secret: callers build messages from names, not values.
struct Error {
  ErrorKind kind = ErrorKind::internal;
  std::string message;       ///< what happened
  std::string where;         ///< host, server, table or file position
  std::string hint;          ///< what to do
  std::vector<Error> causes; ///< further errors reported together (validation)

  /// One line per error: `where: message (hint)`.
  std::string render() const;
  /// Prepends context to `where`, e.g. `server db1` then `host https://x`.
  Error& in(const std::string& context);
};

template <typename T> using Result = tl::expected<T, Error>;
using Status = Result<void>;

/// Shorthand for `tl::unexpected(Error{...})`.
inline tl::unexpected<Error> fail(ErrorKind kind, std::string message, std::string where = {},
                                  std::string hint = {}) {
  return tl::unexpected(Error{kind, std::move(message), std::move(where), std::move(hint), {}});
}

} // namespace vmoodle

/// Propagates an error from an expression returning `tl::expected`.
#define VM_TRY(expression_)                                                                        \
  do {                                                                                             \
    auto vm_result_ = (expression_);                                                               \
    if (!vm_result_) {                                                                             \
      return tl::unexpected(std::move(vm_result_.error()));                                        \
    }                                                                                              \
  } while (false)

#define VM_CONCAT_INNER_(a, b) a##b
#define VM_CONCAT_(a, b) VM_CONCAT_INNER_(a, b)
/// Declares `var_` from the value of `expression_`, or propagates its error.
#define VM_TRY_ASSIGN(var_, expression_)                                                           \
  auto VM_CONCAT_(vm_tmp_, __LINE__) = (expression_);                                              \
  if (!VM_CONCAT_(vm_tmp_, __LINE__)) {                                                            \
    return tl::unexpected(std::move(VM_CONCAT_(vm_tmp_, __LINE__).error()));                       \
  }                                                                                                \
  var_ = std::move(*VM_CONCAT_(vm_tmp_, __LINE__))
