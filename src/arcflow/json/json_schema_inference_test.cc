#include "arcflow/json/json_schema_inference.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "arcflow/columnar/row_printer.h"
#include "arcflow/columnar/schema_ddl.h"
#include "arcflow/json/json_reader.h"
#include "arcflow/json/temp_directory.h"

namespace arcflow::json {
namespace {

using ::testing::HasSubstr;

class JsonSchemaInferenceTest : public ::testing::Test {
 protected:
  // Infers the schema of files holding `contents` and prints it as DDL ("" for no columns).
  Result<std::string> Infer(const std::vector<std::string>& contents,
                            JsonReadOptions options = JsonReadOptions(),
                            JsonReadStats* stats = nullptr) {
    std::vector<std::string> paths;
    for (size_t i = 0; i < contents.size(); ++i) {
      paths.push_back(directory_.WriteFile("part-" + std::to_string(i) + ".json", contents[i]));
    }
    ARCFLOW_ASSIGN_OR_RETURN(SchemaPtr schema,
                             InferJsonSchema(*io::LocalFileSystem(), paths, options, stats));
    return ToDdl(*schema);
  }

  std::string InferOk(const std::string& contents, JsonReadOptions options = JsonReadOptions()) {
    Result<std::string> ddl = Infer({contents}, std::move(options));
    EXPECT_TRUE(ddl.ok()) << ddl.status().ToString();
    return ddl.ok() ? *ddl : "";
  }

