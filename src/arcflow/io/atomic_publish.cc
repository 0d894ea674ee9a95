#include "arcflow/io/atomic_publish.h"

#include <unistd.h>

#include <atomic>

#include <fmt/format.h>

#include "arcflow/base/random.h"

namespace arcflow::io {

std::string TemporaryPathFor(std::string_view final_path) {
  static std::atomic<uint64_t> counter{0};
  std::string_view parent = ParentPath(final_path);
  std::string name = fmt::format(".{}.{}-{:x}-{}.tmp", BaseName(final_path), getpid(),
                                 RandomUint64(), counter.fetch_add(1));
  return parent.empty() ? name : JoinPath(parent, name);
}

UnpublishedFile::~UnpublishedFile() { (void)Discard(); }

Status UnpublishedFile::Publish() {
  switch (state_) {
    case State::kWriting:
      return Status::Invalid("io: {} is published before it is completely written", final_path_);
    case State::kDiscarded:
      return Status::Invalid("io: {} was discarded, not published", final_path_);
    case State::kPublished:
      return Status::OK();
    case State::kWritten:
      break;
  }
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
    state_ = State::kDiscarded;
    (void)fs_->DeleteFile(temp_path_);
    return status;
  }
  state_ = State::kPublished;
  return Status::OK();
}

Status UnpublishedFile::Discard() {
  if (state_ == State::kPublished || state_ == State::kDiscarded) return Status::OK();
  state_ = State::kDiscarded;
  Status closed = temp_->Close();
  Status deleted = fs_->DeleteFile(temp_path_);
  ARCFLOW_RETURN_NOT_OK(closed);
  if (!deleted.ok() && !deleted.IsNotFound()) return deleted;
  return Status::OK();
}

Result<std::unique_ptr<AtomicFileWriter>> AtomicFileWriter::Open(std::shared_ptr<FileSystem> fs,
                                                                 std::string final_path,
                                                                 PublishMode mode) {
  std::shared_ptr<UnpublishedFile> file;
  ARCFLOW_ASSIGN_OR_RETURN(auto writer,
                           OpenUnpublished(std::move(fs), std::move(final_path), mode, &file));
  writer->publish_on_close_ = true;
  return writer;
}

Result<std::unique_ptr<AtomicFileWriter>> AtomicFileWriter::OpenUnpublished(
    std::shared_ptr<FileSystem> fs, std::string final_path, PublishMode mode,
    std::shared_ptr<UnpublishedFile>* unpublished) {
  std::string temp_path = TemporaryPathFor(final_path);
  ARCFLOW_ASSIGN_OR_RETURN(auto temp, fs->OpenWritable(temp_path));
  auto file = std::shared_ptr<UnpublishedFile>(new UnpublishedFile(
      std::move(fs), std::move(final_path), std::move(temp_path), mode, std::move(temp)));
  *unpublished = file;
  return std::unique_ptr<AtomicFileWriter>(
      new AtomicFileWriter(std::move(file), /*publish_on_close=*/false));
}

AtomicFileWriter::~AtomicFileWriter() {
  if (file_->state_ == UnpublishedFile::State::kWriting) (void)Abandon();
}

Status AtomicFileWriter::Append(std::span<const uint8_t> bytes) {
  if (file_->state_ != UnpublishedFile::State::kWriting) {
    return Status::Invalid("io: {} is already closed", file_->final_path_);
  }
  return file_->temp_->Append(bytes);
}

Status AtomicFileWriter::Sync() {
  if (file_->state_ != UnpublishedFile::State::kWriting) {
    return Status::Invalid("io: {} is already closed", file_->final_path_);
  }
  return file_->temp_->Sync();
}

Status AtomicFileWriter::Abandon() {
  if (file_->state_ != UnpublishedFile::State::kWriting) return Status::OK();
  return file_->Discard();
}

Status AtomicFileWriter::Close() {
  if (file_->state_ != UnpublishedFile::State::kWriting) {
    return Status::Invalid("io: file already closed (path={})", file_->final_path_);
  }
  file_->state_ = UnpublishedFile::State::kWritten;
  if (!publish_on_close_) return Status::OK();
  ARCFLOW_RETURN_NOT_OK(file_->Publish());
  std::string_view parent = ParentPath(file_->final_path_);
  return file_->fs_->SyncDirectory(parent.empty() ? "." : std::string(parent));
}

Status PublishFile(const std::shared_ptr<FileSystem>& fs, const std::string& path,
                   std::string_view contents, PublishMode mode) {
  ARCFLOW_ASSIGN_OR_RETURN(auto writer, AtomicFileWriter::Open(fs, path, mode));
  ARCFLOW_RETURN_NOT_OK(writer->Append(contents));
  return writer->Close();
}

}  // namespace arcflow::io
