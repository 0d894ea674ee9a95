#include "arcflow/formats/multi_file_reader.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

namespace arcflow::formats {
namespace {

// Opens `path` and checks that it yields the resolved schema.
Result<std::unique_ptr<RecordBatchReader>> OpenChecked(const std::shared_ptr<io::FileSystem>& fs,
                                                       const std::string& path,
                                                       const ReadSpec& spec) {
  ARCFLOW_ASSIGN_OR_RETURN(auto reader,
                           OpenFileReader(fs, path, spec.format, spec.schema, spec.options));
  if (!reader->schema()->Equals(*spec.schema, /*check_metadata=*/false)) {
    return Status::Invalid("file '{}' has schema <{}>, expected <{}> like the other inputs", path,
                           reader->schema()->ToString(), spec.schema->ToString());
  }
  return reader;
}

// Batches carry the resolved schema object so that consumers see one schema throughout.
RecordBatchPtr WithSchema(const RecordBatchPtr& batch, const SchemaPtr& schema) {
  return std::make_shared<const RecordBatch>(schema, batch->num_rows(), batch->columns());
}

// Reads the files one after the other on the caller's thread.
class SequentialMultiFileReader final : public RecordBatchReader {
 public:
  SequentialMultiFileReader(std::shared_ptr<io::FileSystem> fs, std::vector<std::string> paths,
                            ReadSpec spec)
      : fs_(std::move(fs)), paths_(std::move(paths)), spec_(std::move(spec)) {}

  const SchemaPtr& schema() const override { return spec_.schema; }

  Result<RecordBatchPtr> Next() override {
    while (true) {
      if (!current_) {
        if (next_path_ >= paths_.size()) return RecordBatchPtr();
        ARCFLOW_ASSIGN_OR_RETURN(current_, OpenChecked(fs_, paths_[next_path_++], spec_));
      }
      ARCFLOW_ASSIGN_OR_RETURN(RecordBatchPtr batch, current_->Next());
      if (batch) return WithSchema(batch, spec_.schema);
      current_.reset();
    }
  }

 private:
  std::shared_ptr<io::FileSystem> fs_;
  std::vector<std::string> paths_;
  ReadSpec spec_;
  size_t next_path_ = 0;
  std::unique_ptr<RecordBatchReader> current_;
};

// Reads up to `parallelism` files at once on worker threads and hands their batches out in
// file order. Workers take files in order, and only files within `parallelism` of the first
// one whose batches have not all been handed out, so the file the consumer waits for is
// always being read.
class ParallelMultiFileReader final : public RecordBatchReader {
 public:
  ParallelMultiFileReader(std::shared_ptr<io::FileSystem> fs, std::vector<std::string> paths,
                          ReadSpec spec, const MultiFileReadOptions& options)
      : fs_(std::move(fs)),
        paths_(std::move(paths)),
        spec_(std::move(spec)),
        window_(static_cast<size_t>(options.parallelism)),
        batches_ahead_(static_cast<size_t>(std::max(1, options.batches_ahead))),
        files_(paths_.size()) {
    const size_t workers = std::min(window_, paths_.size());
    workers_.reserve(workers);
    for (size_t i = 0; i < workers; ++i) workers_.emplace_back([this] { Work(); });
  }

  ~ParallelMultiFileReader() override {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      cancelled_ = true;
    }
    worker_wakeup_.notify_all();
    for (std::thread& worker : workers_) worker.join();
  }

  const SchemaPtr& schema() const override { return spec_.schema; }

  Result<RecordBatchPtr> Next() override {
    std::unique_lock<std::mutex> lock(mutex_);
    while (consumed_file_ < files_.size()) {
      FileState& file = files_[consumed_file_];
      consumer_wakeup_.wait(lock, [&] { return !file.batches.empty() || file.done; });
      if (!file.batches.empty()) {
        RecordBatchPtr batch = std::move(file.batches.front());
        file.batches.pop_front();
        lock.unlock();
        worker_wakeup_.notify_all();
        return batch;
      }
      if (!file.status.ok()) {
        Status status = std::move(file.status);
        consumed_file_ = files_.size();  // The stream ends with the first error.
        cancelled_ = true;
        lock.unlock();
        worker_wakeup_.notify_all();
        return status;
      }
      ++consumed_file_;
      worker_wakeup_.notify_all();
    }
    return RecordBatchPtr();
  }

