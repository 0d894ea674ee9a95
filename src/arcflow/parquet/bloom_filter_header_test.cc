#include "arcflow/parquet/bloom_filter_header.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "arcflow/parquet/thrift_compact_reader.h"
#include "arcflow/parquet/thrift_compact_writer.h"

namespace arcflow::parquet {
namespace {

using Bytes = std::vector<uint8_t>;

TEST(BloomFilterHeaderTest, RoundTripsAndReportsLength) {
  BloomFilterHeader header;
  header.num_bytes = 1024;
  BufferBuilder builder;
  EncodeThriftMessage(header, &builder);
  Bytes bytes(builder.data(), builder.data() + builder.size());
  // numBytes=1024, then three unions each holding member 1 (an empty struct).
  EXPECT_EQ(bytes, (Bytes{0x15, 0x80, 0x10, 0x1C, 0x1C, 0x00, 0x00, 0x1C, 0x1C, 0x00, 0x00, 0x1C,
                          0x1C, 0x00, 0x00, 0x00}));
  bytes.resize(bytes.size() + 1024, 0);
  int64_t length = 0;
  Result<BloomFilterHeader> decoded = DecodeBloomFilterHeader(bytes, 0, &length);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(*decoded, header);
  EXPECT_EQ(length, 16);
}

TEST(BloomFilterHeaderTest, MarksUnknownAlgorithm) {
  // numBytes=32, algorithm={2: {}}, hash={1: {}}, compression={1: {}}.
  Bytes bytes = {0x15, 0x40, 0x1C, 0x2C, 0x00, 0x00, 0x1C, 0x1C,
                 0x00, 0x00, 0x1C, 0x1C, 0x00, 0x00, 0x00};
  int64_t length = 0;
  Result<BloomFilterHeader> decoded = DecodeBloomFilterHeader(bytes, 0, &length);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(decoded->num_bytes, 32);
  EXPECT_EQ(decoded->algorithm, BloomFilterHeader::Algorithm::kUnknown);
  EXPECT_EQ(decoded->hash, BloomFilterHeader::Hash::kXxHash);
}

TEST(BloomFilterHeaderTest, RejectsMissingHash) {
  Bytes bytes = {0x15, 0x40, 0x1C, 0x1C, 0x00, 0x00, 0x2C, 0x1C, 0x00, 0x00, 0x00};
  int64_t length = 0;
  Result<BloomFilterHeader> decoded = DecodeBloomFilterHeader(bytes, 0, &length);
  ASSERT_TRUE(decoded.status().IsCorruption());
  EXPECT_NE(decoded.status().message().find("hash"), std::string::npos);
}

}  // namespace
}  // namespace arcflow::parquet
