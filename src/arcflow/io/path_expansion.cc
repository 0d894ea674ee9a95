#include "arcflow/io/path_expansion.h"

#include <fnmatch.h>

#include <algorithm>

namespace arcflow::io {
namespace {

bool IsHiddenName(std::string_view name) {
  return !name.empty() && (name.front() == '.' || name.front() == '_');
}

Status CollectFiles(FileSystem& fs, const std::string& directory, std::vector<std::string>* out) {
  ARCFLOW_ASSIGN_OR_RETURN(auto entries, fs.ListDirectory(directory));
  for (const FileInfo& entry : entries) {
    if (IsHiddenName(BaseName(entry.path))) continue;
    if (entry.is_directory) {
      ARCFLOW_RETURN_NOT_OK(CollectFiles(fs, entry.path, out));
    } else {
      out->push_back(entry.path);
    }
  }
  return Status::OK();
}

std::vector<std::string> SplitSegments(std::string_view path) {
  std::vector<std::string> segments;
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    if (slash > start) segments.emplace_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return segments;
}

// Matches `segments[index...]` below `directory`, appending files that match in full.
Status MatchGlob(FileSystem& fs, const std::string& directory,
                 const std::vector<std::string>& segments, size_t index,
                 std::vector<std::string>* out) {
  if (index == segments.size()) return Status::OK();
  const std::string& pattern = segments[index];
  const bool last = index + 1 == segments.size();
  if (pattern == "**") {
    // Zero directories, then any number.
    ARCFLOW_RETURN_NOT_OK(MatchGlob(fs, directory, segments, index + 1, out));
    Result<std::vector<FileInfo>> entries = fs.ListDirectory(directory.empty() ? "." : directory);
    if (!entries.ok()) return Status::OK();
    for (const FileInfo& entry : *entries) {
      if (entry.is_directory && !IsHiddenName(BaseName(entry.path))) {
        ARCFLOW_RETURN_NOT_OK(MatchGlob(fs, entry.path, segments, index, out));
      }
    }
    return Status::OK();
  }
  if (!HasGlobCharacters(pattern)) {
    std::string child = directory.empty() ? pattern : JoinPath(directory, pattern);
    Result<FileInfo> info = fs.GetFileInfo(child);
    if (!info.ok()) return Status::OK();
    if (last) {
      if (info->is_directory) return CollectFiles(fs, child, out);
      out->push_back(child);
      return Status::OK();
    }
    if (info->is_directory) return MatchGlob(fs, child, segments, index + 1, out);
    return Status::OK();
  }
  Result<std::vector<FileInfo>> entries = fs.ListDirectory(directory.empty() ? "." : directory);
  if (!entries.ok()) return Status::OK();
  for (const FileInfo& entry : *entries) {
    std::string name(BaseName(entry.path));
    if (IsHiddenName(name) && (pattern.empty() || pattern.front() != name.front())) continue;
    if (fnmatch(pattern.c_str(), name.c_str(), FNM_PERIOD) != 0) continue;
    std::string child = directory.empty() ? name : entry.path;
    if (last) {
      if (entry.is_directory) {
        ARCFLOW_RETURN_NOT_OK(CollectFiles(fs, child, out));
      } else {
        out->push_back(child);
      }
    } else if (entry.is_directory) {
      ARCFLOW_RETURN_NOT_OK(MatchGlob(fs, child, segments, index + 1, out));
    }
  }
  return Status::OK();
}

}  // namespace

bool HasGlobCharacters(std::string_view text) {
  return text.find_first_of("*?[") != std::string_view::npos;
}

Result<std::vector<std::string>> ExpandInputPaths(FileSystem& fs,
                                                  const std::vector<std::string>& inputs) {
  std::vector<std::string> files;
  for (const std::string& input : inputs) {
    std::vector<std::string> matched;
    if (HasGlobCharacters(input)) {
      std::string root = input.front() == '/' ? "/" : "";
      ARCFLOW_RETURN_NOT_OK(MatchGlob(fs, root, SplitSegments(input), 0, &matched));
      std::sort(matched.begin(), matched.end());
    } else {
      ARCFLOW_ASSIGN_OR_RETURN(FileInfo info, fs.GetFileInfo(input));
      if (info.is_directory) {
        ARCFLOW_RETURN_NOT_OK(CollectFiles(fs, input, &matched));
      } else {
        matched.push_back(input);
      }
    }
    if (matched.empty()) {
      return Status::NotFound("io: no files match input '{}'", input);
    }
    files.insert(files.end(), matched.begin(), matched.end());
  }
  return files;
}

}  // namespace arcflow::io
