#include "arcflow/csv/reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "arcflow/columnar/row_printer.h"
#include "arcflow/columnar/schema_ddl.h"
#include "arcflow/csv/testing/temp_directory.h"
#include "arcflow/io/format_options.h"

namespace arcflow::csv {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

SchemaPtr Ddl(std::string_view ddl) { return ParseDdlSchema(ddl).ValueOrDie(); }

// Everything a read produced.
struct ReadOutcome {
  Status status;
  SchemaPtr schema;
  std::vector<std::string> rows;  // Canonical JSON, one per row.
  std::vector<int64_t> batch_sizes;
  CsvReadStats stats;
};

class CsvReaderTest : public ::testing::Test {
 protected:
  // Writes `contents` to a file and reads it whole.
  ReadOutcome Read(std::string_view contents, const CsvReadOptions& options) {
    path_ = dir_.WriteFile("data.csv", contents);
    return ReadPath(path_, options);
  }

  static ReadOutcome ReadPath(const std::string& path, const CsvReadOptions& options) {
    ReadOutcome outcome;
    auto reader = CsvReader::Open(io::LocalFileSystem(), path, options);
    if (!reader.ok()) {
      outcome.status = reader.status();
      return outcome;
    }
    outcome.schema = (*reader)->schema();
    while (true) {
      Result<RecordBatchPtr> batch = (*reader)->Next();
      if (!batch.ok()) {
        outcome.status = batch.status();
        break;
      }
      if (*batch == nullptr) break;
      EXPECT_TRUE((*batch)->Validate().ok());
      EXPECT_TRUE((*batch)->schema()->Equals(*outcome.schema));
      outcome.batch_sizes.push_back((*batch)->num_rows());
      for (int64_t row = 0; row < (*batch)->num_rows(); ++row) {
        std::string text;
        AppendCanonicalRow(**batch, row, &text);
        outcome.rows.push_back(std::move(text));
      }
    }
    outcome.stats = (*reader)->stats();
    return outcome;
  }

  // Reads with the default chunk size and with tiny ones, which cut records everywhere, and
  // checks that every read gives the same rows.
  ReadOutcome ReadEveryChunking(std::string_view contents, CsvReadOptions options) {
    ReadOutcome whole = Read(contents, options);
    for (int64_t chunk : {1, 2, 3, 5, 7}) {
      options.chunk_bytes = chunk;
      ReadOutcome cut = ReadPath(path_, options);
      EXPECT_EQ(cut.status.ToString(), whole.status.ToString()) << "chunk " << chunk;
      EXPECT_EQ(cut.rows, whole.rows) << "chunk " << chunk;
    }
    return whole;
  }

