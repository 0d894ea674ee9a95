#include "arcflow/codec/lz4_codec.h"

#include <gtest/gtest.h>
#include <lz4.h>
#include <lz4frame.h>

#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
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

Bytes Compress(const Codec& codec, const Bytes& input) {
  Bytes output(static_cast<size_t>(codec.MaxCompressedLength(static_cast<int64_t>(input.size()))));
  Result<int64_t> written = codec.Compress(input, output);
  EXPECT_TRUE(written.ok()) << written.status().ToString();
  output.resize(written.ok() ? static_cast<size_t>(*written) : 0);
  return output;
}

Result<Bytes> Decompress(const Codec& codec, std::span<const uint8_t> input, size_t size) {
  Bytes output(size);
  ARCFLOW_RETURN_NOT_OK(codec.Decompress(input, output).status());
  return output;
}

Result<Bytes> DecompressUnknown(const Codec& codec, std::span<const uint8_t> input,
                                int64_t limit = 1 << 26) {
  ARCFLOW_ASSIGN_OR_RETURN(std::shared_ptr<Buffer> buffer,
                           codec.DecompressUnknownSize(input, limit));
  return Bytes(buffer->data(), buffer->data() + buffer->size());
}

// Compresses with the LZ4 library directly, as other writers would.
Bytes RawBlock(const Bytes& input) {
  Bytes output(LZ4_compressBound(static_cast<int>(input.size())));
  int written = LZ4_compress_default(
      reinterpret_cast<const char*>(input.data()), reinterpret_cast<char*>(output.data()),
      static_cast<int>(input.size()), static_cast<int>(output.size()));
  EXPECT_GT(written, 0);
  output.resize(written);
  return output;
}

void AppendBigEndian32(uint32_t value, Bytes* out) {
  for (int shift = 24; shift >= 0; shift -= 8) out->push_back(static_cast<uint8_t>(value >> shift));
}

uint32_t LoadBigEndian32(const uint8_t* bytes) {
  return (static_cast<uint32_t>(bytes[0]) << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3];
}

// Hadoop framing built by hand: one block per piece.
Bytes HadoopFrame(const std::vector<Bytes>& pieces) {
  Bytes framed;
  for (const Bytes& piece : pieces) {
    Bytes block = RawBlock(piece);
    AppendBigEndian32(static_cast<uint32_t>(piece.size()), &framed);
    AppendBigEndian32(static_cast<uint32_t>(block.size()), &framed);
    framed.insert(framed.end(), block.begin(), block.end());
  }
  return framed;
}

Bytes ReadCorpusFile(const std::string& name) {
  std::ifstream file(std::string(ARCFLOW_SHARED_DIR) + "/corpora/parquet-testing/data/" + name,
                     std::ios::binary);
  return Bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
}

TEST(Lz4HadoopCodecTest, CompressWritesHadoopBlocksOf256KiB) {
  Lz4HadoopCodec codec(1);
  Bytes input = TextBytes(600000, 1);
  Bytes compressed = Compress(codec, input);
  std::vector<uint32_t> block_sizes;
  size_t position = 0;
  while (position < compressed.size()) {
    ASSERT_LE(position + 8, compressed.size());
    block_sizes.push_back(LoadBigEndian32(compressed.data() + position));
    uint32_t block_bytes = LoadBigEndian32(compressed.data() + position + 4);
    position += 8 + block_bytes;
  }
  EXPECT_EQ(position, compressed.size());
  EXPECT_EQ(block_sizes, (std::vector<uint32_t>{262144, 262144, 600000 - 2 * 262144}));
  Result<Bytes> decoded = Decompress(codec, compressed, input.size());
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_TRUE(*decoded == input);
}

TEST(Lz4HadoopCodecTest, DecodesSeveralHandBuiltBlocks) {
  Lz4HadoopCodec codec(1);
  std::vector<Bytes> pieces = {TextBytes(1000, 1), TextBytes(5000, 2), TextBytes(7, 3), Bytes()};
  Bytes expected;
  for (const Bytes& piece : pieces) expected.insert(expected.end(), piece.begin(), piece.end());
  Bytes framed = HadoopFrame(pieces);
  Result<Bytes> exact = Decompress(codec, framed, expected.size());
  ASSERT_TRUE(exact.ok()) << exact.status().ToString();
  EXPECT_TRUE(*exact == expected);
  Result<Bytes> unknown = DecompressUnknown(codec, framed);
  ASSERT_TRUE(unknown.ok()) << unknown.status().ToString();
  EXPECT_TRUE(*unknown == expected);
}

TEST(Lz4HadoopCodecTest, FallsBackToBareBlock) {
  // Older parquet-cpp wrote a bare block under the Hadoop id.
  Lz4HadoopCodec codec(1);
  Bytes input = TextBytes(20000, 4);
  Bytes block = RawBlock(input);
  Result<Bytes> exact = Decompress(codec, block, input.size());
  ASSERT_TRUE(exact.ok()) << exact.status().ToString();
  EXPECT_TRUE(*exact == input);
  Result<Bytes> unknown = DecompressUnknown(codec, block);
  ASSERT_TRUE(unknown.ok()) << unknown.status().ToString();
  EXPECT_TRUE(*unknown == input);
}

