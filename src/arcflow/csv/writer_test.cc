#include "arcflow/csv/writer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "arcflow/columnar/schema_ddl.h"
#include "arcflow/csv/testing/temp_directory.h"

namespace arcflow::csv {
namespace {

using ::testing::HasSubstr;
using namespace std::string_view_literals;

SchemaPtr Ddl(std::string_view ddl) { return ParseDdlSchema(ddl).ValueOrDie(); }

// A batch of (s STRING, i INT) rows; nullopt is null.
RecordBatchPtr StringIntBatch(
    const std::vector<std::pair<std::optional<std::string>, std::optional<int32_t>>>& rows) {
  RecordBatchBuilder builder(Ddl("s STRING, i INT"));
  auto* strings = static_cast<StringBuilder*>(builder.column_builder(0));
  auto* ints = static_cast<Int32Builder*>(builder.column_builder(1));
  for (const auto& [text, number] : rows) {
    if (text) {
      strings->Append(*text);
    } else {
      strings->AppendNull();
    }
    if (number) {
      ints->Append(*number);
    } else {
      ints->AppendNull();
    }
  }
  return builder.Finish().ValueOrDie();
}

class CsvWriterTest : public ::testing::Test {
 protected:
  // Writes `batches` with `options` and returns the file's text.
  std::string WriteAll(const SchemaPtr& schema, const std::vector<RecordBatchPtr>& batches,
                       const CsvWriteOptions& options) {
    std::string path = dir_.PathOf("out.csv");
    auto file = io::LocalFileSystem()->OpenWritable(path);
    EXPECT_TRUE(file.ok());
    auto writer = CsvWriter::Open(std::move(file).MoveValueUnsafe(), schema, options);
    EXPECT_TRUE(writer.ok()) << writer.status().ToString();
    for (const RecordBatchPtr& batch : batches) {
      Status status = (*writer)->Write(*batch);
      EXPECT_TRUE(status.ok()) << status.ToString();
    }
    EXPECT_TRUE((*writer)->Close().ok());
    return std::string(io::LocalFileSystem()->ReadFile(path).ValueOrDie()->view());
  }

  std::string WriteStringInts(
      const std::vector<std::pair<std::optional<std::string>, std::optional<int32_t>>>& rows,
      const CsvWriteOptions& options) {
    RecordBatchPtr batch = StringIntBatch(rows);
    return WriteAll(batch->schema(), {batch}, options);
  }

