#include <array>
#include <utility>

#include "vmoodle/model/fleet.hpp"

namespace vmoodle::model {

namespace {

constexpr std::array<std::pair<SslMode, const char*>, 5> k_ssl_modes = {{
    {SslMode::disabled, "disabled"},
    {SslMode::preferred, "preferred"},
    {SslMode::required, "required"},
    {SslMode::verify_ca, "verify_ca"},
    {SslMode::verify_identity, "verify_identity"},
}};

} // namespace

std::string to_string(SslMode mode) {
  for (const auto& [value, name] : k_ssl_modes) {
    if (value == mode) {
      return name;
    }
  }
  return "preferred";
}

std::optional<SslMode> ssl_mode_from_string(const std::string& text) {
  for (const auto& [value, name] : k_ssl_modes) {
    if (text == name) {
      return value;
    }
  }
  return std::nullopt;
}

} // namespace vmoodle::model
