#include "arcflow/codec/codec_type.h"

#include <zstd.h>

#include <array>
#include <cctype>

namespace arcflow::codec {
namespace {

constexpr std::array<CodecType, kNumCodecTypes> kAllCodecTypes = {
    CodecType::kUncompressed, CodecType::kSnappy,    CodecType::kGzip, CodecType::kLzo,
    CodecType::kBrotli,       CodecType::kLz4Hadoop, CodecType::kZstd, CodecType::kLz4Raw,
};

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// Levels follow each library's own scale. The defaults favour speed: zstd 1 and lz4's fast
// mode are what Parquet writers commonly use, gzip 6 is zlib's own default, and brotli 8
// avoids the very slow top qualities.
constexpr int kGzipDefaultLevel = 6;
constexpr int kBrotliDefaultLevel = 8;
constexpr int kZstdDefaultLevel = 1;
constexpr int kLz4DefaultLevel = 1;
constexpr int kLz4MaxLevel = 12;

}  // namespace

std::string_view CodecTypeName(CodecType type) {
  switch (type) {
    case CodecType::kUncompressed:
      return "uncompressed";
    case CodecType::kSnappy:
      return "snappy";
    case CodecType::kGzip:
      return "gzip";
    case CodecType::kLzo:
      return "lzo";
    case CodecType::kBrotli:
      return "brotli";
    case CodecType::kLz4Hadoop:
      return "lz4";
    case CodecType::kZstd:
      return "zstd";
    case CodecType::kLz4Raw:
      return "lz4_raw";
  }
  return "unknown";
}

Result<CodecType> ParseCodecType(std::string_view name) {
  if (EqualsIgnoreCase(name, "none")) return CodecType::kUncompressed;
  for (CodecType type : kAllCodecTypes) {
    if (EqualsIgnoreCase(name, CodecTypeName(type))) return type;
  }
  return Status::Invalid(
      "codec: unknown compression codec '{}' (expected one of none, uncompressed, snappy, gzip, "
      "lzo, brotli, lz4, zstd, lz4_raw)",
      name);
}

std::optional<CodecType> CodecTypeForFileName(std::string_view file_name) {
  if (EndsWith(file_name, ".gz")) return CodecType::kGzip;
  if (EndsWith(file_name, ".zst")) return CodecType::kZstd;
  if (EndsWith(file_name, ".br")) return CodecType::kBrotli;
  if (EndsWith(file_name, ".lz4")) return CodecType::kLz4Hadoop;
  return std::nullopt;
}

std::optional<CompressionLevelRange> CompressionLevels(CodecType type) {
  switch (type) {
    case CodecType::kGzip:
      return CompressionLevelRange{0, 9, kGzipDefaultLevel};
    case CodecType::kBrotli:
      return CompressionLevelRange{0, 11, kBrotliDefaultLevel};
    case CodecType::kZstd:
      return CompressionLevelRange{ZSTD_minCLevel(), ZSTD_maxCLevel(), kZstdDefaultLevel};
    case CodecType::kLz4Hadoop:
    case CodecType::kLz4Raw:
      return CompressionLevelRange{1, kLz4MaxLevel, kLz4DefaultLevel};
    case CodecType::kUncompressed:
    case CodecType::kSnappy:
    case CodecType::kLzo:
      return std::nullopt;
  }
  return std::nullopt;
}

Result<int> ResolveCompressionLevel(CodecType type, int level) {
  std::optional<CompressionLevelRange> range = CompressionLevels(type);
  if (!range.has_value()) {
    if (level == kDefaultCompressionLevel) return 0;
    return Status::Invalid("codec: {} takes no compression level (got {})", CodecTypeName(type),
                           level);
  }
  if (level == kDefaultCompressionLevel) return range->default_level;
  if (level < range->min_level || level > range->max_level) {
    return Status::Invalid("codec: {} compression level {} is out of range [{}, {}]",
                           CodecTypeName(type), level, range->min_level, range->max_level);
  }
  return level;
}

}  // namespace arcflow::codec
