#pragma once

#include <cstddef>
#include <string>

namespace vmoodle::apply {

/// Up to `wanted` of the extra load sessions of `key` (a server), out of `limit` for every
/// load of this process at the time; given back on destruction. An empty key grants
/// `wanted`.
class SessionGrant {
public:
  SessionGrant(std::string key, std::size_t wanted, std::size_t limit);
  SessionGrant(const SessionGrant&) = delete;
  SessionGrant& operator=(const SessionGrant&) = delete;
  ~SessionGrant();
  std::size_t granted() const { return m_granted; }

private:
  std::string m_key;
  std::size_t m_granted = 0;
};

} // namespace vmoodle::apply
