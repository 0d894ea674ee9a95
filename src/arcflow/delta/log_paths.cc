#include "arcflow/delta/log_paths.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>

namespace arcflow::delta {

namespace {

bool IsDigits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Parses a zero-padded decimal field of exactly `width` digits (versions are 20 digits, part
// numbers 10). Versions written by other tools may be wider than 20 digits only when they no
// longer fit in int64, so a fixed width is the right check.
std::optional<int64_t> ParseFixedWidth(std::string_view text, size_t width) {
  if (text.size() != width || !IsDigits(text)) return std::nullopt;
  int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// Splits on '.'.
std::vector<std::string_view> SplitDots(std::string_view text) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    size_t dot = text.find('.', start);
    if (dot == std::string_view::npos) {
      parts.push_back(text.substr(start));
      return parts;
    }
    parts.push_back(text.substr(start, dot - start));
    start = dot + 1;
  }
}

int KindOrder(LogFileKind kind) {
  switch (kind) {
    case LogFileKind::kCommit:
      return 0;
    case LogFileKind::kCheckpoint:
      return 1;
    case LogFileKind::kMultiPartCheckpoint:
      return 2;
    case LogFileKind::kV2Checkpoint:
      return 3;
    case LogFileKind::kCompaction:
      return 4;
    case LogFileKind::kChecksum:
      return 5;
    case LogFileKind::kLastCheckpoint:
      return 6;
  }
  return 7;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string_view LogFileKindName(LogFileKind kind) {
  switch (kind) {
    case LogFileKind::kCommit:
      return "commit";
    case LogFileKind::kCheckpoint:
      return "checkpoint";
    case LogFileKind::kMultiPartCheckpoint:
      return "multi-part checkpoint";
    case LogFileKind::kV2Checkpoint:
      return "v2 checkpoint";
    case LogFileKind::kCompaction:
      return "log compaction";
    case LogFileKind::kChecksum:
      return "checksum";
    case LogFileKind::kLastCheckpoint:
      return "_last_checkpoint";
  }
  return "unknown";
}

std::optional<LogFileName> ParseLogFileName(std::string_view file_name) {
  if (file_name == kLastCheckpointFileName) {
    return LogFileName{LogFileKind::kLastCheckpoint, -1, -1, 1, 1, {}, false};
  }
  std::vector<std::string_view> parts = SplitDots(file_name);
  if (parts.size() < 2) return std::nullopt;
  std::optional<int64_t> version = ParseFixedWidth(parts[0], 20);
  if (!version.has_value()) return std::nullopt;
  LogFileName name;
  name.version = *version;
  name.end_version = *version;
  if (parts.size() == 2) {
    if (parts[1] == "json") {
      name.kind = LogFileKind::kCommit;
      return name;
    }
    if (parts[1] == "crc") {
      name.kind = LogFileKind::kChecksum;
      return name;
    }
    return std::nullopt;
  }
  if (parts.size() == 4 && parts[2] == "compacted" && parts[3] == "json") {
    std::optional<int64_t> end = ParseFixedWidth(parts[1], 20);
    if (!end.has_value() || *end < *version) return std::nullopt;
    name.kind = LogFileKind::kCompaction;
    name.end_version = *end;
    return name;
  }
  if (parts[1] != "checkpoint") return std::nullopt;
  if (parts.size() == 3 && parts[2] == "parquet") {
    name.kind = LogFileKind::kCheckpoint;
    return name;
  }
  if (parts.size() == 5 && parts[4] == "parquet" && IsDigits(parts[2]) && IsDigits(parts[3])) {
    std::optional<int64_t> part = ParseFixedWidth(parts[2], 10);
    std::optional<int64_t> num_parts = ParseFixedWidth(parts[3], 10);
    if (!part || !num_parts || *part < 1 || *num_parts < 1 || *part > *num_parts ||
        *num_parts > INT32_MAX) {
      return std::nullopt;
    }
    name.kind = LogFileKind::kMultiPartCheckpoint;
    name.part = static_cast<int32_t>(*part);
    name.num_parts = static_cast<int32_t>(*num_parts);
    return name;
  }
  if (parts.size() == 4 && (parts[3] == "json" || parts[3] == "parquet") && !parts[2].empty()) {
    name.kind = LogFileKind::kV2Checkpoint;
    name.uuid = std::string(parts[2]);
    name.is_json = parts[3] == "json";
    return name;
  }
  return std::nullopt;
}

std::string CommitFileName(int64_t version) { return fmt::format("{:020d}.json", version); }

std::string CheckpointFileName(int64_t version) {
  return fmt::format("{:020d}.checkpoint.parquet", version);
}

std::string MultiPartCheckpointFileName(int64_t version, int32_t part, int32_t num_parts) {
  return fmt::format("{:020d}.checkpoint.{:010d}.{:010d}.parquet", version, part, num_parts);
}

std::string V2CheckpointFileName(int64_t version, std::string_view uuid, bool json) {
  return fmt::format("{:020d}.checkpoint.{}.{}", version, uuid, json ? "json" : "parquet");
}

std::string CompactionFileName(int64_t start_version, int64_t end_version) {
  return fmt::format("{:020d}.{:020d}.compacted.json", start_version, end_version);
}

std::string ChecksumFileName(int64_t version) { return fmt::format("{:020d}.crc", version); }

std::string LogDirectory(std::string_view table_root) {
  return io::JoinPath(table_root, kLogDirectoryName);
}

std::string SidecarDirectory(std::string_view table_root) {
  return io::JoinPath(LogDirectory(table_root), kSidecarDirectoryName);
}

Result<std::vector<LogFile>> ListLog(io::FileSystem& fs, std::string_view table_root) {
  std::string directory = LogDirectory(table_root);
  ARCFLOW_ASSIGN_OR_RETURN(std::vector<io::FileInfo> entries, fs.ListDirectory(directory));
  std::vector<LogFile> files;
  files.reserve(entries.size());
  for (io::FileInfo& entry : entries) {
    if (entry.is_directory) continue;
    std::optional<LogFileName> name = ParseLogFileName(io::BaseName(entry.path));
    if (!name.has_value()) continue;
    files.push_back(LogFile{std::move(*name), std::move(entry)});
  }
  std::sort(files.begin(), files.end(), [](const LogFile& a, const LogFile& b) {
    if (a.name.version != b.name.version) return a.name.version < b.name.version;
    int kind_a = KindOrder(a.name.kind);
    int kind_b = KindOrder(b.name.kind);
    if (kind_a != kind_b) return kind_a < kind_b;
    return a.info.path < b.info.path;
  });
  return files;
}

std::string DecodePercentEscapes(std::string_view text) {
  if (text.find('%') == std::string_view::npos) return std::string(text);
  std::string decoded;
  decoded.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && HexValue(text[i + 1]) >= 0 &&
        HexValue(text[i + 2]) >= 0) {
      decoded.push_back(static_cast<char>(HexValue(text[i + 1]) * 16 + HexValue(text[i + 2])));
      i += 2;
    } else {
      decoded.push_back(text[i]);
    }
  }
  return decoded;
}

std::string ResolveDataFilePath(const std::string& table_root, std::string_view add_path) {
  // A scheme is letters, digits, '+', '-' or '.' before the first ':', starting with a letter;
  // a ':' after a '/' belongs to a relative path (e.g. a partition value "x=10:00").
  size_t colon = add_path.find(':');
  size_t slash = add_path.find('/');
  bool has_scheme = colon != std::string_view::npos && colon > 0 &&
                    (slash == std::string_view::npos || colon < slash) &&
                    std::isalpha(static_cast<unsigned char>(add_path[0]));
  if (has_scheme) {
    for (size_t i = 0; i < colon; ++i) {
      char c = add_path[i];
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') {
        has_scheme = false;
        break;
      }
    }
  }
  if (has_scheme) {
    std::string_view scheme = add_path.substr(0, colon);
    if (scheme != "file") return DecodePercentEscapes(add_path);
    std::string_view rest = add_path.substr(colon + 1);
    if (rest.substr(0, 2) == "//") {
      // "file://<authority>/<path>": the authority is empty or a host name; local paths
      // ignore it.
      size_t path_start = rest.find('/', 2);
      rest = path_start == std::string_view::npos ? std::string_view("/") : rest.substr(path_start);
    }
    return DecodePercentEscapes(rest);
  }
  if (!add_path.empty() && add_path[0] == '/') return DecodePercentEscapes(add_path);
  return io::JoinPath(table_root, DecodePercentEscapes(add_path));
}

}  // namespace arcflow::delta
