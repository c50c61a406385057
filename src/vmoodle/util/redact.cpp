#include "vmoodle/util/redact.hpp"

namespace vmoodle {

Error redact(Error error, const Secret& secret) {
  if (secret.empty()) {
    return error;
  }
  const std::string& value = secret.reveal();
  for (std::string* text : {&error.message, &error.where, &error.hint}) {
    for (auto pos = text->find(value); pos != std::string::npos; pos = text->find(value, pos)) {
      text->replace(pos, value.size(), k_sensitive);
      pos += std::char_traits<char>::length(k_sensitive);
    }
  }
  for (auto& cause : error.causes) {
    cause = redact(std::move(cause), secret);
  }
  return error;
}

} // namespace vmoodle
