#include "arcflow/io/fault_injecting_file_system.h"

#include <algorithm>

#include <fmt/format.h>

namespace arcflow::io {
namespace {

// The directory whose SyncDirectory makes an entry for `path` durable, spelled as callers
// spell it: "." for a relative name without a directory.
std::string ParentKey(std::string_view path) {
  std::string_view parent = ParentPath(path);
  return parent.empty() ? std::string(".") : std::string(parent);
}

std::string DirectoryKey(std::string_view directory) {
  while (directory.size() > 1 && directory.back() == '/') directory.remove_suffix(1);
  return directory.empty() ? std::string(".") : std::string(directory);
}

bool Contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

bool IsDirectoryMutation(Mutation mutation) {
  return mutation == Mutation::kCreateDirectories || mutation == Mutation::kSyncDirectory ||
         mutation == Mutation::kDeleteDirectoryRecursively;
}

// Whether a path filter selects a mutation. A directory's path is matched as if it ended in
// '/', so that "_delta_log/" selects the sync of the log directory along with the files in it.
bool Matches(Mutation mutation, const std::string& path, const std::string& second_path,
             std::string_view filter) {
  if (Contains(path, filter) || Contains(second_path, filter)) return true;
  return IsDirectoryMutation(mutation) && !path.ends_with('/') && Contains(path + "/", filter);
}

// Replaces the contents of `path` on `fs`. Used to roll files back, outside fault injection.
Status Overwrite(FileSystem& fs, const std::string& path, std::string_view contents) {
  ARCFLOW_ASSIGN_OR_RETURN(auto file, fs.OpenWritable(path));
  ARCFLOW_RETURN_NOT_OK(file->Append(contents));
  ARCFLOW_RETURN_NOT_OK(file->Sync());
  return file->Close();
}

Status IgnoreNotFound(Status status) { return status.IsNotFound() ? Status::OK() : status; }

}  // namespace

std::string_view MutationName(Mutation mutation) {
  switch (mutation) {
    case Mutation::kOpenWritable:
      return "open_writable";
    case Mutation::kAppend:
      return "append";
    case Mutation::kSync:
      return "sync";
    case Mutation::kClose:
      return "close";
    case Mutation::kRename:
      return "rename";
    case Mutation::kLinkIfAbsent:
      return "link_if_absent";
    case Mutation::kDeleteFile:
      return "delete_file";
    case Mutation::kCreateDirectories:
      return "create_directories";
    case Mutation::kSyncDirectory:
      return "sync_directory";
    case Mutation::kDeleteDirectoryRecursively:
      return "delete_directory_recursively";
  }
  return "unknown";
}

// Forwards to the wrapped file's writer, asking the file system before each mutation and
// recording how much of the file is written and synced.
class FaultInjectingWritableFile final : public WritableFile {
 public:
  FaultInjectingWritableFile(std::shared_ptr<FaultInjectingFileSystem> fs,
                             std::unique_ptr<WritableFile> target,
                             std::shared_ptr<FaultInjectingFileSystem::WrittenFile> written)
      : fs_(std::move(fs)), target_(std::move(target)), written_(std::move(written)) {}

  Status Append(std::span<const uint8_t> bytes) override {
    std::lock_guard lock(fs_->mutex_);
    ARCFLOW_RETURN_NOT_OK(fs_->Admit(Mutation::kAppend, path()));
    ARCFLOW_RETURN_NOT_OK(target_->Append(bytes));
    written_->written += static_cast<int64_t>(bytes.size());
    return Status::OK();
  }
  using WritableFile::Append;

  Status Sync() override {
    std::lock_guard lock(fs_->mutex_);
    ARCFLOW_RETURN_NOT_OK(fs_->Admit(Mutation::kSync, path()));
    ARCFLOW_RETURN_NOT_OK(target_->Sync());
    written_->synced = written_->written;
    return Status::OK();
  }

  Status Close() override {
    std::lock_guard lock(fs_->mutex_);
    ARCFLOW_RETURN_NOT_OK(fs_->Admit(Mutation::kClose, path()));
    return target_->Close();
  }

