#pragma once

#include <string>

namespace vmoodle {

/// A password value. It has no stream operator and no implicit conversion, so it
/// cannot end up in output, logs or errors by accident; `reveal()` is the only way
/// to the bytes and is called only where a statement or the registry needs them.
class Secret {
public:
  Secret() = default;
  explicit Secret(std::string value) : m_value(std::move(value)) {}

  const std::string& reveal() const { return m_value; }
  bool empty() const { return m_value.empty(); }
  bool operator==(const Secret& other) const = default;

private:
  std::string m_value;
};

/// What the output shows in place of any secret.
inline constexpr const char* k_sensitive = "(sensitive)";

} // namespace vmoodle
