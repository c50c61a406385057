#include "vmoodle/sql/dump_writer.hpp"

#include "vmoodle/sql/quote.hpp"

namespace vmoodle::sql {
namespace {

constexpr std::string_view k_header_settings =
    "/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;\n"
    "/*!40101 SET @OLD_CHARACTER_SET_RESULTS=@@CHARACTER_SET_RESULTS */;\n"
    "/*!40101 SET @OLD_COLLATION_CONNECTION=@@COLLATION_CONNECTION */;\n"
    "/*!40101 SET NAMES utf8mb4 */;\n"
    "/*!40103 SET @OLD_TIME_ZONE=@@TIME_ZONE */;\n"
    "/*!40103 SET TIME_ZONE='+00:00' */;\n"
    "/*!40014 SET @OLD_UNIQUE_CHECKS=@@UNIQUE_CHECKS, UNIQUE_CHECKS=0 */;\n"
    "/*!40014 SET @OLD_FOREIGN_KEY_CHECKS=@@FOREIGN_KEY_CHECKS, FOREIGN_KEY_CHECKS=0 */;\n"
    "/*!40101 SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='NO_AUTO_VALUE_ON_ZERO' */;\n"
    "/*!40111 SET @OLD_SQL_NOTES=@@SQL_NOTES, SQL_NOTES=0 */;\n";

constexpr std::string_view k_trailer_settings =
    "/*!40103 SET TIME_ZONE=@OLD_TIME_ZONE */;\n"
    "\n"
    "/*!40101 SET SQL_MODE=@OLD_SQL_MODE */;\n"
    "/*!40014 SET FOREIGN_KEY_CHECKS=@OLD_FOREIGN_KEY_CHECKS */;\n"
    "/*!40014 SET UNIQUE_CHECKS=@OLD_UNIQUE_CHECKS */;\n"
    "/*!40101 SET CHARACTER_SET_CLIENT=@OLD_CHARACTER_SET_CLIENT */;\n"
    "/*!40101 SET CHARACTER_SET_RESULTS=@OLD_CHARACTER_SET_RESULTS */;\n"
    "/*!40101 SET COLLATION_CONNECTION=@OLD_COLLATION_CONNECTION */;\n"
    "/*!40111 SET SQL_NOTES=@OLD_SQL_NOTES */;\n";

void append_hex(std::string& out, std::string_view value) {
  if (value.empty()) {
    out += "''"; // `0x` alone is not a literal
    return;
  }
  static constexpr char k_digits[] = "0123456789ABCDEF";
  out += "0x";
  for (const char c : value) {
    const auto byte = static_cast<unsigned char>(c);
    out += k_digits[byte >> 4];
    out += k_digits[byte & 0x0f];
  }
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// [-+]digits[.digits][e[-+]digits], at least one digit before the exponent.
bool is_plain_number(std::string_view text) {
  std::size_t i = 0;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) {
    ++i;
  }
  std::size_t digits = 0;
  while (i < text.size() && is_digit(text[i])) {
    ++i;
    ++digits;
  }
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && is_digit(text[i])) {
      ++i;
      ++digits;
    }
  }
  if (digits == 0) {
    return false;
  }
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) {
      ++i;
    }
    std::size_t exponent = 0;
    while (i < text.size() && is_digit(text[i])) {
      ++i;
      ++exponent;
    }
    if (exponent == 0) {
      return false;
    }
  }
  return i == text.size();
}

std::string comment_safe(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == '\x7f') {
      c = '?';
    }
  }
  return out;
}

} // namespace

void append_value(std::string& out, const std::optional<std::string>& value, ValueKind kind) {
  if (!value) {
    out += "NULL";
    return;
  }
  switch (kind) {
  case ValueKind::number:
    if (is_plain_number(*value)) {
      out += *value;
      return;
    }
    break;
  case ValueKind::binary:
    append_hex(out, *value);
    return;
  case ValueKind::text:
    break;
  }
  append_literal(out, *value);
}

bool is_generated_column(std::string_view extra) {
  std::size_t start = 0;
  while (start < extra.size()) {
    std::size_t end = extra.find(' ', start);
    if (end == std::string_view::npos) {
      end = extra.size();
    }
    std::string word(extra.substr(start, end - start));
    for (char& c : word) {
      c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
    }
    // Whole words: MySQL 8 says `DEFAULT_GENERATED` of expression defaults, which
    // are ordinary columns.
    if (word == "VIRTUAL" || word == "STORED" || word == "PERSISTENT") {
      return true;
    }
    start = end + 1;
  }
  return false;
}

