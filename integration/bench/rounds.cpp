#include "integration/bench/rounds.hpp"

#include <algorithm>

namespace vmoodle::bench {

void run_in_turn(const std::string& scenario, std::vector<Contender>& contenders, int rounds,
                 const std::function<void(const Contender&)>& before, Report& report) {
  // Each round starts one contender further: none always follows the same one (a peer
  // that fills the server's caches with 48,300 open tables slows whoever comes next).
  for (int round = 0; round < rounds; ++round) {
    for (std::size_t i = 0; i < contenders.size(); ++i) {
      auto& contender = contenders[(i + static_cast<std::size_t>(round)) % contenders.size()];
      if (before) {
        before(contender);
      }
      contender.runs.push_back(contender.run());
    }
  }
  for (auto& contender : contenders) {
    std::string all;
    for (const auto& run : contender.runs) {
      all += (all.empty() ? "" : ", ") + seconds_text(run.seconds);
    }
    std::vector<Measure> sorted = contender.runs;
    std::sort(sorted.begin(), sorted.end(),
              [](const Measure& a, const Measure& b) { return a.seconds < b.seconds; });
    const Measure& median = sorted[sorted.size() / 2];
    if (&contender == &contenders.front()) {
      report.tool(scenario, contender.subject, median);
    } else {
      report.peer(scenario, contender.subject, median.seconds);
    }
    report.note(scenario, contender.subject + ": " + all);
  }
}

} // namespace vmoodle::bench