  testing::TempDirectory dir_;
  std::string path_;
};

TEST_F(CsvReaderTest, ReadsAllStringsWithoutSchemaOrHeader) {
  ReadOutcome out = ReadEveryChunking("a,b\n1,\n", CsvReadOptions());
  ASSERT_TRUE(out.status.ok()) << out.status.ToString();
  EXPECT_EQ(out.schema->ToString(), "_c0 string, _c1 string");
  EXPECT_THAT(out.rows, ElementsAre(R"({"_c0":"a","_c1":"b"})", R"({"_c0":"1","_c1":null})"));
  EXPECT_EQ(out.stats.rows, 2);
}

TEST_F(CsvReaderTest, NamesColumnsFromTheHeader) {
  CsvReadOptions options;
  options.header = true;
  ReadOutcome out = ReadEveryChunking("id,,Name,name,x\n1,2,3,4,5\n", options);
  ASSERT_TRUE(out.status.ok()) << out.status.ToString();
  EXPECT_EQ(out.schema->ToString(), "id string, _c1 string, Name2 string, name3 string, x string");
  EXPECT_THAT(out.rows, ElementsAre(R"({"id":"1","_c1":"2","Name2":"3","name3":"4","x":"5"})"));
}

TEST_F(CsvReaderTest, ConvertsEveryType) {
  CsvReadOptions options;
  options.schema =
      Ddl("b BOOLEAN, t TINYINT, s SMALLINT, i INT, l BIGINT, f FLOAT, d DOUBLE, "
          "m DECIMAL(5,2), str STRING, bin BINARY, day DATE, ts TIMESTAMP, ntz TIMESTAMP_NTZ");
  ReadOutcome out = ReadEveryChunking(
      "TRUE,-128,32767,-7,9223372036854775807,0.5,1e300,1.005,hi,ab,2024-02-29,"
      "2024-01-02T03:04:05.123456+01:00,2024-01-02 03:04:05\n",
      options);
  ASSERT_TRUE(out.status.ok()) << out.status.ToString();
  EXPECT_THAT(out.rows,
              ElementsAre(R"({"b":true,"t":-128,"s":32767,"i":-7,"l":9223372036854775807,)"
                          R"("f":0.5,"d":1e+300,"m":"1.01","str":"hi","bin":"YWI=",)"
                          R"("day":"2024-02-29","ts":"2024-01-02T02:04:05.123456Z",)"
                          R"("ntz":"2024-01-02T03:04:05.000000"})"));
}

TEST_F(CsvReaderTest, DistinguishesNullFromEmpty) {
  CsvReadOptions options;
  options.schema = Ddl("s STRING, i INT, d DOUBLE");
  ReadOutcome out = ReadEveryChunking(",,\n\"\",\"\",\"\"\n", options);
  ASSERT_TRUE(out.status.ok()) << out.status.ToString();
  EXPECT_THAT(out.rows,
              ElementsAre(R"({"s":null,"i":null,"d":null})", R"({"s":"","i":null,"d":null})"));
  EXPECT_EQ(out.stats.corrupt, 0);
}

TEST_F(CsvReaderTest, HonoursNullAndEmptyValues) {
  CsvReadOptions options;
  options.schema = Ddl("s STRING, i INT");
  options.null_value = "NA";
  options.empty_value = "EMPTY";
  ReadOutcome out = ReadEveryChunking("NA,NA\n\"NA\",1\n\"\",2\n,3\n", options);
  ASSERT_TRUE(out.status.ok()) << out.status.ToString();
  // An empty unquoted field is no longer null, so for INT it does not parse.
  EXPECT_THAT(out.rows, ElementsAre(R"({"s":null,"i":null})", R"({"s":null,"i":1})",
                                    R"({"s":"EMPTY","i":2})", R"({"s":"","i":3})"));
}

TEST_F(CsvReaderTest, HonoursNanAndInfinityTokens) {
  CsvReadOptions options;
  options.schema = Ddl("d DOUBLE, f FLOAT");
  options.nan_value = "nan!";
  options.positive_inf = "+oo";
  options.negative_inf = "-oo";
  ReadOutcome out = Read("nan!,+oo\n-oo,NaN\nInf,-Infinity\n", options);
  ASSERT_TRUE(out.status.ok()) << out.status.ToString();
  EXPECT_THAT(out.rows,
              ElementsAre(R"({"d":"NaN","f":"Infinity"})", R"({"d":"-Infinity","f":"NaN"})",
                          R"({"d":"Infinity","f":"-Infinity"})"));
}

TEST_F(CsvReaderTest, RepairsInvalidUtf8InStringsButNotBinaries) {
  CsvReadOptions options;
  options.header = true;
  options.schema = Ddl("s STRING, b BINARY, i INT, _corrupt_record STRING");
  // The canonical row form would hide invalid bytes, so look at the arrays themselves.
  std::string path = dir_.WriteFile("utf8.csv", "s,b,i\na\xFF,\xFF,1\n\xC3,x,\xC3\n");
  auto reader = CsvReader::Open(io::LocalFileSystem(), path, options);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  RecordBatchPtr batch = (*reader)->Next().ValueOrDie();
  ASSERT_EQ(batch->num_rows(), 2);
  const auto& strings = static_cast<const StringArray&>(*batch->column(0));
  const auto& binaries = static_cast<const BinaryArray&>(*batch->column(1));
  const auto& corrupt = static_cast<const StringArray&>(*batch->column(3));
  EXPECT_EQ(strings.Value(0), "a\xEF\xBF\xBD");
  EXPECT_EQ(strings.Value(1), "\xEF\xBF\xBD");
  EXPECT_EQ(binaries.Value(0), "\xFF");
  EXPECT_EQ(corrupt.Value(1), "\xEF\xBF\xBD,x,\xEF\xBF\xBD");

  options.schema = nullptr;
  ReadOutcome out = Read("n\xFF\n1\n", options);
  ASSERT_TRUE(out.status.ok());
  EXPECT_EQ(out.schema->field(0).name, "n\xEF\xBF\xBD");
}

TEST_F(CsvReaderTest, PermissiveKeepsWhatParsesAndTheRawRecord) {
  CsvReadOptions options;
  options.schema = Ddl("id INT, qty INT, name STRING, _corrupt_record STRING");
  std::vector<io::RejectedRecord> rejected;
  options.on_rejected = [&](const io::RejectedRecord& record) { rejected.push_back(record); };
  ReadOutcome out = ReadEveryChunking("1,2,a\n2,x1,b\n3\n4,5,c,d\n", options);
  ASSERT_TRUE(out.status.ok()) << out.status.ToString();
  EXPECT_THAT(out.rows, ElementsAre(R"({"id":1,"qty":2,"name":"a","_corrupt_record":null})",
                                    R"({"id":2,"qty":null,"name":"b","_corrupt_record":"2,x1,b"})",
                                    R"({"id":3,"qty":null,"name":null,"_corrupt_record":"3"})",
                                    R"({"id":4,"qty":5,"name":"c","_corrupt_record":"4,5,c,d"})"));
  EXPECT_EQ(out.stats.rows, 4);
  EXPECT_EQ(out.stats.corrupt, 3);
  EXPECT_EQ(out.stats.dropped, 0);
  // on_rejected saw the records of every read ReadEveryChunking made; check the first three.
  ASSERT_GE(rejected.size(), 3u);
  EXPECT_EQ(rejected[0].path, path_);
  EXPECT_EQ(rejected[0].line, 2);
  EXPECT_EQ(rejected[0].byte_offset, 6);
  EXPECT_EQ(rejected[0].text, "2,x1,b");
  EXPECT_EQ(rejected[0].reason, "value 'x1' is not an INT for column 'qty'");
  EXPECT_EQ(rejected[1].reason, "record has 1 fields, expected 3");
  EXPECT_EQ(rejected[2].reason, "record has 4 fields, expected 3");
}

TEST_F(CsvReaderTest, DropMalformedDropsAndCounts) {
  CsvReadOptions options;
  options.schema = Ddl("id INT, name STRING");
  options.mode = io::ParseMode::kDropMalformed;
  ReadOutcome out = ReadEveryChunking("1,a\nx,b\n3\n4,d\n", options);
  ASSERT_TRUE(out.status.ok()) << out.status.ToString();
  EXPECT_THAT(out.rows, ElementsAre(R"({"id":1,"name":"a"})", R"({"id":4,"name":"d"})"));
  EXPECT_EQ(out.stats.rows, 2);
  EXPECT_EQ(out.stats.dropped, 2);
}

TEST_F(CsvReaderTest, FailFastNamesFileLineOffsetColumnAndValue) {
  CsvReadOptions options;
  options.schema = Ddl("id INT, qty INT");
  options.mode = io::ParseMode::kFailFast;
  ReadOutcome out = ReadEveryChunking("1,2\n\n2,3\n3,x1\n", options);
  EXPECT_TRUE(out.status.IsInvalid());
  EXPECT_EQ(out.status.message(), "csv: malformed record at " + path_ +
                                      " line 4 (byte 9): value 'x1' is not an INT for column "
                                      "'qty'");
  EXPECT_EQ(out.rows.size(), 0u);
}

TEST_F(CsvReaderTest, CountsLinesInsideQuotedValues) {
  CsvReadOptions options;
  options.schema = Ddl("a STRING, b INT");
  options.multi_line = true;
  options.mode = io::ParseMode::kFailFast;
  ReadOutcome out = ReadEveryChunking("\"x\ny\",1\r\n\"p\r\nq\",zz\n", options);
  EXPECT_THAT(out.status.message(), HasSubstr("line 3 (byte 9): value 'zz' is not an INT"));
}

TEST_F(CsvReaderTest, ReadsQuotedNewlinesInMultiLineMode) {
  CsvReadOptions options;
  options.multi_line = true;
  options.header = true;
  ReadOutcome out = ReadEveryChunking(
      "\xEF\xBB\xBFk,v\r\n1,\"line one\r\nline \"\"two\"\"\"\r\n2,\"a\\\"b\"\r\n", options);
  ASSERT_TRUE(out.status.ok()) << out.status.ToString();
  EXPECT_EQ(out.schema->ToString(), "k string, v string");
  EXPECT_THAT(out.rows, ElementsAre(R"({"k":"1","v":"line one\r\nline \"two\""})",
                                    R"({"k":"2","v":"a\"b"})"));
}

