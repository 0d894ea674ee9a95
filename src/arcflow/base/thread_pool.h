#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace arcflow {

// A fixed set of worker threads that run the iterations of one ParallelFor at a time together
// with the thread that calls it: for work split into a few coarse pieces of uneven size (the
// leaf columns of a batch), handed out one at a time so that no thread idles while pieces are
// left. Threads are started once, not per call.
//
// ParallelFor is not reentrant, and one thread at a time may call it. The destructor waits for
// the workers to stop.
class ThreadPool {
 public:
  // `threads` counts the caller: threads - 1 workers are started (none for 1 or less).
  explicit ThreadPool(int threads);
  ~ThreadPool();

  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  // Threads that run iterations, the caller included.
  int size() const { return static_cast<int>(workers_.size()) + 1; }

  // Calls `body(i)` once for every i in [0, count), on the workers and the calling thread, in
  // no particular order; returns when every call has returned. `body` must not throw.
  void ParallelFor(int64_t count, const std::function<void(int64_t)>& body);

 private:
  void Work();
  // Runs iterations of the current job until none is left. Called with `lock` held; returns
  // with it held.
  void RunIterations(std::unique_lock<std::mutex>& lock);

  std::mutex mutex_;
  std::condition_variable job_posted_;
  std::condition_variable job_done_;
  // Guarded by mutex_: the current job, its next iteration and how many are still running.
  const std::function<void(int64_t)>* body_ = nullptr;
  int64_t count_ = 0;
  int64_t next_ = 0;
  int64_t running_ = 0;
  uint64_t generation_ = 0;  // Bumped per job, so that a worker wakes once for each.
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace arcflow
