#include "vmoodle/platform/env_secret_source.hpp"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace vmoodle::platform {

namespace {

Result<Secret> from_environment(const model::SecretRef& ref) {
  const char* value = std::getenv(ref.name.c_str());
  if (value == nullptr) {
    return fail(ErrorKind::secret, "environment variable " + ref.name + " is not set",
                ref.loc.render(), "export " + ref.name + " before running, or use {file: PATH}");
  }
  // CI systems expand a missing secret to "": connecting with an empty password
  // would only fail later with a misleading "access denied".
  if (*value == '\0') {
    return fail(ErrorKind::secret, "environment variable " + ref.name + " is empty",
                ref.loc.render(), "set " + ref.name + " to the password");
  }
  return Secret(value);
}

Result<Secret> from_file(const model::SecretRef& ref) {
  std::FILE* file = std::fopen(ref.name.c_str(), "rbe");
  if (file == nullptr) {
    return fail(ErrorKind::secret,
                "cannot read password file " + ref.name + ": " + std::strerror(errno),
                ref.loc.render(), "check that the file exists and is readable by this user");
  }
  std::string content;
  char chunk[4096];
  std::size_t count = 0;
  while ((count = std::fread(chunk, 1, sizeof chunk, file)) > 0) {
    content.append(chunk, count);
  }
  bool failed = std::ferror(file) != 0;
  int error_number = errno;
  std::fclose(file);
  if (failed) {
    return fail(ErrorKind::secret,
                "cannot read password file " + ref.name + ": " + std::strerror(error_number),
                ref.loc.render(), "check that " + ref.name + " is a readable regular file");
  }
  // Editors end files with a newline; it is not part of the password.
  if (content.ends_with("\r\n")) {
    content.resize(content.size() - 2);
  } else if (content.ends_with('\n')) {
    content.pop_back();
  }
  if (content.empty()) {
    return fail(ErrorKind::secret, "password file " + ref.name + " is empty", ref.loc.render(),
                "write the password into " + ref.name);
  }
  return Secret(std::move(content));
}

} // namespace

Result<Secret> EnvSecretSource::resolve(const model::SecretRef& ref) {
  if (ref.source == model::SecretRef::Source::env) {
    return from_environment(ref);
  }
  return from_file(ref);
}

} // namespace vmoodle::platform
