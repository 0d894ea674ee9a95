#include "arcflow/json/json_writer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>

#include "arcflow/columnar/builder.h"
#include "arcflow/columnar/schema_ddl.h"
#include "arcflow/json/json_reader.h"
#include "arcflow/json/temp_directory.h"

namespace arcflow::json {
namespace {

using ::testing::HasSubstr;

class JsonWriterTest : public ::testing::Test {
 protected:
  std::string ReadBack(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

  // Reads `json` with `ddl` into one batch: a compact way to build nested test batches.
  RecordBatchPtr BatchFromJson(std::string_view json, std::string_view ddl) {
    JsonReadOptions options;
    options.schema = *ParseDdlSchema(ddl);
    options.mode = io::ParseMode::kFailFast;
    std::string path = directory_.WriteFile("input.json", json);
    auto reader = JsonReader::Open(io::LocalFileSystem(), path, options);
    EXPECT_TRUE(reader.ok()) << reader.status().ToString();
    auto batch = (*reader)->Next();
    EXPECT_TRUE(batch.ok()) << batch.status().ToString();
    return *batch;
  }

  // Writes `batches` with `options` and returns the file's text.
  std::string Write(const std::vector<RecordBatchPtr>& batches, SchemaPtr schema,
                    JsonWriteOptions options = JsonWriteOptions()) {
    std::string path = directory_.PathOf("out.json");
    auto file = io::LocalFileSystem()->OpenWritable(path);
    EXPECT_TRUE(file.ok()) << file.status().ToString();
    auto writer = OpenJsonWriter(std::move(*file), std::move(schema), std::move(options));
    EXPECT_TRUE(writer.ok()) << writer.status().ToString();
    for (const RecordBatchPtr& batch : batches) {
      Status status = (*writer)->Write(*batch);
      EXPECT_TRUE(status.ok()) << status.ToString();
    }
    Status closed = (*writer)->Close();
    EXPECT_TRUE(closed.ok()) << closed.ToString();
    return ReadBack(path);
  }

  testing::TempDirectory directory_;
};

TEST_F(JsonWriterTest, WritesScalarsLikeSpark) {
  SchemaPtr schema = *ParseDdlSchema(
      "b BOOLEAN, i8 TINYINT, i64 BIGINT, f FLOAT, d DOUBLE, dec DECIMAL(10,2), s STRING, "
      "bin BINARY, dt DATE, ts TIMESTAMP, ntz TIMESTAMP_NTZ");
  RecordBatchBuilder builder(schema);
  static_cast<BooleanBuilder*>(builder.column_builder(0))->Append(true);
  static_cast<Int8Builder*>(builder.column_builder(1))->Append(-128);
  static_cast<Int64Builder*>(builder.column_builder(2))
      ->Append(std::numeric_limits<int64_t>::min());
  static_cast<Float32Builder*>(builder.column_builder(3))->Append(0.1f);
  static_cast<Float64Builder*>(builder.column_builder(4))->Append(1e20);
  static_cast<Decimal128Builder*>(builder.column_builder(5))->Append(-1230);
  static_cast<StringBuilder*>(builder.column_builder(6))->Append("q\"b\\s\n\x01\xC3\xA9");
  static_cast<BinaryBuilder*>(builder.column_builder(7))->Append(std::string_view("\0\xFFhi", 4));
  static_cast<Date32Builder*>(builder.column_builder(8))->Append(19724);
  static_cast<TimestampBuilder*>(builder.column_builder(9))->Append(1704164645123456);
  static_cast<TimestampBuilder*>(builder.column_builder(10))->Append(-1);
  auto batch = builder.Finish();
  ASSERT_TRUE(batch.ok()) << batch.status().ToString();
  EXPECT_EQ(Write({*batch}, schema),
            "{\"b\":true,\"i8\":-128,\"i64\":-9223372036854775808,\"f\":0.1,\"d\":1e+20,"
            "\"dec\":-12.30,\"s\":\"q\\\"b\\\\s\\n\\u0001\xC3\xA9\",\"bin\":\"AP9oaQ==\","
            "\"dt\":\"2024-01-02\",\"ts\":\"2024-01-02T03:04:05.123456Z\","
            "\"ntz\":\"1969-12-31T23:59:59.999999\"}\n");
}

TEST_F(JsonWriterTest, WritesNonFiniteFloatsAsStrings) {
  SchemaPtr schema = *ParseDdlSchema("d DOUBLE, f FLOAT");
  RecordBatchBuilder builder(schema);
  auto* d = static_cast<Float64Builder*>(builder.column_builder(0));
  auto* f = static_cast<Float32Builder*>(builder.column_builder(1));
  d->Append(std::numeric_limits<double>::quiet_NaN());
  f->Append(std::numeric_limits<float>::infinity());
  d->Append(-std::numeric_limits<double>::infinity());
  f->Append(-0.0f);
  auto batch = builder.Finish();
  ASSERT_TRUE(batch.ok());
  EXPECT_EQ(Write({*batch}, schema),
            "{\"d\":\"NaN\",\"f\":\"Infinity\"}\n{\"d\":\"-Infinity\",\"f\":-0}\n");
}

TEST_F(JsonWriterTest, LeavesOutNullMembersUnlessAskedNotTo) {
  const std::string ddl =
      "a INT, s STRUCT<x: INT, y: STRING>, l ARRAY<INT>, m MAP<STRING, INT>, e STRUCT<z: INT>";
  RecordBatchPtr batch = BatchFromJson(
      "{\"a\":null,\"s\":{\"x\":1,\"y\":null},\"l\":[1,null],\"m\":{\"k\":1,\"n\":null},"
      "\"e\":{}}\n{}\n",
      ddl);
  ASSERT_NE(batch, nullptr);
  EXPECT_EQ(Write({batch}, batch->schema()),
            "{\"s\":{\"x\":1},\"l\":[1,null],\"m\":{\"k\":1,\"n\":null},\"e\":{}}\n{}\n");
  JsonWriteOptions keep_nulls;
  keep_nulls.ignore_null_fields = false;
  EXPECT_EQ(Write({batch}, batch->schema(), keep_nulls),
            "{\"a\":null,\"s\":{\"x\":1,\"y\":null},\"l\":[1,null],\"m\":{\"k\":1,\"n\":null},"
            "\"e\":{\"z\":null}}\n"
            "{\"a\":null,\"s\":null,\"l\":null,\"m\":null,\"e\":null}\n");
}

TEST_F(JsonWriterTest, WritesMapKeysAsText) {
  RecordBatchPtr batch = BatchFromJson(
      "{\"i\":{\"-1\":\"a\",\"2\":\"b\"},\"d\":{\"2024-01-02\":true},\"b\":{\"aGk=\":1},"
      "\"n\":{\"1.50\":1},\"t\":{\"true\":0}}\n",
      "i MAP<INT, STRING>, d MAP<DATE, BOOLEAN>, b MAP<BINARY, INT>, n MAP<DECIMAL(4,2), INT>, "
      "t MAP<BOOLEAN, INT>");
  ASSERT_NE(batch, nullptr);
  EXPECT_EQ(Write({batch}, batch->schema()),
            "{\"i\":{\"-1\":\"a\",\"2\":\"b\"},\"d\":{\"2024-01-02\":true},\"b\":{\"aGk=\":1},"
            "\"n\":{\"1.50\":1},\"t\":{\"true\":0}}\n");
}

TEST_F(JsonWriterTest, UsesDatetimePatternsAndLineSeparator) {
  io::FormatOptions format_options;
  format_options.Set("dateFormat", "dd/MM/yyyy");
  format_options.Set("timestampFormat", "yyyy-MM-dd HH:mm:ss");
  format_options.Set("lineSep", "\r\n");
  format_options.Set("ignoreNullFields", "false");
  Result<JsonWriteOptions> options = JsonWriteOptions::FromFormatOptions(format_options);
  ASSERT_TRUE(options.ok()) << options.status().ToString();
  RecordBatchPtr batch = BatchFromJson(
      "{\"d\":\"2024-02-29\",\"t\":\"2024-01-02T03:04:05Z\"}\n{}\n", "d DATE, t TIMESTAMP");
  ASSERT_NE(batch, nullptr);
  EXPECT_EQ(Write({batch}, batch->schema(), *options),
            "{\"d\":\"29/02/2024\",\"t\":\"2024-01-02 03:04:05\"}\r\n{\"d\":null,\"t\":null}\r\n");
}

TEST_F(JsonWriterTest, WritesEveryBatchAndCountsRows) {
  SchemaPtr schema = *ParseDdlSchema("a INT");
  RecordBatchPtr first = BatchFromJson("{\"a\":1}\n{\"a\":2}\n", "a INT");
  RecordBatchPtr second = BatchFromJson("{\"a\":3}\n", "a INT");
  auto file = io::LocalFileSystem()->OpenWritable(directory_.PathOf("rows.json"));
  ASSERT_TRUE(file.ok());
  auto writer = JsonWriter::Open(std::move(*file), schema, JsonWriteOptions());
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE((*writer)->Write(*first).ok());
  ASSERT_TRUE((*writer)->Write(*second->Slice(0, 1)).ok());
  ASSERT_TRUE((*writer)->Write(*first->Slice(1, 1)).ok());
  EXPECT_EQ((*writer)->rows_written(), 4);
  Result<std::unique_ptr<io::WritableFile>> handed_back = (*writer)->Finish();
  ASSERT_TRUE(handed_back.ok()) << handed_back.status().ToString();
  ASSERT_TRUE((*handed_back)->Close().ok());
  EXPECT_EQ((*writer)->bytes_written(), 32);
  EXPECT_EQ(ReadBack(directory_.PathOf("rows.json")),
            "{\"a\":1}\n{\"a\":2}\n{\"a\":3}\n{\"a\":2}\n");
  Status late = (*writer)->Write(*first);
  EXPECT_TRUE(late.IsInvalid()) << late.ToString();
}

TEST_F(JsonWriterTest, RejectsABatchOfAnotherShape) {
  auto file = io::LocalFileSystem()->OpenWritable(directory_.PathOf("shape.json"));
  ASSERT_TRUE(file.ok());
  auto writer =
      OpenJsonWriter(std::move(*file), *ParseDdlSchema("a INT, b STRING"), JsonWriteOptions());
  ASSERT_TRUE(writer.ok());
  Status status = (*writer)->Write(*BatchFromJson("{}\n", "a INT"));
  EXPECT_TRUE(status.IsInvalid());
  status = (*writer)->Write(*BatchFromJson("{}\n", "a BIGINT, b STRING"));
  EXPECT_TRUE(status.IsInvalid());
  EXPECT_THAT(status.message(), HasSubstr("column 'a' of the batch is BIGINT"));
  // Names and nullability may differ.
  status = (*writer)->Write(*BatchFromJson("{}\n", "x INT NOT NULL, y STRING"));
  EXPECT_TRUE(status.ok()) << status.ToString();
  EXPECT_TRUE((*writer)->Close().ok());
}

TEST_F(JsonWriterTest, ReadsWriterOptions) {
  auto status_of = [](std::string key, std::string value) {
    io::FormatOptions format_options;
    format_options.Set(std::move(key), std::move(value));
    return JsonWriteOptions::FromFormatOptions(format_options).status();
  };
  EXPECT_TRUE(status_of("ignoreNullFields", "nope").IsInvalid());
  EXPECT_TRUE(status_of("timestampFormat", "yyyy'").IsInvalid());
  EXPECT_TRUE(status_of("compression", "gzip").IsNotImplemented());
  EXPECT_TRUE(status_of("encoding", "latin1").IsNotImplemented());
  EXPECT_TRUE(status_of("lineSep", "").IsInvalid());
  EXPECT_TRUE(status_of("compression", "none").ok());
}

}  // namespace
}  // namespace arcflow::json
