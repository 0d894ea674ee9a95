#include "arcflow/codec/zstd_codec.h"

#include <gtest/gtest.h>
#include <zstd.h>

#include <vector>

namespace arcflow::codec {
namespace {

using Bytes = std::vector<uint8_t>;

Bytes TextBytes(size_t size, uint32_t salt) {
  Bytes bytes(size);
  for (size_t i = 0; i < size; ++i) {
    bytes[i] = static_cast<uint8_t>('a' + (i * 7 + i / 13 + salt) % 26);
  }
  return bytes;
}

// Compresses with the zstd library directly, optionally without recording the content size
// in the frame header, as streaming writers do.
Bytes Frame(const Bytes& input, bool record_size) {
  ZSTD_CCtx* context = ZSTD_createCCtx();
  ZSTD_CCtx_setParameter(context, ZSTD_c_contentSizeFlag, record_size ? 1 : 0);
  Bytes output(ZSTD_compressBound(input.size()));
  ZSTD_inBuffer in{input.data(), input.size(), 0};
  ZSTD_outBuffer out{output.data(), output.size(), 0};
  size_t remaining = ZSTD_compressStream2(context, &out, &in, ZSTD_e_end);
  EXPECT_EQ(remaining, 0u);
  ZSTD_freeCCtx(context);
  output.resize(out.pos);
  return output;
}

TEST(ZstdCodecTest, ConcatenatedFramesDecodeToConcatenation) {
  ZstdCodec codec(1);
  Bytes first = TextBytes(200000, 1);
  Bytes second = TextBytes(5000, 2);
  Bytes frames = Frame(first, true);
  Bytes frame = Frame(second, false);
  frames.insert(frames.end(), frame.begin(), frame.end());
  Bytes expected = first;
  expected.insert(expected.end(), second.begin(), second.end());

  Bytes output(expected.size());
  Result<int64_t> exact = codec.Decompress(frames, output);
  ASSERT_TRUE(exact.ok()) << exact.status().ToString();
  EXPECT_TRUE(output == expected);
  Result<std::shared_ptr<Buffer>> unknown = codec.DecompressUnknownSize(frames, 1 << 24);
  ASSERT_TRUE(unknown.ok()) << unknown.status().ToString();
  EXPECT_TRUE(Bytes((*unknown)->data(), (*unknown)->data() + (*unknown)->size()) == expected);
}

TEST(ZstdCodecTest, DecodesFrameWithoutContentSize) {
  ZstdCodec codec(1);
  Bytes input = TextBytes(1 << 20, 3);
  Bytes frame = Frame(input, false);
  ASSERT_EQ(ZSTD_getFrameContentSize(frame.data(), frame.size()), ZSTD_CONTENTSIZE_UNKNOWN);
  Result<std::shared_ptr<Buffer>> unknown = codec.DecompressUnknownSize(frame, 1 << 24);
  ASSERT_TRUE(unknown.ok()) << unknown.status().ToString();
  EXPECT_TRUE(Bytes((*unknown)->data(), (*unknown)->data() + (*unknown)->size()) == input);
  EXPECT_TRUE(codec.DecompressUnknownSize(frame, (1 << 20) - 1).status().IsInvalid());
}

TEST(ZstdCodecTest, DecodesEmptyFrameIntoEmptyOutput) {
  // Parquet writers emit such frames for pages with no values.
  ZstdCodec codec(1);
  Bytes frame = Frame(Bytes(), true);
  ASSERT_FALSE(frame.empty());
  Result<int64_t> decoded = codec.Decompress(frame, std::span<uint8_t>());
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(*decoded, 0);
}

TEST(ZstdCodecTest, EnforcesLimitBelowRecordedContentSize) {
  // The content size a frame records is only a first guess for the buffer; the limit still
  // decides.
  ZstdCodec codec(1);
  Bytes input = TextBytes(1000, 4);
  Bytes frame = Frame(input, true);
  Result<std::shared_ptr<Buffer>> decoded = codec.DecompressUnknownSize(frame, 999);
  ASSERT_FALSE(decoded.ok());
  EXPECT_TRUE(decoded.status().IsInvalid());
}

}  // namespace
}  // namespace arcflow::codec
