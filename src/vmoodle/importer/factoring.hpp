#pragma once

#include <optional>
#include <string>
#include <vector>

namespace vmoodle::importer {

/// A manifest value as it is written in YAML.
struct Scalar {
  enum class Kind { string, integer, boolean, env_ref };
  Kind kind = Kind::string;
  std::string text; ///< the string, the decimal integer, `true`/`false`, or the variable name

  static Scalar string(std::string value) { return {Kind::string, std::move(value)}; }
  static Scalar integer(long long value) { return {Kind::integer, std::to_string(value)}; }
  static Scalar boolean(bool value) { return {Kind::boolean, value ? "true" : "false"}; }
  static Scalar env(std::string name) { return {Kind::env_ref, std::move(name)}; }
  // NOLINTNEXTLINE(modernize-use-nullptr): clang-tidy 14 misreads a defaulted <=>
  auto operator<=>(const Scalar&) const = default;
};

/// One key factored over all hosts: what `defaults:` says, and what each host must
/// write itself.
struct Factored {
  std::optional<Scalar> default_value;         ///< written under `defaults:`
  std::vector<std::optional<Scalar>> per_host; ///< written in the host; nullopt = inherits
};

/// How a key behaves when a host does not write it.
struct KeyRule {
  /// The value in effect when neither the host nor `defaults:` writes the key;
  /// nullopt when the key has no built-in default.
  std::optional<Scalar> builtin;
  /// Always write the chosen value under `defaults:`, even when it is the built-in.
  bool always_default = false;
  /// The key cannot be unset by a host (`template:`): only a value every host shares
  /// may go under `defaults:`.
  bool unanimous_only = false;
};

/// Chooses the default of one key. `ways[i]` lists the ways host i's value can be
/// written, its literal first (placeholder patterns after it); an empty list means
/// the host has no value, which only a `unanimous_only` key allows (it then gets no
/// default). The default is the way that fits
/// the most hosts (the earliest on a tie, the built-in when it ties); a host that the
/// default (or the built-in) does not fit writes its literal.
Factored factor(const std::vector<std::vector<Scalar>>& ways, const KeyRule& rule);

/// The ways to write `value` for a host named `shortname` at `vhost` (the first DNS
/// label of its vhostname): the literal, then with `{shortname}` (all, first and last
/// occurrences) and `{vhost}` (likewise) in place of those values.
std::vector<Scalar> placeholder_ways(const std::string& value, const std::string& shortname,
                                     const std::string& vhost);

} // namespace vmoodle::importer
