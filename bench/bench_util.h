#pragma once

#include <sys/resource.h>

#include <benchmark/benchmark.h>

namespace arcflow::bench {

// Adds the process's peak resident set size so far, in MiB, to the benchmark's counters.
inline void ReportPeakRss(benchmark::State& state) {
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  state.counters["peak_rss_mb"] = static_cast<double>(usage.ru_maxrss) / 1024.0;
}

}  // namespace arcflow::bench
