#include "arcflow/delta/deletion_vector.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <random>
#include <set>

#include "arcflow/io/atomic_publish.h"
#include "arcflow/json/temp_directory.h"

namespace arcflow::delta {
namespace {

const std::string kDeltaCorpus = std::string(ARCFLOW_SHARED_DIR) + "/corpora/delta";

DeletionVectorDescriptor OnDisk(std::string path, int32_t size, int64_t cardinality,
                                char storage_type = 'u') {
  DeletionVectorDescriptor descriptor;
  descriptor.storage_type = storage_type;
  descriptor.path_or_inline_dv = std::move(path);
  descriptor.offset = 1;
  descriptor.size_in_bytes = size;
  descriptor.cardinality = cardinality;
  return descriptor;
}

std::vector<uint64_t> ReadRows(const std::string& table, const DeletionVectorDescriptor& dv) {
  auto rows = ReadDeletionVector(*io::LocalFileSystem(), table, dv);
  EXPECT_TRUE(rows.ok()) << rows.status().ToString();
  return rows.ok() ? rows->rows() : std::vector<uint64_t>{};
}

TEST(DeletionVectorTest, Z85RoundTripsAndMatchesTheReferenceVector) {
  // The ZeroMQ reference vector: 0x86 0x4F 0xD2 0x6F 0xB5 0x59 0xF7 0x5B → "HelloWorld".
  std::vector<uint8_t> hello = {0x86, 0x4F, 0xD2, 0x6F, 0xB5, 0x59, 0xF7, 0x5B};
  EXPECT_EQ(EncodeZ85(hello), "HelloWorld");
  auto decoded = DecodeZ85("HelloWorld");
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(*decoded, hello);
  EXPECT_TRUE(DecodeZ85("Hell").status().IsCorruption());   // Bad length.
  EXPECT_TRUE(DecodeZ85("Hell~").status().IsCorruption());  // Not in the alphabet.
  EXPECT_TRUE(DecodeZ85("#####").status().IsCorruption());  // Above 2^32 - 1.
  // Unaligned input is padded with zeros.
  EXPECT_EQ(EncodeZ85(std::vector<uint8_t>{0x86}).size(), 5u);
}

TEST(DeletionVectorTest, Z85ReadsTheHashPaddedFinalGroup) {
  // delta-kernel-rs ends an unaligned text with a group of p leading '#' whose other
  // characters encode the last 4 - p bytes: "#esp$" is 0x864FD2 in four digits.
  auto decoded = DecodeZ85("Hello#esp$");
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(*decoded, (std::vector<uint8_t>{0x86, 0x4F, 0xD2, 0x6F, 0x86, 0x4F, 0xD2}));
  auto one_byte = DecodeZ85("###1x");  // Two digits: 1 * 85 + 33 = 118 = 0x76.
  ASSERT_TRUE(one_byte.ok()) << one_byte.status().ToString();
  EXPECT_EQ(*one_byte, (std::vector<uint8_t>{0x76}));
  // A padded group whose digits need more bytes than it has left is corrupt.
  EXPECT_TRUE(DecodeZ85("###zz").status().IsCorruption());
  // Padding only in the final group.
  EXPECT_TRUE(DecodeZ85("#esp$Hello").status().IsCorruption());
}

TEST(DeletionVectorTest, DerivesUuidPathsWithAndWithoutPrefix) {
  // From delta-rs/table-with-dv-small: the file on disk carries the decoded UUID.
  auto path = DeletionVectorFilePath("/t", OnDisk("vBn[lx{q8@P<9BNH/isA", 36, 2));
  ASSERT_TRUE(path.ok()) << path.status().ToString();
  EXPECT_EQ(*path, "/t/deletion_vector_61d16c75-6994-46b7-a15b-8b538852e50e.bin");
  auto prefixed =
      DeletionVectorFilePath("/t", OnDisk("ab" + std::string("vBn[lx{q8@P<9BNH/isA"), 36, 2));
  ASSERT_TRUE(prefixed.ok());
  EXPECT_EQ(*prefixed, "/t/ab/deletion_vector_61d16c75-6994-46b7-a15b-8b538852e50e.bin");
  EXPECT_TRUE(DeletionVectorFilePath("/t", OnDisk("short", 36, 2)).status().IsCorruption());
  auto absolute = DeletionVectorFilePath("/t", OnDisk("file:/a%20b/dv.bin", 36, 2, 'p'));
  ASSERT_TRUE(absolute.ok());
  EXPECT_EQ(*absolute, "/a b/dv.bin");
}

TEST(DeletionVectorTest, ReadsCorpusFilesDeltaRsSmall) {
  // kernel-rs asserts that this vector holds rows 0 and 9.
  EXPECT_EQ(ReadRows(kDeltaCorpus + "/delta-rs/table-with-dv-small",
                     OnDisk("vBn[lx{q8@P<9BNH/isA", 36, 2)),
            (std::vector<uint64_t>{0, 9}));
}

TEST(DeletionVectorTest, ReadsCorpusFilesKernelJavaAndShortDv) {
  auto java_rows = ReadRows(kDeltaCorpus + "/delta-kernel-java/basic-dv-no-checkpoint",
                            OnDisk("IjB3V2d3#qUP%s94R0WF", 36, 2));
  EXPECT_EQ(java_rows.size(), 2u);
  // with-short-dv: kernel-rs expects ids 0..2 of the first file to be gone.
  EXPECT_EQ(ReadRows(kDeltaCorpus + "/delta-kernel-rs/data/with-short-dv",
                     OnDisk("U5OWRz5k%CFT.Td}yCPW", 38, 3)),
            (std::vector<uint64_t>{0, 1, 2}));
}

TEST(DeletionVectorTest, ReadsAbsolutePathWithSpecialCharacters) {
  std::string table = kDeltaCorpus + "/delta-spark/table-with-dv-special-char";
  // The log holds a placeholder for the folder, which the upstream test replaces.
  std::string path = "file:" + table + "/folder%26with%25special%20char/" +
                     "test%25dv%25prefix-deletion_vector_67bc892e-2979-4760-a78c-856aba806564.bin";
  auto rows = ReadRows(table, OnDisk(path, 42, 5, 'p'));
  EXPECT_EQ(rows.size(), 5u);
}

TEST(DeletionVectorTest, ReadsInlineVectorFromTheLog) {
  // delta-kernel-rs/data/cdf-table-with-dv, version 3.
  DeletionVectorDescriptor inline_dv;
  inline_dv.storage_type = 'i';
  inline_dv.path_or_inline_dv = "^Bg9^0rr910000000000iXQKl0rr91000935c8Xg000311onP9";
  inline_dv.size_in_bytes = 40;
  inline_dv.cardinality = 4;
  auto rows = ReadRows("/unused", inline_dv);
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_TRUE(std::is_sorted(rows.begin(), rows.end()));
}

TEST(DeletionVectorTest, RejectsCardinalityMismatch) {
  auto rows =
      ReadDeletionVector(*io::LocalFileSystem(), kDeltaCorpus + "/delta-rs/table-with-dv-small",
                         OnDisk("vBn[lx{q8@P<9BNH/isA", 36, 3));
  EXPECT_TRUE(rows.status().IsCorruption());
}

TEST(DeletionVectorTest, SerializesAndParsesEveryContainerKind) {
  std::vector<uint64_t> rows;
  for (uint64_t i = 0; i < 10; ++i) rows.push_back(i * 3);        // Array container.
  for (uint64_t i = 0; i < 5000; ++i) rows.push_back(70000 + i);  // Bitmap container.
  rows.push_back((uint64_t{1} << 32) + 5);                        // Second bucket.
  rows.push_back((uint64_t{7} << 32) + 65535);
  auto bytes = SerializeRoaringBitmapArray(rows);
  auto parsed = ParseRoaringBitmapArray(bytes, "test");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->rows(), rows);
  EXPECT_TRUE(parsed->Contains(70000 + 4999));
  EXPECT_FALSE(parsed->Contains(1));
}

TEST(DeletionVectorTest, ParsesRunContainers) {
  // A portable 32-bit bitmap with one run container [10, 14], built by hand: cookie 12347 with
  // one container, run flag byte, key 0 / cardinality-1 = 4, then 1 run (start 10, length-1 4).
  std::vector<uint8_t> bytes = {0xD1, 0xD3, 0x39, 0x64,              // Magic 1681511377.
                                1,    0,    0,    0,    0, 0, 0, 0,  // One bucket.
                                0,    0,    0,    0,                 // Key 0.
                                0x3B, 0x30, 0,    0,                 // Cookie 12347, 1 container.
                                1,                                   // Run flags.
                                0,    0,    4,    0,                 // Key 0, cardinality 5.
                                1,    0,    10,   0,    4, 0};       // 1 run: 10..14.
  auto parsed = ParseRoaringBitmapArray(bytes, "test");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->rows(), (std::vector<uint64_t>{10, 11, 12, 13, 14}));
}

