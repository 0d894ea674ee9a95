// End-to-end tests: run the arcflow binary as a user would and check its output and exit code.

#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "cli_fixture.h"

namespace arcflow {
namespace {

TEST_F(CliTest, CatPrintsCanonicalJsonLines) {
  std::string path = Write("orders.json",
                           "{\"id\": 1, \"amount\": 12.5, \"when\": \"2024-01-02T03:04:05Z\"}\n"
                           "{\"id\": 2, \"amount\": null}\n");
  CommandResult result =
      Run("cat " + path + " --schema 'id BIGINT, amount DECIMAL(10,2), when TIMESTAMP'");
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out,
            "{\"id\":1,\"amount\":\"12.50\",\"when\":\"2024-01-02T03:04:05.000000Z\"}\n"
            "{\"id\":2,\"amount\":null,\"when\":null}\n");
}

TEST_F(CliTest, CatReadsEnvelopeDocumentsAndSelectsNestedColumns) {
  std::string path = Write("envelope.json",
                           "{\n  \"_meta\": {\"source\": \"crm\", \"count\": 2},\n"
                           "  \"data\": [\n    {\"k\": 1},\n    {\"k\": 2}\n  ]\n}\n");
  CommandResult result = Run("cat " + path + " --columns _meta.source,data");
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "{\"source\":\"crm\",\"data\":[{\"k\":1},{\"k\":2}]}\n");
}

TEST_F(CliTest, CatCsvWithOptionsAndLimitAsTable) {
  std::string path = Write("people.csv", "name;age\n\"Smith; J\";41\nLee;NA\nKim;7\n");
  CommandResult result =
      Run("cat " + path +
          " --option header=true --option sep=';' --option nullValue=NA --option inferSchema=true"
          " --format table --limit 2");
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out,
            "+----------+------+\n"
            "| name     | age  |\n"
            "+----------+------+\n"
            "| Smith; J | 41   |\n"
            "| Lee      | NULL |\n"
            "+----------+------+\n"
            "2 rows\n");
}

TEST_F(CliTest, SchemaPrintsInferredDdlAndJson) {
  std::string path = Write("mixed.json", "{\"b\": 1, \"a\": \"x\"}\n{\"b\": 2.5, \"c\": [true]}\n");
  CommandResult ddl = Run("schema " + path);
  EXPECT_EQ(ddl.exit_code, 0) << ddl.err;
  EXPECT_EQ(ddl.out, "a STRING, b DOUBLE, c ARRAY<BOOLEAN>\n");
  CommandResult json = Run("schema --json " + path);
  EXPECT_EQ(json.exit_code, 0) << json.err;
  EXPECT_EQ(json.out,
            "{\"type\":\"struct\",\"fields\":["
            "{\"name\":\"a\",\"type\":\"string\",\"nullable\":true,\"metadata\":{}},"
            "{\"name\":\"b\",\"type\":\"double\",\"nullable\":true,\"metadata\":{}},"
            "{\"name\":\"c\",\"type\":{\"type\":\"array\",\"elementType\":\"boolean\","
            "\"containsNull\":true},\"nullable\":true,\"metadata\":{}}]}\n");
}

TEST_F(CliTest, ConvertManyInputsIntoOneOutputThroughGlobs) {
  Write("in/part-1.json", "");
  std::filesystem::create_directories(scratch_.Join("in"));
  Write("in/part-1.json", "{\"id\": 1}\n");
  Write("in/part-2.json", "{\"id\": 2}\n");
  std::string output = scratch_.Join("out.csv");
  CommandResult result = Run("convert '" + scratch_.Join("in/*.json") + "' " + output +
                             " --output-option header=true");
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(ReadFile(output), "id\n1\n2\n");
  CommandResult back = Run("cat " + output + " --option header=true");
  EXPECT_EQ(back.out, "{\"id\":\"1\"}\n{\"id\":\"2\"}\n");
}

TEST_F(CliTest, ParquetRoundTripThroughConvert) {
  std::string input = Write(
      "events.json",
      "{\"id\": 1, \"tags\": [\"a\", null], \"attrs\": {\"k\": 1.5}, \"at\": \"2024-05-06\"}\n"
      "{\"id\": null, \"tags\": [], \"attrs\": null, \"at\": null}\n");
  std::string schema =
      "--schema 'id BIGINT, tags ARRAY<STRING>, attrs MAP<STRING, DOUBLE>, at DATE'";
  std::string output = scratch_.Join("events.parquet");
  for (const char* codec : {"zstd", "snappy", "gzip", "lz4_raw", "none"}) {
    CommandResult convert =
        Run("convert " + input + " " + output + " " + schema + " --compression " + codec);
    ASSERT_EQ(convert.exit_code, 0) << codec << ": " << convert.err;
    CommandResult back = Run("cat " + output);
    EXPECT_EQ(back.exit_code, 0) << back.err;
    EXPECT_EQ(back.out,
              "{\"id\":1,\"tags\":[\"a\",null],\"attrs\":[{\"key\":\"k\",\"value\":1.5}],"
              "\"at\":\"2024-05-06\"}\n"
              "{\"id\":null,\"tags\":[],\"attrs\":null,\"at\":null}\n")
        << codec;
  }
  CommandResult described = Run("schema " + output);
  EXPECT_EQ(described.out, "id BIGINT, tags ARRAY<STRING>, attrs MAP<STRING, DOUBLE>, at DATE\n");
  CommandResult selected = Run("cat " + output + " --schema 'at DATE, id BIGINT'");
  EXPECT_EQ(selected.out, "{\"at\":\"2024-05-06\",\"id\":1}\n{\"at\":null,\"id\":null}\n")
      << selected.err;
  CommandResult missing = Run("cat " + output + " --schema 'nope INT'");
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("column 'nope' is not in"), std::string::npos) << missing.err;
}

