#include "arcflow/base/thread_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <set>
#include <vector>

namespace arcflow {
namespace {

TEST(ThreadPoolTest, RunsEveryIterationOnceForAnySize) {
  for (int threads : {1, 2, 4}) {
    ThreadPool pool(threads);
    EXPECT_EQ(pool.size(), threads);
    for (int64_t count : {0, 1, 2, 3, 17, 1000}) {
      std::vector<std::atomic<int>> runs(static_cast<size_t>(count));
      pool.ParallelFor(count, [&](int64_t i) { runs[static_cast<size_t>(i)]++; });
      for (int64_t i = 0; i < count; ++i) {
        EXPECT_EQ(runs[static_cast<size_t>(i)].load(), 1) << threads << " threads, " << count;
      }
    }
  }
}

// Uneven iterations spread over the threads: while the caller is held up in a long one, the
// workers take the rest. Checked by which threads ran iterations, not by time.
TEST(ThreadPoolTest, WorkersTakeIterationsWhileTheCallerIsBusy) {
  ThreadPool pool(3);
  std::mutex mutex;
  std::set<std::thread::id> threads;
  std::atomic<int> done{0};
  pool.ParallelFor(64, [&](int64_t i) {
    {
      std::lock_guard<std::mutex> lock(mutex);
      threads.insert(std::this_thread::get_id());
    }
    if (i == 0) {
      // The first iteration waits until all the others have run elsewhere (bounded, so that
      // a pool that ran everything on one thread fails instead of hanging).
      const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
      while (done.load() < 63 && std::chrono::steady_clock::now() < give_up) {
        std::this_thread::yield();
      }
    } else {
      done++;
    }
  });
  EXPECT_EQ(done.load(), 63);
  EXPECT_GE(threads.size(), 2u);
}

TEST(ThreadPoolTest, ManyJobsOneAfterAnother) {
  ThreadPool pool(2);
  std::atomic<int64_t> sum{0};
  for (int job = 0; job < 500; ++job) {
    pool.ParallelFor(8, [&](int64_t i) { sum += i; });
  }
  EXPECT_EQ(sum.load(), 500 * 28);
}

}  // namespace
}  // namespace arcflow
