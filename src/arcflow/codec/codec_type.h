#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string_view>

#include "arcflow/base/result.h"

namespace arcflow::codec {

// The compression codecs arcflow knows. The numeric values are Parquet's CompressionCodec ids
// (parquet.thrift), so the Parquet layer can convert after a range check; other users only
// need the names.
enum class CodecType : int8_t {
  kUncompressed = 0,
  kSnappy = 1,
  kGzip = 2,
  kLzo = 3,
  kBrotli = 4,
  // Parquet's deprecated LZ4 id: Hadoop block framing around LZ4 blocks, though some writers
  // put a bare LZ4 block or an LZ4 frame under it. Also what Spark writes to ".lz4" files.
  kLz4Hadoop = 5,
  kZstd = 6,
  // A bare LZ4 block, Parquet's LZ4_RAW.
  kLz4Raw = 7,
};

inline constexpr int kNumCodecTypes = 8;

// The lower-case name used in configuration: "uncompressed", "snappy", "gzip", "lzo",
// "brotli", "lz4", "zstd", "lz4_raw".
std::string_view CodecTypeName(CodecType type);

// Parses a codec name, ignoring case. Accepts the names CodecTypeName prints and "none" for
// kUncompressed; anything else is Invalid with the accepted names in the message.
Result<CodecType> ParseCodecType(std::string_view name);

// Returns the codec that compressed a file, judged by the file name's extension (".gz",
// ".zst", ".br", ".lz4"), or nullopt when the extension names no codec arcflow reads. Spark's
// ".snappy" files use Hadoop framing around snappy blocks, which kSnappy does not read, so
// they give nullopt.
std::optional<CodecType> CodecTypeForFileName(std::string_view file_name);

// Asks MakeCodec for the codec's own default level.
inline constexpr int kDefaultCompressionLevel = std::numeric_limits<int>::min();

// The compression levels a codec accepts, inclusive, and the one it uses by default.
struct CompressionLevelRange {
  int min_level;
  int max_level;
  int default_level;
};

// Returns the levels `type` accepts, or nullopt for codecs without levels (uncompressed,
// snappy, lzo).
std::optional<CompressionLevelRange> CompressionLevels(CodecType type);

// Turns kDefaultCompressionLevel into the codec's default and checks any other level against
// CompressionLevels(type). For a codec without levels the default resolves to 0 and any other
// level is Invalid.
Result<int> ResolveCompressionLevel(CodecType type, int level);

}  // namespace arcflow::codec
