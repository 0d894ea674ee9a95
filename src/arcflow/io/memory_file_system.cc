#include "arcflow/io/memory_file_system.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <functional>
#include <map>
#include <mutex>
#include <optional>

namespace arcflow::io {
namespace {

// A file or a directory. Several directory entries may share one file node (hard links).
struct Node {
  explicit Node(bool directory, int64_t time_ms)
      : is_directory(directory), modification_time_ms(time_ms) {}

  bool is_directory;
  int64_t modification_time_ms;
  // Files: the first `size` bytes of `storage` are the contents; the rest is spare capacity for
  // appends. Bytes below `size` are never rewritten while `storage` is in use, which lets
  // readers hold slices of it; truncation swaps in fresh storage instead.
  std::shared_ptr<Buffer> storage;
  int64_t size = 0;
  // Directories: the entries by name.
  std::map<std::string, std::shared_ptr<Node>, std::less<>> children;
};

// The path's components, without empty ones and ".". Views into `path`.
std::vector<std::string_view> SplitPath(std::string_view path) {
  std::vector<std::string_view> parts;
  while (!path.empty()) {
    size_t slash = path.find('/');
    std::string_view part = path.substr(0, slash);
    path = slash == std::string_view::npos ? std::string_view() : path.substr(slash + 1);
    if (!part.empty() && part != ".") parts.push_back(part);
  }
  return parts;
}

FileInfo InfoOf(const std::string& path, const Node& node) {
  FileInfo info;
  info.path = path;
  info.is_directory = node.is_directory;
  info.size = node.is_directory ? 0 : node.size;
  info.modification_time_ms = node.modification_time_ms;
  return info;
}

}  // namespace

struct MemoryFileSystem::State {
  // Where a path leads: the directories walked through, the entry's name in the last of them
  // and the entry itself (null when the name is free).
  struct Location {
    std::vector<Node*> ancestors;  // Root first; empty for the root itself.
    std::string name;
    std::shared_ptr<Node> node;
    Node* parent() const { return ancestors.empty() ? nullptr : ancestors.back(); }
  };

  State() : root(std::make_shared<Node>(/*directory=*/true, 0)) {}

  int64_t NowMs() const {
    if (frozen_time_ms) return *frozen_time_ms;
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }

  // Walks to `path` the way the kernel does, one component at a time, so that ".." leaves the
  // directory actually reached. Returns 0, or the errno of a broken walk: ENOENT for a missing
  // directory, ENOTDIR for a file used as one (also "file/").
  // REQUIRES: `mutex` is held.
  int Locate(std::string_view path, Location* location) const {
    if (path.empty()) return ENOENT;  // As stat("") and open("") fail.
    bool names_directory = path.back() == '/';
    // The directories walked into, with their names; root first.
    std::vector<std::pair<std::shared_ptr<Node>, std::string>> walked = {{root, ""}};
    std::vector<std::string_view> parts = SplitPath(path);
    for (size_t i = 0; i < parts.size(); ++i) {
      bool last = i + 1 == parts.size();
      if (parts[i] == "..") {
        if (walked.size() > 1) walked.pop_back();
        continue;
      }
      Node* directory = walked.back().first.get();
      auto child = directory->children.find(parts[i]);
      if (child == directory->children.end()) {
        if (!last) return ENOENT;
        for (const auto& step : walked) location->ancestors.push_back(step.first.get());
        location->name = std::string(parts[i]);
        return 0;
      }
      if (!child->second->is_directory && (!last || names_directory)) return ENOTDIR;
      if (last) {
        for (const auto& step : walked) location->ancestors.push_back(step.first.get());
        location->name = std::string(parts[i]);
        location->node = child->second;
        return 0;
      }
      walked.emplace_back(child->second, std::string(parts[i]));
    }
    // The path ends at a directory already walked into (the root, or via "..").
    location->node = walked.back().first;
    location->name = walked.back().second;
    walked.pop_back();
    for (const auto& step : walked) location->ancestors.push_back(step.first.get());
    return 0;
  }

  // Adds or replaces an entry and stamps the directory, as the kernel does.
  // REQUIRES: `mutex` is held.
  void Link(Node* directory, const std::string& name, std::shared_ptr<Node> node) {
    directory->children[name] = std::move(node);
    directory->modification_time_ms = NowMs();
  }
  void Unlink(Node* directory, const std::string& name) {
    directory->children.erase(name);
    directory->modification_time_ms = NowMs();
  }

