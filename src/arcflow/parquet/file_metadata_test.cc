#include "arcflow/parquet/file_metadata.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "arcflow/parquet/thrift_compact_reader.h"
#include "arcflow/parquet/thrift_compact_writer.h"

namespace arcflow::parquet {
namespace {

using Bytes = std::vector<uint8_t>;

SchemaElement Leaf(std::string name, PhysicalType type, FieldRepetitionType repetition) {
  SchemaElement element;
  element.name = std::move(name);
  element.type = type;
  element.repetition_type = repetition;
  return element;
}

SchemaElement Group(std::string name, int32_t num_children,
                    std::optional<FieldRepetitionType> repetition) {
  SchemaElement element;
  element.name = std::move(name);
  element.num_children = num_children;
  element.repetition_type = repetition;
  return element;
}

SchemaElement WithLogical(SchemaElement element, LogicalType logical_type) {
  element.logical_type = std::move(logical_type);
  return element;
}

// A schema using nesting and every logical type the format defines for leaves.
std::vector<SchemaElement> FullSchema() {
  using R = FieldRepetitionType;
  std::vector<SchemaElement> schema;
  schema.push_back(Group("root", 19, std::nullopt));

  SchemaElement id = WithLogical(Leaf("id", PhysicalType::kInt64, R::kRequired), IntType{64, true});
  id.converted_type = ConvertedType::kInt64;
  id.field_id = 1;
  schema.push_back(id);

  SchemaElement name =
      WithLogical(Leaf("name", PhysicalType::kByteArray, R::kOptional), StringType{});
  name.converted_type = ConvertedType::kUtf8;
  schema.push_back(name);

  SchemaElement tags = WithLogical(Group("tags", 1, R::kOptional), ListType{});
  tags.converted_type = ConvertedType::kList;
  schema.push_back(tags);
  schema.push_back(Group("list", 1, R::kRepeated));
  schema.push_back(
      WithLogical(Leaf("element", PhysicalType::kByteArray, R::kOptional), EnumType{}));

  SchemaElement props = WithLogical(Group("props", 1, R::kOptional), MapType{});
  props.converted_type = ConvertedType::kMap;
  schema.push_back(props);
  SchemaElement key_value = Group("key_value", 2, R::kRepeated);
  key_value.converted_type = ConvertedType::kMapKeyValue;
  schema.push_back(key_value);
  schema.push_back(WithLogical(Leaf("key", PhysicalType::kByteArray, R::kRequired), JsonType{}));
  schema.push_back(WithLogical(Leaf("value", PhysicalType::kByteArray, R::kOptional), BsonType{}));

  SchemaElement amount = WithLogical(Leaf("amount", PhysicalType::kFixedLenByteArray, R::kOptional),
                                     DecimalType{2, 38});
  amount.type_length = 16;
  amount.converted_type = ConvertedType::kDecimal;
  amount.scale = 2;
  amount.precision = 38;
  schema.push_back(amount);

  schema.push_back(WithLogical(Leaf("day", PhysicalType::kInt32, R::kOptional), DateType{}));
  schema.push_back(WithLogical(Leaf("t_ms", PhysicalType::kInt32, R::kOptional),
                               TimeType{true, TimeUnit::kMillis}));
  schema.push_back(WithLogical(Leaf("t_us", PhysicalType::kInt64, R::kOptional),
                               TimeType{false, TimeUnit::kMicros}));
  schema.push_back(WithLogical(Leaf("t_ns", PhysicalType::kInt64, R::kOptional),
                               TimeType{false, TimeUnit::kNanos}));
  schema.push_back(WithLogical(Leaf("ts_ms", PhysicalType::kInt64, R::kOptional),
                               TimestampType{true, TimeUnit::kMillis}));
  schema.push_back(WithLogical(Leaf("ts_us", PhysicalType::kInt64, R::kOptional),
                               TimestampType{false, TimeUnit::kMicros}));
  schema.push_back(WithLogical(Leaf("ts_ns", PhysicalType::kInt64, R::kOptional),
                               TimestampType{true, TimeUnit::kNanos}));
  schema.push_back(
      WithLogical(Leaf("small", PhysicalType::kInt32, R::kOptional), IntType{8, false}));
  schema.push_back(WithLogical(Leaf("nothing", PhysicalType::kInt32, R::kOptional), NullType{}));

  SchemaElement uid =
      WithLogical(Leaf("uid", PhysicalType::kFixedLenByteArray, R::kOptional), UuidType{});
  uid.type_length = 16;
  schema.push_back(uid);
  SchemaElement half =
      WithLogical(Leaf("half", PhysicalType::kFixedLenByteArray, R::kOptional), Float16Type{});
  half.type_length = 2;
  schema.push_back(half);

  VariantType variant;
  variant.specification_version = 1;
  schema.push_back(WithLogical(Group("var", 2, R::kOptional), variant));
  schema.push_back(Leaf("metadata", PhysicalType::kByteArray, R::kRequired));
  schema.push_back(Leaf("value", PhysicalType::kByteArray, R::kRequired));

  GeometryType geometry;
  geometry.crs = "OGC:CRS84";
  schema.push_back(WithLogical(Leaf("geom", PhysicalType::kByteArray, R::kOptional), geometry));
  GeographyType geography;
  geography.crs = "srid:4326";
  geography.algorithm = EdgeInterpolationAlgorithm::kKarney;
  schema.push_back(WithLogical(Leaf("geog", PhysicalType::kByteArray, R::kOptional), geography));
  return schema;
}

Statistics FullStatistics() {
  Statistics statistics;
  statistics.max = std::string("\x7f\x00\x00\x01", 4);
  statistics.min = std::string("\x00\x00\x00\x80", 4);
  statistics.null_count = 3;
  statistics.distinct_count = 17;
  statistics.max_value = "zebra";
  statistics.min_value = "aardvark";
  statistics.is_max_value_exact = true;
  statistics.is_min_value_exact = false;
  statistics.nan_count = 0;
  return statistics;
}

ColumnChunk FullColumnChunk(int64_t offset) {
  ColumnMetaData meta;
  meta.type = PhysicalType::kByteArray;
  meta.encodings = {Encoding::kPlain, Encoding::kRle, Encoding::kRleDictionary};
  meta.path_in_schema = {"props", "key_value", "key"};
  meta.codec = CompressionCodec::kZstd;
  meta.num_values = 1000;
  meta.total_uncompressed_size = 40000;
  meta.total_compressed_size = 12345;
  meta.key_value_metadata = std::vector<KeyValue>{{"chunk", "meta"}, {"no value", std::nullopt}};
  meta.data_page_offset = offset + 100;
  meta.index_page_offset = offset + 50;
  meta.dictionary_page_offset = offset;
  meta.statistics = FullStatistics();
  meta.encoding_stats =
      std::vector<PageEncodingStats>{{PageType::kDictionaryPage, Encoding::kPlain, 1},
                                     {PageType::kDataPage, Encoding::kRleDictionary, 7}};
  meta.bloom_filter_offset = offset + 20000;
  meta.bloom_filter_length = 1024;
  SizeStatistics size;
  size.unencoded_byte_array_data_bytes = 99999;
  size.repetition_level_histogram = std::vector<int64_t>{10, 20};
  size.definition_level_histogram = std::vector<int64_t>{1, 2, 3};
  meta.size_statistics = size;
  GeospatialStatistics geo;
  BoundingBox box;
  box.xmin = -180;
  box.xmax = 180;
  box.ymin = -90;
  box.ymax = 90;
  box.zmin = -1.5;
  box.mmax = 2.5;
  geo.bbox = box;
  geo.geospatial_types = std::vector<int32_t>{1, 3, 1001};
  meta.geospatial_statistics = geo;

  ColumnChunk chunk;
  chunk.file_path = "part-0.parquet";
  chunk.file_offset = offset + 12345;
  chunk.meta_data = meta;
  chunk.offset_index_offset = offset + 30000;
  chunk.offset_index_length = 77;
  chunk.column_index_offset = offset + 31000;
  chunk.column_index_length = 88;
  return chunk;
}

FileMetaData FullFileMetaData() {
  FileMetaData metadata;
  metadata.version = 2;
  metadata.schema = FullSchema();
  metadata.num_rows = 3000;
  for (int group = 0; group < 2; ++group) {
    RowGroup row_group;
    row_group.columns.push_back(FullColumnChunk(4 + group * 100000));
    ColumnChunk encrypted = FullColumnChunk(50000 + group * 100000);
    ColumnCryptoMetaData crypto;
    crypto.kind = ColumnCryptoMetaData::Kind::kEncryptionWithColumnKey;
    crypto.path_in_schema = {"a", "b"};
    crypto.key_metadata = "key-id";
    encrypted.crypto_metadata = crypto;
    encrypted.encrypted_column_metadata = std::string("\x01\x02\x03", 3);
    row_group.columns.push_back(encrypted);
    row_group.total_byte_size = 80000;
    row_group.num_rows = 1500;
    row_group.sorting_columns = std::vector<SortingColumn>{{0, true, true}, {1, false, false}};
    row_group.file_offset = 4 + group * 100000;
    row_group.total_compressed_size = 24690;
    row_group.ordinal = static_cast<int16_t>(group);
    metadata.row_groups.push_back(row_group);
  }
  metadata.key_value_metadata =
      std::vector<KeyValue>{{"ARROW:schema", "base64..."}, {"empty", ""}, {"null", std::nullopt}};
  metadata.created_by = "arcflow version 0.1.0 (build test)";
  metadata.column_orders = std::vector<ColumnOrder>{{ColumnOrder::Kind::kTypeDefined},
                                                    {ColumnOrder::Kind::kIeee754TotalOrder},
                                                    {ColumnOrder::Kind::kInt96Timestamp},
                                                    {ColumnOrder::Kind::kUnknown}};
  EncryptionAlgorithm algorithm;
  algorithm.kind = EncryptionAlgorithm::Kind::kAesGcmCtrV1;
  algorithm.parameters.aad_prefix = "tester";
  algorithm.parameters.aad_file_unique = std::string("\x00\xff", 2);
  algorithm.parameters.supply_aad_prefix = true;
  metadata.encryption_algorithm = algorithm;
  metadata.footer_signing_key_metadata = "kf";
  return metadata;
}

Bytes Encoded(const FileMetaData& metadata) {
  BufferBuilder builder;
  EncodeFileMetaData(metadata, &builder);
  return Bytes(builder.data(), builder.data() + builder.size());
}

TEST(FileMetaDataTest, RoundTripsFullyPopulatedMetadata) {
  FileMetaData metadata = FullFileMetaData();
  Bytes bytes = Encoded(metadata);
  Result<FileMetaData> decoded = DecodeFileMetaData(bytes);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(*decoded, metadata);
  // Spot-check a few values through the decoded copy, so a broken operator== cannot hide a
  // broken codec.
  EXPECT_EQ(decoded->schema.size(), metadata.schema.size());
  EXPECT_EQ(decoded->schema[10].logical_type->As<DecimalType>()->precision, 38);
  EXPECT_EQ(decoded->schema[15].logical_type->As<TimestampType>()->unit, TimeUnit::kMillis);
  EXPECT_EQ(*decoded->row_groups[1].columns[0].meta_data->statistics->min_value, "aardvark");
  EXPECT_EQ(decoded->column_orders->at(2).kind, ColumnOrder::Kind::kInt96Timestamp);
  EXPECT_FALSE(decoded->key_value_metadata->at(2).value.has_value());
  // Encoding is deterministic, so decoding and re-encoding gives the same bytes.
  EXPECT_EQ(Encoded(*decoded), bytes);
}

TEST(FileMetaDataTest, RoundTripsMinimalMetadata) {
  FileMetaData metadata;
  metadata.schema.push_back(Group("schema", 0, std::nullopt));
  Bytes bytes = Encoded(metadata);
  Result<FileMetaData> decoded = DecodeFileMetaData(bytes);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(*decoded, metadata);
  EXPECT_FALSE(decoded->created_by.has_value());
  EXPECT_FALSE(decoded->key_value_metadata.has_value());
}

TEST(FileMetaDataTest, EveryStrictPrefixFailsToDecode) {
  Bytes bytes = Encoded(FullFileMetaData());
  for (size_t length = 0; length < bytes.size(); ++length) {
    Bytes prefix(bytes.begin(), bytes.begin() + length);
    Result<FileMetaData> decoded = DecodeFileMetaData(prefix, 1000);
    ASSERT_FALSE(decoded.ok()) << length;
    EXPECT_TRUE(decoded.status().IsCorruption()) << decoded.status().ToString();
  }
}

TEST(FileMetaDataTest, ReportsMissingRequiredFields) {
  BufferBuilder builder;
  ThriftCompactWriter writer(&builder);
  writer.BeginStruct();
  writer.WriteField(1, int32_t{1});
  writer.WriteField(2, std::vector<SchemaElement>{Group("schema", 0, std::nullopt)});
  writer.WriteField(4, std::vector<RowGroup>{});
  writer.EndStruct();
  Result<FileMetaData> decoded =
      DecodeFileMetaData(std::span<const uint8_t>(builder.data(), builder.size()));
  ASSERT_TRUE(decoded.status().IsCorruption());
  EXPECT_NE(decoded.status().message().find("num_rows"), std::string::npos)
      << decoded.status().ToString();
  EXPECT_NE(decoded.status().message().find("FileMetaData"), std::string::npos);
}

TEST(FileMetaDataTest, ReportsMissingRequiredFieldOfNestedStruct) {
  // A ColumnMetaData whose path_in_schema is missing, with an unknown field in its place.
  BufferBuilder builder;
  ThriftCompactWriter writer(&builder);
  writer.BeginStruct();
  writer.WriteField(1, PhysicalType::kInt32);
  writer.WriteField(2, std::vector<Encoding>{Encoding::kPlain});
  writer.WriteField(4, CompressionCodec::kSnappy);
  writer.WriteField(5, int64_t{5});
  writer.WriteField(6, int64_t{40});
  writer.WriteField(7, int64_t{30});
  writer.WriteField(9, int64_t{4});
  writer.WriteField(20, std::vector<std::string>{"x"});
  writer.EndStruct();
  Result<ColumnMetaData> decoded =
      DecodeThriftMessage<ColumnMetaData>(std::span<const uint8_t>(builder.data(), builder.size()));
  ASSERT_TRUE(decoded.status().IsCorruption()) << decoded.status().ToString();
  EXPECT_NE(decoded.status().message().find("path_in_schema"), std::string::npos);
}

TEST(FileMetaDataTest, SkipsUnknownFieldsAtEveryLevel) {
  // Writes a FileMetaData by hand, with fields from an imaginary future format version mixed
  // in: in FileMetaData itself, in a SchemaElement, in a RowGroup and in a ColumnMetaData.
  BufferBuilder complete_builder;
  ThriftCompactWriter complete(&complete_builder);
  complete.BeginStruct();
  complete.WriteField(1, int32_t{1});
  complete.WriteFieldHeader(2, ThriftWireType::kList);
  complete.WriteListHeader(ThriftWireType::kStruct, 2);
  complete.WriteElement(Group("schema", 1, std::nullopt));
  complete.BeginStruct();
  complete.WriteField(1, PhysicalType::kInt32);
  complete.WriteField(3, FieldRepetitionType::kOptional);
  complete.WriteField(4, std::string("x"));
  complete.WriteFieldHeader(12, ThriftWireType::kStruct);
  complete.BeginStruct();
  complete.WriteField(1, std::string("future"));
  complete.EndStruct();
  complete.WriteField(13, std::vector<int64_t>{1, 2, 3});
  complete.EndStruct();
  complete.WriteField(3, int64_t{5});
  complete.WriteFieldHeader(4, ThriftWireType::kList);
  complete.WriteListHeader(ThriftWireType::kStruct, 1);
  // A RowGroup with unknown field 9 and a column whose ColumnMetaData has unknown field 99.
  complete.BeginStruct();
  complete.WriteFieldHeader(1, ThriftWireType::kList);
  complete.WriteListHeader(ThriftWireType::kStruct, 1);
  complete.BeginStruct();
  complete.WriteField(2, int64_t{0});
  complete.WriteFieldHeader(3, ThriftWireType::kStruct);
  complete.BeginStruct();
  complete.WriteField(1, PhysicalType::kInt32);
  complete.WriteField(2, std::vector<Encoding>{Encoding::kPlain});
  complete.WriteField(3, std::vector<std::string>{"x"});
  complete.WriteField(4, CompressionCodec::kSnappy);
  complete.WriteField(5, int64_t{5});
  complete.WriteField(6, int64_t{40});
  complete.WriteField(7, int64_t{30});
  complete.WriteField(9, int64_t{4});
  complete.WriteField(99, 2.5);
  complete.EndStruct();
  complete.EndStruct();
  complete.WriteField(2, int64_t{40});
  complete.WriteField(3, int64_t{5});
  complete.WriteField(9, std::vector<bool>{true});
  complete.EndStruct();
  complete.WriteField(6, std::string("tool"));
  complete.WriteField(3000, std::string("skip me"));
  complete.EndStruct();

  Result<FileMetaData> decoded = DecodeFileMetaData(
      std::span<const uint8_t>(complete_builder.data(), complete_builder.size()));
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  ASSERT_EQ(decoded->schema.size(), 2u);
  EXPECT_EQ(decoded->schema[1].name, "x");
  EXPECT_EQ(decoded->schema[1].repetition_type, FieldRepetitionType::kOptional);
  EXPECT_EQ(decoded->num_rows, 5);
  ASSERT_EQ(decoded->row_groups.size(), 1u);
  EXPECT_EQ(decoded->row_groups[0].num_rows, 5);
  EXPECT_EQ(decoded->row_groups[0].columns[0].meta_data->codec, CompressionCodec::kSnappy);
  EXPECT_EQ(decoded->row_groups[0].columns[0].meta_data->data_page_offset, 4);
  EXPECT_EQ(decoded->created_by, "tool");
}

TEST(FileMetaDataTest, KeepsUnknownEnumValues) {
  FileMetaData metadata;
  metadata.schema.push_back(Group("schema", 1, std::nullopt));
  SchemaElement odd;
  odd.name = "odd";
  odd.type = static_cast<PhysicalType>(99);
  odd.repetition_type = static_cast<FieldRepetitionType>(-5);
  odd.converted_type = static_cast<ConvertedType>(1000);
  metadata.schema.push_back(odd);
  Result<FileMetaData> decoded = DecodeFileMetaData(Encoded(metadata));
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(static_cast<int32_t>(*decoded->schema[1].type), 99);
  EXPECT_EQ(static_cast<int32_t>(*decoded->schema[1].repetition_type), -5);
  EXPECT_FALSE(IsKnownPhysicalType(*decoded->schema[1].type));
  EXPECT_FALSE(IsKnownRepetition(*decoded->schema[1].repetition_type));
  EXPECT_EQ(ConvertedTypeName(*decoded->schema[1].converted_type), "UNKNOWN");
}

TEST(FileMetaDataTest, RejectsUnionWithTwoMembers) {
  BufferBuilder builder;
  ThriftCompactWriter writer(&builder);
  writer.BeginStruct();
  for (int16_t id : {1, 2}) {
    writer.WriteFieldHeader(id, ThriftWireType::kStruct);
    writer.BeginStruct();
    writer.EndStruct();
  }
  writer.EndStruct();
  Result<ColumnOrder> decoded =
      DecodeThriftMessage<ColumnOrder>(std::span<const uint8_t>(builder.data(), builder.size()));
  EXPECT_TRUE(decoded.status().IsCorruption());
}

TEST(FileMetaDataTest, DecodesUnknownColumnOrderMember) {
  BufferBuilder builder;
  ThriftCompactWriter writer(&builder);
  writer.BeginStruct();
  writer.WriteFieldHeader(9, ThriftWireType::kStruct);
  writer.BeginStruct();
  writer.WriteField(1, std::string("collation"));
  writer.EndStruct();
  writer.EndStruct();
  Result<ColumnOrder> decoded =
      DecodeThriftMessage<ColumnOrder>(std::span<const uint8_t>(builder.data(), builder.size()));
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(decoded->kind, ColumnOrder::Kind::kUnknown);
}

TEST(FileMetaDataTest, RejectsHostileListSizes) {
  // FileMetaData{version=1, schema=list of 2^31-1 structs} with nothing behind the header.
  Bytes bytes = {0x15, 0x02, 0x19, 0xFC, 0xFF, 0xFF, 0xFF, 0xFF, 0x07};
  Result<FileMetaData> decoded = DecodeFileMetaData(bytes);
  ASSERT_TRUE(decoded.status().IsCorruption());
  EXPECT_NE(decoded.status().message().find("offset="), std::string::npos);
}

}  // namespace
}  // namespace arcflow::parquet
