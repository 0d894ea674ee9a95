#include "arcflow/parquet/thrift_compact_writer.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace arcflow::parquet {
namespace {

using Bytes = std::vector<uint8_t>;

Bytes Contents(const BufferBuilder& builder) {
  return Bytes(builder.data(), builder.data() + builder.size());
}

TEST(ThriftCompactWriterTest, WritesZigZagVarints) {
  BufferBuilder builder;
  ThriftCompactWriter writer(&builder);
  writer.WriteI32(0);
  writer.WriteI32(-1);
  writer.WriteI32(1);
  writer.WriteI64(150);
  writer.WriteI16(-64);
  EXPECT_EQ(Contents(builder), (Bytes{0x00, 0x01, 0x02, 0xAC, 0x02, 0x7F}));
}

TEST(ThriftCompactWriterTest, WritesShortAndLongFieldHeaders) {
  BufferBuilder builder;
  ThriftCompactWriter writer(&builder);
  writer.BeginStruct();
  writer.WriteField(1, int32_t{1});   // delta 1: one byte
  writer.WriteField(16, int32_t{2});  // delta 15: still one byte
  writer.WriteField(40, int32_t{3});  // delta 24: long form
  writer.WriteField(39, true);        // going backwards: long form
  writer.EndStruct();
  EXPECT_EQ(Contents(builder), (Bytes{0x15, 0x02, 0xF5, 0x04, 0x05, 0x50, 0x06, 0x01, 0x4E, 0x00}));
}

TEST(ThriftCompactWriterTest, RestoresFieldIdsAfterNestedStructs) {
  BufferBuilder builder;
  ThriftCompactWriter writer(&builder);
  writer.BeginStruct();
  writer.WriteFieldHeader(3, ThriftWireType::kStruct);
  writer.BeginStruct();
  writer.WriteField(1, false);
  writer.EndStruct();
  writer.WriteField(4, int8_t{-1});
  writer.EndStruct();
  // Field 4 follows field 3 of the outer struct: delta 1.
  EXPECT_EQ(Contents(builder), (Bytes{0x3C, 0x12, 0x00, 0x13, 0xFF, 0x00}));
}

TEST(ThriftCompactWriterTest, WritesListHeadersAndBoolElements) {
  BufferBuilder builder;
  ThriftCompactWriter writer(&builder);
  writer.WriteElement(std::vector<bool>{true, false});
  writer.WriteListHeader(ThriftWireType::kI64, 15);
  EXPECT_EQ(Contents(builder), (Bytes{0x21, 0x01, 0x02, 0xF6, 0x0F}));
}

TEST(ThriftCompactWriterTest, WritesMapHeaders) {
  BufferBuilder builder;
  ThriftCompactWriter writer(&builder);
  writer.WriteMapHeader(ThriftWireType::kBinary, ThriftWireType::kI32, 0);
  writer.WriteMapHeader(ThriftWireType::kBinary, ThriftWireType::kI32, 2);
  EXPECT_EQ(Contents(builder), (Bytes{0x00, 0x02, 0x85}));
}

TEST(ThriftCompactWriterTest, WritesDoublesAndBinary) {
  BufferBuilder builder;
  ThriftCompactWriter writer(&builder);
  writer.WriteDouble(1.5);
  writer.WriteBinary("hi");
  EXPECT_EQ(Contents(builder), (Bytes{0, 0, 0, 0, 0, 0, 0xF8, 0x3F, 0x02, 'h', 'i'}));
}

TEST(ThriftCompactWriterTest, ReaderReadsWhatWriterWrote) {
  BufferBuilder builder;
  ThriftCompactWriter writer(&builder);
  writer.WriteListHeader(ThriftWireType::kBinary, 300);
  for (int i = 0; i < 300; ++i) writer.WriteBinary(std::to_string(i));
  ThriftCompactReader reader(std::span<const uint8_t>(builder.data(), builder.size()));
  auto header = reader.ReadListHeader();
  ASSERT_TRUE(header.ok());
  EXPECT_EQ(header->size, 300);
  EXPECT_EQ(header->element_type, ThriftWireType::kBinary);
  for (int i = 0; i < 300; ++i) EXPECT_EQ(*reader.ReadBinary(), std::to_string(i));
  EXPECT_EQ(reader.remaining(), 0);
}

}  // namespace
}  // namespace arcflow::parquet