  // Guards every Node reachable from `root`, every Node held by an open file, and the clock.
  mutable std::mutex mutex;
  std::shared_ptr<Node> root;
  std::optional<int64_t> frozen_time_ms;
};

namespace {

using State = MemoryFileSystem::State;

class MemoryRandomAccessFile final : public RandomAccessFile {
 public:
  MemoryRandomAccessFile(std::string path, std::shared_ptr<State> state, std::shared_ptr<Node> node,
                         int64_t size)
      : path_(std::move(path)), state_(std::move(state)), node_(std::move(node)), size_(size) {}

  Result<int64_t> Size() const override { return size_; }

  Result<int64_t> ReadAt(int64_t offset, std::span<uint8_t> out) const override {
    if (offset < 0) return ErrnoStatus("read", path_, EINVAL);
    std::lock_guard lock(state_->mutex);
    if (offset >= node_->size) return 0;
    int64_t count = std::min<int64_t>(static_cast<int64_t>(out.size()), node_->size - offset);
    std::memcpy(out.data(), node_->storage->data() + offset, static_cast<size_t>(count));
    return count;
  }

  Result<std::shared_ptr<const Buffer>> ReadExactly(int64_t offset, int64_t length) const override {
    if (offset >= 0 && length >= 0 && offset <= size_ && length <= size_ - offset) {
      std::lock_guard lock(state_->mutex);
      // The file may have been truncated since it was opened; then the copying path below
      // reports the short read.
      if (offset + length <= node_->size) {
        return std::shared_ptr<const Buffer>(Buffer::Slice(node_->storage, offset, length));
      }
    }
    return RandomAccessFile::ReadExactly(offset, length);
  }

  const std::string& path() const override { return path_; }

 private:
  std::string path_;
  std::shared_ptr<State> state_;
  std::shared_ptr<Node> node_;
  int64_t size_;
};

class MemorySequentialFile final : public SequentialFile {
 public:
  MemorySequentialFile(std::string path, std::shared_ptr<State> state, std::shared_ptr<Node> node)
      : path_(std::move(path)), state_(std::move(state)), node_(std::move(node)) {}

  Result<int64_t> Read(std::span<uint8_t> out) override {
    std::lock_guard lock(state_->mutex);
    // Opening a directory succeeds on POSIX; reading it is what fails.
    if (node_->is_directory) return ErrnoStatus("read", path_, EISDIR);
    if (position_ >= node_->size) return 0;
    int64_t count = std::min<int64_t>(static_cast<int64_t>(out.size()), node_->size - position_);
    std::memcpy(out.data(), node_->storage->data() + position_, static_cast<size_t>(count));
    position_ += count;
    return count;
  }

  const std::string& path() const override { return path_; }

 private:
  std::string path_;
  std::shared_ptr<State> state_;
  std::shared_ptr<Node> node_;
  int64_t position_ = 0;
};

class MemoryWritableFile final : public WritableFile {
 public:
  MemoryWritableFile(std::string path, std::shared_ptr<State> state, std::shared_ptr<Node> node)
      : path_(std::move(path)), state_(std::move(state)), node_(std::move(node)) {}

  Status Append(std::span<const uint8_t> bytes) override {
    if (closed_) return Status::Invalid("io: append to a closed file (path={})", path_);
    if (bytes.empty()) return Status::OK();
    std::lock_guard lock(state_->mutex);
    int64_t needed = node_->size + static_cast<int64_t>(bytes.size());
    if (needed > node_->storage->size()) {
      // Grows into fresh storage; readers keep slices of the old one.
      int64_t capacity = std::max<int64_t>({needed, 2 * node_->storage->size(), 64});
      ARCFLOW_ASSIGN_OR_RETURN(std::shared_ptr<Buffer> grown, Buffer::Allocate(capacity));
      if (node_->size > 0) {
        std::memcpy(grown->mutable_data(), node_->storage->data(),
                    static_cast<size_t>(node_->size));
      }
      node_->storage = std::move(grown);
    }
    std::memcpy(node_->storage->mutable_data() + node_->size, bytes.data(), bytes.size());
    node_->size = needed;
    node_->modification_time_ms = state_->NowMs();
    return Status::OK();
  }

  // Memory is as durable as it gets.
  Status Sync() override { return Status::OK(); }

  Status Close() override {
    closed_ = true;
    return Status::OK();
  }

  const std::string& path() const override { return path_; }

