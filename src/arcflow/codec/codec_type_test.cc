#include "arcflow/codec/codec_type.h"

#include <gtest/gtest.h>

namespace arcflow::codec {
namespace {

TEST(CodecTypeTest, NamesRoundTrip) {
  for (int id = 0; id < kNumCodecTypes; ++id) {
    CodecType type = static_cast<CodecType>(id);
    Result<CodecType> parsed = ParseCodecType(CodecTypeName(type));
    ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
    EXPECT_EQ(*parsed, type);
  }
}

TEST(CodecTypeTest, ParsesIgnoringCase) {
  EXPECT_EQ(*ParseCodecType("ZSTD"), CodecType::kZstd);
  EXPECT_EQ(*ParseCodecType("Snappy"), CodecType::kSnappy);
  EXPECT_EQ(*ParseCodecType("gzip"), CodecType::kGzip);
  EXPECT_EQ(*ParseCodecType("LZ4_RAW"), CodecType::kLz4Raw);
  EXPECT_EQ(*ParseCodecType("lz4"), CodecType::kLz4Hadoop);
  EXPECT_EQ(*ParseCodecType("brotli"), CodecType::kBrotli);
  EXPECT_EQ(*ParseCodecType("None"), CodecType::kUncompressed);
  EXPECT_EQ(*ParseCodecType("UNCOMPRESSED"), CodecType::kUncompressed);
  EXPECT_EQ(*ParseCodecType("lzo"), CodecType::kLzo);
}

TEST(CodecTypeTest, RejectsUnknownNames) {
  for (const char* name : {"", "zip", "lz4raw", "zstd ", "gzip2"}) {
    Result<CodecType> parsed = ParseCodecType(name);
    ASSERT_FALSE(parsed.ok()) << name;
    EXPECT_TRUE(parsed.status().IsInvalid());
    EXPECT_NE(parsed.status().message().find("lz4_raw"), std::string::npos);
  }
}

TEST(CodecTypeTest, PrintsParquetNames) {
  EXPECT_EQ(CodecTypeName(CodecType::kUncompressed), "uncompressed");
  EXPECT_EQ(CodecTypeName(CodecType::kLz4Hadoop), "lz4");
  EXPECT_EQ(CodecTypeName(CodecType::kLz4Raw), "lz4_raw");
  // The numeric values are Parquet's CompressionCodec ids.
  EXPECT_EQ(static_cast<int>(CodecType::kZstd), 6);
  EXPECT_EQ(static_cast<int>(CodecType::kLz4Raw), 7);
}

TEST(CodecTypeTest, FindsCodecFromFileName) {
  EXPECT_EQ(CodecTypeForFileName("events/2024/part-0001.json.gz"), CodecType::kGzip);
  EXPECT_EQ(CodecTypeForFileName("a.csv.zst"), CodecType::kZstd);
  EXPECT_EQ(CodecTypeForFileName("a.json.lz4"), CodecType::kLz4Hadoop);
  EXPECT_EQ(CodecTypeForFileName("a.json.br"), CodecType::kBrotli);
  EXPECT_EQ(CodecTypeForFileName("a.json"), std::nullopt);
  EXPECT_EQ(CodecTypeForFileName("a.json.snappy"), std::nullopt);
  EXPECT_EQ(CodecTypeForFileName("gz"), std::nullopt);
}

TEST(CodecTypeTest, ResolvesLevels) {
  EXPECT_EQ(*ResolveCompressionLevel(CodecType::kZstd, kDefaultCompressionLevel), 1);
  EXPECT_EQ(*ResolveCompressionLevel(CodecType::kZstd, 19), 19);
  EXPECT_EQ(*ResolveCompressionLevel(CodecType::kZstd, -3), -3);
  EXPECT_EQ(*ResolveCompressionLevel(CodecType::kGzip, 9), 9);
  EXPECT_EQ(*ResolveCompressionLevel(CodecType::kGzip, 0), 0);
  EXPECT_EQ(*ResolveCompressionLevel(CodecType::kBrotli, kDefaultCompressionLevel), 8);
  EXPECT_EQ(*ResolveCompressionLevel(CodecType::kLz4Raw, kDefaultCompressionLevel), 1);
  EXPECT_EQ(*ResolveCompressionLevel(CodecType::kSnappy, kDefaultCompressionLevel), 0);

  Result<int> too_high = ResolveCompressionLevel(CodecType::kZstd, 23);
  ASSERT_FALSE(too_high.ok());
  EXPECT_TRUE(too_high.status().IsInvalid());
  EXPECT_NE(too_high.status().message().find("zstd"), std::string::npos);
  EXPECT_TRUE(ResolveCompressionLevel(CodecType::kLz4Hadoop, 0).status().IsInvalid());
  EXPECT_TRUE(ResolveCompressionLevel(CodecType::kUncompressed, 1).status().IsInvalid());
}

TEST(CodecTypeTest, ReportsLevelRanges) {
  EXPECT_FALSE(CompressionLevels(CodecType::kSnappy).has_value());
  EXPECT_FALSE(CompressionLevels(CodecType::kUncompressed).has_value());
  std::optional<CompressionLevelRange> gzip = CompressionLevels(CodecType::kGzip);
  ASSERT_TRUE(gzip.has_value());
  EXPECT_EQ(gzip->min_level, 0);
  EXPECT_EQ(gzip->max_level, 9);
  EXPECT_EQ(gzip->default_level, 6);
  std::optional<CompressionLevelRange> zstd = CompressionLevels(CodecType::kZstd);
  ASSERT_TRUE(zstd.has_value());
  EXPECT_LT(zstd->min_level, 0);
  EXPECT_EQ(zstd->max_level, 22);
}

}  // namespace
}  // namespace arcflow::codec
