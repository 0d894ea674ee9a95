#include "arcflow/parquet/statistics.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "arcflow/parquet/thrift_compact_reader.h"
#include "arcflow/parquet/thrift_compact_writer.h"

namespace arcflow::parquet {
namespace {

using Bytes = std::vector<uint8_t>;

template <typename T>
Bytes Encoded(const T& value) {
  BufferBuilder builder;
  EncodeThriftMessage(value, &builder);
  return Bytes(builder.data(), builder.data() + builder.size());
}

TEST(StatisticsTest, RoundTripsEveryField) {
  Statistics statistics;
  statistics.max = "\xff";
  statistics.min = std::string("\0", 1);
  statistics.null_count = 0;
  statistics.distinct_count = 12;
  statistics.max_value = "Kf";
  statistics.min_value = "Al";
  statistics.is_max_value_exact = false;
  statistics.is_min_value_exact = true;
  statistics.nan_count = 4;
  Result<Statistics> decoded = DecodeThriftMessage<Statistics>(Encoded(statistics));
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(*decoded, statistics);
}

TEST(StatisticsTest, DistinguishesAbsentFromZeroNullCount) {
  Statistics absent;
  Result<Statistics> decoded = DecodeThriftMessage<Statistics>(Encoded(absent));
  ASSERT_TRUE(decoded.ok());
  EXPECT_FALSE(decoded->null_count.has_value());
  EXPECT_EQ(Encoded(absent), Bytes{0x00});
}

TEST(StatisticsTest, DecodesFieldsByTheirSpecIds) {
  // null_count (field 3) = 7, then is_min_value_exact (field 8) = true.
  Bytes bytes = {0x36, 0x0E, 0x51, 0x00};
  Result<Statistics> decoded = DecodeThriftMessage<Statistics>(bytes);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(decoded->null_count, 7);
  EXPECT_EQ(decoded->is_min_value_exact, true);
  EXPECT_FALSE(decoded->is_max_value_exact.has_value());
}

TEST(StatisticsTest, RoundTripsSizeAndGeospatialStatistics) {
  SizeStatistics size;
  size.unencoded_byte_array_data_bytes = 123;
  size.repetition_level_histogram = std::vector<int64_t>{5, 0, 9};
  size.definition_level_histogram = std::vector<int64_t>{};
  Result<SizeStatistics> decoded_size = DecodeThriftMessage<SizeStatistics>(Encoded(size));
  ASSERT_TRUE(decoded_size.ok()) << decoded_size.status().ToString();
  EXPECT_EQ(*decoded_size, size);

  GeospatialStatistics geo;
  BoundingBox box;
  box.xmin = 1;
  box.xmax = 2;
  box.ymin = 3;
  box.ymax = 4;
  box.zmax = 5;
  box.mmin = -6;
  geo.bbox = box;
  geo.geospatial_types = std::vector<int32_t>{};
  Result<GeospatialStatistics> decoded_geo =
      DecodeThriftMessage<GeospatialStatistics>(Encoded(geo));
  ASSERT_TRUE(decoded_geo.ok()) << decoded_geo.status().ToString();
  EXPECT_EQ(*decoded_geo, geo);
}

TEST(StatisticsTest, RejectsBoundingBoxWithoutRequiredFields) {
  // BoundingBox{1: xmin=0.0} only.
  Bytes bytes = {0x17, 0, 0, 0, 0, 0, 0, 0, 0, 0x00};
  Result<BoundingBox> decoded = DecodeThriftMessage<BoundingBox>(bytes);
  ASSERT_TRUE(decoded.status().IsCorruption());
  EXPECT_NE(decoded.status().message().find("xmax"), std::string::npos);
}

}  // namespace
}  // namespace arcflow::parquet
