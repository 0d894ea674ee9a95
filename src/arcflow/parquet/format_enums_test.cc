#include "arcflow/parquet/format_enums.h"

#include <gtest/gtest.h>

namespace arcflow::parquet {
namespace {

TEST(FormatEnumsTest, NamesMatchTheSpec) {
  EXPECT_EQ(PhysicalTypeName(PhysicalType::kFixedLenByteArray), "FIXED_LEN_BYTE_ARRAY");
  EXPECT_EQ(ConvertedTypeName(ConvertedType::kTimestampMicros), "TIMESTAMP_MICROS");
  EXPECT_EQ(ConvertedTypeName(ConvertedType::kUint8), "UINT_8");
  EXPECT_EQ(RepetitionName(FieldRepetitionType::kRepeated), "REPEATED");
  EXPECT_EQ(EncodingName(Encoding::kRleDictionary), "RLE_DICTIONARY");
  EXPECT_EQ(EncodingName(Encoding::kByteStreamSplit), "BYTE_STREAM_SPLIT");
  EXPECT_EQ(CodecName(CompressionCodec::kLz4Raw), "LZ4_RAW");
  EXPECT_EQ(PageTypeName(PageType::kDataPageV2), "DATA_PAGE_V2");
  EXPECT_EQ(BoundaryOrderName(BoundaryOrder::kDescending), "DESCENDING");
  EXPECT_EQ(EdgeInterpolationAlgorithmName(EdgeInterpolationAlgorithm::kAndoyer), "ANDOYER");
}

TEST(FormatEnumsTest, ValuesMatchTheSpec) {
  EXPECT_EQ(static_cast<int>(Encoding::kPlainDictionary), 2);
  EXPECT_EQ(static_cast<int>(Encoding::kByteStreamSplit), 9);
  EXPECT_EQ(static_cast<int>(CompressionCodec::kZstd), 6);
  EXPECT_EQ(static_cast<int>(ConvertedType::kInterval), 21);
  EXPECT_EQ(static_cast<int>(PageType::kDictionaryPage), 2);
}

TEST(FormatEnumsTest, FlagsValuesOutsideTheEnumerators) {
  EXPECT_TRUE(IsKnownEncoding(Encoding::kPlain));
  // 1 was GROUP_VAR_INT, never used and not an encoding.
  EXPECT_FALSE(IsKnownEncoding(static_cast<Encoding>(1)));
  EXPECT_FALSE(IsKnownEncoding(static_cast<Encoding>(10)));
  EXPECT_EQ(EncodingName(static_cast<Encoding>(-3)), "UNKNOWN");
  EXPECT_TRUE(IsKnownCodec(CompressionCodec::kLz4Raw));
  EXPECT_FALSE(IsKnownCodec(static_cast<CompressionCodec>(8)));
  EXPECT_FALSE(IsKnownPhysicalType(static_cast<PhysicalType>(8)));
  EXPECT_FALSE(IsKnownPhysicalType(static_cast<PhysicalType>(-1)));
  EXPECT_TRUE(IsKnownConvertedType(ConvertedType::kInterval));
  EXPECT_FALSE(IsKnownConvertedType(static_cast<ConvertedType>(22)));
  EXPECT_TRUE(IsKnownRepetition(FieldRepetitionType::kVector));
  EXPECT_FALSE(IsKnownRepetition(static_cast<FieldRepetitionType>(4)));
  EXPECT_FALSE(IsKnownPageType(static_cast<PageType>(4)));
  EXPECT_FALSE(IsKnownBoundaryOrder(static_cast<BoundaryOrder>(3)));
}

}  // namespace
}  // namespace arcflow::parquet