TEST_F(CsvReaderTest, UnclosedQuoteIsCorruptWithoutMultiLine) {
  CsvReadOptions options;
  options.schema = Ddl("a STRING, b STRING, _corrupt_record STRING");
  std::vector<std::string> reasons;
  options.on_rejected = [&](const io::RejectedRecord& record) { reasons.push_back(record.reason); };
  ReadOutcome out = Read("1,\"x\ny\",2\n", options);
  ASSERT_TRUE(out.status.ok()) << out.status.ToString();
  EXPECT_THAT(out.rows, ElementsAre(R"({"a":"1","b":"x","_corrupt_record":"1,\"x"})",
                                    R"({"a":"y\"","b":"2","_corrupt_record":null})"));
  ASSERT_EQ(reasons.size(), 1u);
  EXPECT_THAT(reasons[0], HasSubstr("quoted value of column 'b' is not closed before the end "
                                    "of the line"));
}

TEST_F(CsvReaderTest, SkipsCommentsAndBlankLines) {
  CsvReadOptions options;
  options.comment = '#';
  options.header = true;
  ReadOutcome out = ReadEveryChunking("# generated\n\na,b\n#skip\n1,2\n\n\n3,4", options);
  ASSERT_TRUE(out.status.ok()) << out.status.ToString();
  EXPECT_THAT(out.rows, ElementsAre(R"({"a":"1","b":"2"})", R"({"a":"3","b":"4"})"));
}