  const std::string& path() const override { return target_->path(); }

 private:
  std::shared_ptr<FaultInjectingFileSystem> fs_;
  std::unique_ptr<WritableFile> target_;
  std::shared_ptr<FaultInjectingFileSystem::WrittenFile> written_;
};

std::shared_ptr<FaultInjectingFileSystem> FaultInjectingFileSystem::Make(
    std::shared_ptr<FileSystem> target) {
  return std::shared_ptr<FaultInjectingFileSystem>(new FaultInjectingFileSystem(std::move(target)));
}

// Counters and arming ------------------------------------------------------------------------

int64_t FaultInjectingFileSystem::mutation_count() const {
  std::lock_guard lock(mutex_);
  return static_cast<int64_t>(log_.size());
}

int64_t FaultInjectingFileSystem::CountMutations(std::string_view path_substring) const {
  std::lock_guard lock(mutex_);
  return std::count_if(log_.begin(), log_.end(), [&](const LogEntry& entry) {
    return Matches(entry.mutation, entry.path, entry.second_path, path_substring);
  });
}

std::vector<std::string> FaultInjectingFileSystem::mutation_log() const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> lines;
  for (size_t i = 0; i < log_.size(); ++i) {
    const LogEntry& entry = log_[i];
    lines.push_back(fmt::format("{} {} {}{}{}{}", i + 1, MutationName(entry.mutation), entry.path,
                                entry.second_path.empty() ? "" : " -> ", entry.second_path,
                                entry.failed ? " (failed)" : ""));
  }
  return lines;
}

int64_t FaultInjectingFileSystem::injected_failure_count() const {
  std::lock_guard lock(mutex_);
  return injected_failures_;
}

void FaultInjectingFileSystem::ResetCounters() {
  std::lock_guard lock(mutex_);
  log_.clear();
  injected_failures_ = 0;
}

void FaultInjectingFileSystem::Arm(Plan plan, int64_t n, std::string path_substring,
                                   double probability, uint64_t seed) {
  std::lock_guard lock(mutex_);
  plan_ = plan;
  plan_target_ = n;
  plan_matched_ = 0;
  plan_filter_ = std::move(path_substring);
  plan_probability_ = probability;
  random_.seed(seed);
}

void FaultInjectingFileSystem::FailMutation(int64_t n, std::string path_substring) {
  Arm(Plan::kFailOnce, n, std::move(path_substring), 0, 0);
}

void FaultInjectingFileSystem::CrashAtMutation(int64_t n, std::string path_substring) {
  Arm(Plan::kCrash, n, std::move(path_substring), 0, 0);
}

void FaultInjectingFileSystem::FailRandomly(double probability, uint64_t seed,
                                            std::string path_substring) {
  Arm(Plan::kRandom, 0, std::move(path_substring), probability, seed);
}

void FaultInjectingFileSystem::Crash() {
  std::lock_guard lock(mutex_);
  crashed_ = true;
}

void FaultInjectingFileSystem::Disarm() {
  std::lock_guard lock(mutex_);
  plan_ = Plan::kNone;
  crashed_ = false;
}

bool FaultInjectingFileSystem::crashed() const {
  std::lock_guard lock(mutex_);
  return crashed_;
}

Status FaultInjectingFileSystem::Admit(Mutation mutation, const std::string& path,
                                       const std::string& second_path) {
  log_.push_back(LogEntry{mutation, path, second_path, /*failed=*/false});
  int64_t number = static_cast<int64_t>(log_.size());
  bool fail = crashed_;
  if (!fail && plan_ != Plan::kNone && Matches(mutation, path, second_path, plan_filter_)) {
    ++plan_matched_;
    switch (plan_) {
      case Plan::kFailOnce:
        fail = plan_matched_ == plan_target_;
        break;
      case Plan::kCrash:
        crashed_ = fail = plan_matched_ == plan_target_;
        break;
      case Plan::kRandom:
        // 53 random bits make a uniform double in [0, 1), the same on every platform.
        fail = static_cast<double>(random_() >> 11) * 0x1.0p-53 < plan_probability_;
        break;
      case Plan::kNone:
        break;
    }
  }
  if (!fail) return Status::OK();
  log_.back().failed = true;
  ++injected_failures_;
  return Status::IOError("io: injected {} (operation={}, mutation={}, path={}{}{})",
                         crashed_ ? "crash" : "fault", MutationName(mutation), number, path,
                         second_path.empty() ? "" : ", to=", second_path);
}

