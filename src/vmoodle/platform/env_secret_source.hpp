#pragma once

#include "vmoodle/platform/secrets.hpp"

namespace vmoodle::platform {

/// Resolves `{env: NAME}` from the process environment and `{file: PATH}` from the
/// file's content, without one trailing `\n` or `\r\n`. An unset or empty variable,
/// an unreadable or empty file is a `secret` error naming the reference and its
/// manifest position; no error ever holds a value or file content.
class EnvSecretSource : public SecretSource {
public:
  Result<Secret> resolve(const model::SecretRef& ref) override;
};

} // namespace vmoodle::platform
