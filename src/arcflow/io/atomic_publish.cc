#include "arcflow/io/atomic_publish.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <random>

#include <fmt/format.h>

namespace arcflow::io {

std::string TemporaryPathFor(std::string_view final_path) {
  static std::atomic<uint64_t> counter{0};
  thread_local std::mt19937_64 random(
      std::random_device{}() ^
      static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count()));
  std::string_view parent = ParentPath(final_path);
  std::string name = fmt::format(".{}.{}-{:x}-{}.tmp", BaseName(final_path), getpid(), random(),
                                 counter.fetch_add(1));
  return parent.empty() ? name : JoinPath(parent, name);
}

Result<std::unique_ptr<AtomicFileWriter>> AtomicFileWriter::Open(std::shared_ptr<FileSystem> fs,
                                                                 std::string final_path,
                                                                 PublishMode mode,
                                                                 DirectorySync directory_sync) {
  std::string temp_path = TemporaryPathFor(final_path);
  ARCFLOW_ASSIGN_OR_RETURN(auto temp, fs->OpenWritable(temp_path));
  return std::unique_ptr<AtomicFileWriter>(
      new AtomicFileWriter(std::move(fs), std::move(final_path), std::move(temp_path), mode,
                           directory_sync, std::move(temp)));
}

AtomicFileWriter::~AtomicFileWriter() {
  if (!done_) (void)Abandon();
}

Status AtomicFileWriter::Abandon() {
  if (done_) return Status::OK();
  done_ = true;
  Status closed = temp_->Close();
  Status deleted = fs_->DeleteFile(temp_path_);
  ARCFLOW_RETURN_NOT_OK(closed);
  if (!deleted.ok() && !deleted.IsNotFound()) return deleted;
  return Status::OK();
}

Status AtomicFileWriter::Close() {
  if (done_) return Status::Invalid("io: file already closed (path={})", final_path_);
  done_ = true;
  Status status = temp_->Sync();
  if (status.ok()) status = temp_->Close();
  if (status.ok()) {
    if (mode_ == PublishMode::kReplace) {
      status = fs_->Rename(temp_path_, final_path_);
    } else {
      status = fs_->LinkIfAbsent(temp_path_, final_path_);
      if (status.ok()) {
        // The file is published: failing now would tell the caller it was not (a Delta writer
        // would then commit the same actions again at the next version). A temporary name left
        // behind is hidden and harmless, so removing it is best effort.
        (void)fs_->DeleteFile(temp_path_);
      }
    }
  }
  if (!status.ok()) {
    (void)fs_->DeleteFile(temp_path_);
    return status;
  }
  if (directory_sync_ == DirectorySync::kByCaller) return Status::OK();
  std::string_view parent = ParentPath(final_path_);
  return fs_->SyncDirectory(parent.empty() ? "." : std::string(parent));
}

Status PublishFile(const std::shared_ptr<FileSystem>& fs, const std::string& path,
                   std::string_view contents, PublishMode mode) {
  ARCFLOW_ASSIGN_OR_RETURN(auto writer, AtomicFileWriter::Open(fs, path, mode));
  ARCFLOW_RETURN_NOT_OK(writer->Append(contents));
  return writer->Close();
}

}  // namespace arcflow::io
