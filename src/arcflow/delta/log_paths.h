#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "arcflow/base/result.h"
#include "arcflow/io/file_system.h"

namespace arcflow::delta {

// The names of the files in a table's `_delta_log/` directory (PROTOCOL.md, "Delta Log
// Entries", "Checkpoints", "Log Compaction Files"): formatting them, parsing a name back into
// its kind and version(s), listing the log, and resolving the data file paths that actions
// carry. All functions are thread-safe.

inline constexpr std::string_view kLogDirectoryName = "_delta_log";
inline constexpr std::string_view kLastCheckpointFileName = "_last_checkpoint";
inline constexpr std::string_view kSidecarDirectoryName = "_sidecars";

enum class LogFileKind : uint8_t {
  kCommit,               // <v>.json
  kCheckpoint,           // <v>.checkpoint.parquet (classic, single file)
  kMultiPartCheckpoint,  // <v>.checkpoint.<part>.<parts>.parquet
  kV2Checkpoint,         // <v>.checkpoint.<uuid>.json or .parquet
  kCompaction,           // <start>.<end>.compacted.json
  kChecksum,             // <v>.crc
  kLastCheckpoint,       // _last_checkpoint
};

std::string_view LogFileKindName(LogFileKind kind);

// What a log file name says about the file.
struct LogFileName {
  LogFileKind kind = LogFileKind::kCommit;
  // The commit or checkpoint version; the first version of a compaction file. -1 for
  // _last_checkpoint.
  int64_t version = -1;
  // The last version a compaction file covers (== version for other kinds).
  int64_t end_version = -1;
  // Multi-part checkpoints: this part (1-based) and the number of parts.
  int32_t part = 1;
  int32_t num_parts = 1;
  // V2 checkpoints: the UUID between "checkpoint." and the extension.
  std::string uuid;
  // V2 checkpoints: whether the file is JSON (else Parquet).
  bool is_json = false;

  bool is_checkpoint() const {
    return kind == LogFileKind::kCheckpoint || kind == LogFileKind::kMultiPartCheckpoint ||
           kind == LogFileKind::kV2Checkpoint;
  }
  bool operator==(const LogFileName&) const = default;
};

// Parses a base name (no directory). nullopt for names that are not Delta log files, e.g.
// temp files, `.<name>.crc` Hadoop checksums, or names with a malformed version.
std::optional<LogFileName> ParseLogFileName(std::string_view file_name);

// REQUIRES: versions >= 0, 1 <= part <= num_parts.
std::string CommitFileName(int64_t version);
std::string CheckpointFileName(int64_t version);
std::string MultiPartCheckpointFileName(int64_t version, int32_t part, int32_t num_parts);
std::string V2CheckpointFileName(int64_t version, std::string_view uuid, bool json);
std::string CompactionFileName(int64_t start_version, int64_t end_version);
std::string ChecksumFileName(int64_t version);

// `<table_root>/_delta_log`.
std::string LogDirectory(std::string_view table_root);
// `<table_root>/_delta_log/_sidecars`.
std::string SidecarDirectory(std::string_view table_root);

// One file of the log as listed.
struct LogFile {
  LogFileName name;
  io::FileInfo info;  // Full path, size and modification time.
};

// Lists `_delta_log/` of the table, keeping only Delta log files, sorted by version, then
// kind (commit, checkpoints, compaction, checksum), then name. NotFound when the directory
// does not exist.
Result<std::vector<LogFile>> ListLog(io::FileSystem& fs, std::string_view table_root);

// Decodes %XX escapes (RFC 3986 percent-encoding). A '%' not followed by two hex digits is
// kept as is; '+' is not a space in paths.
std::string DecodePercentEscapes(std::string_view text);

// Resolves the path of an add/remove/cdc action to a local file-system path: the path is
// URL-encoded and either relative to the table root or an absolute URI. "file:/a",
// "file:///a" and "file://localhost/a" give "/a"; "/a" stays absolute; "x=A%20B/f" gives
// "<table_root>/x=A B/f". URIs of other schemes (s3://...) are returned decoded but unresolved.
std::string ResolveDataFilePath(const std::string& table_root, std::string_view add_path);

}  // namespace arcflow::delta
