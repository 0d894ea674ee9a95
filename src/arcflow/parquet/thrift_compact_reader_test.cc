#include "arcflow/parquet/thrift_compact_reader.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "arcflow/parquet/thrift_compact_writer.h"

namespace arcflow::parquet {
namespace {

using Bytes = std::vector<uint8_t>;

// A small struct with a field of every kind, to drive the generic ReadField/WriteField code.
struct Sample {
  bool flag = false;                 // field 1
  int8_t tiny = 0;                   // field 2
  int16_t small = 0;                 // field 3
  int32_t medium = 0;                // field 4
  int64_t large = 0;                 // field 5
  double real = 0;                   // field 6
  std::string text;                  // field 7
  std::vector<int32_t> numbers;      // field 8
  std::vector<bool> flags;           // field 9
  std::optional<std::string> maybe;  // field 10
  std::vector<std::string> words;    // field 30: needs the long field-header form

  bool operator==(const Sample&) const = default;
};

Status Decode(ThriftCompactReader& reader, Sample* out) {
  bool has_medium = false;
  ARCFLOW_RETURN_NOT_OK(
      reader.ReadStruct([&](const ThriftCompactReader::FieldHeader& field) -> Status {
        switch (field.id) {
          case 1:
            return reader.ReadField(field, &out->flag);
          case 2:
            return reader.ReadField(field, &out->tiny);
          case 3:
            return reader.ReadField(field, &out->small);
          case 4:
            return reader.ReadField(field, &out->medium, &has_medium);
          case 5:
            return reader.ReadField(field, &out->large);
          case 6:
            return reader.ReadField(field, &out->real);
          case 7:
            return reader.ReadField(field, &out->text);
          case 8:
            return reader.ReadField(field, &out->numbers);
          case 9:
            return reader.ReadField(field, &out->flags);
          case 10:
            return reader.ReadField(field, &out->maybe);
          case 30:
            return reader.ReadField(field, &out->words);
          default:
            return reader.Skip(field.type);
        }
      }));
  return reader.CheckRequired(has_medium, "Sample", "medium");
}

void Encode(const Sample& value, ThriftCompactWriter& writer) {
  writer.BeginStruct();
  writer.WriteField(1, value.flag);
  writer.WriteField(2, value.tiny);
  writer.WriteField(3, value.small);
  writer.WriteField(4, value.medium);
  writer.WriteField(5, value.large);
  writer.WriteField(6, value.real);
  writer.WriteField(7, value.text);
  writer.WriteField(8, value.numbers);
  writer.WriteField(9, value.flags);
  writer.WriteField(10, value.maybe);
  writer.WriteField(30, value.words);
  writer.EndStruct();
}

Bytes Serialize(const Sample& sample) {
  BufferBuilder builder;
  EncodeThriftMessage(sample, &builder);
  return Bytes(builder.data(), builder.data() + builder.size());
}

TEST(ThriftCompactReaderTest, ReadsZigZagVarints) {
  // 0 -> 0, -1 -> 1, 1 -> 2, -2 -> 3, 150 -> 300 (0xAC 0x02).
  Bytes bytes = {0x00, 0x01, 0x02, 0x03, 0xAC, 0x02};
  ThriftCompactReader reader(bytes);
  EXPECT_EQ(*reader.ReadI32(), 0);
  EXPECT_EQ(*reader.ReadI32(), -1);
  EXPECT_EQ(*reader.ReadI32(), 1);
  EXPECT_EQ(*reader.ReadI32(), -2);
  EXPECT_EQ(*reader.ReadI32(), 150);
  EXPECT_EQ(reader.remaining(), 0);
}

TEST(ThriftCompactReaderTest, ReadsExtremeIntegers) {
  BufferBuilder builder;
  ThriftCompactWriter writer(&builder);
  writer.WriteI64(std::numeric_limits<int64_t>::min());
  writer.WriteI64(std::numeric_limits<int64_t>::max());
  writer.WriteI32(std::numeric_limits<int32_t>::min());
  writer.WriteI16(std::numeric_limits<int16_t>::max());
  ThriftCompactReader reader(std::span<const uint8_t>(builder.data(), builder.size()));
  EXPECT_EQ(*reader.ReadI64(), std::numeric_limits<int64_t>::min());
  EXPECT_EQ(*reader.ReadI64(), std::numeric_limits<int64_t>::max());
  EXPECT_EQ(*reader.ReadI32(), std::numeric_limits<int32_t>::min());
  EXPECT_EQ(*reader.ReadI16(), std::numeric_limits<int16_t>::max());
}

TEST(ThriftCompactReaderTest, RejectsOutOfRangeAndOverlongVarints) {
  // Zigzag 2^32 decodes to 2^31, which is not an i32.
  Bytes too_big = {0x80, 0x80, 0x80, 0x80, 0x10};
  EXPECT_TRUE(ThriftCompactReader(too_big).ReadI32().status().IsCorruption());
  Bytes overlong = {0x80, 0x80, 0x80, 0x80, 0x80, 0x01};
  EXPECT_TRUE(ThriftCompactReader(overlong).ReadI32().status().IsCorruption());
  Bytes overlong64(11, 0x80);
  EXPECT_TRUE(ThriftCompactReader(overlong64).ReadI64().status().IsCorruption());
  Bytes truncated = {0x80, 0x80};
  Status status = ThriftCompactReader(truncated, 1000).ReadI64().status();
  EXPECT_TRUE(status.IsCorruption());
  EXPECT_NE(status.message().find("offset=1002"), std::string::npos) << status.ToString();
}

TEST(ThriftCompactReaderTest, ReadsLittleEndianDoubles) {
  // 1.5 is 0x3FF8000000000000.
  Bytes bytes = {0, 0, 0, 0, 0, 0, 0xF8, 0x3F};
  ThriftCompactReader reader(bytes);
  EXPECT_EQ(*reader.ReadDouble(), 1.5);
  EXPECT_TRUE(ThriftCompactReader(std::span(bytes).first(7)).ReadDouble().status().IsCorruption());
}

TEST(ThriftCompactReaderTest, ReadsBinaryAndRejectsOverlongLength) {
  Bytes bytes = {0x03, 'a', 'b', 'c'};
  EXPECT_EQ(*ThriftCompactReader(bytes).ReadBinary(), "abc");
  Bytes lying = {0x04, 'a', 'b', 'c'};
  EXPECT_TRUE(ThriftCompactReader(lying).ReadBinary().status().IsCorruption());
  // A length of 2^31 + change must not be trusted for an allocation.
  Bytes huge = {0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 'x'};
  EXPECT_TRUE(ThriftCompactReader(huge).ReadBinary().status().IsCorruption());
}

TEST(ThriftCompactReaderTest, DecodesShortAndLongFieldHeaders) {
  // Field 1 (i32, delta 1), field 20 (long form: type byte then zigzag id 40), field 21
  // (delta 1 from 20, bool true), then STOP.
  Bytes bytes = {0x15, 0x02, 0x05, 0x28, 0x04, 0x11, 0x00};
  ThriftCompactReader reader(bytes);
  ASSERT_TRUE(reader.BeginStruct().ok());
  auto first = *reader.ReadFieldHeader();
  EXPECT_EQ(first.id, 1);
  EXPECT_EQ(first.type, ThriftWireType::kI32);
  EXPECT_EQ(*reader.ReadI32(), 1);
  auto second = *reader.ReadFieldHeader();
  EXPECT_EQ(second.id, 20);
  EXPECT_EQ(second.type, ThriftWireType::kI32);
  EXPECT_EQ(*reader.ReadI32(), 2);
  auto third = *reader.ReadFieldHeader();
  EXPECT_EQ(third.id, 21);
  EXPECT_EQ(third.type, ThriftWireType::kBoolTrue);
  EXPECT_EQ(reader.ReadFieldHeader()->type, ThriftWireType::kStop);
  EXPECT_TRUE(reader.EndStruct().ok());
}

TEST(ThriftCompactReaderTest, RejectsInvalidFieldTypeAndMissingStop) {
  Bytes bad_type = {0x1E};
  ThriftCompactReader reader(bad_type);
  EXPECT_TRUE(reader.ReadFieldHeader().status().IsCorruption());
  Bytes no_stop = {0x15, 0x02};
  Sample sample;
  ThriftCompactReader reader2(no_stop);
  EXPECT_TRUE(reader2.ReadElement(&sample).IsCorruption());
}

TEST(ThriftCompactReaderTest, RoundTripsEveryFieldKind) {
  Sample sample;
  sample.flag = true;
  sample.tiny = -7;
  sample.small = -300;
  sample.medium = 123456;
  sample.large = -9876543210;
  sample.real = -2.25;
  sample.text = std::string("with\0nul", 8);
  sample.numbers = {1, -1, 1000000, std::numeric_limits<int32_t>::min()};
  sample.flags = {true, false, true};
  sample.maybe = "present";
  for (int i = 0; i < 20; ++i) sample.words.push_back("w" + std::to_string(i));
  Bytes bytes = Serialize(sample);
  int64_t consumed = 0;
  Result<Sample> decoded = DecodeThriftMessage<Sample>(bytes, 0, &consumed);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(*decoded, sample);
  EXPECT_EQ(consumed, static_cast<int64_t>(bytes.size()));
}

TEST(ThriftCompactReaderTest, ReportsMissingRequiredField) {
  // An empty struct: just STOP.
  Bytes bytes = {0x00};
  Result<Sample> decoded = DecodeThriftMessage<Sample>(bytes);
  ASSERT_TRUE(decoded.status().IsCorruption());
  EXPECT_NE(decoded.status().message().find("'medium'"), std::string::npos);
}

TEST(ThriftCompactReaderTest, SkipsUnknownFieldsOfEveryType) {
  BufferBuilder builder;
  ThriftCompactWriter writer(&builder);
  writer.BeginStruct();
  writer.WriteField(1, true);
  writer.WriteField(4, int32_t{42});
  // Unknown fields with ids Sample does not use, of every wire type.
  writer.WriteField(11, true);
  writer.WriteField(12, int8_t{1});
  writer.WriteField(13, int16_t{-2});
  writer.WriteField(14, int32_t{3});
  writer.WriteField(15, int64_t{-4});
  writer.WriteField(16, 5.0);
  writer.WriteField(17, std::string("unknown"));
  writer.WriteField(18, std::vector<std::vector<int64_t>>{{1, 2}, {}, {3}});
  writer.WriteField(19, std::vector<bool>{true, false});
  writer.WriteFieldHeader(20, ThriftWireType::kSet);
  writer.WriteListHeader(ThriftWireType::kBinary, 2);
  writer.WriteBinary("a");
  writer.WriteBinary("b");
  writer.WriteFieldHeader(21, ThriftWireType::kMap);
  writer.WriteMapHeader(ThriftWireType::kBinary, ThriftWireType::kStruct, 1);
  writer.WriteBinary("key");
  writer.BeginStruct();
  writer.WriteField(1, std::string("nested"));
  writer.WriteField(2, false);
  writer.EndStruct();
  writer.WriteFieldHeader(22, ThriftWireType::kMap);
  writer.WriteMapHeader(ThriftWireType::kI32, ThriftWireType::kI32, 0);
  writer.WriteFieldHeader(23, ThriftWireType::kUuid);
  builder.AppendZeros(16);
  writer.WriteField(30, std::vector<std::string>{"after"});
  writer.WriteFieldHeader(500, ThriftWireType::kStruct);
  writer.BeginStruct();
  writer.WriteFieldHeader(1, ThriftWireType::kStruct);
  writer.BeginStruct();
  writer.WriteField(7, 1.0);
  writer.EndStruct();
  writer.EndStruct();
  writer.WriteField(501, std::vector<std::string>{"after"});
  writer.EndStruct();
  Bytes bytes(builder.data(), builder.data() + builder.size());
  Result<Sample> decoded = DecodeThriftMessage<Sample>(bytes);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  // The known fields on both sides of the unknown ones were read, so the reader stayed in
  // step while skipping.
  EXPECT_TRUE(decoded->flag);
  EXPECT_EQ(decoded->medium, 42);
  EXPECT_EQ(decoded->words, std::vector<std::string>{"after"});
  EXPECT_TRUE(decoded->text.empty());
}

TEST(ThriftCompactReaderTest, SkipsFieldWithUnexpectedWireType) {
  BufferBuilder builder;
  ThriftCompactWriter writer(&builder);
  writer.BeginStruct();
  writer.WriteField(4, int32_t{9});
  // Field 7 should be binary; as an i64 it is skipped, as generated Thrift code does.
  writer.WriteField(7, int64_t{77});
  writer.EndStruct();
  Bytes bytes(builder.data(), builder.data() + builder.size());
  Result<Sample> decoded = DecodeThriftMessage<Sample>(bytes);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(decoded->medium, 9);
  EXPECT_TRUE(decoded->text.empty());
}

TEST(ThriftCompactReaderTest, RejectsListElementTypeMismatch) {
  BufferBuilder builder;
  ThriftCompactWriter writer(&builder);
  writer.BeginStruct();
  writer.WriteField(4, int32_t{9});
  writer.WriteFieldHeader(8, ThriftWireType::kList);
  writer.WriteListHeader(ThriftWireType::kBinary, 1);
  writer.WriteBinary("x");
  writer.EndStruct();
  Bytes bytes(builder.data(), builder.data() + builder.size());
  EXPECT_TRUE(DecodeThriftMessage<Sample>(bytes).status().IsCorruption());
}

TEST(ThriftCompactReaderTest, ChecksListSizeAgainstRemainingBytes) {
  // A list header claiming 2^31-1 i32 elements with 2 bytes left must fail before allocating.
  Bytes bytes = {0xF5, 0xFF, 0xFF, 0xFF, 0xFF, 0x07, 0x02, 0x04};
  ThriftCompactReader reader(bytes);
  EXPECT_TRUE(reader.ReadListHeader().status().IsCorruption());
  // Doubles take 8 bytes each: 2 doubles cannot fit in 15 bytes.
  Bytes doubles(16, 0);
  doubles[0] = 0x27;
  EXPECT_TRUE(ThriftCompactReader(doubles).ReadListHeader().status().IsCorruption());
  doubles.push_back(0);
  EXPECT_TRUE(ThriftCompactReader(doubles).ReadListHeader().ok());
  // Over 2^31 elements is out of range whatever remains.
  Bytes too_many = {0xF5, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F};
  EXPECT_TRUE(ThriftCompactReader(too_many).ReadListHeader().status().IsCorruption());
}

TEST(ThriftCompactReaderTest, ChecksMapSizeAgainstRemainingBytes) {
  Bytes bytes = {0x05, 0x55, 0x02, 0x02};
  EXPECT_TRUE(ThriftCompactReader(bytes).ReadMapHeader().status().IsCorruption());
  Bytes fits = {0x01, 0x55, 0x02, 0x02};
  auto header = ThriftCompactReader(fits).ReadMapHeader();
  ASSERT_TRUE(header.ok());
  EXPECT_EQ(header->size, 1);
  EXPECT_EQ(header->key_type, ThriftWireType::kI32);
}

TEST(ThriftCompactReaderTest, LimitsNestingDepth) {
  // Struct fields nested 100 deep: field 1 of type struct, repeated.
  Bytes deep;
  for (int i = 0; i < 100; ++i) deep.push_back(0x1C);
  for (int i = 0; i < 101; ++i) deep.push_back(0x00);
  ThriftCompactReader reader(deep);
  Status status = reader.Skip(ThriftWireType::kStruct);
  EXPECT_TRUE(status.IsCorruption());
  EXPECT_NE(status.message().find("nest deeper"), std::string::npos);

  // Lists of lists nest too.
  Bytes lists;
  for (int i = 0; i < 100; ++i) lists.push_back(0x19);
  lists.push_back(0x09);
  EXPECT_TRUE(ThriftCompactReader(lists).Skip(ThriftWireType::kList).IsCorruption());

  // Within the limit it works.
  Bytes shallow;
  for (int i = 0; i < 10; ++i) shallow.push_back(0x1C);
  for (int i = 0; i < 11; ++i) shallow.push_back(0x00);
  ThriftCompactReader ok_reader(shallow);
  EXPECT_TRUE(ok_reader.Skip(ThriftWireType::kStruct).ok());
  EXPECT_EQ(ok_reader.remaining(), 0);
}

// A struct far larger than its one-byte encoding, as ColumnChunk is in real metadata.
struct Bulky {
  char padding[4096] = {};
};

Status Decode(ThriftCompactReader& reader, Bulky*) {
  return reader.ReadStruct(
      [&](const ThriftCompactReader::FieldHeader& field) { return reader.Skip(field.type); });
}

TEST(ThriftCompactReaderTest, LimitsMemoryOfDecodedLists) {
  auto list_of_empty_structs = [](int count) {
    BufferBuilder builder;
    ThriftCompactWriter writer(&builder);
    writer.WriteListHeader(ThriftWireType::kStruct, count);
    for (int i = 0; i < count; ++i) builder.AppendValue(uint8_t{0});
    return Bytes(builder.data(), builder.data() + builder.size());
  };
  // 10,000 bytes of input would decode into 40 MB.
  Bytes hostile = list_of_empty_structs(10000);
  std::vector<Bulky> decoded;
  ThriftCompactReader reader(hostile);
  Status status = reader.ReadElement(&decoded);
  ASSERT_TRUE(status.IsCorruption()) << status.ToString();
  EXPECT_NE(status.message().find("times its"), std::string::npos) << status.ToString();

  Bytes modest = list_of_empty_structs(1000);
  ThriftCompactReader modest_reader(modest);
  ASSERT_TRUE(modest_reader.ReadElement(&decoded).ok());
  EXPECT_EQ(decoded.size(), 1000u);
  EXPECT_EQ(modest_reader.memory_used(), 1000 * int64_t{sizeof(Bulky)});
}

TEST(ThriftCompactReaderTest, RejectsFieldIdOverflow) {
  // Long-form field 32767, then a delta of 1 would make 32768.
  Bytes bytes = {0x05, 0xFE, 0xFF, 0x03, 0x00, 0x15};
  ThriftCompactReader reader(bytes);
  ASSERT_TRUE(reader.BeginStruct().ok());
  auto field = reader.ReadFieldHeader();
  ASSERT_TRUE(field.ok());
  EXPECT_EQ(field->id, 32767);
  ASSERT_TRUE(reader.ReadI32().ok());
  EXPECT_TRUE(reader.ReadFieldHeader().status().IsCorruption());
}

TEST(ThriftCompactReaderTest, TruncationsNeverReadOutOfBounds) {
  Sample sample;
  sample.medium = 5;
  sample.text = "hello";
  sample.numbers = {1, 2, 3};
  sample.maybe = "x";
  sample.words = {"a", "b"};
  Bytes bytes = Serialize(sample);
  for (size_t length = 0; length < bytes.size(); ++length) {
    // A copy of exactly `length` bytes, so the sanitizers see any read past it.
    Bytes prefix(bytes.begin(), bytes.begin() + length);
    EXPECT_TRUE(DecodeThriftMessage<Sample>(prefix).status().IsCorruption()) << length;
  }
}

}  // namespace
}  // namespace arcflow::parquet