  testing::TempDirectory dir_;
};

TEST_F(CsvWriterTest, QuotesOnlyWhatNeedsQuotesSparkStyle) {
  std::string text = WriteStringInts({{"a", 1},
                                      {std::nullopt, std::nullopt},
                                      {"", 2},
                                      {"x,y", 3},
                                      {"q\"uote", 4},
                                      {"line\nbreak", 5},
                                      {" pad ", 6},
                                      {"back\\slash", 7},
                                      {"end\\", 8},
                                      {"cr\r", 9},
                                      {"x\\\"y,", 10},
                                      {"z\\,", 11}},
                                     CsvWriteOptions());
  EXPECT_EQ(text,
            "a,1\n"
            ",\n"
            "\"\",2\n"
            "\"x,y\",3\n"
            "\"q\\\"uote\",4\n"
            "\"line\nbreak\",5\n"
            "\" pad \",6\n"
            "back\\slash,7\n"
            "end\\,8\n"
            "\"cr\r\",9\n"
            "\"x\\\\\\\"y,\",10\n"
            "\"z\\,\",11\n");
}

TEST_F(CsvWriterTest, QuotesALeadingByteOrderMark) {
  // Regression: a first value starting with U+FEFF was written bare and read back without it.
  EXPECT_EQ(WriteStringInts({{"\xEF\xBB\xBFx", 1}, {"\xEF\xBB\xBFy", 2}}, CsvWriteOptions()),
            "\"\xEF\xBB\xBFx\",1\n\xEF\xBB\xBFy,2\n");
}

TEST_F(CsvWriterTest, DoublesQuotesInRfc4180Style) {
  CsvWriteOptions options;
  options.escape = '"';
  EXPECT_EQ(WriteStringInts({{"q\"uote", 1}, {"\"", 2}, {"end\\", 3}}, options),
            "\"q\"\"uote\",1\n\"\"\"\",2\nend\\,3\n");
}

TEST_F(CsvWriterTest, EscapesTheEscapeBeforeAQuote) {
  // A value ending in the escape character needs it escaped before the closing quote.
  EXPECT_EQ(WriteStringInts({{"a,b\\", 1}}, CsvWriteOptions()), "\"a,b\\\\\",1\n");
  CsvWriteOptions options;
  options.char_to_escape_quote_escaping = '#';
  EXPECT_EQ(WriteStringInts({{"a,b\\", 1}, {"#\",", 2}}, options), "\"a,b#\\\",1\n\"#\"\",\",2\n");
}

TEST_F(CsvWriterTest, WritesHeaderAndHonoursQuoteAll) {
  CsvWriteOptions options;
  options.header = true;
  options.quote_all = true;
  EXPECT_EQ(WriteStringInts({{"a", 1}, {std::nullopt, 2}, {"", std::nullopt}}, options),
            "\"s\",\"i\"\n\"a\",\"1\"\n,\"2\"\n\"\",\n");
}

TEST_F(CsvWriterTest, WritesHeaderForEmptyOutput) {
  CsvWriteOptions options;
  options.header = true;
  EXPECT_EQ(WriteAll(Ddl("a INT, `b,c` STRING"), {}, options), "a,\"b,c\"\n");
  EXPECT_EQ(WriteAll(Ddl("a INT"), {}, CsvWriteOptions()), "");
}

TEST_F(CsvWriterTest, HonoursEscapeQuotesNullValueEmptyValueAndSeparators) {
  CsvWriteOptions options;
  options.escape_quotes = false;
  options.null_value = "NULL";
  options.empty_value = "EMPTY";
  options.delimiter = ';';
  options.line_separator = "\r\n";
  EXPECT_EQ(WriteStringInts(
                {{"q\"uote", 1}, {"\"start", 2}, {std::nullopt, 3}, {"", 4}, {"a;b", 5}}, options),
            "q\"uote;1\r\n\"\\\"start\";2\r\nNULL;3\r\nEMPTY;4\r\n\"a;b\";5\r\n");
}

TEST_F(CsvWriterTest, CanTrimLikeSpark) {
  CsvWriteOptions options;
  options.ignore_leading_white_space = true;
  options.ignore_trailing_white_space = true;
  EXPECT_EQ(WriteStringInts({{"  a b  ", 1}, {"   ", 2}}, options), "a b,1\n\"\",2\n");
}

TEST_F(CsvWriterTest, FormatsEveryType) {
  SchemaPtr schema =
      Ddl("b BOOLEAN, t TINYINT, l BIGINT, f FLOAT, d DOUBLE, m DECIMAL(5,2), bin BINARY, "
          "day DATE, ts TIMESTAMP, ntz TIMESTAMP_NTZ");
  RecordBatchBuilder builder(schema);
  auto at = [&](int i) { return builder.column_builder(i); };
  static_cast<BooleanBuilder*>(at(0))->Append(false);
  static_cast<Int8Builder*>(at(1))->Append(-8);
  static_cast<Int64Builder*>(at(2))->Append(INT64_MIN);
  static_cast<Float32Builder*>(at(3))->Append(0.1f);
  static_cast<Float64Builder*>(at(4))->Append(NAN);
  static_cast<Decimal128Builder*>(at(5))->Append(-1230);
  static_cast<BinaryBuilder*>(at(6))->Append(std::string_view("a\0b", 3));
  static_cast<Date32Builder*>(at(7))->Append(19782);
  static_cast<TimestampBuilder*>(at(8))->Append(1000001);
  static_cast<TimestampBuilder*>(at(9))->Append(-1);
  RecordBatchPtr batch = builder.Finish().ValueOrDie();
  EXPECT_EQ(WriteAll(schema, {batch}, CsvWriteOptions()),
            "false,-8,-9223372036854775808,0.1,NaN,-12.30,a\0b,2024-02-29,"
            "1970-01-01T00:00:01.000001Z,1969-12-31T23:59:59.999999\n"sv);

  CsvWriteOptions options;
  options.date_format = "dd/MM/yyyy";
  options.timestamp_format = "yyyy-MM-dd HH:mm:ss";
  options.timestamp_ntz_format = "HH:mm, dd.MM.yyyy";
  std::string text = WriteAll(schema, {batch}, options);
  EXPECT_THAT(text, HasSubstr(",29/02/2024,1970-01-01 00:00:01,\"23:59, 31.12.1969\"\n"));
}

TEST_F(CsvWriterTest, RejectsNestedTypesAndMismatchedBatches) {
  auto file = io::LocalFileSystem()->OpenWritable(dir_.PathOf("x.csv"));
  auto writer =
      CsvWriter::Open(std::move(file).MoveValueUnsafe(), Ddl("a INT, m MAP<STRING, INT>"), {});
  EXPECT_TRUE(writer.status().IsInvalid());
  EXPECT_EQ(writer.status().message(),
            "csv: CSV data source does not support map<string,int> data type (column 'm')");

  file = io::LocalFileSystem()->OpenWritable(dir_.PathOf("y.csv"));
  auto ok_writer = CsvWriter::Open(std::move(file).MoveValueUnsafe(), Ddl("a INT, b INT"), {});
  ASSERT_TRUE(ok_writer.ok());
  Status status = (*ok_writer)->Write(*StringIntBatch({{"x", 1}}));
  EXPECT_TRUE(status.IsInvalid());
  EXPECT_THAT(status.message(), HasSubstr("column 'a' of the batch has type string"));
  EXPECT_TRUE((*ok_writer)->Close().ok());
  EXPECT_TRUE((*ok_writer)->Write(*StringIntBatch({})).IsInvalid());
}

TEST_F(CsvWriterTest, FinishHandsTheFileBackOpen) {
  std::string path = dir_.PathOf("finish.csv");
  auto file = io::LocalFileSystem()->OpenWritable(path);
  auto writer = CsvWriter::Open(std::move(file).MoveValueUnsafe(), Ddl("s STRING, i INT"), {});
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE((*writer)->Write(*StringIntBatch({{"a", 1}})).ok());
  Result<std::unique_ptr<io::WritableFile>> handed = (*writer)->Finish();
  ASSERT_TRUE(handed.ok());
  ASSERT_TRUE((*handed)->Append(std::string_view("tail\n")).ok());
  ASSERT_TRUE((*handed)->Close().ok());
  EXPECT_EQ(io::LocalFileSystem()->ReadFile(path).ValueOrDie()->view(), "a,1\ntail\n");
}

TEST(CsvWriteOptionsTest, ReadsSparkOptionNames) {
  io::FormatOptions format;
  format.Set("header", "true");
  format.Set("delimiter", "|");
  format.Set("quoteAll", "true");
  format.Set("escapeQuotes", "false");
  format.Set("emptyValue", "");
  format.Set("lineSep", "\\r\\n");
  Result<CsvWriteOptions> options = CsvWriteOptions::FromFormatOptions(format);
  ASSERT_TRUE(options.ok()) << options.status().ToString();
  EXPECT_TRUE(options->header);
  EXPECT_EQ(options->delimiter, '|');
  EXPECT_TRUE(options->quote_all);
  EXPECT_FALSE(options->escape_quotes);
  EXPECT_EQ(options->empty_value, std::optional<std::string>(""));
  EXPECT_EQ(options->line_separator, "\r\n");

  io::FormatOptions bad;
  bad.Set("charset", "UTF-16");
  EXPECT_TRUE(CsvWriteOptions::FromFormatOptions(bad).status().IsNotImplemented());
  bad = io::FormatOptions();
  bad.Set("quote", ",");
  EXPECT_TRUE(CsvWriteOptions::FromFormatOptions(bad).status().IsInvalid());
}

}  // namespace
}  // namespace arcflow::csv
