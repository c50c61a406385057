// libFuzzer target: the manifest loader (YAML → JSON → schema → resolve → semantic
// checks) over arbitrary bytes. Besides the sanitizers' own checks it asserts what the
// hostile corpus asserts: every error is of kind `manifest`, has causes, renders in
// bounded size and carries no raw control character that could forge a terminal line,
// nor invalid UTF-8 (which `--format json` could not encode).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "vmoodle/manifest/manifest.hpp"
#include "vmoodle/manifest/utf8.hpp"

namespace {

// A property broke: trap, so that libFuzzer saves the input as a crash-* file. `what`
// is for the reader of the stack trace.
[[noreturn]] void violated([[maybe_unused]] const char* what) {
  __builtin_trap();
}

bool forges_lines(const std::string& text) {
  for (char ch : text) {
    if (ch == '\n' || ch == '\r' || ch == '\x1b' || ch == '\0') {
      return true;
    }
  }
  return false;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto fleet = vmoodle::manifest::load(text, "/fuzz/fleet.yaml");
  if (fleet) {
    return 0;
  }
  const vmoodle::Error& error = fleet.error();
  if (error.kind != vmoodle::ErrorKind::manifest) {
    violated("manifest error of another kind");
  }
  if (error.causes.empty()) {
    violated("manifest error without causes");
  }
  if (error.render().size() > 16 * size + 64 * 1024) {
    violated("error amplified beyond a message per value");
  }
  for (const auto& cause : error.causes) {
    if (forges_lines(cause.where) || forges_lines(cause.message)) {
      violated("raw control character in an error");
    }
    if (vmoodle::manifest::invalid_utf8_offset(cause.where + cause.message)) {
      violated("invalid UTF-8 in an error");
    }
  }
  return 0;
}