// Durability ---------------------------------------------------------------------------------

void FaultInjectingFileSystem::MarkDurable() {
  std::lock_guard lock(mutex_);
  for (auto& [path, written] : written_files_) written->synced = written->written;
  undo_log_.clear();
}

Status FaultInjectingFileSystem::DropUnsyncedData() {
  std::lock_guard lock(mutex_);
  Status first_error;
  auto keep_first = [&first_error](Status status) {
    if (first_error.ok() && !status.ok()) first_error = std::move(status);
  };
  // Cuts files back to their synced size first, under their current names; the directory
  // changes below then move them to where they were.
  for (const auto& [path, written] : written_files_) {
    if (written->synced >= written->written) continue;
    auto contents = target_->ReadFile(path);
    if (!contents.ok()) {
      keep_first(IgnoreNotFound(contents.status()));
      continue;
    }
    // Copies the kept bytes out first: the buffer may map the file that Overwrite truncates.
    std::string kept(
        (*contents)->view().substr(0, static_cast<size_t>(std::max<int64_t>(0, written->synced))));
    keep_first(Overwrite(*target_, path, kept));
  }
  for (auto undo = undo_log_.rbegin(); undo != undo_log_.rend(); ++undo) {
    if (undo->kind == Undo::Kind::kRemove) {
      keep_first(IgnoreNotFound(target_->DeleteFile(undo->path)));
      continue;
    }
    if (!target_->Exists(undo->path)) continue;  // Deleted since; deletions are durable.
    keep_first(target_->Rename(undo->path, undo->original_path));
    if (undo->restore_replaced) {
      keep_first(Overwrite(*target_, undo->path, undo->replaced_contents));
    }
  }
  written_files_.clear();
  undo_log_.clear();
  return first_error;
}

// FileSystem ---------------------------------------------------------------------------------

Result<std::unique_ptr<RandomAccessFile>> FaultInjectingFileSystem::OpenRandomAccess(
    const std::string& path) {
  return target_->OpenRandomAccess(path);
}

Result<std::unique_ptr<SequentialFile>> FaultInjectingFileSystem::OpenSequential(
    const std::string& path) {
  return target_->OpenSequential(path);
}

Result<FileInfo> FaultInjectingFileSystem::GetFileInfo(const std::string& path) {
  return target_->GetFileInfo(path);
}

Result<std::vector<FileInfo>> FaultInjectingFileSystem::ListDirectory(
    const std::string& directory) {
  return target_->ListDirectory(directory);
}

Result<std::unique_ptr<WritableFile>> FaultInjectingFileSystem::OpenWritable(
    const std::string& path) {
  std::lock_guard lock(mutex_);
  ARCFLOW_RETURN_NOT_OK(Admit(Mutation::kOpenWritable, path));
  bool existed = target_->Exists(path);
  ARCFLOW_ASSIGN_OR_RETURN(auto file, target_->OpenWritable(path));
  auto written = std::make_shared<WrittenFile>();
  written_files_[path] = written;
  if (!existed)
    undo_log_.push_back(Undo{Undo::Kind::kRemove, path, "", false, "", {ParentKey(path)}});
  return std::unique_ptr<WritableFile>(
      new FaultInjectingWritableFile(shared_from_this(), std::move(file), std::move(written)));
}

Status FaultInjectingFileSystem::CreateDirectories(const std::string& directory) {
  std::lock_guard lock(mutex_);
  ARCFLOW_RETURN_NOT_OK(Admit(Mutation::kCreateDirectories, directory));
  return target_->CreateDirectories(directory);
}

