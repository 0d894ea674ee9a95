#include "arcflow/io/file_system.h"

#include <cerrno>
#include <cstring>

namespace arcflow::io {

Result<std::shared_ptr<const Buffer>> RandomAccessFile::ReadExactly(int64_t offset,
                                                                    int64_t length) const {
  if (offset < 0 || length < 0) {
    return Status::Invalid("io: negative read range (file={}, offset={}, length={})", path(),
                           offset, length);
  }
  ARCFLOW_ASSIGN_OR_RETURN(std::shared_ptr<Buffer> buffer, Buffer::Allocate(length));
  ARCFLOW_ASSIGN_OR_RETURN(
      int64_t read,
      ReadAt(offset, std::span<uint8_t>(buffer->mutable_data(), static_cast<size_t>(length))));
  if (read != length) {
    return Status::IOError(
        "io: file ends before the requested range (file={}, offset={}, "
        "length={}, available={})",
        path(), offset, length, read);
  }
  return std::shared_ptr<const Buffer>(std::move(buffer));
}

Result<std::shared_ptr<const Buffer>> FileSystem::ReadFile(const std::string& path) {
  ARCFLOW_ASSIGN_OR_RETURN(auto file, OpenRandomAccess(path));
  ARCFLOW_ASSIGN_OR_RETURN(int64_t size, file->Size());
  return file->ReadExactly(0, size);
}

Status ErrnoStatus(std::string_view operation, const std::string& path, int error) {
  if (error == ENOENT) {
    return Status::NotFound("io: {} failed: no such file or directory (path={})", operation, path);
  }
  if (error == EEXIST) {
    return Status::AlreadyExists("io: {} failed: already exists (path={})", operation, path);
  }
  return Status::IOError("io: {} failed: {} (path={})", operation, std::strerror(error), path);
}

bool FileSystem::Exists(const std::string& path) { return GetFileInfo(path).ok(); }

std::string JoinPath(std::string_view base, std::string_view child) {
  if (base.empty()) return std::string(child);
  std::string joined(base);
  while (joined.size() > 1 && joined.back() == '/') joined.pop_back();
  while (!child.empty() && child.front() == '/') child.remove_prefix(1);
  if (joined.back() != '/') joined.push_back('/');
  joined.append(child);
  return joined;
}

std::string_view ParentPath(std::string_view path) {
  size_t slash = path.rfind('/');
  if (slash == std::string_view::npos) return {};
  if (slash == 0) return path.substr(0, 1);
  return path.substr(0, slash);
}

std::string_view BaseName(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

}  // namespace arcflow::io
