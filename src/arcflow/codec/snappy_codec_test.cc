#include "arcflow/codec/snappy_codec.h"

#include <gtest/gtest.h>

#include <vector>

namespace arcflow::codec {
namespace {

using Bytes = std::vector<uint8_t>;

TEST(SnappyCodecTest, RejectsLengthPrefixLargerThanInputCanHold) {
  // A varint prefix claiming 4 GiB - 1 followed by a few bytes: rejected without allocating.
  SnappyCodec codec;
  Bytes input = {0xff, 0xff, 0xff, 0xff, 0x0f, 0x00, 0x61};
  Result<std::shared_ptr<Buffer>> decoded = codec.DecompressUnknownSize(input, int64_t{1} << 40);
  ASSERT_FALSE(decoded.ok());
  EXPECT_TRUE(decoded.status().IsCorruption()) << decoded.status().ToString();
  EXPECT_TRUE(codec.DecompressUnknownSize(input, 100).status().IsInvalid());
}

TEST(SnappyCodecTest, RejectsMalformedPrefix) {
  SnappyCodec codec;
  Bytes input = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};  // A varint that never ends.
  Bytes output(10);
  Result<int64_t> decoded = codec.Decompress(input, output);
  ASSERT_FALSE(decoded.ok());
  EXPECT_TRUE(decoded.status().IsCorruption());
  EXPECT_NE(decoded.status().message().find("length prefix"), std::string::npos);
}

TEST(SnappyCodecTest, ReportsSizeMismatchFromPrefix) {
  SnappyCodec codec;
  Bytes input(100, 'x');
  Bytes compressed(static_cast<size_t>(codec.MaxCompressedLength(100)));
  Result<int64_t> written = codec.Compress(input, compressed);
  ASSERT_TRUE(written.ok());
  compressed.resize(static_cast<size_t>(*written));
  Bytes output(99);
  Result<int64_t> decoded = codec.Decompress(compressed, output);
  ASSERT_FALSE(decoded.ok());
  EXPECT_NE(decoded.status().message().find("100 bytes but 99"), std::string::npos)
      << decoded.status().message();
}

}  // namespace
}  // namespace arcflow::codec