Status FaultInjectingFileSystem::DeleteFile(const std::string& path) {
  std::lock_guard lock(mutex_);
  ARCFLOW_RETURN_NOT_OK(Admit(Mutation::kDeleteFile, path));
  ARCFLOW_RETURN_NOT_OK(target_->DeleteFile(path));
  written_files_.erase(path);
  return Status::OK();
}

Status FaultInjectingFileSystem::DeleteDirectoryRecursively(const std::string& directory) {
  std::lock_guard lock(mutex_);
  ARCFLOW_RETURN_NOT_OK(Admit(Mutation::kDeleteDirectoryRecursively, directory));
  ARCFLOW_RETURN_NOT_OK(target_->DeleteDirectoryRecursively(directory));
  std::string prefix = JoinPath(directory, "");
  std::erase_if(written_files_, [&](const auto& entry) { return entry.first.starts_with(prefix); });
  return Status::OK();
}

Status FaultInjectingFileSystem::Rename(const std::string& from, const std::string& to) {
  std::lock_guard lock(mutex_);
  ARCFLOW_RETURN_NOT_OK(Admit(Mutation::kRename, from, to));
  // Directory renames are not rolled back (see the header), so only files need the old state.
  auto source = target_->GetFileInfo(from);
  bool is_file = source.ok() && !source->is_directory;
  Undo undo{Undo::Kind::kMoveBack, to, from, false, "", {ParentKey(from), ParentKey(to)}};
  if (is_file) {
    auto replaced = target_->ReadFile(to);
    if (replaced.ok()) {
      undo.restore_replaced = true;
      undo.replaced_contents = std::string((*replaced)->view());
    }
  }
  ARCFLOW_RETURN_NOT_OK(target_->Rename(from, to));
  if (from == to) return Status::OK();
  if (!is_file) {
    // Keeps tracking the files below a renamed directory under their new names.
    std::string old_prefix = JoinPath(from, "");
    std::map<std::string, std::shared_ptr<WrittenFile>> moved;
    for (auto entry = written_files_.begin(); entry != written_files_.end();) {
      if (entry->first.starts_with(old_prefix)) {
        moved[JoinPath(to, entry->first.substr(old_prefix.size()))] = std::move(entry->second);
        entry = written_files_.erase(entry);
      } else {
        ++entry;
      }
    }
    written_files_.merge(moved);
    return Status::OK();
  }
  auto written = written_files_.find(from);
  if (written != written_files_.end()) {
    written_files_[to] = written->second;
    written_files_.erase(from);
  } else {
    written_files_.erase(to);
  }
  undo_log_.push_back(std::move(undo));
  return Status::OK();
}

Status FaultInjectingFileSystem::LinkIfAbsent(const std::string& from, const std::string& to) {
  std::lock_guard lock(mutex_);
  ARCFLOW_RETURN_NOT_OK(Admit(Mutation::kLinkIfAbsent, from, to));
  ARCFLOW_RETURN_NOT_OK(target_->LinkIfAbsent(from, to));
  // Both names share one file, so they share what of it is synced.
  auto written = written_files_.find(from);
  if (written != written_files_.end()) written_files_[to] = written->second;
  undo_log_.push_back(Undo{Undo::Kind::kRemove, to, "", false, "", {ParentKey(to)}});
  return Status::OK();
}

Status FaultInjectingFileSystem::SyncDirectory(const std::string& directory) {
  std::lock_guard lock(mutex_);
  ARCFLOW_RETURN_NOT_OK(Admit(Mutation::kSyncDirectory, directory));
  ARCFLOW_RETURN_NOT_OK(target_->SyncDirectory(directory));
  std::string key = DirectoryKey(directory);
  for (Undo& undo : undo_log_) undo.unsynced_parents.erase(key);
  std::erase_if(undo_log_, [](const Undo& undo) { return undo.unsynced_parents.empty(); });
  return Status::OK();
}

}  // namespace arcflow::io