  testing::TempDirectory directory_;
};

TEST_F(JsonSchemaInferenceTest, InfersScalarTypes) {
  EXPECT_EQ(InferOk(R"({"s":"x","i":1,"d":1.5,"b":true,"e":1e3,"n":null,"neg":-7})"
                    "\n"),
            "b BOOLEAN, d DOUBLE, e DOUBLE, i BIGINT, n STRING, neg BIGINT, s STRING");
}

TEST_F(JsonSchemaInferenceTest, SortsMembersByNameAsJavaDoes) {
  // Java compares UTF-16 code units: an astral character (a surrogate pair, 0xD83D...) sorts
  // before U+FF21, unlike in UTF-8 byte order.
  EXPECT_EQ(
      InferOk("{\"b\":1,\"B\":1,\"_x\":1,\"a\":1,\"\xEF\xBC\xA1\":1,\"\xF0\x9F\x98\x80\":1}\n"),
      "B BIGINT, _x BIGINT, a BIGINT, b BIGINT, `\xF0\x9F\x98\x80` BIGINT, "
      "`\xEF\xBC\xA1` BIGINT");
}

TEST_F(JsonSchemaInferenceTest, MergesTypesAcrossRecords) {
  EXPECT_EQ(InferOk("{\"a\":1,\"b\":1,\"c\":true,\"d\":{\"x\":1},\"e\":[1]}\n"
                    "{\"a\":2.5,\"b\":\"s\",\"c\":false,\"d\":{\"y\":\"z\"},\"e\":[2.5,null]}\n"
                    "{\"a\":null,\"d\":null,\"e\":[]}\n"),
            "a DOUBLE, b STRING, c BOOLEAN, d STRUCT<x: BIGINT, y: STRING>, e ARRAY<DOUBLE>");
}

TEST_F(JsonSchemaInferenceTest, ConflictsBecomeString) {
  EXPECT_EQ(InferOk("{\"a\":{\"x\":1},\"b\":[1],\"c\":true}\n"
                    "{\"a\":5,\"b\":{\"y\":1},\"c\":1}\n"
                    "{\"a\":{\"z\":1},\"b\":[2]}\n"),
            "a STRING, b STRING, c STRING");
}

TEST_F(JsonSchemaInferenceTest, MergesElementsOfArrays) {
  EXPECT_EQ(InferOk("{\"a\":[{\"x\":1},{\"y\":[true]},{\"x\":2.0}],\"b\":[[1],[\"s\"]]}\n"),
            "a ARRAY<STRUCT<x: DOUBLE, y: ARRAY<BOOLEAN>>>, b ARRAY<ARRAY<STRING>>");
}

TEST_F(JsonSchemaInferenceTest, NullsAndEmptyValues) {
  std::string data =
      "{\"n\":null,\"e\":[],\"en\":[null],\"s\":{},\"es\":\"\",\"ss\":{\"x\":null},\"k\":1}\n";
  EXPECT_EQ(InferOk(data),
            "e ARRAY<STRING>, en ARRAY<STRING>, es STRING, k BIGINT, n STRING, "
            "ss STRUCT<x: STRING>");
  JsonReadOptions options;
  options.drop_field_if_all_null = true;
  EXPECT_EQ(InferOk(data, options), "k BIGINT");
}

TEST_F(JsonSchemaInferenceTest, EmptyStringsCountAsNull) {
  EXPECT_EQ(InferOk("{\"a\":\"\"}\n{\"a\":1}\n"), "a BIGINT");
}

TEST_F(JsonSchemaInferenceTest, LargeIntegersBecomeDecimalsThenDoubles) {
  EXPECT_EQ(InferOk("{\"a\":9223372036854775807,\"b\":9223372036854775808,"
                    "\"c\":-123456789012345678901234567890,"
                    "\"d\":123456789012345678901234567890123456789}\n"),
            "a BIGINT, b DECIMAL(19,0), c DECIMAL(30,0), d DOUBLE");
}

TEST_F(JsonSchemaInferenceTest, WidensDecimals) {
  JsonReadOptions options;
  options.prefers_decimal = true;
  EXPECT_EQ(InferOk("{\"a\":1.25,\"b\":1,\"c\":0.5,\"d\":\"12.5\",\"e\":1e2}\n"
                    "{\"a\":123.5,\"b\":0.125,\"c\":1.5e300,\"d\":\"x\",\"e\":0.001}\n",
                    options),
            "a DECIMAL(5,2), b DECIMAL(23,3), c DOUBLE, d STRING, e DECIMAL(6,3)");
  EXPECT_EQ(InferOk("{\"a\":1}\n{\"a\":99999999999999999999999999999999999999}\n"),
            "a DECIMAL(38,0)");
  EXPECT_EQ(InferOk("{\"a\":1.5}\n{\"a\":99999999999999999999999999999999999999}\n"), "a DOUBLE");
}

TEST_F(JsonSchemaInferenceTest, PrimitivesAsString) {
  JsonReadOptions options;
  options.primitives_as_string = true;
  EXPECT_EQ(InferOk("{\"a\":1,\"b\":true,\"c\":[1.5],\"d\":null,\"e\":{\"f\":2}}\n", options),
            "a STRING, b STRING, c ARRAY<STRING>, d STRING, e STRUCT<f: STRING>");
}

TEST_F(JsonSchemaInferenceTest, TopLevelArraysContributeTheirElements) {
  EXPECT_EQ(InferOk("[{\"a\":1},{\"b\":\"x\"}]\n{\"c\":true}\n[]\nnull\n"),
            "a BIGINT, b STRING, c BOOLEAN");
}

TEST_F(JsonSchemaInferenceTest, CorruptRecordsAddTheCorruptColumnInPermissiveMode) {
  std::string data = "{\"a\":1}\n42\n{\"b\":tru\n[{\"c\":1},2]\n{\"d\":\"x\"}\n";
  JsonReadStats stats;
  Result<std::string> ddl = Infer({data}, JsonReadOptions(), &stats);
  ASSERT_TRUE(ddl.ok()) << ddl.status().ToString();
  EXPECT_EQ(*ddl, "_corrupt_record STRING, a BIGINT, d STRING");
  EXPECT_EQ(stats.records, 5);
  EXPECT_EQ(stats.corrupt_records, 3);

  JsonReadOptions options;
  options.mode = io::ParseMode::kDropMalformed;
  options.column_name_of_corrupt_record = "bad";
  EXPECT_EQ(InferOk(data, options), "a BIGINT, d STRING");

  options.mode = io::ParseMode::kFailFast;
  Result<std::string> failed = Infer({data}, options);
  EXPECT_TRUE(failed.status().IsInvalid());
  EXPECT_THAT(
      failed.status().message(),
      HasSubstr("line 2 (byte 8) while inferring the schema: a JSON number is not a record"));
}

TEST_F(JsonSchemaInferenceTest, ACorruptRecordContributesNothing) {
  EXPECT_EQ(InferOk("{\"a\":1,\"s\":{\"x\":1}}\n"
                    "{\"n\":{\"y\":1},\"z\":[1],\"a\":\"s\",\"s\":{\"w\":2,\"x\":[]},\"b\":tru}\n"
                    "{\"s\":{\"x\":2}}\n"),
            "_corrupt_record STRING, a BIGINT, s STRUCT<x: BIGINT>");
}

// Regression: a document the parser abandoned (a control character where a key belongs) was
// rewound afterwards, which dereferenced the parser it had let go of.
TEST_F(JsonSchemaInferenceTest, SurvivesADocumentTheParserAbandoned) {
  JsonReadOptions options;
  options.framing = JsonFraming::kDocument;
  EXPECT_EQ(InferOk("{\"a\":1}\r\n\r\n{\x1d\"g\":true,\"d\":1e5}\r\n", options),
            "_corrupt_record STRING, a BIGINT");
}

TEST_F(JsonSchemaInferenceTest, InfersPrettyDocumentsAndEnvelopes) {
  EXPECT_EQ(InferOk("{\n  \"_meta\": {\"n\": 2},\n  \"data\": [\n    {\"id\": 1},\n"
                    "    {\"id\": 2, \"tag\": \"x\"}\n  ]\n}\n"),
            "_meta STRUCT<n: BIGINT>, data ARRAY<STRUCT<id: BIGINT, tag: STRING>>");
  EXPECT_EQ(InferOk("[\n  {\"a\": 1},\n  {\"a\": 2.5}\n]\n"), "a DOUBLE");
}

TEST_F(JsonSchemaInferenceTest, MergesAcrossFiles) {
  Result<std::string> ddl =
      Infer({"{\"a\":1}\n", "", "[\n{\"b\":\"x\"}\n]\n", "{\"a\":2.5,\"c\":[]}\n"});
  ASSERT_TRUE(ddl.ok()) << ddl.status().ToString();
  EXPECT_EQ(*ddl, "a DOUBLE, b STRING, c ARRAY<STRING>");
}

TEST_F(JsonSchemaInferenceTest, NoRecordsGiveNoColumns) {
  EXPECT_EQ(InferOk(""), "");
  EXPECT_EQ(InferOk("\n\n{}\n"), "");
  EXPECT_EQ(InferOk("{\"\":1}\n"), "");
}

TEST_F(JsonSchemaInferenceTest, DuplicateKeysMerge) {
  EXPECT_EQ(InferOk("{\"a\":1,\"a\":\"x\"}\n"), "a STRING");
}

TEST_F(JsonSchemaInferenceTest, DeepNestingIsCorruptNotACrash) {
  std::string deep(100000, '[');
  std::string data = "{\"a\":" + deep + std::string(100000, ']') + "}\n{\"b\":1}\n";
  EXPECT_EQ(InferOk(data), "_corrupt_record STRING, b BIGINT");
}

TEST_F(JsonSchemaInferenceTest, ReadsWithTheInferredSchema) {
  std::string data =
      "{\"id\":1,\"tags\":[\"a\"],\"addr\":{\"zip\":\"123\"}}\n"
      "{\"id\":2,\"price\":9.5}\n"
      "not json\n";
  std::string path = directory_.WriteFile("data.json", data);
  JsonReadOptions options;
  Result<SchemaPtr> schema = InferJsonSchema(*io::LocalFileSystem(), {path}, options);
  ASSERT_TRUE(schema.ok()) << schema.status().ToString();
  EXPECT_EQ(ToDdl(**schema),
            "_corrupt_record STRING, addr STRUCT<zip: STRING>, id BIGINT, price DOUBLE, "
            "tags ARRAY<STRING>");
  options.schema = *schema;
  Result<std::unique_ptr<JsonReader>> reader =
      JsonReader::Open(io::LocalFileSystem(), path, options);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  Result<RecordBatchPtr> batch = (*reader)->Next();
  ASSERT_TRUE(batch.ok()) << batch.status().ToString();
  ASSERT_EQ((*batch)->num_rows(), 3);
  std::string row;
  AppendCanonicalRow(**batch, 2, &row);
  EXPECT_EQ(row,
            R"({"_corrupt_record":"not json","addr":null,"id":null,"price":null,"tags":null})");
}

TEST_F(JsonSchemaInferenceTest, RefusesObjectsKeyedByData) {
  std::string data;
  for (int line = 0; line < 11; ++line) {
    data += "{";
    for (int i = 0; i < 10000; ++i) {
      data += (i > 0 ? ",\"k" : "\"k") + std::to_string(line * 10000 + i) + "\":1";
    }
    data += "}\n";
  }
  Result<std::string> ddl = Infer({data});
  EXPECT_TRUE(ddl.status().IsInvalid());
  EXPECT_THAT(ddl.status().message(), HasSubstr("MAP"));
}

}  // namespace
}  // namespace arcflow::json