 private:
  std::string path_;
  std::shared_ptr<State> state_;
  std::shared_ptr<Node> node_;
  bool closed_ = false;
};

// Storage for an empty file: no bytes readable, none to spare.
std::shared_ptr<Buffer> EmptyStorage() { return Buffer::CopyOf(std::string_view()); }

// True when `node` is one of `ancestors`.
bool IsAmong(const Node* node, const std::vector<Node*>& ancestors) {
  return std::find(ancestors.begin(), ancestors.end(), node) != ancestors.end();
}

}  // namespace

std::shared_ptr<MemoryFileSystem> MemoryFileSystem::Make() {
  return std::shared_ptr<MemoryFileSystem>(new MemoryFileSystem());
}

MemoryFileSystem::MemoryFileSystem() : state_(std::make_shared<State>()) {}
MemoryFileSystem::~MemoryFileSystem() = default;

void MemoryFileSystem::SetTimeMs(int64_t time_ms) {
  std::lock_guard lock(state_->mutex);
  state_->frozen_time_ms = time_ms;
}

void MemoryFileSystem::AdvanceTimeMs(int64_t delta_ms) {
  std::lock_guard lock(state_->mutex);
  state_->frozen_time_ms = state_->NowMs() + delta_ms;
}

Result<std::unique_ptr<RandomAccessFile>> MemoryFileSystem::OpenRandomAccess(
    const std::string& path) {
  std::lock_guard lock(state_->mutex);
  State::Location location;
  if (int error = state_->Locate(path, &location)) return ErrnoStatus("open", path, error);
  if (!location.node) return ErrnoStatus("open", path, ENOENT);
  if (location.node->is_directory) {
    return Status::Invalid("io: expected a file, found a directory (path={})", path);
  }
  return std::unique_ptr<RandomAccessFile>(
      new MemoryRandomAccessFile(path, state_, location.node, location.node->size));
}

Result<std::unique_ptr<SequentialFile>> MemoryFileSystem::OpenSequential(const std::string& path) {
  std::lock_guard lock(state_->mutex);
  State::Location location;
  if (int error = state_->Locate(path, &location)) return ErrnoStatus("open", path, error);
  if (!location.node) return ErrnoStatus("open", path, ENOENT);
  return std::unique_ptr<SequentialFile>(new MemorySequentialFile(path, state_, location.node));
}

Result<std::unique_ptr<WritableFile>> MemoryFileSystem::OpenWritable(const std::string& path) {
  std::lock_guard lock(state_->mutex);
  State::Location location;
  if (int error = state_->Locate(path, &location)) return ErrnoStatus("create", path, error);
  if (location.node) {
    if (location.node->is_directory) return ErrnoStatus("create", path, EISDIR);
    // Truncates in place, so every name of the file sees it, as O_TRUNC does.
    location.node->storage = EmptyStorage();
    location.node->size = 0;
    location.node->modification_time_ms = state_->NowMs();
  } else {
    location.node = std::make_shared<Node>(/*directory=*/false, state_->NowMs());
    location.node->storage = EmptyStorage();
    state_->Link(location.parent(), location.name, location.node);
  }
  return std::unique_ptr<WritableFile>(new MemoryWritableFile(path, state_, location.node));
}

Result<FileInfo> MemoryFileSystem::GetFileInfo(const std::string& path) {
  std::lock_guard lock(state_->mutex);
  State::Location location;
  if (int error = state_->Locate(path, &location)) return ErrnoStatus("stat", path, error);
  if (!location.node) return ErrnoStatus("stat", path, ENOENT);
  return InfoOf(path, *location.node);
}

Result<std::vector<FileInfo>> MemoryFileSystem::ListDirectory(const std::string& directory) {
  std::lock_guard lock(state_->mutex);
  State::Location location;
  if (int error = state_->Locate(directory, &location)) {
    return ErrnoStatus("list", directory, error);
  }
  if (!location.node) return ErrnoStatus("list", directory, ENOENT);
  if (!location.node->is_directory) return ErrnoStatus("list", directory, ENOTDIR);
  // The map is ordered by name, and names under one directory sort as their joined paths do.
  std::vector<FileInfo> entries;
  entries.reserve(location.node->children.size());
  for (const auto& [name, child] : location.node->children) {
    entries.push_back(InfoOf(JoinPath(directory, name), *child));
  }
  return entries;
}

Status MemoryFileSystem::CreateDirectories(const std::string& directory) {
  // Follows LocalFileSystem step by step (stat, create the parents, mkdir), so that a file in
  // the way is reported with the same path.
  if (directory.empty()) return Status::OK();
  {
    std::lock_guard lock(state_->mutex);
    State::Location location;
    if (state_->Locate(directory, &location) == 0 && location.node) {
      if (location.node->is_directory) return Status::OK();
      return Status::AlreadyExists("io: a file is in the way of directory (path={})", directory);
    }
  }
  std::string_view parent = ParentPath(directory);
  if (!parent.empty() && parent != directory) {
    ARCFLOW_RETURN_NOT_OK(CreateDirectories(std::string(parent)));
  }
  std::lock_guard lock(state_->mutex);
  State::Location location;
  if (int error = state_->Locate(directory, &location)) {
    return ErrnoStatus("mkdir", directory, error);
  }
  // Another thread may have created it meanwhile; mkdir's EEXIST is ignored the same way.
  if (location.node) return Status::OK();
  state_->Link(location.parent(), location.name,
               std::make_shared<Node>(/*directory=*/true, state_->NowMs()));
  return Status::OK();
}

Status MemoryFileSystem::DeleteFile(const std::string& path) {
  std::lock_guard lock(state_->mutex);
  State::Location location;
  if (int error = state_->Locate(path, &location)) return ErrnoStatus("delete", path, error);
  if (!location.node) return ErrnoStatus("delete", path, ENOENT);
  if (location.node->is_directory) return ErrnoStatus("delete", path, EISDIR);
  state_->Unlink(location.parent(), location.name);
  return Status::OK();
}

Status MemoryFileSystem::DeleteDirectoryRecursively(const std::string& directory) {
  std::lock_guard lock(state_->mutex);
  State::Location location;
  if (int error = state_->Locate(directory, &location)) {
    return ErrnoStatus("list", directory, error);
  }
  if (!location.node) return ErrnoStatus("list", directory, ENOENT);
  if (!location.node->is_directory) return ErrnoStatus("list", directory, ENOTDIR);
  if (location.parent() == nullptr) return ErrnoStatus("rmdir", directory, EBUSY);
  state_->Unlink(location.parent(), location.name);
  return Status::OK();
}

Status MemoryFileSystem::Rename(const std::string& from, const std::string& to) {
  std::string operation = "rename to " + to;
  std::lock_guard lock(state_->mutex);
  // Checks in the order rename(2) does on Linux, so that the first error matches.
  State::Location source;
  State::Location target;
  if (int error = state_->Locate(from, &source)) return ErrnoStatus(operation, from, error);
  if (int error = state_->Locate(to, &target)) return ErrnoStatus(operation, from, error);
  if (!source.node) return ErrnoStatus(operation, from, ENOENT);
  if (source.parent() == nullptr || target.parent() == nullptr) {
    return ErrnoStatus(operation, from, EBUSY);
  }
  if (IsAmong(source.node.get(), target.ancestors)) return ErrnoStatus(operation, from, EINVAL);
  if (target.node && IsAmong(target.node.get(), source.ancestors)) {
    return ErrnoStatus(operation, from, ENOTEMPTY);
  }
  // Two names of one file: POSIX says rename does nothing.
  if (source.node == target.node) return Status::OK();
  if (target.node) {
    if (source.node->is_directory && !target.node->is_directory) {
      return ErrnoStatus(operation, from, ENOTDIR);
    }
    if (!source.node->is_directory && target.node->is_directory) {
      return ErrnoStatus(operation, from, EISDIR);
    }
    if (target.node->is_directory && !target.node->children.empty()) {
      return ErrnoStatus(operation, from, ENOTEMPTY);
    }
  }
  state_->Unlink(source.parent(), source.name);
  state_->Link(target.parent(), target.name, std::move(source.node));
  return Status::OK();
}

Status MemoryFileSystem::LinkIfAbsent(const std::string& from, const std::string& to) {
  std::lock_guard lock(state_->mutex);
  // Checks in the order link(2) does on Linux: the source, then the new name, then the kind.
  State::Location source;
  if (int error = state_->Locate(from, &source)) return ErrnoStatus("link", to, error);
  if (!source.node) return ErrnoStatus("link", to, ENOENT);
  State::Location target;
  if (int error = state_->Locate(to, &target)) return ErrnoStatus("link", to, error);
  if (target.node) return ErrnoStatus("link", to, EEXIST);
  if (source.node->is_directory) return ErrnoStatus("link", to, EPERM);
  state_->Link(target.parent(), target.name, source.node);
  return Status::OK();
}

Status MemoryFileSystem::SyncDirectory(const std::string& directory) {
  std::lock_guard lock(state_->mutex);
  State::Location location;
  std::string_view name = directory.empty() ? std::string_view(".") : directory;
  if (int error = state_->Locate(name, &location)) {
    return ErrnoStatus("open directory", directory, error);
  }
  if (!location.node) return ErrnoStatus("open directory", directory, ENOENT);
  if (!location.node->is_directory) return ErrnoStatus("open directory", directory, ENOTDIR);
  return Status::OK();
}

}  // namespace arcflow::io
