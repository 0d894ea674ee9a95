#include "arcflow/codec/brotli_codec.h"

#include <gtest/gtest.h>

#include <vector>

namespace arcflow::codec {
namespace {

using Bytes = std::vector<uint8_t>;

Bytes Compress(const Codec& codec, const Bytes& input) {
  Bytes output(static_cast<size_t>(codec.MaxCompressedLength(static_cast<int64_t>(input.size()))));
  Result<int64_t> written = codec.Compress(input, output);
  EXPECT_TRUE(written.ok()) << written.status().ToString();
  output.resize(written.ok() ? static_cast<size_t>(*written) : 0);
  return output;
}

TEST(BrotliCodecTest, RejectsBytesAfterStreamEnd) {
  BrotliCodec codec(8);
  Bytes input(5000, 'q');
  Bytes compressed = Compress(codec, input);
  compressed.push_back(0);
  Bytes output(input.size());
  Result<int64_t> decoded = codec.Decompress(compressed, output);
  ASSERT_FALSE(decoded.ok());
  EXPECT_TRUE(decoded.status().IsCorruption());
  EXPECT_NE(decoded.status().message().find("after the stream"), std::string::npos);
}

TEST(BrotliCodecTest, HigherQualityShrinksMore) {
  Bytes input;
  for (int i = 0; i < 50000; ++i)
    input.push_back(static_cast<uint8_t>("silver gold "[i % 12] + i % 3));
  Bytes fast = Compress(BrotliCodec(0), input);
  Bytes strong = Compress(BrotliCodec(11), input);
  EXPECT_LT(strong.size(), fast.size());
  Bytes output(input.size());
  ASSERT_TRUE(BrotliCodec(0).Decompress(strong, output).ok());
  EXPECT_TRUE(output == input);
}

}  // namespace
}  // namespace arcflow::codec
