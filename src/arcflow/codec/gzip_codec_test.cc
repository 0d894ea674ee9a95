#include "arcflow/codec/gzip_codec.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "arcflow/codec/crc32.h"

namespace arcflow::codec {
namespace {

using Bytes = std::vector<uint8_t>;

Bytes TextBytes(size_t size, char first) {
  Bytes bytes(size);
  for (size_t i = 0; i < size; ++i) bytes[i] = static_cast<uint8_t>(first + (i * 7 + i / 13) % 26);
  return bytes;
}

Bytes Concat(std::initializer_list<const Bytes*> parts) {
  Bytes all;
  for (const Bytes* part : parts) all.insert(all.end(), part->begin(), part->end());
  return all;
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

Bytes Unknown(const Codec& codec, std::span<const uint8_t> input) {
  Result<std::shared_ptr<Buffer>> buffer = codec.DecompressUnknownSize(input, 1 << 24);
  EXPECT_TRUE(buffer.ok()) << buffer.status().ToString();
  if (!buffer.ok()) return {};
  return Bytes((*buffer)->data(), (*buffer)->data() + (*buffer)->size());
}

uint32_t LoadLittleEndian32(const uint8_t* bytes) {
  return bytes[0] | (bytes[1] << 8) | (bytes[2] << 16) | (static_cast<uint32_t>(bytes[3]) << 24);
}

TEST(GzipCodecTest, WritesGzipFormat) {
  GzipCodec codec(6);
  Bytes input = TextBytes(100000, 'a');
  Bytes compressed = Compress(codec, input);
  ASSERT_GE(compressed.size(), 18u);
  // Magic, deflate method, then a trailer of the CRC-32 and the size modulo 2^32.
  EXPECT_EQ(compressed[0], 0x1f);
  EXPECT_EQ(compressed[1], 0x8b);
  EXPECT_EQ(compressed[2], 8);
  EXPECT_EQ(LoadLittleEndian32(compressed.data() + compressed.size() - 8), Crc32(input));
  EXPECT_EQ(LoadLittleEndian32(compressed.data() + compressed.size() - 4), input.size());
}

TEST(GzipCodecTest, ConcatenatedMembersDecodeToConcatenation) {
  GzipCodec codec(6);
  Bytes first = TextBytes(3000, 'a');
  Bytes empty;
  Bytes second = TextBytes(70000, 'A');
  Bytes members;
  for (const Bytes* part : {&first, &empty, &second}) {
    Bytes member = Compress(codec, *part);
    members.insert(members.end(), member.begin(), member.end());
  }
  Bytes expected = Concat({&first, &second});
  Result<Bytes> exact = Decompress(codec, members, expected.size());
  ASSERT_TRUE(exact.ok()) << exact.status().ToString();
  EXPECT_TRUE(*exact == expected);
  EXPECT_TRUE(Unknown(codec, members) == expected);
  // The expected size covers all members, not just the first.
  EXPECT_TRUE(Decompress(codec, members, first.size()).status().IsCorruption());
  EXPECT_TRUE(Decompress(codec, members, expected.size() + 1).status().IsCorruption());
}

TEST(GzipCodecTest, AcceptsZlibWrappedData) {
  GzipCodec codec(6);
  Bytes input = TextBytes(50000, 'a');
  uLongf length = compressBound(input.size());
  Bytes zlib_data(length);
  ASSERT_EQ(compress2(zlib_data.data(), &length, input.data(), input.size(), 6), Z_OK);
  zlib_data.resize(length);
  ASSERT_EQ(zlib_data[0] & 0x0f, 8);  // A zlib header, not gzip.
  Result<Bytes> exact = Decompress(codec, zlib_data, input.size());
  ASSERT_TRUE(exact.ok()) << exact.status().ToString();
  EXPECT_TRUE(*exact == input);
  EXPECT_TRUE(Unknown(codec, zlib_data) == input);
}

TEST(GzipCodecTest, IgnoresZeroPaddingButNotGarbage) {
  GzipCodec codec(6);
  Bytes input = TextBytes(1000, 'a');
  Bytes padded = Compress(codec, input);
  padded.insert(padded.end(), 32, 0);
  Result<Bytes> exact = Decompress(codec, padded, input.size());
  ASSERT_TRUE(exact.ok()) << exact.status().ToString();
  EXPECT_TRUE(*exact == input);

  Bytes garbage = Compress(codec, input);
  garbage.push_back('x');
  Result<Bytes> rejected = Decompress(codec, garbage, input.size());
  ASSERT_FALSE(rejected.ok());
  EXPECT_TRUE(rejected.status().IsCorruption());
  EXPECT_NE(rejected.status().message().find("offset"), std::string::npos)
      << rejected.status().message();
}

TEST(GzipCodecTest, RejectsWrongChecksum) {
  GzipCodec codec(6);
  Bytes input = TextBytes(1000, 'a');
  Bytes compressed = Compress(codec, input);
  compressed[compressed.size() - 6] ^= 0x10;  // Inside the stored CRC-32.
  Result<Bytes> rejected = Decompress(codec, compressed, input.size());
  ASSERT_FALSE(rejected.ok());
  EXPECT_TRUE(rejected.status().IsCorruption());
}

TEST(GzipCodecTest, RejectsPresetDictionary) {
  // A zlib stream compressed against a preset dictionary, which Parquet never uses.
  Bytes input = TextBytes(1000, 'a');
  z_stream stream{};
  ASSERT_EQ(deflateInit(&stream, 6), Z_OK);
  const Bytes dictionary = TextBytes(100, 'a');
  ASSERT_EQ(deflateSetDictionary(&stream, dictionary.data(), dictionary.size()), Z_OK);
  Bytes compressed(deflateBound(&stream, input.size()));
  stream.next_in = input.data();
  stream.avail_in = input.size();
  stream.next_out = compressed.data();
  stream.avail_out = compressed.size();
  ASSERT_EQ(deflate(&stream, Z_FINISH), Z_STREAM_END);
  compressed.resize(stream.total_out);
  deflateEnd(&stream);
  GzipCodec codec(6);
  Result<Bytes> rejected = Decompress(codec, compressed, input.size());
  ASSERT_FALSE(rejected.ok());
  EXPECT_TRUE(rejected.status().IsCorruption());
  EXPECT_NE(rejected.status().message().find("dictionary"), std::string::npos);
}

// Regression: a Parquet page from parquet-testing holds two gzip members back to back; a
// reader that stops after the first returns 4096 of its 4104 bytes.
TEST(GzipCodecTest, ReadsParquetTestingConcatenatedMembersPage) {
  std::string path = std::string(ARCFLOW_SHARED_DIR) +
                     "/corpora/parquet-testing/data/concatenated_gzip_members.parquet";
  std::ifstream file(path, std::ios::binary);
  if (!file) GTEST_SKIP() << "corpus file not found: " << path;
  Bytes contents((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  ASSERT_EQ(contents.size(), 1647u) << "the corpus file changed; update the page offsets";
  // The only data page: a V2 page whose 3 level bytes at offset 52 precede the compressed
  // values at [55, 1471); they decode to the INT64 values 1..513.
  std::span<const uint8_t> page(contents.data() + 55, 1471 - 55);
  GzipCodec codec(6);
  Result<Bytes> values = Decompress(codec, page, 513 * 8);
  ASSERT_TRUE(values.ok()) << values.status().ToString();
  for (int64_t i = 0; i < 513; ++i) {
    int64_t value;
    std::memcpy(&value, values->data() + i * 8, 8);
    ASSERT_EQ(value, i + 1);
  }
}

}  // namespace
}  // namespace arcflow::codec
