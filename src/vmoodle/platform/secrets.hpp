#pragma once

#include "vmoodle/model/fleet.hpp"
#include "vmoodle/util/error.hpp"
#include "vmoodle/util/secret.hpp"

namespace vmoodle::platform {

/// Turns `{env: X}` / `{file: P}` references into values.
class SecretSource {
public:
  virtual ~SecretSource() = default;
  /// The value, or an error naming the reference (never a value).
  virtual Result<Secret> resolve(const model::SecretRef& ref) = 0;
};

} // namespace vmoodle::platform
