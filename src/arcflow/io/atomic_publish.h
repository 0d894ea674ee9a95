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

// Who makes a published name durable: Close(), or the caller, who syncs the directory
// (FileSystem::SyncDirectory) before anything relies on the name surviving a crash, and can
// overlap that with other work.
enum class DirectorySync { kOnClose, kByCaller };

// Writes a file under a temporary name beside its destination and makes it visible under the
// final name only on Close(), after fsync, so readers never see a partial file. A writer
// destroyed without Close(), or Abandon()ed, removes its temporary file and publishes nothing.
// Being a WritableFile, it can be handed to any format writer, whose successful Close()
// publishes the file. Not thread-safe.
class AtomicFileWriter final : public WritableFile {
 public:
  static Result<std::unique_ptr<AtomicFileWriter>> Open(
      std::shared_ptr<FileSystem> fs, std::string final_path, PublishMode mode,
      DirectorySync directory_sync = DirectorySync::kOnClose);
  ~AtomicFileWriter() override;

  Status Append(std::span<const uint8_t> bytes) override { return temp_->Append(bytes); }
  using WritableFile::Append;
  Status Sync() override { return temp_->Sync(); }
  // Syncs, publishes under the final name and syncs the directory (unless the caller does).
  Status Close() override;
  // Discards the file: nothing is published.
  Status Abandon();
  const std::string& path() const override { return final_path_; }

 private:
  AtomicFileWriter(std::shared_ptr<FileSystem> fs, std::string final_path, std::string temp_path,
                   PublishMode mode, DirectorySync directory_sync,
                   std::unique_ptr<WritableFile> temp)
      : fs_(std::move(fs)),
        final_path_(std::move(final_path)),
        temp_path_(std::move(temp_path)),
        mode_(mode),
        directory_sync_(directory_sync),
        temp_(std::move(temp)) {}

  std::shared_ptr<FileSystem> fs_;
  std::string final_path_;
  std::string temp_path_;
  PublishMode mode_;
  DirectorySync directory_sync_;
  std::unique_ptr<WritableFile> temp_;
  bool done_ = false;
};

// Publishes `contents` at `path` atomically (see AtomicFileWriter).
Status PublishFile(const std::shared_ptr<FileSystem>& fs, const std::string& path,
                   std::string_view contents, PublishMode mode);

// A unique name for a temporary file beside `final_path`: ".<name>.<random>.tmp".
std::string TemporaryPathFor(std::string_view final_path);

}  // namespace arcflow::io
