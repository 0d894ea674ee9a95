#include "arcflow/base/random.h"

#include <gtest/gtest.h>

#include <set>
#include <thread>
#include <vector>

namespace arcflow {
namespace {

// Calls and threads draw different numbers: each thread's generator is seeded on its own.
TEST(RandomTest, CallsAndThreadsDrawDifferentNumbers) {
  constexpr int kThreads = 4;
  constexpr int kDraws = 1000;
  std::vector<std::vector<uint64_t>> drawn(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&drawn, t] {
      for (int i = 0; i < kDraws; ++i) drawn[static_cast<size_t>(t)].push_back(RandomUint64());
    });
  }
  for (std::thread& thread : threads) thread.join();
  std::set<uint64_t> distinct;
  for (const std::vector<uint64_t>& numbers : drawn)
    distinct.insert(numbers.begin(), numbers.end());
  EXPECT_EQ(distinct.size(), static_cast<size_t>(kThreads * kDraws));
}

}  // namespace
}  // namespace arcflow
