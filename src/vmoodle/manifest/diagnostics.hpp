#pragma once

#include <string>
#include <vector>

#include "vmoodle/util/error.hpp"

namespace vmoodle::manifest {

/// Collects every problem found in a manifest, so that all of them are reported at
/// once (Terraform's tfdiags), then turns them into one `Error` with causes.
class Diagnostics {
public:
  /// Records a problem at `loc`: `message` says what is wrong, `hint` what to do.
  void add(const Location& loc, std::string message, std::string hint = {});

  bool empty() const { return m_errors.empty(); }
  std::size_t size() const { return m_errors.size(); }
  /// The problems so far, in the order they were found.
  const std::vector<Error>& errors() const { return m_errors; }

  /// `Error{manifest, "<file>: N errors in the manifest", causes}` with the causes
  /// de-duplicated and sorted by position. Only meaningful when not empty().
  Error to_error(const std::string& file) const;

private:
  struct Position {
    int line = 0;
    int column = 0;
  };
  std::vector<Error> m_errors;
  std::vector<Position> m_positions;
};

/// `value` as a JSON string, for messages: quoted, with control characters escaped and
/// invalid UTF-8 replaced, so that a hostile value cannot put a newline into an error.
std::string shown(const std::string& value);

} // namespace vmoodle::manifest
