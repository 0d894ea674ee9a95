#include "arcflow/base/thread_pool.h"

namespace arcflow {

ThreadPool::ThreadPool(int threads) {
  for (int i = 1; i < threads; ++i) workers_.emplace_back([this] { Work(); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  job_posted_.notify_all();
  for (std::thread& worker : workers_) worker.join();
}

void ThreadPool::ParallelFor(int64_t count, const std::function<void(int64_t)>& body) {
  if (count <= 0) return;
  if (workers_.empty() || count == 1) {
    for (int64_t i = 0; i < count; ++i) body(i);
    return;
  }
  std::unique_lock<std::mutex> lock(mutex_);
  body_ = &body;
  count_ = count;
  next_ = 0;
  ++generation_;
  job_posted_.notify_all();
  RunIterations(lock);
  job_done_.wait(lock, [&] { return running_ == 0 && next_ >= count_; });
  body_ = nullptr;
}

void ThreadPool::RunIterations(std::unique_lock<std::mutex>& lock) {
  while (next_ < count_) {
    const int64_t i = next_++;
    ++running_;
    const std::function<void(int64_t)>& body = *body_;
    lock.unlock();
    body(i);
    lock.lock();
    --running_;
  }
  if (running_ == 0) job_done_.notify_all();
}

void ThreadPool::Work() {
  std::unique_lock<std::mutex> lock(mutex_);
  // Generation 0 is the pool before any job: a worker that starts after the first job was
  // posted still takes part in it.
  uint64_t seen = 0;
  while (true) {
    job_posted_.wait(lock, [&] { return stopping_ || generation_ != seen; });
    if (stopping_) return;
    seen = generation_;
    RunIterations(lock);
  }
}

}  // namespace arcflow
