#include <dirent.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "arcflow/io/file_system.h"

namespace arcflow::io {
namespace {

// Reads through pread, and serves ReadExactly of large ranges from a private memory map of the
// whole file so that readers can decode straight from the page cache without a copy.
class LocalRandomAccessFile final : public RandomAccessFile {
 public:
  LocalRandomAccessFile(std::string path, int fd, int64_t size)
      : path_(std::move(path)), fd_(fd), size_(size) {
    if (size_ > 0) {
      void* mapping = mmap(nullptr, static_cast<size_t>(size_), PROT_READ, MAP_PRIVATE, fd_, 0);
      if (mapping != MAP_FAILED) {
        int64_t mapped_size = size_;
        mapping_ = std::shared_ptr<const void>(mapping, [mapped_size](const void* address) {
          munmap(const_cast<void*>(address), static_cast<size_t>(mapped_size));
        });
      }
    }
  }
  ~LocalRandomAccessFile() override { close(fd_); }

  Result<int64_t> Size() const override { return size_; }

  Result<int64_t> ReadAt(int64_t offset, std::span<uint8_t> out) const override {
    int64_t total = 0;
    while (total < static_cast<int64_t>(out.size())) {
      ssize_t n =
          pread(fd_, out.data() + total, out.size() - static_cast<size_t>(total), offset + total);
      if (n < 0) {
        if (errno == EINTR) continue;
        return ErrnoStatus("read", path_, errno);
      }
      if (n == 0) break;
      total += n;
    }
    return total;
  }

  Result<std::shared_ptr<const Buffer>> ReadExactly(int64_t offset, int64_t length) const override {
    if (mapping_ && offset >= 0 && length >= 0 && offset + length <= size_) {
      return std::shared_ptr<const Buffer>(
          Buffer::Wrap(static_cast<const uint8_t*>(mapping_.get()) + offset, length, mapping_));
    }
    return RandomAccessFile::ReadExactly(offset, length);
  }

  const std::string& path() const override { return path_; }

 private:
  std::string path_;
  int fd_;
  int64_t size_;
  std::shared_ptr<const void> mapping_;
};

class LocalSequentialFile final : public SequentialFile {
 public:
  LocalSequentialFile(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  ~LocalSequentialFile() override { close(fd_); }

  Result<int64_t> Read(std::span<uint8_t> out) override {
    while (true) {
      ssize_t n = read(fd_, out.data(), out.size());
      if (n >= 0) return static_cast<int64_t>(n);
      if (errno != EINTR) return ErrnoStatus("read", path_, errno);
    }
  }
  const std::string& path() const override { return path_; }

 private:
  std::string path_;
  int fd_;
};

class LocalWritableFile final : public WritableFile {
 public:
  LocalWritableFile(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  ~LocalWritableFile() override {
    if (fd_ >= 0) close(fd_);
  }

  Status Append(std::span<const uint8_t> bytes) override {
    if (fd_ < 0) return Status::Invalid("io: append to a closed file (path={})", path_);
    size_t written = 0;
    while (written < bytes.size()) {
      ssize_t n = write(fd_, bytes.data() + written, bytes.size() - written);
      if (n < 0) {
        if (errno == EINTR) continue;
        return ErrnoStatus("write", path_, errno);
      }
      written += static_cast<size_t>(n);
    }
    return Status::OK();
  }
  Status Sync() override {
    if (fd_ >= 0 && fdatasync(fd_) != 0) return ErrnoStatus("fsync", path_, errno);
    return Status::OK();
  }
  Status Close() override {
    if (fd_ < 0) return Status::OK();
    int result = close(fd_);
    fd_ = -1;
    if (result != 0) return ErrnoStatus("close", path_, errno);
    return Status::OK();
  }
  const std::string& path() const override { return path_; }

 private:
  std::string path_;
  int fd_;
};

FileInfo InfoFromStat(const std::string& path, const struct stat& st) {
  FileInfo info;
  info.path = path;
  info.is_directory = S_ISDIR(st.st_mode);
  info.size = static_cast<int64_t>(st.st_size);
  info.modification_time_ms =
      static_cast<int64_t>(st.st_mtim.tv_sec) * 1000 + st.st_mtim.tv_nsec / 1000000;
  return info;
}

class LocalFileSystemImpl final : public FileSystem {
 public:
  Result<std::unique_ptr<RandomAccessFile>> OpenRandomAccess(const std::string& path) override {
    int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return ErrnoStatus("open", path, errno);
    struct stat st;
    if (fstat(fd, &st) != 0) {
      int error = errno;
      close(fd);
      return ErrnoStatus("stat", path, error);
    }
    if (S_ISDIR(st.st_mode)) {
      close(fd);
      return Status::Invalid("io: expected a file, found a directory (path={})", path);
    }
    return std::unique_ptr<RandomAccessFile>(
        new LocalRandomAccessFile(path, fd, static_cast<int64_t>(st.st_size)));
  }

