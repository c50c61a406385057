#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "integration/bench/measure.hpp"
#include "integration/bench/report.hpp"

namespace vmoodle::bench {

/// Runs of each contender in a scenario; the median is reported.
inline constexpr int k_rounds = 3;

/// One way of doing a scenario's work: the tool's (the first of a list) or a peer's.
struct Contender {
  Contender(std::string subject_, std::function<Measure()> run_)
      : subject(std::move(subject_)), run(std::move(run_)) {}
  std::string subject;
  std::function<Measure()> run; ///< must throw when the run fails
  std::vector<Measure> runs;
};

/// Runs every contender `rounds` times, in turn, each round starting with the next one (so
/// that none always runs on the caches the one before it warmed or filled), `before` ahead
/// of each run; reports each one's median run,
/// the first as the tool and the others as its peers, and all runs as a note.
void run_in_turn(const std::string& scenario, std::vector<Contender>& contenders, int rounds,
                 const std::function<void(const Contender&)>& before, Report& report);

} // namespace vmoodle::bench
