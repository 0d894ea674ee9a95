#include "arcflow/csv/schema_inference.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "arcflow/csv/testing/temp_directory.h"

namespace arcflow::csv {
namespace {

using ::testing::HasSubstr;

// The type inferred for a column holding `values`, as Spark's simpleString.
std::string InferColumn(const std::vector<std::string>& values,
                        const CsvReadOptions& options = {}) {
  CsvSchemaInferrer inferrer = CsvSchemaInferrer::Make(options).ValueOrDie();
  inferrer.SetColumnCount(1);
  for (const std::string& value : values) inferrer.AddValue(0, value);
  return inferrer.ColumnType(0)->ToString();
}

TEST(CsvSchemaInferrerTest, ClimbsTheNumericLadder) {
  EXPECT_EQ(InferColumn({"1", "-2", "+3"}), "int");
  EXPECT_EQ(InferColumn({"1", "2147483648"}), "bigint");
  EXPECT_EQ(InferColumn({"9223372036854775808"}), "decimal(19,0)");
  EXPECT_EQ(InferColumn({"1", "-12345678901234567890123"}), "decimal(23,0)");
  EXPECT_EQ(InferColumn({"1", "2.5"}), "double");
  EXPECT_EQ(InferColumn({"2.5", "1"}), "double");
  EXPECT_EQ(InferColumn({"12345678901234567890123", "0.5"}), "double");
  EXPECT_EQ(InferColumn({"1e10", "NaN", "Inf", "-Inf"}), "double");
  EXPECT_EQ(InferColumn({std::string(39, '9')}), "double");
  // A 38-digit decimal widened by a BIGINT's 20 digits still fits; 39 would not.
  EXPECT_EQ(InferColumn({std::string(38, '9'), "5000000000"}), "decimal(38,0)");
}

TEST(CsvSchemaInferrerTest, InfersDatesTimestampsAndBooleans) {
  EXPECT_EQ(InferColumn({"2024-01-31", "1999-12-01"}), "date");
  EXPECT_EQ(InferColumn({"2024-01-31", "2024-01-31T10:00:00"}), "timestamp");
  EXPECT_EQ(InferColumn({"2024-01-31 10:00:00", "2024-01-31"}), "timestamp");
  EXPECT_EQ(InferColumn({"2024-02-30"}), "string");
  EXPECT_EQ(InferColumn({"2024-1-5"}), "timestamp");  // Not yyyy-MM-dd, but a lenient timestamp.
  EXPECT_EQ(InferColumn({"true", "FALSE"}), "boolean");
  EXPECT_EQ(InferColumn({"true", "1"}), "string");
  EXPECT_EQ(InferColumn({"1", "true"}), "string");
  EXPECT_EQ(InferColumn({"2024-01-31", "1"}), "string");
}

TEST(CsvSchemaInferrerTest, UsesDateAndTimestampFormats) {
  CsvReadOptions options;
  options.date_format = "dd/MM/yyyy";
  EXPECT_EQ(InferColumn({"31/01/2024"}, options), "date");
  EXPECT_EQ(InferColumn({"2024-01-31"}, options), "timestamp");
  options.timestamp_format = "yyyy/MM/dd HH:mm";
  EXPECT_EQ(InferColumn({"2024/01/31 10:30"}, options), "timestamp");
  // With a timestamp format, dates and timestamps do not mix.
  EXPECT_EQ(InferColumn({"31/01/2024", "2024/01/31 10:30"}, options), "string");
}

TEST(CsvSchemaInferrerTest, IgnoresNullsAndDefaultsToString) {
  EXPECT_EQ(InferColumn({}), "string");
  EXPECT_EQ(InferColumn({"", ""}), "string");
  EXPECT_EQ(InferColumn({"", "7", ""}), "int");
  CsvReadOptions options;
  options.null_value = "-";
  EXPECT_EQ(InferColumn({"-", "7"}, options), "int");
  EXPECT_EQ(InferColumn({"x", "7"}), "string");
}

TEST(CsvSchemaInferrerTest, IgnoresFieldsBeyondTheColumnCount) {
  CsvSchemaInferrer inferrer = CsvSchemaInferrer::Make({}).ValueOrDie();
  inferrer.SetColumnCount(2);
  inferrer.AddRecord({{"1", false}, {"x", false}, {"2.5", false}});
  inferrer.AddRecord({{"2", false}});
  EXPECT_EQ(inferrer.ColumnType(0)->ToString(), "int");
  EXPECT_EQ(inferrer.ColumnType(1)->ToString(), "string");
}

TEST(InferCsvSchemaTest, StreamsOverEveryFile) {
  testing::TempDirectory dir;
  std::string first = dir.WriteFile("a.csv", "id,Price,price,\n1,2.5,x,\n2,3,y,true\n");
  std::string second = dir.WriteFile("b.csv", "other,header,row,names\n3000000000,4,z,false\n");
  CsvReadOptions options;
  options.header = true;
  options.chunk_bytes = 3;
  Result<SchemaPtr> schema = InferCsvSchema(*io::LocalFileSystem(), {first, second}, options);
  ASSERT_TRUE(schema.ok()) << schema.status().ToString();
  EXPECT_EQ((*schema)->ToString(), "id bigint, Price1 double, price2 string, _c3 boolean");

  options.header = false;
  schema = InferCsvSchema(*io::LocalFileSystem(), {first}, options);
  ASSERT_TRUE(schema.ok());
  EXPECT_EQ((*schema)->ToString(), "_c0 string, _c1 string, _c2 string, _c3 boolean");
}

TEST(InferCsvSchemaTest, HandlesNoRecordsAndSampling) {
  testing::TempDirectory dir;
  std::string empty = dir.WriteFile("empty.csv", "\n\n");
  Result<SchemaPtr> schema = InferCsvSchema(*io::LocalFileSystem(), {empty}, {});
  ASSERT_TRUE(schema.ok());
  EXPECT_EQ((*schema)->num_fields(), 0);

  std::string contents = "n\n";
  for (int i = 0; i < 1000; ++i) contents += std::to_string(i) + "\n";
  contents += "not a number\n";
  std::string numbers = dir.WriteFile("numbers.csv", contents);
  CsvReadOptions options;
  options.header = true;
  options.sampling_ratio = 0.5;
  schema = InferCsvSchema(*io::LocalFileSystem(), {numbers}, options);
  ASSERT_TRUE(schema.ok());
  // Sampling is deterministic, so the one string row is either always or never seen.
  Result<SchemaPtr> again = InferCsvSchema(*io::LocalFileSystem(), {numbers}, options);
  EXPECT_TRUE((*schema)->Equals(**again));
  options.sampling_ratio = 1.0;
  schema = InferCsvSchema(*io::LocalFileSystem(), {numbers}, options);
  EXPECT_EQ((*schema)->ToString(), "n string");
}

TEST(InferCsvSchemaTest, NamesTheFileInErrors) {
  testing::TempDirectory dir;
  Result<SchemaPtr> schema =
      InferCsvSchema(*io::LocalFileSystem(), {dir.PathOf("missing.csv")}, {});
  EXPECT_TRUE(schema.status().IsNotFound());
  EXPECT_THAT(schema.status().message(), HasSubstr("while inferring the schema of"));
}

}  // namespace
}  // namespace arcflow::csv
