#include "vmoodle/sql/dump_reader.hpp"

#include <algorithm>
#include <cstring>
#include <string_view>

#include "vmoodle/sql/ascii.hpp"

namespace vmoodle::sql {

namespace {

constexpr std::size_t k_chunk_size = std::size_t{1} << 20;
constexpr std::size_t k_dropping = std::string::npos;
constexpr std::string_view k_delimiter_command = "delimiter";
constexpr std::string_view k_sandbox_command = "/*M!999999\\-";
constexpr const char* k_truncated_hint =
    "the dump looks truncated or is not a mysqldump file; take the snapshot again";

// `--` starts a comment only when followed by whitespace or a control character.
bool ends_dash_dash(char c) {
  return static_cast<unsigned char>(c) <= 0x20;
}

std::string line_where(std::size_t line) {
  return "line " + std::to_string(line);
}

} // namespace

DumpReader::DumpReader(platform::InputStream& input) : m_input(input) {}

Result<std::optional<std::string>> DumpReader::next() {
  if (m_failure) {
    return tl::unexpected(*m_failure);
  }
  m_statement.clear();
  m_statement_line = 0;
  for (;;) {
    if (m_pos == m_buffer.size()) {
      if (m_eof) {
        return finish();
      }
      fill();
      if (m_failure) {
        return tl::unexpected(*m_failure);
      }
      continue;
    }
    switch (scan()) {
    case Step::statement_done:
      if (auto statement = take_statement()) {
        return statement;
      }
      m_statement_line = 0;
      break;
    case Step::more:
      // The scanner stops short of the end only to look further ahead, which it
      // never asks for once the input is exhausted (so this cannot loop).
      if (m_pos < m_buffer.size() && !m_eof) {
        fill();
        if (m_failure) {
          return tl::unexpected(*m_failure);
        }
      }
      break;
    case Step::failed:
      return tl::unexpected(*m_failure);
    case Step::mode_changed:
      break;
    }
  }
}

DumpReader::Step DumpReader::scan() {
  switch (m_mode) {
  case Mode::code:
    return scan_code();
  case Mode::single_quote:
    return scan_quoted('\'');
  case Mode::double_quote:
    return scan_quoted('"');
  case Mode::backtick:
    return scan_quoted('`');
  case Mode::line_comment:
    return scan_line_comment();
  case Mode::block_comment:
    return scan_block_comment();
  }
  m_failure =
      Error{ErrorKind::internal, "dump reader in an unknown state", line_where(m_line), {}, {}};
  return Step::failed;
}

DumpReader::Step DumpReader::scan_code() {
  const char* data = m_buffer.data();
  const std::size_t size = m_buffer.size();
  while (m_pos < size) {
    const char c = data[m_pos];
    const std::size_t ahead = size - m_pos;
    if (is_space(c)) {
      if (c == '\n') {
        ++m_line;
        m_line_blank = true;
      }
      const bool leading = statement_empty();
      ++m_pos;
      if (leading) {
        m_run = m_pos;
      }
      continue;
    }
    if (!m_in_executable && c == m_delimiter[0]) {
      if (ahead < m_delimiter.size() && !m_eof) {
        return Step::more;
      }
      if (m_buffer.compare(m_pos, m_delimiter.size(), m_delimiter) == 0) {
        flush_run();
        m_pos += m_delimiter.size();
        m_run = m_pos;
        m_line_blank = false;
        return Step::statement_done;
      }
    }
    switch (c) {
    case '\'':
    case '"':
    case '`':
      mark_statement_start();
      m_construct_line = m_line;
      m_mode = c == '\'' ? Mode::single_quote : (c == '"' ? Mode::double_quote : Mode::backtick);
      m_line_blank = false;
      ++m_pos;
      return Step::mode_changed;
    case '#':
      begin_dropped(Mode::line_comment, 1);
      return Step::mode_changed;
    case '-':
      if (ahead < 3 && !m_eof) {
        return Step::more;
      }
      if (ahead >= 2 && data[m_pos + 1] == '-' && (ahead == 2 || ends_dash_dash(data[m_pos + 2]))) {
        begin_dropped(Mode::line_comment, 2);
        return Step::mode_changed;
      }
      break;
    case '/': {
      const bool at_command = m_line_blank && !m_in_executable && statement_empty();
      if (ahead < (at_command ? k_sandbox_command.size() : 4) && !m_eof) {
        return Step::more;
      }
      if (ahead >= 2 && data[m_pos + 1] == '*') {
        if (at_command && std::string_view(data + m_pos, ahead).starts_with(k_sandbox_command)) {
          return skip_sandbox_line();
        }
        const bool bang = ahead >= 3 && data[m_pos + 2] == '!';
        const bool hint = ahead >= 3 && data[m_pos + 2] == '+';
        const bool mariadb = ahead >= 4 && data[m_pos + 2] == 'M' && data[m_pos + 3] == '!';
        if (!bang && !hint && !mariadb) {
          begin_dropped(Mode::block_comment, 2);
          return Step::mode_changed;
        }
        if (!m_in_executable) {
          mark_statement_start();
          m_in_executable = true;
          m_executable_line = m_line;
          m_line_blank = false;
          m_pos += mariadb ? 4 : 3;
          continue;
        }
        // A `/*!` inside an executable comment is plain text, as for the client.
      }
      break;
    }
    case '*':
      if (m_in_executable) {
        if (ahead < 2 && !m_eof) {
          return Step::more;
        }
        if (ahead >= 2 && data[m_pos + 1] == '/') {
          m_in_executable = false;
          m_pos += 2;
          continue;
        }
      }
      break;
    case 'd':
    case 'D':
      if (m_line_blank && !m_in_executable && statement_empty()) {
        if (ahead <= k_delimiter_command.size() && !m_eof) {
          return Step::more;
        }
        // `DELIMITER` alone at the very end still is the command (and an error).
        bool is_command = ahead > k_delimiter_command.size()
                              ? is_space(data[m_pos + k_delimiter_command.size()])
                              : ahead == k_delimiter_command.size();
        for (std::size_t i = 0; is_command && i < k_delimiter_command.size(); ++i) {
          is_command = lower_char(data[m_pos + i]) == k_delimiter_command[i];
        }
        if (is_command) {
          return client_command_line();
        }
      }
      break;
    default:
      break;
    }
    mark_statement_start();
    m_line_blank = false;
    ++m_pos;
  }
  return Step::more;
}

DumpReader::Step DumpReader::scan_quoted(char quote) {
  const char* data = m_buffer.data();
  const std::size_t size = m_buffer.size();
  // Backquoted identifiers have no backslash escapes; a doubled quote of any kind
  // needs no special case: it closes the string and reopens it at once.
  const bool escapes = quote != '`';
  std::size_t pos = m_pos;
  while (pos < size) {
    const char c = data[pos];
    if (c == quote) {
      m_pos = pos + 1;
      m_mode = Mode::code;
      return Step::mode_changed;
    }
    if (c == '\\' && escapes) {
      if (pos + 1 == size) {
        if (!m_eof) {
          m_pos = pos;
          return Step::more;
        }
        ++pos;
        continue;
      }
      if (data[pos + 1] == '\n') {
        ++m_line;
      }
      pos += 2;
      continue;
    }
    if (c == '\n') {
      ++m_line;
    }
    ++pos;
  }
  m_pos = pos;
  return Step::more;
}

DumpReader::Step DumpReader::scan_line_comment() {
  const char* start = m_buffer.data() + m_pos;
  // NOLINTNEXTLINE(bugprone-not-null-terminated-result): a search in bytes, not a string copy
  const auto* newline = static_cast<const char*>(std::memchr(start, '\n', m_buffer.size() - m_pos));
  if (newline == nullptr) {
    m_pos = m_buffer.size();
    return Step::more;
  }
  // The newline itself is left to the code scanner: it separates tokens and counts.
  m_pos += static_cast<std::size_t>(newline - start);
  end_dropped(false);
  return Step::mode_changed;
}

DumpReader::Step DumpReader::scan_block_comment() {
  const char* data = m_buffer.data();
  const std::size_t size = m_buffer.size();
  while (m_pos < size) {
    const auto* star = static_cast<const char*>(std::memchr(data + m_pos, '*', size - m_pos));
    const std::size_t star_pos = star == nullptr ? size : static_cast<std::size_t>(star - data);
    m_line += static_cast<std::size_t>(std::count(data + m_pos, data + star_pos, '\n'));
    m_pos = star_pos;
    if (star == nullptr) {
      break;
    }
    if (star_pos + 1 == size) {
      if (!m_eof) {
        return Step::more;
      }
      m_pos = size;
      break;
    }
    if (data[star_pos + 1] == '/') {
      m_pos = star_pos + 2;
      end_dropped(true);
      return Step::mode_changed;
    }
    m_pos = star_pos + 1;
  }
  return Step::more;
}

std::optional<std::size_t> DumpReader::line_end() const {
  const std::size_t newline = m_buffer.find('\n', m_pos);
  if (newline != std::string::npos) {
    return newline;
  }
  if (m_eof) {
    return m_buffer.size();
  }
  return std::nullopt;
}

DumpReader::Step DumpReader::client_command_line() {
  const auto end = line_end();
  if (!end) {
    return Step::more;
  }
  std::string_view argument(m_buffer.data() + m_pos + k_delimiter_command.size(),
                            *end - m_pos - k_delimiter_command.size());
  while (!argument.empty() && is_blank(argument.front())) {
    argument.remove_prefix(1);
  }
  std::size_t length = 0;
  while (length < argument.size() && !is_space(argument[length])) {
    ++length;
  }
  const std::string_view delimiter = argument.substr(0, length);
  if (delimiter.empty()) {
    return fail_here("DELIMITER command without a delimiter",
                     "write the new delimiter after DELIMITER, e.g. `DELIMITER ;;`", m_line);
  }
  if (delimiter.find('\\') != std::string_view::npos) {
    return fail_here("DELIMITER cannot contain a backslash",
                     "use another delimiter, e.g. `DELIMITER ;;`", m_line);
  }
  m_delimiter = std::string(delimiter);
  m_pos = *end;
  m_run = m_pos;
  return Step::mode_changed;
}

DumpReader::Step DumpReader::skip_sandbox_line() {
  const auto end = line_end();
  if (!end) {
    return Step::more;
  }
  m_pos = *end;
  m_run = m_pos;
  return Step::mode_changed;
}

void DumpReader::fill() {
  if (!m_chunk) {
    m_chunk = std::make_unique_for_overwrite<char[]>(k_chunk_size);
  }
  flush_run();
  m_buffer.erase(0, m_pos);
  m_pos = 0;
  if (m_run != k_dropping) {
    m_run = 0;
  }
  auto count = m_input.read(m_chunk.get(), k_chunk_size);
  if (!count) {
    m_failure = std::move(count.error());
    m_failure->in(line_where(m_line));
    m_eof = true;
    return;
  }
  if (*count == 0) {
    m_eof = true;
    return;
  }
  m_buffer.append(m_chunk.get(), *count);
}

void DumpReader::flush_run() {
  if (m_run != k_dropping && m_run < m_pos) {
    m_statement.append(m_buffer, m_run, m_pos - m_run);
    m_run = m_pos;
  }
}

void DumpReader::begin_dropped(Mode mode, std::size_t opener_length) {
  flush_run();
  m_run = k_dropping;
  m_mode = mode;
  m_construct_line = m_line;
  m_line_blank = false;
  m_pos += opener_length;
}

void DumpReader::end_dropped(bool separate) {
  m_mode = Mode::code;
  m_run = m_pos;
  // `SELECT 1/* x */FROM t` must not become `SELECT 1FROM t`.
  if (separate && !m_statement.empty() && !is_space(m_statement.back())) {
    m_statement += ' ';
  }
}

void DumpReader::mark_statement_start() {
  if (m_statement_line == 0) {
    m_statement_line = m_line;
  }
}

bool DumpReader::statement_empty() const {
  return m_statement.empty() && m_run == m_pos;
}

DumpReader::Step DumpReader::fail_here(std::string message, std::string hint, std::size_t line) {
  m_failure = Error{ErrorKind::io, std::move(message), line_where(line), std::move(hint), {}};
  return Step::failed;
}

Result<std::optional<std::string>> DumpReader::finish() {
  if (m_failure) {
    return tl::unexpected(*m_failure);
  }
  const char* open = nullptr;
  std::size_t line = m_construct_line;
  if (m_mode == Mode::single_quote || m_mode == Mode::double_quote) {
    open = "string literal";
  } else if (m_mode == Mode::backtick) {
    open = "quoted identifier";
  } else if (m_mode == Mode::block_comment) {
    open = "/* comment";
  } else if (m_in_executable) {
    open = "/*! executable comment";
    line = m_executable_line;
  }
  if (open != nullptr) {
    fail_here(std::string("unterminated ") + open + " at end of dump", k_truncated_hint, line);
    return tl::unexpected(*m_failure);
  }
  flush_run();
  return take_statement();
}

std::optional<std::string> DumpReader::take_statement() {
  std::size_t length = m_statement.size();
  while (length > 0 && is_space(m_statement[length - 1])) {
    --length;
  }
  m_statement.resize(length);
  if (m_statement.empty()) {
    return std::nullopt;
  }
  m_last_line = m_statement_line;
  std::string statement = std::move(m_statement);
  m_statement.clear();
  return statement;
}

} // namespace vmoodle::sql
