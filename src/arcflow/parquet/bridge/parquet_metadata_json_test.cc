#include "arcflow/parquet/bridge/parquet_metadata_json.h"

#include <simdjson.h>

#include <string>

#include <gtest/gtest.h>

#include "arcflow/io/file_system.h"
#include "arcflow/parquet/bridge/parquet_reader.h"
#include "arcflow/parquet/bridge/test_file_builder.h"

namespace arcflow::parquet {
namespace {

using testing::Chunk;
using testing::kOptional;
using testing::kRequired;
using testing::Leaf;
using testing::Plain;
using testing::PlainByteArrays;
using testing::Root;
using testing::TestColumnChunk;
using testing::TestFileBuilder;
using testing::TestPage;

std::string Le(int32_t value) { return std::string(reinterpret_cast<const char*>(&value), 4); }

TEST(ParquetMetadataJsonTest, PrintsFooterWithDecodedStatistics) {
  SchemaNode decimal = Leaf("price", kOptional, PhysicalType::kInt32, DecimalType{2, 9});
  TestFileBuilder builder(Root({Leaf("day", kRequired, PhysicalType::kInt32, DateType{}), decimal,
                                Leaf("name", kOptional, PhysicalType::kByteArray, StringType{}),
                                Leaf("raw", kOptional, PhysicalType::kByteArray)}));
  TestPage days;
  days.value_count = 1;
  days.values = Plain<int32_t>({19000});
  TestColumnChunk day_chunk = Chunk({days});
  Statistics day_stats;
  day_stats.min_value = Le(19000);
  day_stats.max_value = Le(19001);
  day_stats.null_count = 0;
  day_chunk.statistics = day_stats;
  TestPage prices;
  prices.definition_levels = {1};
  prices.values = Plain<int32_t>({1230});
  TestColumnChunk price_chunk = Chunk({prices});
  Statistics price_stats;
  price_stats.min_value = Le(1230);
  price_stats.max_value = Le(-5);
  price_chunk.statistics = price_stats;
  TestPage names;
  names.definition_levels = {1};
  names.values = PlainByteArrays({"caf\xc3\xa9"});
  TestColumnChunk name_chunk = Chunk({names});
  Statistics name_stats;
  name_stats.min_value = "caf\xc3\xa9";
  name_stats.max_value = "caf\xc3\xa9";
  name_chunk.statistics = name_stats;
  TestPage raws;
  raws.definition_levels = {1};
  raws.values = PlainByteArrays({"\x01\xff"});
  TestColumnChunk raw_chunk = Chunk({raws});
  Statistics raw_stats;
  raw_stats.min_value = "\x01\xff";
  raw_stats.max_value = "\x01\xff";
  raw_chunk.statistics = raw_stats;
  builder.AddRowGroup(1, {day_chunk, price_chunk, name_chunk, raw_chunk});
  builder.metadata().key_value_metadata = std::vector<KeyValue>{{"k", "v"}, {"nokey", {}}};
  auto schema = SchemaDescriptor::FromElements(builder.metadata().schema);
  ASSERT_TRUE(schema.ok());

  for (JsonStyle style : {JsonStyle::kPretty, JsonStyle::kCompact}) {
    const std::string text = FileMetaDataToJson(builder.metadata(), *schema, style);
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    ASSERT_EQ(parser.parse(text).get(root), simdjson::SUCCESS) << text;
    EXPECT_EQ(int64_t(root["num_rows"]), 1);
    EXPECT_EQ(std::string_view(root["created_by"]), "arcflow test_file_builder");
    EXPECT_EQ(std::string_view(root["key_value_metadata"].at(0)["value"]), "v");
    EXPECT_TRUE(root["key_value_metadata"].at(1)["value"].is_null());
    EXPECT_EQ(std::string_view(root["schema"].at(2)["logical_type"]["type"]), "DECIMAL");
    simdjson::dom::element columns = root["row_groups"].at(0)["columns"];
    EXPECT_EQ(std::string_view(columns.at(0)["path_in_schema"].at(0)), "day");
    EXPECT_EQ(std::string_view(columns.at(0)["codec"]), "UNCOMPRESSED");
    EXPECT_EQ(std::string_view(columns.at(0)["statistics"]["min_value"]), "2022-01-08");
    EXPECT_EQ(int64_t(columns.at(0)["statistics"]["null_count"]), 0);
    EXPECT_EQ(std::string_view(columns.at(1)["statistics"]["min_value"]), "12.30");
    EXPECT_EQ(std::string_view(columns.at(1)["statistics"]["max_value"]), "-0.05");
    EXPECT_EQ(std::string_view(columns.at(2)["statistics"]["max_value"]), "caf\xc3\xa9");
    EXPECT_EQ(std::string_view(columns.at(3)["statistics"]["min_value"]), "0x01ff");
    EXPECT_EQ(std::string_view(columns.at(3)["encodings"].at(0)), "PLAIN");
    if (style == JsonStyle::kCompact) {
      EXPECT_EQ(text.find('\n'), std::string::npos);
    } else {
      EXPECT_NE(text.find("\n  \"version\": 1"), std::string::npos) << text.substr(0, 200);
    }
  }
}

TEST(ParquetMetadataJsonTest, PrintsEveryCorpusFooterAsValidJson) {
  const std::string data = std::string(ARCFLOW_SHARED_DIR) + "/corpora/parquet-testing/data/";
  for (const char* name : {"alltypes_plain.parquet", "nested_structs.rust.parquet",
                           "float16_nonzeros_and_nans.parquet", "int64_decimal.parquet",
                           "sort_columns.parquet", "geospatial/geospatial.parquet"}) {
    auto reader = ParquetFileReader::Open(io::LocalFileSystem(), data + name);
    ASSERT_TRUE(reader.ok()) << name << ": " << reader.status().ToString();
    const std::string text = FileMetaDataToJson((*reader)->metadata(), (*reader)->parquet_schema());
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    ASSERT_EQ(parser.parse(text).get(root), simdjson::SUCCESS) << name;
    EXPECT_EQ(int64_t(root["num_rows"]), (*reader)->num_rows()) << name;
  }
}

}  // namespace
}  // namespace arcflow::parquet