TEST(DeletionVectorTest, RejectsHostileBitmaps) {
  std::vector<uint64_t> rows = {1, 2, 3, 100000};
  auto bytes = SerializeRoaringBitmapArray(rows);
  // Every truncation fails cleanly.
  for (size_t length = 0; length < bytes.size(); ++length) {
    auto parsed = ParseRoaringBitmapArray(std::span<const uint8_t>(bytes.data(), length), "t");
    EXPECT_FALSE(parsed.ok()) << length;
  }
  // Random byte flips never crash.
  std::mt19937 random(7);
  for (int trial = 0; trial < 2000; ++trial) {
    auto mutated = bytes;
    mutated[random() % mutated.size()] = static_cast<uint8_t>(random());
    (void)ParseRoaringBitmapArray(mutated, "t");
  }
  // A bound on the rows stops a bitmap that claims more than its descriptor.
  EXPECT_TRUE(ParseRoaringBitmapArray(bytes, "t", 3).status().IsCorruption());
  EXPECT_TRUE(ParseRoaringBitmapArray(bytes, "t", 4).ok());
  auto bad_magic = bytes;
  bad_magic[0] ^= 1;
  EXPECT_TRUE(ParseRoaringBitmapArray(bad_magic, "t").status().IsCorruption());
}

TEST(DeletionVectorTest, InlineRoundTrip) {
  std::vector<uint64_t> rows = {0, 5, 9, 4097, uint64_t{3} << 33};
  DeletionVectorDescriptor descriptor = MakeInlineDeletionVector(rows);
  EXPECT_EQ(descriptor.storage_type, 'i');
  EXPECT_EQ(descriptor.cardinality, 5);
  EXPECT_EQ(ReadRows("/unused", descriptor), rows);
}