TEST_F(CsvReaderTest, UsesSeparatorQuoteAndLineSeparatorOptions) {
  CsvReadOptions options;
  options.delimiter = ';';
  options.quote = '\'';
  options.escape = '\'';
  options.line_separator = "|";
  ReadOutcome out = ReadEveryChunking("a;'b;''c'''|1;'x\ny'|", options);
  ASSERT_TRUE(out.status.ok()) << out.status.ToString();
  EXPECT_THAT(out.rows, ElementsAre(R"({"_c0":"a","_c1":"b;'c'"})", R"({"_c0":"1","_c1":"x\ny"})"));
}

TEST_F(CsvReaderTest, HeaderWithSchemaIsIgnoredWhenEnforced) {
  CsvReadOptions options;
  options.header = true;
  options.schema = Ddl("x INT, y INT");
  ReadOutcome out = Read("a,b\n1,2\n", options);
  ASSERT_TRUE(out.status.ok()) << out.status.ToString();
  EXPECT_THAT(out.rows, ElementsAre(R"({"x":1,"y":2})"));

  options.enforce_schema = false;
  out = Read("X,y\n1,2\n", options);
  ASSERT_TRUE(out.status.ok()) << out.status.ToString();
  EXPECT_THAT(out.rows, ElementsAre(R"({"x":1,"y":2})"));

  out = Read("a,y\n1,2\n", options);
  EXPECT_TRUE(out.status.IsInvalid());
  EXPECT_THAT(out.status.message(),
              HasSubstr("column 1 is 'a' in the header but 'x' in the schema"));

  out = Read("x\n1\n", options);
  EXPECT_THAT(out.status.message(), HasSubstr("has 1 columns but the schema has 2"));
}

TEST_F(CsvReaderTest, RejectsNestedTypes) {
  CsvReadOptions options;
  options.schema = Ddl("a INT, tags ARRAY<STRING>");
  ReadOutcome out = Read("1,x\n", options);
  EXPECT_TRUE(out.status.IsInvalid());
  EXPECT_EQ(out.status.message(),
            "csv: CSV data source does not support array<string> data type (column 'tags')");
}