DumpWriter::DumpWriter(Sink sink, std::size_t insert_bytes)
    : m_sink(std::move(sink)), m_insert_bytes(insert_bytes) {}

Status DumpWriter::emit(std::string_view text) {
  m_bytes += text.size();
  return m_sink(text);
}

Status DumpWriter::begin(std::string_view source) {
  std::string head = "-- vmoodle-apply dump";
  if (!source.empty()) {
    head += " of " + comment_safe(source);
  }
  head += "\n-- Loadable by the mariadb/mysql client into any database.\n"
          "-- ------------------------------------------------------\n\n";
  VM_TRY(emit(head));
  return emit(k_header_settings);
}

Status DumpWriter::table(std::string_view name, std::string_view create_table) {
  const std::string quoted = ident(name);
  std::string text = "\n--\n-- Table structure for table " + comment_safe(quoted) +
                     "\n--\n\nDROP TABLE IF EXISTS " + quoted +
                     ";\n"
                     "/*!40101 SET @saved_cs_client     = @@character_set_client */;\n"
                     "/*!40101 SET character_set_client = utf8mb4 */;\n";
  text += create_table;
  text += ";\n/*!40101 SET character_set_client = @saved_cs_client */;\n";
  return emit(text);
}

Status DumpWriter::begin_rows(std::string_view name, std::vector<ValueKind> kinds,
                              std::vector<std::string> columns) {
  m_table = ident(name);
  m_kinds = std::move(kinds);
  m_insert_head = "INSERT INTO " + m_table + " ";
  if (!columns.empty()) {
    m_insert_head += "(";
    for (std::size_t i = 0; i < columns.size(); ++i) {
      if (i > 0) {
        m_insert_head += ',';
      }
      m_insert_head += ident(columns[i]);
    }
    m_insert_head += ") ";
  }
  m_insert_head += "VALUES ";
  m_insert.clear();
  return emit("\n--\n-- Dumping data for table " + comment_safe(m_table) + "\n--\n\nLOCK TABLES " +
              m_table + " WRITE;\n/*!40000 ALTER TABLE " + m_table + " DISABLE KEYS */;\n");
}

Status DumpWriter::row(const std::vector<std::optional<std::string>>& values) {
  if (values.size() != m_kinds.size()) {
    return fail(ErrorKind::internal,
                "a row of " + std::to_string(values.size()) + " values for " +
                    std::to_string(m_kinds.size()) + " columns",
                "table " + m_table);
  }
  m_row.clear();
  m_row += '(';
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) {
      m_row += ',';
    }
    append_value(m_row, values[i], m_kinds[i]);
  }
  m_row += ')';
  // As mysqldump: the INSERT takes rows while it stays within the limit; a row
  // that alone exceeds it still gets a statement of its own.
  if (!m_insert.empty() && m_insert.size() + 1 + m_row.size() + 2 > m_insert_bytes) {
    VM_TRY(flush_insert());
  }
  if (m_insert.empty()) {
    m_insert = m_insert_head;
  } else {
    m_insert += ',';
  }
  m_insert += m_row;
  if (m_row.capacity() > 2 * m_insert_bytes) {
    m_row = std::string();
  }
  ++m_rows;
  return {};
}

Status DumpWriter::flush_insert() {
  if (m_insert.empty()) {
    return {};
  }
  m_insert += ";\n";
  Status status = emit(m_insert);
  m_insert.clear();
  // A huge row must not keep its memory for the rest of the dump.
  if (m_insert.capacity() > 2 * m_insert_bytes) {
    m_insert.shrink_to_fit();
  }
  return status;
}

Status DumpWriter::end_rows() {
  VM_TRY(flush_insert());
  VM_TRY(emit("/*!40000 ALTER TABLE " + m_table + " ENABLE KEYS */;\nUNLOCK TABLES;\n"));
  m_table.clear();
  m_kinds.clear();
  return {};
}

Status DumpWriter::finish(std::string_view completed) {
  VM_TRY(emit(k_trailer_settings));
  return emit("\n-- Dump completed on " + comment_safe(completed) + "\n");
}

} // namespace vmoodle::sql