TEST(DeletionVectorTest, FileRoundTripAndChecksum) {
  testing::TempDirectory directory;
  auto fs = io::LocalFileSystem();
  std::vector<uint64_t> rows;
  for (uint64_t i = 0; i < 6000; i += 2) rows.push_back(i);
  auto descriptor = WriteDeletionVectorFile(fs, directory.path(), rows, "xy");
  ASSERT_TRUE(descriptor.ok()) << descriptor.status().ToString();
  EXPECT_EQ(descriptor->storage_type, 'u');
  EXPECT_EQ(descriptor->path_or_inline_dv.substr(0, 2), "xy");
  EXPECT_EQ(descriptor->offset, 1);
  EXPECT_EQ(ReadRows(directory.path(), *descriptor), rows);

  auto no_prefix = WriteDeletionVectorFile(fs, directory.path(), rows);
  ASSERT_TRUE(no_prefix.ok());
  EXPECT_EQ(no_prefix->path_or_inline_dv.size(), 20u);
  EXPECT_EQ(ReadRows(directory.path(), *no_prefix), rows);

  // Damage one byte of the bitmap: the checksum catches it.
  auto path = DeletionVectorFilePath(directory.path(), *descriptor);
  ASSERT_TRUE(path.ok());
  std::string content;
  {
    auto buffer = fs->ReadFile(*path);
    ASSERT_TRUE(buffer.ok());
    content = std::string((*buffer)->view());
  }
  content[20] = static_cast<char>(content[20] ^ 0x40);
  ASSERT_TRUE(io::PublishFile(fs, *path, content, io::PublishMode::kReplace).ok());
  auto damaged = ReadDeletionVector(*fs, directory.path(), *descriptor);
  ASSERT_TRUE(damaged.status().IsCorruption());
  EXPECT_NE(damaged.status().message().find("checksum"), std::string::npos);

  // A descriptor whose size runs past the file.
  auto too_big = *no_prefix;
  too_big.size_in_bytes += 1000;
  EXPECT_TRUE(ReadDeletionVector(*fs, directory.path(), too_big).status().IsCorruption());
}

TEST(DeletionVectorTest, SeveralVectorsShareOneFile) {
  testing::TempDirectory directory;
  auto fs = io::LocalFileSystem();
  // An empty vector, a few rows (array container), a dense run (bitmap container) and rows
  // above 2^32 (a second bucket).
  std::vector<std::vector<uint64_t>> vectors(4);
  vectors[1] = {3, 17, 4096};
  for (uint64_t i = 0; i < 70000; i += 3) vectors[2].push_back(i);
  vectors[3] = {5, (uint64_t{1} << 32) + 9};
  auto descriptors = WriteDeletionVectorsFile(fs, directory.path(), vectors);
  ASSERT_TRUE(descriptors.ok()) << descriptors.status().ToString();
  ASSERT_EQ(descriptors->size(), vectors.size());
  int32_t expected_offset = 1;  // After the version byte.
  for (size_t i = 0; i < vectors.size(); ++i) {
    const DeletionVectorDescriptor& descriptor = (*descriptors)[i];
    EXPECT_EQ(descriptor.path_or_inline_dv, (*descriptors)[0].path_or_inline_dv);
    EXPECT_EQ(descriptor.offset, expected_offset);
    EXPECT_EQ(descriptor.cardinality, static_cast<int64_t>(vectors[i].size()));
    EXPECT_EQ(ReadRows(directory.path(), descriptor), vectors[i]) << "vector " << i;
    expected_offset += 4 + descriptor.size_in_bytes + 4;  // Size, bitmap, checksum.
  }
  auto path = DeletionVectorFilePath(directory.path(), (*descriptors)[0]);
  ASSERT_TRUE(path.ok());
  auto size = fs->GetFileInfo(*path);
  ASSERT_TRUE(size.ok());
  EXPECT_EQ(size->size, expected_offset);
}

}  // namespace
}  // namespace arcflow::delta