TEST_F(CsvReaderTest, InfersTypesOnRequest) {
  CsvReadOptions options;
  options.header = true;
  options.infer_schema = true;
  ReadOutcome out = ReadEveryChunking("i,d,s\n1,2.5,x\n,3,y\n", options);
  ASSERT_TRUE(out.status.ok()) << out.status.ToString();
  EXPECT_EQ(out.schema->ToString(), "i int, d double, s string");
  EXPECT_THAT(out.rows, ElementsAre(R"({"i":1,"d":2.5,"s":"x"})", R"({"i":null,"d":3,"s":"y"})"));
}

TEST_F(CsvReaderTest, SplitsBatchesByRowsAndBytes) {
  CsvReadOptions options;
  options.batch_rows = 3;
  std::string contents;
  for (int i = 0; i < 10; ++i) contents += std::to_string(i) + "\n";
  ReadOutcome out = Read(contents, options);
  ASSERT_TRUE(out.status.ok());
  EXPECT_THAT(out.batch_sizes, ElementsAre(3, 3, 3, 1));

  options.batch_rows = 1000;
  options.batch_bytes = 40;
  out = Read(contents, options);
  ASSERT_EQ(out.rows.size(), 10u);
  EXPECT_GT(out.batch_sizes.size(), 2u);
}

TEST_F(CsvReaderTest, ParsesDatesAndTimestampsWithPatterns) {
  CsvReadOptions options;
  options.schema = Ddl("d DATE, ts TIMESTAMP, ntz TIMESTAMP_NTZ");
  options.date_format = "dd/MM/yyyy";
  options.timestamp_format = "yyyy-MM-dd HH:mm:ssXXX";
  options.timestamp_ntz_format = "dd.MM.yyyy HH:mm";
  ReadOutcome out = Read("29/02/2024,2024-01-02 03:04:05+02:00,05.06.2024 07:08\n", options);
  ASSERT_TRUE(out.status.ok()) << out.status.ToString();
  EXPECT_THAT(out.rows, ElementsAre(R"({"d":"2024-02-29","ts":"2024-01-02T01:04:05.000000Z",)"
                                    R"("ntz":"2024-06-05T07:08:00.000000"})"));
}

TEST_F(CsvReaderTest, ChecksDecimalRangeAndIntegerWidths) {
  CsvReadOptions options;
  options.schema = Ddl("m DECIMAL(4,2), t TINYINT");
  options.mode = io::ParseMode::kDropMalformed;
  ReadOutcome out = Read("99.994,127\n99.995,1\n1,128\n-1.5,-128\n", options);
  ASSERT_TRUE(out.status.ok());
  EXPECT_THAT(out.rows, ElementsAre(R"({"m":"99.99","t":127})", R"({"m":"-1.50","t":-128})"));
  EXPECT_EQ(out.stats.dropped, 2);
}

TEST_F(CsvReaderTest, MakesColumnsNullableAsSparkDoes) {
  CsvReadOptions options;
  options.schema = Ddl("a INT NOT NULL");
  ReadOutcome out = Read("\n1\n", options);
  ASSERT_TRUE(out.status.ok());
  EXPECT_TRUE(out.schema->field(0).nullable);
}

TEST_F(CsvReaderTest, HandlesEmptyFiles) {
  ReadOutcome out = Read("", CsvReadOptions());
  ASSERT_TRUE(out.status.ok());
  EXPECT_EQ(out.schema->num_fields(), 0);
  EXPECT_TRUE(out.rows.empty());

  CsvReadOptions options;
  options.schema = Ddl("a INT");
  options.header = true;
  out = Read("\xEF\xBB\xBF", options);
  ASSERT_TRUE(out.status.ok());
  EXPECT_EQ(out.schema->ToString(), "a int");
  EXPECT_TRUE(out.rows.empty());
}

