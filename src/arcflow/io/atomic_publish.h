#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "arcflow/io/file_system.h"

namespace arcflow::io {

// How a published file meets an existing file of the same name.
enum class PublishMode {
  kReplace,   // rename(): readers see the old or the new file, never a mix.
  kIfAbsent,  // link(): fails with AlreadyExists if the name is taken (Delta commits).
};

class AtomicFileWriter;

// A file written in full under a temporary name beside its final one and not yet published:
// Publish() does what AtomicFileWriter::Close() does (fsync, then link or rename to the final
// name) but leaves the directory sync to the caller (FileSystem::SyncDirectory), who calls it
// when it suits, e.g. on another thread while other files are written (a Delta commit
// publishes the data files it adds while it writes its own). Destroyed unpublished, it removes
// the temporary file. Not thread-safe.
class UnpublishedFile {
 public:
  ~UnpublishedFile();
  UnpublishedFile(const UnpublishedFile&) = delete;
  UnpublishedFile& operator=(const UnpublishedFile&) = delete;

  // Syncs and publishes the file. Invalid until its writer is closed; OK once published.
  Status Publish();
  // Removes the temporary file: nothing is published. No-op once published.
  Status Discard();

  bool published() const { return state_ == State::kPublished; }
  // The final name, and the name it has until published (with the file's size and time).
  const std::string& path() const { return final_path_; }
  const std::string& temporary_path() const { return temp_path_; }

 private:
  friend class AtomicFileWriter;
  enum class State { kWriting, kWritten, kPublished, kDiscarded };
  UnpublishedFile(std::shared_ptr<FileSystem> fs, std::string final_path, std::string temp_path,
                  PublishMode mode, std::unique_ptr<WritableFile> temp)
      : fs_(std::move(fs)),
        final_path_(std::move(final_path)),
        temp_path_(std::move(temp_path)),
        mode_(mode),
        temp_(std::move(temp)) {}

  std::shared_ptr<FileSystem> fs_;
  std::string final_path_;
  std::string temp_path_;
  PublishMode mode_;
  std::unique_ptr<WritableFile> temp_;
  State state_ = State::kWriting;
};

// Writes a file under a temporary name beside its destination and makes it visible under the
// final name only on Close(), after fsync, so readers never see a partial file. A writer
// destroyed without Close(), or Abandon()ed, removes its temporary file and publishes nothing.
// Being a WritableFile, it can be handed to any format writer, whose successful Close()
// publishes the file. Not thread-safe.
class AtomicFileWriter final : public WritableFile {
 public:
  static Result<std::unique_ptr<AtomicFileWriter>> Open(std::shared_ptr<FileSystem> fs,
                                                        std::string final_path, PublishMode mode);
  // A writer whose Close() only ends the writing: the file is published by `*unpublished`,
  // which outlives the writer (UnpublishedFile::Publish).
  static Result<std::unique_ptr<AtomicFileWriter>> OpenUnpublished(
      std::shared_ptr<FileSystem> fs, std::string final_path, PublishMode mode,
      std::shared_ptr<UnpublishedFile>* unpublished);
  ~AtomicFileWriter() override;

  Status Append(std::span<const uint8_t> bytes) override;
  using WritableFile::Append;
  Status Sync() override;
  // Syncs, publishes under the final name and syncs the directory; or, opened unpublished,
  // ends the writing.
  Status Close() override;
  // Discards the file: nothing is published.
  Status Abandon();
  const std::string& path() const override { return file_->final_path_; }

 private:
  AtomicFileWriter(std::shared_ptr<UnpublishedFile> file, bool publish_on_close)
      : file_(std::move(file)), publish_on_close_(publish_on_close) {}

  std::shared_ptr<UnpublishedFile> file_;
  bool publish_on_close_;
};

// Publishes `contents` at `path` atomically (see AtomicFileWriter).
Status PublishFile(const std::shared_ptr<FileSystem>& fs, const std::string& path,
                   std::string_view contents, PublishMode mode);

// A unique name for a temporary file beside `final_path`: ".<name>.<random>.tmp".
std::string TemporaryPathFor(std::string_view final_path);

}  // namespace arcflow::io
