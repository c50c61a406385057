#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>

#include "vmoodle/platform/filesystem.hpp"
#include "vmoodle/util/error.hpp"

namespace vmoodle::sql {

/// Splits a mysqldump / mariadb-dump file into statements the way the `mysql` client
/// does when the file is piped into it, reading 1 MiB at a time: memory stays
/// proportional to the largest statement, not to the file.
///
/// Understood: `'...'` and `"..."` strings (backslash escapes, doubled quotes, any byte
/// including NUL), `` `...` `` identifiers (doubled backquotes), `-- ` and `#` comments
/// and `/* ... */` comments (all dropped), executable comments `/*! ... */`,
/// `/*!40101 ... */`, `/*M!100616 ... */` and hints `/*+ ... */` (kept verbatim: they are
/// the statement), and the client's `DELIMITER xx` command (a line of its own between
/// statements). mariadb-dump's first line `/*M!999999\- enable the sandbox mode */` is a
/// client command too and is skipped. Deliberate difference from the client: the
/// delimiter is not recognised inside an executable comment (dumps never put one there).
class DumpReader {
public:
  /// Reads from `input`, which must outlive the reader.
  explicit DumpReader(platform::InputStream& input);

  /// The next statement: comments dropped, surrounding whitespace trimmed, without its
  /// delimiter; statements left empty are skipped; the last one needs no delimiter.
  /// nullopt at end of input. An error (kind io, `where` = `line N`) when the input
  /// cannot be read or ends inside a string, identifier or comment, or on a DELIMITER
  /// command without a usable delimiter; every later call repeats that error.
  Result<std::optional<std::string>> next();

  /// 1-based line on which the statement last returned by next() starts; 0 before.
  std::size_t line() const { return m_last_line; }

private:
  enum class Mode { code, single_quote, double_quote, backtick, line_comment, block_comment };
  /// What a scan step stopped on.
  enum class Step { more, mode_changed, statement_done, failed };

  Step scan();
  Step scan_code();
  Step scan_quoted(char quote);
  Step scan_line_comment();
  Step scan_block_comment();
  Step client_command_line();
  Step skip_sandbox_line();
  std::optional<std::size_t> line_end() const;

  void fill();
  void flush_run();
  void begin_dropped(Mode mode, std::size_t opener_length);
  void end_dropped(bool separate);
  void mark_statement_start();
  bool statement_empty() const;
  Step fail_here(std::string message, std::string hint, std::size_t line);
  Result<std::optional<std::string>> finish();
  std::optional<std::string> take_statement();

  platform::InputStream& m_input;
  std::unique_ptr<char[]> m_chunk;
  std::string m_buffer;  // bytes read; those before m_pos are decided
  std::size_t m_pos = 0; // next byte of m_buffer to scan
  std::size_t m_run = 0; // start of kept bytes not yet in m_statement, npos while dropping
  bool m_eof = false;
  std::optional<Error> m_failure;

  std::string m_statement;
  std::string m_delimiter = ";";
  Mode m_mode = Mode::code;
  bool m_in_executable = false; // inside a kept `/*! ... */`
  bool m_line_blank = true;     // nothing but blanks since the last newline, in code
  std::size_t m_line = 1;
  std::size_t m_construct_line = 0;  // where the open string or comment started
  std::size_t m_executable_line = 0; // where the open executable comment started
  std::size_t m_statement_line = 0;
  std::size_t m_last_line = 0;
};

} // namespace vmoodle::sql