  Result<std::unique_ptr<SequentialFile>> OpenSequential(const std::string& path) override {
    int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return ErrnoStatus("open", path, errno);
    posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    return std::unique_ptr<SequentialFile>(new LocalSequentialFile(path, fd));
  }

  Result<std::unique_ptr<WritableFile>> OpenWritable(const std::string& path) override {
    int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return ErrnoStatus("create", path, errno);
    return std::unique_ptr<WritableFile>(new LocalWritableFile(path, fd));
  }

  Result<FileInfo> GetFileInfo(const std::string& path) override {
    struct stat st;
    if (stat(path.c_str(), &st) != 0) return ErrnoStatus("stat", path, errno);
    return InfoFromStat(path, st);
  }

  Result<std::vector<FileInfo>> ListDirectory(const std::string& directory) override {
    DIR* dir = opendir(directory.c_str());
    if (dir == nullptr) return ErrnoStatus("list", directory, errno);
    std::vector<FileInfo> entries;
    while (struct dirent* entry = readdir(dir)) {
      std::string_view name = entry->d_name;
      if (name == "." || name == "..") continue;
      std::string child = JoinPath(directory, name);
      struct stat st;
      if (stat(child.c_str(), &st) != 0) continue;  // Removed while listing.
      entries.push_back(InfoFromStat(child, st));
    }
    closedir(dir);
    std::sort(entries.begin(), entries.end(),
              [](const FileInfo& a, const FileInfo& b) { return a.path < b.path; });
    return entries;
  }

  Status CreateDirectories(const std::string& directory) override {
    if (directory.empty()) return Status::OK();
    struct stat st;
    if (stat(directory.c_str(), &st) == 0) {
      if (S_ISDIR(st.st_mode)) return Status::OK();
      return Status::AlreadyExists("io: a file is in the way of directory (path={})", directory);
    }
    std::string_view parent = ParentPath(directory);
    if (!parent.empty() && parent != directory) {
      ARCFLOW_RETURN_NOT_OK(CreateDirectories(std::string(parent)));
    }
    if (mkdir(directory.c_str(), 0755) != 0 && errno != EEXIST) {
      return ErrnoStatus("mkdir", directory, errno);
    }
    return Status::OK();
  }

  Status DeleteFile(const std::string& path) override {
    if (unlink(path.c_str()) != 0) return ErrnoStatus("delete", path, errno);
    return Status::OK();
  }

  Status DeleteDirectoryRecursively(const std::string& directory) override {
    ARCFLOW_ASSIGN_OR_RETURN(auto entries, ListDirectory(directory));
    for (const FileInfo& entry : entries) {
      if (entry.is_directory) {
        ARCFLOW_RETURN_NOT_OK(DeleteDirectoryRecursively(entry.path));
      } else {
        ARCFLOW_RETURN_NOT_OK(DeleteFile(entry.path));
      }
    }
    if (rmdir(directory.c_str()) != 0) return ErrnoStatus("rmdir", directory, errno);
    return Status::OK();
  }

  Status Rename(const std::string& from, const std::string& to) override {
    if (rename(from.c_str(), to.c_str()) != 0) return ErrnoStatus("rename to " + to, from, errno);
    return Status::OK();
  }

  Status LinkIfAbsent(const std::string& from, const std::string& to) override {
    // link() fails with EEXIST when `to` exists, which makes it a put-if-absent.
    if (link(from.c_str(), to.c_str()) != 0) return ErrnoStatus("link", to, errno);
    return Status::OK();
  }

  Status SyncDirectory(const std::string& directory) override {
    int fd = open(directory.empty() ? "." : directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return ErrnoStatus("open directory", directory, errno);
    int result = fsync(fd);
    int error = errno;
    close(fd);
    if (result != 0) return ErrnoStatus("fsync directory", directory, error);
    return Status::OK();
  }
};

}  // namespace

std::shared_ptr<FileSystem> LocalFileSystem() {
  static const std::shared_ptr<FileSystem> kInstance = std::make_shared<LocalFileSystemImpl>();
  return kInstance;
}

}  // namespace arcflow::io