TEST_F(CliTest, ParquetMetaPrintsTheFooterAsJson) {
  std::string output = scratch_.Join("one.parquet");
  ASSERT_EQ(Run("convert " + Write("one.json", "{\"x\": 7}\n") + " " + output).exit_code, 0);
  CommandResult meta = Run("parquet-meta --compact " + output);
  EXPECT_EQ(meta.exit_code, 0) << meta.err;
  EXPECT_EQ(meta.out.rfind("{\"version\":", 0), 0u) << meta.out;
  EXPECT_NE(meta.out.find("\"num_rows\":1"), std::string::npos) << meta.out;
  EXPECT_NE(meta.out.find("ZSTD"), std::string::npos) << meta.out;
  CommandResult not_parquet = Run("parquet-meta " + Write("x.parquet", "not a parquet file"));
  EXPECT_EQ(not_parquet.exit_code, 1);
  EXPECT_NE(not_parquet.err.find("x.parquet"), std::string::npos) << not_parquet.err;
}

TEST_F(CliTest, FailfastReportsFileLineAndOffset) {
  std::string path = Write("bad.json", "{\"qty\": 1}\n{\"qty\": \"many\"}\n");
  CommandResult result = Run("cat " + path + " --schema 'qty INT' --option mode=FAILFAST");
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("arcflow cat: error: "), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("bad.json"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("line 2"), std::string::npos) << result.err;
  EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1) << result.err;
}

TEST_F(CliTest, PermissiveKeepsCorruptRecordText) {
  std::string path = Write("bad.json", "{\"qty\": 1}\n{\"qty\": \"many\"}\nnot json\n");
  CommandResult result = Run("cat " + path + " --schema 'qty INT, _corrupt_record STRING'");
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out,
            "{\"qty\":1,\"_corrupt_record\":null}\n"
            "{\"qty\":null,\"_corrupt_record\":\"{\\\"qty\\\": \\\"many\\\"}\"}\n"
            "{\"qty\":null,\"_corrupt_record\":\"not json\"}\n");
}

TEST_F(CliTest, ErrorsAreOneLineWithNonZeroExit) {
  CommandResult missing = Run("cat " + scratch_.Join("nope.json"));
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("nope.json"), std::string::npos) << missing.err;
  CommandResult bad_schema = Run("cat " + Write("x.json", "{}\n") + " --schema 'a STRNG'");
  EXPECT_EQ(bad_schema.exit_code, 1);
  EXPECT_NE(bad_schema.err.find("STRNG"), std::string::npos) << bad_schema.err;
  CommandResult unknown_extension = Run("cat " + Write("x.txt", "a\n"));
  EXPECT_EQ(unknown_extension.exit_code, 1);
  EXPECT_NE(unknown_extension.err.find("--input-format"), std::string::npos);
  CommandResult bad_flag = Run("cat --no-such-flag x.json");
  EXPECT_NE(bad_flag.exit_code, 0);
}

TEST_F(CliTest, EveryCommandHasHelp) {
  for (const char* command :
       {"", "cat", "schema", "convert", "parquet-meta", "table", "table write", "table show",
        "table describe", "table history", "table checkpoint", "table optimize", "table vacuum",
        "table restore"}) {
    CommandResult result = Run(std::string(command) + " --help");
    EXPECT_EQ(result.exit_code, 0) << command;
    EXPECT_NE(result.out.find("Usage"), std::string::npos) << command;
  }
}

TEST_F(CliTest, ClosedPipeEndsQuietly) {
  std::string rows;
  for (int i = 0; i < 200000; ++i) rows += "{\"i\": " + std::to_string(i) + "}\n";
  std::string path = Write("many.json", rows);
  CommandResult result = Run("cat " + path + " | head -n 1; exit ${PIPESTATUS[0]}");
  EXPECT_EQ(result.out, "{\"i\":0}\n");
  EXPECT_EQ(result.err, "");
}

// Started through the dynamic loader, the binary must not restart itself for huge pages
// (allocator_policy.h): /proc/self/exe is then the loader, which would take --version for its
// own option.
TEST_F(CliTest, RunsWhenStartedThroughTheDynamicLoader) {
  const std::string loader = "/lib64/ld-linux-x86-64.so.2";
  if (!std::filesystem::exists(loader)) GTEST_SKIP() << "no " << loader << " here";
  CommandResult result =
      Run("--version && " + loader + " " + std::string(ARCFLOW_BINARY) + " --version");
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out, "arcflow 0.1.0\narcflow 0.1.0\n");
}

}  // namespace
}  // namespace arcflow
