// Benchmark (not a test): one baseline replicate on one thread, repeated; reports wall time,
// agent-months per second and peak memory. Run through scripts/bench; figures go to
// docs/performance.md with the command that produced them.
//
// Agent-months: every SME, every active SE and every government buyer counts once per month it
// is simulated, whether or not anything happens to it that month.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "model/model.hpp"
#include "solvers/scenario_file.hpp"

int main(int argc, char** argv) {
    const std::string file = argc > 1 ? argv[1] : "scenarios/baseline.ini";
    const int repeats = argc > 2 ? std::atoi(argv[2]) : 20;
    const sesim::Scenario sc = sesim::load_scenario(file);

    std::vector<double> seconds;
    double agent_months = 0;
    for (int k = 0; k < repeats; ++k) {
        const auto t0 = std::chrono::steady_clock::now();
        sesim::Model m(sc.params, 20190412, static_cast<std::uint32_t>(k));
        double am = 0;
        while (m.state().t < sc.params.g.months) {
            m.step();
            const auto& s = m.state();
            double active = 0;
            for (std::size_t i = 0; i < s.se.size(); ++i) active += s.se.active(i) ? 1 : 0;
            am += static_cast<double>(s.sme.count()) + active + sc.params.buyers();
        }
        seconds.push_back(
            std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
        agent_months = am;  // the same order of magnitude in every replicate; report the last
    }
    std::sort(seconds.begin(), seconds.end());
    const double median = seconds[seconds.size() / 2];
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    std::printf("scenario            %s (%d months)\n", file.c_str(), sc.params.g.months);
    std::printf("replicates timed    %d (one thread, sequential)\n", repeats);
    std::printf("agent-months        %.0f per replicate\n", agent_months);
    std::printf("wall time           median %.1f ms, best %.1f ms per replicate\n", 1e3 * median,
                1e3 * seconds.front());
    std::printf("throughput          %.0f million agent-months/s (median), %.0f (best)\n",
                agent_months / median / 1e6, agent_months / seconds.front() / 1e6);
    std::printf("peak memory (RSS)   %.1f MB\n", ru.ru_maxrss / 1024.0);
    return 0;
}