 private:
  struct FileState {
    std::deque<RecordBatchPtr> batches;
    Status status;
    bool done = false;
  };

  void Work() {
    std::unique_lock<std::mutex> lock(mutex_);
    while (true) {
      worker_wakeup_.wait(lock, [&] {
        return cancelled_ || (next_file_ < files_.size() && next_file_ < WindowStart() + window_) ||
               next_file_ >= files_.size();
      });
      if (cancelled_ || next_file_ >= files_.size()) return;
      const size_t index = next_file_++;
      lock.unlock();
      Status status = ReadFile(index);
      lock.lock();
      files_[index].status = std::move(status);
      files_[index].done = true;
      consumer_wakeup_.notify_all();
      // A file the consumer has already taken every batch of leaves the window now.
      worker_wakeup_.notify_all();
    }
  }

  // The first file whose batches the consumer has not all taken. A file read whole whose
  // batches are all handed out holds no place in the window, even before the consumer asks
  // for the next batch: so a worker starts on the next file while the consumer works on the
  // last batch (for a file that is one batch, as a JSON envelope is, the window would
  // otherwise hold a worker back for the whole time the consumer takes). Called locked.
  size_t WindowStart() const {
    size_t start = consumed_file_;
    while (start < files_.size() && files_[start].done && files_[start].batches.empty() &&
           files_[start].status.ok()) {
      ++start;
    }
    return start;
  }

  // Reads file `index` into its queue, waiting while the queue is full. Called unlocked.
  Status ReadFile(size_t index) {
    ARCFLOW_ASSIGN_OR_RETURN(auto reader, OpenChecked(fs_, paths_[index], spec_));
    while (true) {
      ARCFLOW_ASSIGN_OR_RETURN(RecordBatchPtr batch, reader->Next());
      if (!batch) return Status::OK();
      std::unique_lock<std::mutex> lock(mutex_);
      FileState& file = files_[index];
      worker_wakeup_.wait(lock, [&] { return cancelled_ || file.batches.size() < batches_ahead_; });
      if (cancelled_) return Status::Cancelled("read of '{}' stopped", paths_[index]);
      file.batches.push_back(WithSchema(batch, spec_.schema));
      consumer_wakeup_.notify_all();
    }
  }

  const std::shared_ptr<io::FileSystem> fs_;
  const std::vector<std::string> paths_;
  const ReadSpec spec_;
  const size_t window_;
  const size_t batches_ahead_;

  std::mutex mutex_;
  // Guarded by mutex_: the per-file queues and outcomes, the next file a worker takes, the file
  // the consumer reads, and whether the reader is shutting down.
  std::vector<FileState> files_;
  size_t next_file_ = 0;
  size_t consumed_file_ = 0;
  bool cancelled_ = false;
  std::condition_variable worker_wakeup_;    // Queue space, window moves, cancellation.
  std::condition_variable consumer_wakeup_;  // A batch arrived or a file finished.
  std::vector<std::thread> workers_;         // Started last: they use the members above.
};

}  // namespace

std::unique_ptr<RecordBatchReader> NewMultiFileReader(std::shared_ptr<io::FileSystem> fs,
                                                      std::vector<std::string> paths, ReadSpec spec,
                                                      const MultiFileReadOptions& options) {
  if (options.parallelism <= 1 || paths.size() <= 1) {
    return std::make_unique<SequentialMultiFileReader>(std::move(fs), std::move(paths),
                                                       std::move(spec));
  }
  return std::make_unique<ParallelMultiFileReader>(std::move(fs), std::move(paths), std::move(spec),
                                                   options);
}

}  // namespace arcflow::formats