TEST(Lz4HadoopCodecTest, FallsBackToFrames) {
  Lz4HadoopCodec codec(1);
  Bytes first = TextBytes(100000, 5);
  Bytes second = TextBytes(3000, 6);
  Bytes frames;
  for (const Bytes* part : {&first, &second}) {
    Bytes frame(LZ4F_compressFrameBound(part->size(), nullptr));
    size_t written =
        LZ4F_compressFrame(frame.data(), frame.size(), part->data(), part->size(), nullptr);
    ASSERT_FALSE(LZ4F_isError(written));
    frames.insert(frames.end(), frame.begin(), frame.begin() + static_cast<ptrdiff_t>(written));
  }
  Bytes expected = first;
  expected.insert(expected.end(), second.begin(), second.end());
  Result<Bytes> exact = Decompress(codec, frames, expected.size());
  ASSERT_TRUE(exact.ok()) << exact.status().ToString();
  EXPECT_TRUE(*exact == expected);
  Result<Bytes> unknown = DecompressUnknown(codec, frames);
  ASSERT_TRUE(unknown.ok()) << unknown.status().ToString();
  EXPECT_TRUE(*unknown == expected);
  EXPECT_TRUE(Decompress(codec, frames, expected.size() - 1).status().IsCorruption());
  // Without its last byte the second frame is incomplete.
  std::span<const uint8_t> truncated(frames.data(), frames.size() - 1);
  EXPECT_TRUE(Decompress(codec, truncated, expected.size()).status().IsCorruption());
  EXPECT_TRUE(DecompressUnknown(codec, truncated).status().IsCorruption());
}

TEST(Lz4HadoopCodecTest, RejectsInconsistentFraming) {
  Lz4HadoopCodec codec(1);
  Bytes piece = TextBytes(5000, 7);
  Bytes framed = HadoopFrame({piece});
  framed[3] += 1;  // The header now claims one byte more than the block holds.
  Result<Bytes> exact = Decompress(codec, framed, piece.size() + 1);
  ASSERT_FALSE(exact.ok());
  EXPECT_TRUE(exact.status().IsCorruption());
  EXPECT_NE(exact.status().message().find("Hadoop"), std::string::npos);
  EXPECT_TRUE(DecompressUnknown(codec, framed).status().IsCorruption());
}

TEST(Lz4HadoopCodecTest, DoesNotTrustClaimedSizes) {
  // A header claiming 4 GiB for a one-byte block: no allocation of that size is attempted.
  Lz4HadoopCodec codec(1);
  Bytes framed;
  AppendBigEndian32(0xFFFFFFFFu, &framed);
  AppendBigEndian32(1, &framed);
  framed.push_back(0);
  Result<Bytes> unknown = DecompressUnknown(codec, framed, int64_t{1} << 40);
  ASSERT_FALSE(unknown.ok());
  EXPECT_TRUE(unknown.status().IsCorruption()) << unknown.status().ToString();
}

TEST(Lz4RawCodecTest, UnknownSizeFindsExactSize) {
  Lz4RawCodec codec(1);
  Bytes input = TextBytes(100000, 8);
  Bytes block = Compress(codec, input);
  Result<Bytes> unknown = DecompressUnknown(codec, block);
  ASSERT_TRUE(unknown.ok()) << unknown.status().ToString();
  EXPECT_TRUE(*unknown == input);
  Result<Bytes> limited = DecompressUnknown(codec, block, static_cast<int64_t>(input.size()) - 1);
  ASSERT_FALSE(limited.ok());
  EXPECT_TRUE(limited.status().IsInvalid());
}

TEST(Lz4RawCodecTest, ReadsBlocksOfOtherWriters) {
  Lz4RawCodec codec(1);
  Bytes input = TextBytes(70000, 9);
  Result<Bytes> decoded = Decompress(codec, RawBlock(input), input.size());
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_TRUE(*decoded == input);
  // The block is not Hadoop framing, and the raw codec does not look for it.
  Bytes framed = HadoopFrame({input});
  EXPECT_TRUE(Decompress(codec, framed, input.size()).status().IsCorruption());
}

TEST(Lz4RawCodecTest, HighCompressionLevelsShrinkMore) {
  Bytes input = TextBytes(200000, 10);
  for (int i = 0; i < 5; ++i) input[i * 1000] = static_cast<uint8_t>(i);
  Bytes fast = Compress(Lz4RawCodec(1), input);
  Bytes strong = Compress(Lz4RawCodec(12), input);
  EXPECT_LT(strong.size(), fast.size());
  Result<Bytes> decoded = Decompress(Lz4RawCodec(1), strong, input.size());
  ASSERT_TRUE(decoded.ok());
  EXPECT_TRUE(*decoded == input);
}

// The dictionary page shared by two parquet-testing files: the same two INT64 values, framed
// by Hadoop in one and written as a bare block (by older parquet-cpp) in the other.
TEST(Lz4HadoopCodecTest, ReadsParquetTestingDictionaryPages) {
  Bytes hadoop = ReadCorpusFile("hadoop_lz4_compressed.parquet");
  Bytes bare = ReadCorpusFile("non_hadoop_lz4_compressed.parquet");
  if (hadoop.empty() || bare.empty()) GTEST_SKIP() << "parquet-testing corpus not found";
  ASSERT_EQ(hadoop.size(), 702u) << "the corpus file changed; update the page offsets";
  ASSERT_EQ(bare.size(), 1228u) << "the corpus file changed; update the page offsets";
  Lz4HadoopCodec codec(1);
  // Offsets and sizes from each file's first page header.
  Result<Bytes> from_hadoop = Decompress(codec, std::span(hadoop).subspan(17, 26), 16);
  ASSERT_TRUE(from_hadoop.ok()) << from_hadoop.status().ToString();
  Result<Bytes> from_bare = Decompress(codec, std::span(bare).subspan(18, 18), 16);
  ASSERT_TRUE(from_bare.ok()) << from_bare.status().ToString();
  EXPECT_TRUE(*from_hadoop == *from_bare);
  int64_t values[2];
  std::memcpy(values, from_hadoop->data(), 16);
  EXPECT_EQ(values[0], 1593604800);
  EXPECT_EQ(values[1], 1593604801);
}

}  // namespace
}  // namespace arcflow::codec
