// Benchmark (not a test): one baseline replicate on one thread, repeated; reports wall time,
// CPU time, agent-months per second and peak memory. Run through scripts/bench; figures go to
// docs/performance.md with the command that produced them.
//
//   sesim_bench [scenario.ini] [repeats] [scale]
//
// `scale` (default 1) multiplies every region's population, SMEs and SEs at the start and every
// buyer's budget, so that one geography gives the size series of docs/performance.md (1/8, 1/4,
// 1/2 and 1 of national size) with the same regions, buyers and links.
//
// Agent-months: every SME, every active SE and every government buyer counts once per month it
// is simulated, whether or not anything happens to it that month.
#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "model/model.hpp"
#include "solvers/scenario_file.hpp"

int main(int argc, char** argv) {
    const std::string file = argc > 1 ? argv[1] : "scenarios/baseline.ini";
    const int repeats = argc > 2 ? std::atoi(argv[2]) : 20;
    const double scale = argc > 3 ? std::atof(argv[3]) : 1.0;
    sesim::Scenario sc = sesim::load_scenario(file);
    long smes = 0, ses = 0;
    for (auto& r : sc.params.region) {
        r.population = static_cast<int>(std::lround(r.population * scale));
        r.smes = static_cast<int>(std::lround(r.smes * scale));
        r.initial_ses = static_cast<int>(std::lround(r.initial_ses * scale));
        smes += r.smes;
        ses += r.initial_ses;
    }
    for (auto& b : sc.params.buyer) b.budget *= scale;
    const auto cpu_now = [] {
        timespec ts{};
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
        return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
    };

    std::vector<double> seconds, cpu;
    double agent_months = 0;
    for (int k = 0; k < repeats; ++k) {
        const auto t0 = std::chrono::steady_clock::now();
        const double c0 = cpu_now();
        sesim::Model m(sc.params, 20190412, static_cast<std::uint32_t>(k));
        double am = 0;
        while (m.state().t < sc.params.g.months) {
            m.step();
            const auto& s = m.state();
            double active = 0;
            for (std::size_t i = 0; i < s.se.size(); ++i) active += s.se.active(i) ? 1 : 0;
            am += static_cast<double>(s.sme.count()) + active + sc.params.buyers();
        }
        cpu.push_back(cpu_now() - c0);
        seconds.push_back(
            std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
        agent_months = am;  // the same order of magnitude in every replicate; report the last
    }
    std::sort(seconds.begin(), seconds.end());
    std::sort(cpu.begin(), cpu.end());
    const double median = seconds[seconds.size() / 2];
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    std::printf("scenario            %s (%d months)\n", file.c_str(), sc.params.g.months);
    std::printf(
        "size                scale %g: %d regions, %d buyers, %ld SMEs, %ld SEs at the start\n",
        scale, sc.params.regions(), sc.params.buyers(), smes, ses);
    std::printf("replicates timed    %d (one thread, sequential)\n", repeats);
    std::printf("agent-months        %.0f per replicate\n", agent_months);
    std::printf("wall time           median %.1f ms, best %.1f ms per replicate\n", 1e3 * median,
                1e3 * seconds.front());
    std::printf("CPU time            median %.1f ms, best %.1f ms per replicate\n",
                1e3 * cpu[cpu.size() / 2], 1e3 * cpu.front());
    std::printf("throughput          %.0f million agent-months/s (median), %.0f (best)\n",
                agent_months / median / 1e6, agent_months / seconds.front() / 1e6);
    std::printf("peak memory (RSS)   %.1f MB\n", ru.ru_maxrss / 1024.0);
    return 0;
}
