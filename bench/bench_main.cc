// The main() of every benchmark binary: the allocator policies of the arcflow binary (huge
// pages for the heap, freed memory kept for reuse), so that the numbers are those its commands
// get, then Google Benchmark's usual flags and run.

#include <benchmark/benchmark.h>

#include "arcflow/base/allocator_policy.h"

int main(int argc, char** argv) {
  arcflow::UseAllocatorPolicies(argv);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