TEST_F(CsvReaderTest, LimitsRecordLength) {
  CsvReadOptions options;
  options.multi_line = true;
  options.max_record_bytes = 64;
  options.chunk_bytes = 16;
  ReadOutcome out = Read("a\n\"" + std::string(200, 'x') + "\n", options);
  EXPECT_TRUE(out.status.IsInvalid());
  EXPECT_THAT(out.status.message(), HasSubstr("line 2 (byte 2) is longer than 64 bytes"));
}

TEST_F(CsvReaderTest, ReportsLimitsAsMalformedRecords) {
  CsvReadOptions options;
  options.schema = Ddl("a STRING, b STRING");
  options.max_chars_per_column = 3;
  options.max_columns = 2;
  std::vector<std::string> reasons;
  options.on_rejected = [&](const io::RejectedRecord& record) { reasons.push_back(record.reason); };
  options.mode = io::ParseMode::kDropMalformed;
  ReadOutcome out = Read("abc,de\nabcd,e\na,b,c\n", options);
  EXPECT_THAT(out.rows, ElementsAre(R"({"a":"abc","b":"de"})"));
  EXPECT_THAT(reasons,
              ElementsAre("value of column 'a' is longer than 3 characters (maxCharsPerColumn)",
                          "record has more than 2 fields (maxColumns)"));
}

TEST_F(CsvReaderTest, FailsForMissingFiles) {
  auto reader = CsvReader::Open(io::LocalFileSystem(), dir_.PathOf("nope.csv"), {});
  EXPECT_TRUE(reader.status().IsNotFound());
}

TEST(CsvReadOptionsTest, ReadsSparkOptionNames) {
  io::FormatOptions format;
  format.Set("HEADER", "true");
  format.Set("sep", "\\t");
  format.Set("quote", "");
  format.Set("nullValue", "NA");
  format.Set("mode", "dropMalformed");
  format.Set("multiline", "TRUE");
  format.Set("maxCharsPerColumn", "100");
  format.Set("samplingRatio", "0.5");
  format.Set("encoding", "utf-8");
  format.Set("lineSep", "\\r\\n");
  Result<CsvReadOptions> options = CsvReadOptions::FromFormatOptions(format);
  ASSERT_TRUE(options.ok()) << options.status().ToString();
  EXPECT_TRUE(options->header);
  EXPECT_EQ(options->delimiter, '\t');
  EXPECT_EQ(options->quote, '\0');
  EXPECT_EQ(options->null_value, "NA");
  EXPECT_EQ(options->mode, io::ParseMode::kDropMalformed);
  EXPECT_TRUE(options->multi_line);
  EXPECT_EQ(options->max_chars_per_column, 100);
  EXPECT_DOUBLE_EQ(options->sampling_ratio, 0.5);
  EXPECT_EQ(options->ToTokenizerOptions().line_separator, LineSeparator::kCrLf);
}

TEST(CsvReadOptionsTest, RejectsBadOptions) {
  auto with = [](std::string key, std::string value) {
    io::FormatOptions format;
    format.Set(std::move(key), std::move(value));
    return CsvReadOptions::FromFormatOptions(format).status();
  };
  EXPECT_TRUE(with("encoding", "latin1").IsNotImplemented());
  EXPECT_THAT(with("encoding", "latin1").message(), HasSubstr("only UTF-8"));
  EXPECT_TRUE(with("mode", "lenient").IsInvalid());
  EXPECT_TRUE(with("sep", "ab").IsInvalid());
  EXPECT_TRUE(with("sep", "").IsInvalid());
  EXPECT_TRUE(with("quote", ",").IsInvalid());
  EXPECT_TRUE(with("samplingRatio", "0").IsInvalid());
  EXPECT_TRUE(with("maxColumns", "0").IsInvalid());
  EXPECT_TRUE(with("lineSep", "abc").IsInvalid());
  EXPECT_TRUE(with("timeZone", "Europe/Paris").IsNotImplemented());
  EXPECT_TRUE(with("header", "yes").IsInvalid());
  CsvReadOptions options;
  options.schema = Ddl("_corrupt_record INT");
  EXPECT_THAT(options.Validate().message(), HasSubstr("must be of type STRING"));
}

}  // namespace
}  // namespace arcflow::csv
