#include "vmoodle/util/error.hpp"

namespace vmoodle {

std::string Location::render() const {
  std::string out = file;
  if (line > 0) {
    out += ":" + std::to_string(line);
    if (column > 0) {
      out += ":" + std::to_string(column);
    }
  }
  if (!path.empty()) {
    out += out.empty() ? path : ": " + path;
  }
  return out;
}

std::string Error::render() const {
  std::string out;
  if (!message.empty() || causes.empty()) {
    out = where.empty() ? message : where + ": " + message;
    if (!hint.empty()) {
      out += "\n  hint: " + hint;
    }
  }
  for (const auto& cause : causes) {
    if (!out.empty()) {
      out += "\n";
    }
    out += cause.render();
  }
  return out;
}

Error& Error::in(const std::string& context) {
  where = where.empty() ? context : context + ": " + where;
  return *this;
}

} // namespace vmoodle
