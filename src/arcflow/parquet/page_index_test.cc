#include "arcflow/parquet/page_index.h"

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

TEST(PageIndexTest, RoundTripsOffsetIndex) {
  OffsetIndex index;
  for (int i = 0; i < 40; ++i) {
    index.page_locations.push_back(PageLocation{4 + i * 1000, 990, i * 100});
  }
  index.unencoded_byte_array_data_bytes = std::vector<int64_t>(40, 7);
  Result<OffsetIndex> decoded = DecodeOffsetIndex(Encoded(index), 0);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(*decoded, index);
}

TEST(PageIndexTest, RoundTripsColumnIndex) {
  ColumnIndex index;
  index.null_pages = {false, true, false};
  index.min_values = {"a", "", "m"};
  index.max_values = {"f", "", "z"};
  index.boundary_order = BoundaryOrder::kAscending;
  index.null_counts = std::vector<int64_t>{0, 10, 1};
  index.repetition_level_histograms = std::vector<int64_t>{1, 2, 3, 4, 5, 6};
  index.definition_level_histograms = std::vector<int64_t>{6, 5, 4, 3, 2, 1};
  index.nan_counts = std::vector<int64_t>{0, 0, 0};
  Result<ColumnIndex> decoded = DecodeColumnIndex(Encoded(index), 0);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(*decoded, index);
  EXPECT_EQ(BoundaryOrderName(decoded->boundary_order), "ASCENDING");
}

TEST(PageIndexTest, RejectsMissingRequiredFields) {
  // ColumnIndex with null_pages only.
  Bytes bytes = {0x19, 0x11, 0x01, 0x00};
  Result<ColumnIndex> decoded = DecodeColumnIndex(bytes, 100);
  ASSERT_TRUE(decoded.status().IsCorruption());
  EXPECT_NE(decoded.status().message().find("min_values"), std::string::npos);
  // PageLocation without first_row_index.
  Bytes location = {0x19, 0x1C, 0x16, 0x08, 0x15, 0x10, 0x00, 0x00};
  EXPECT_TRUE(DecodeOffsetIndex(location, 0).status().IsCorruption());
}

}  // namespace
}  // namespace arcflow::parquet
