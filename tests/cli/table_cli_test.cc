// End-to-end tests of `arcflow table`: Delta tables written, read, described and time-travelled
// through the CLI, and tables written by other engines read back.

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cli_fixture.h"

namespace arcflow {
namespace {

using ::testing::HasSubstr;

std::vector<std::string> SortedLines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();  // CSV lines end in CRLF.
    lines.push_back(line);
  }
  std::sort(lines.begin(), lines.end());
  return lines;
}

class TableCliTest : public CliTest {
 protected:
  std::string Table() { return scratch_.Join("orders"); }

  std::string WriteOrders(const std::string& name, const std::string& rows) {
    return Write(name, rows);
  }

  static constexpr const char* kSchema =
      "'id BIGINT, country STRING, amount DECIMAL(10,2), placed TIMESTAMP'";

  // `table write --mode upsert` of the rows of `input` into the table, keyed by id.
  CommandResult UpsertById(const std::string& input) {
    return Run("table write " + Table() + " " + input + " --schema " + kSchema +
               " --mode upsert --merge-keys id");
  }
};

TEST_F(TableCliTest, WritesShowsAndTimeTravels) {
  std::string first = Write("day1.json",
                            "{\"id\": 1, \"country\": \"NO\", \"amount\": 10.5, \"placed\": "
                            "\"2024-05-01T10:00:00Z\"}\n"
                            "{\"id\": 2, \"country\": \"SE\", \"amount\": 7, \"placed\": null}\n");
  CommandResult created = Run("table write " + Table() + " " + first + " --schema " + kSchema);
  ASSERT_EQ(created.exit_code, 0) << created.err;
  EXPECT_THAT(created.out, HasSubstr("version 1, 2 rows in 1 files"));
  EXPECT_TRUE(std::filesystem::exists(Table() + "/_delta_log/00000000000000000000.json"));
  EXPECT_TRUE(std::filesystem::exists(Table() + "/_delta_log/00000000000000000001.json"));

  std::string second = Write("day2.json",
                             "{\"id\": 3, \"country\": \"NO\", \"amount\": 1.25, \"placed\": "
                             "\"2024-05-02T00:00:00+02:00\"}\n");
  CommandResult appended = Run("table write " + Table() + " " + second + " --schema " + kSchema);
  ASSERT_EQ(appended.exit_code, 0) << appended.err;

  CommandResult shown = Run("table show " + Table());
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_EQ(
      SortedLines(shown.out),
      (std::vector<std::string>{
          R"({"id":1,"country":"NO","amount":"10.50","placed":"2024-05-01T10:00:00.000000Z"})",
          R"({"id":2,"country":"SE","amount":"7.00","placed":null})",
          R"({"id":3,"country":"NO","amount":"1.25","placed":"2024-05-01T22:00:00.000000Z"})"}));

  CommandResult filtered =
      Run("table show " + Table() + " --where \"country = 'NO' AND amount >= 5\" --columns id");
  ASSERT_EQ(filtered.exit_code, 0) << filtered.err;
  EXPECT_EQ(filtered.out, "{\"id\":1}\n");

  CommandResult version1 = Run("table show " + Table() + " --version 1 --format csv --columns id");
  ASSERT_EQ(version1.exit_code, 0) << version1.err;
  EXPECT_EQ(SortedLines(version1.out), (std::vector<std::string>{"1", "2", "id"}));

  CommandResult overwritten =
      Run("table write " + Table() + " " + second + " --mode overwrite " + "--schema " + kSchema);
  ASSERT_EQ(overwritten.exit_code, 0) << overwritten.err;
  CommandResult after = Run("table show " + Table() + " --columns id");
  EXPECT_EQ(after.out, "{\"id\":3}\n");

  CommandResult history = Run("table history " + Table());
  ASSERT_EQ(history.exit_code, 0) << history.err;
  std::vector<std::string> lines = SortedLines(history.out);
  ASSERT_EQ(lines.size(), 5u) << history.out;  // Header and versions 0..3.
  EXPECT_THAT(history.out, HasSubstr("CREATE TABLE"));
  EXPECT_THAT(history.out, HasSubstr("\"mode\":\"Overwrite\""));

  CommandResult json_history = Run("table history " + Table() + " --json --limit 1");
  ASSERT_EQ(json_history.exit_code, 0) << json_history.err;
  EXPECT_THAT(json_history.out, HasSubstr("{\"version\":3,"));
  EXPECT_EQ(std::count(json_history.out.begin(), json_history.out.end(), '\n'), 1);

  CommandResult described = Run("table describe " + Table());
  ASSERT_EQ(described.exit_code, 0) << described.err;
  EXPECT_THAT(described.out, HasSubstr("id BIGINT, country STRING, amount DECIMAL(10,2)"));
  EXPECT_THAT(described.out, HasSubstr("reader 1, writer 2"));
  EXPECT_THAT(described.out, HasSubstr("rows           1\n"));
  EXPECT_THAT(described.out, HasSubstr("files          1\n"));
}

TEST_F(TableCliTest, PartitionsAndCheckpoints) {
  std::string rows;
  for (int i = 0; i < 6; ++i) {
    rows += "{\"id\": " + std::to_string(i) + ", \"country\": \"" + (i % 2 ? "NO" : "SE") +
            "\", \"amount\": 1, \"placed\": null}\n";
  }
  std::string input = Write("rows.json", rows);
  CommandResult written = Run("table write " + Table() + " " + input + " --schema " + kSchema +
                              " --partition-by country");
  ASSERT_EQ(written.exit_code, 0) << written.err;
  EXPECT_TRUE(std::filesystem::is_directory(Table() + "/country=NO"));
  EXPECT_TRUE(std::filesystem::is_directory(Table() + "/country=SE"));
  CommandResult norway = Run("table show " + Table() + " --where \"country = 'NO'\" --columns id");
  ASSERT_EQ(norway.exit_code, 0) << norway.err;
  EXPECT_EQ(SortedLines(norway.out),
            (std::vector<std::string>{"{\"id\":1}", "{\"id\":3}", "{\"id\":5}"}));

  CommandResult checkpoint = Run("table checkpoint " + Table());
  ASSERT_EQ(checkpoint.exit_code, 0) << checkpoint.err;
  EXPECT_TRUE(
      std::filesystem::exists(Table() + "/_delta_log/00000000000000000001.checkpoint.parquet"));
  EXPECT_TRUE(std::filesystem::exists(Table() + "/_delta_log/_last_checkpoint"));
  CommandResult described = Run("table describe " + Table());
  EXPECT_THAT(described.out, HasSubstr("checkpoint     1\n"));
  EXPECT_THAT(described.out, HasSubstr("partitioned by country\n"));

  CommandResult wrong_partitioning =
      Run("table write " + Table() + " " + input + " --schema " + kSchema + " --partition-by id");
  EXPECT_EQ(wrong_partitioning.exit_code, 1);
  EXPECT_THAT(wrong_partitioning.err, HasSubstr("partitioned by [country]"));
}

TEST_F(TableCliTest, SchemaMismatchNamesTheColumnsUnlessMergeSchema) {
  std::string first = Write("a.json", "{\"id\": 1}\n");
  ASSERT_EQ(Run("table write " + Table() + " " + first + " --schema 'id BIGINT'").exit_code, 0);
  std::string second = Write("b.json", "{\"id\": 2, \"note\": \"x\"}\n");
  CommandResult mismatch =
      Run("table write " + Table() + " " + second + " --schema 'id BIGINT, note STRING'");
  EXPECT_EQ(mismatch.exit_code, 1);
  EXPECT_THAT(mismatch.err, HasSubstr("note"));
  CommandResult merged = Run("table write " + Table() + " " + second +
                             " --schema 'id BIGINT, note STRING' --merge-schema");
  ASSERT_EQ(merged.exit_code, 0) << merged.err;
  CommandResult shown = Run("table show " + Table());
  EXPECT_EQ(SortedLines(shown.out),
            (std::vector<std::string>{R"({"id":1,"note":null})", R"({"id":2,"note":"x"})"}));
}

// Properties given at creation shape the table: column mapping renames the data files'
// columns and raises the protocol, the change data feed records an upsert's changes.
TEST_F(TableCliTest, PropertiesOfANewTable) {
  std::string first =
      Write("first.json", "{\"id\": 1, \"country\": \"NO\", \"amount\": 1, \"placed\": null}\n");
  CommandResult created =
      Run("table write " + Table() + " " + first + " --schema " + kSchema +
          " --property delta.columnMapping.mode=name --property delta.enableChangeDataFeed=true");
  ASSERT_EQ(created.exit_code, 0) << created.err;
  CommandResult described = Run("table describe " + Table());
  EXPECT_THAT(described.out, HasSubstr("reader 2, writer 5"));
  EXPECT_THAT(described.out, HasSubstr("delta.columnMapping.mode=name"));
  EXPECT_THAT(described.out, HasSubstr("delta.enableChangeDataFeed=true"));
  EXPECT_THAT(Run("table history " + Table() + " --json").out,
              HasSubstr(R"(\"delta.enableChangeDataFeed\":\"true\")"));

  std::string changes =
      Write("changes.json", "{\"id\": 1, \"country\": \"SE\", \"amount\": 2, \"placed\": null}\n");
  CommandResult upsert = UpsertById(changes);
  ASSERT_EQ(upsert.exit_code, 0) << upsert.err;
  EXPECT_TRUE(std::filesystem::is_directory(Table() + "/_change_data"));
  EXPECT_EQ(Run("table show " + Table() + " --columns id,country").out,
            "{\"id\":1,\"country\":\"SE\"}\n");
  // The data files name their columns by physical name, not "country".
  std::string data_file;
  for (const auto& entry : std::filesystem::directory_iterator(Table())) {
    if (entry.path().extension() == ".parquet") data_file = entry.path().string();
  }
  ASSERT_FALSE(data_file.empty());
  CommandResult schema = Run("schema " + data_file);
  ASSERT_EQ(schema.exit_code, 0) << schema.err;
  EXPECT_THAT(schema.out, HasSubstr("`col-"));
  EXPECT_THAT(schema.out, ::testing::Not(HasSubstr("country")));

  CommandResult changed_later = Run("table write " + Table() + " " + changes + " --schema " +
                                    kSchema + " --property delta.appendOnly=true");
  EXPECT_EQ(changed_later.exit_code, 1);
  EXPECT_THAT(changed_later.err, HasSubstr("--property applies only when creating"));
  // Repeating the table's own value is allowed.
  EXPECT_EQ(Run("table write " + Table() + " " + changes + " --schema " + kSchema +
                " --property delta.columnMapping.mode=name")
                .exit_code,
            0);
}

TEST_F(TableCliTest, BadPropertiesAreRefusedBeforeAnythingIsWritten) {
  std::string input = Write("rows.json", "{\"id\": 1}\n");
  for (const char* bad :
       {"delta.checkpointInterval=0", "delta.enableChangeDataFeed=TRUE",
        "delta.logRetentionDuration=forever", "delta.columnMapping.mode=names", "no-equals-sign"}) {
    SCOPED_TRACE(bad);
    CommandResult refused =
        Run("table write " + Table() + " " + input + " --schema 'id BIGINT' --property " + bad);
    EXPECT_EQ(refused.exit_code, 1);
    EXPECT_FALSE(refused.err.empty());
    EXPECT_FALSE(std::filesystem::exists(Table() + "/_delta_log/00000000000000000000.json"));
  }
  CommandResult row_tracking = Run("table write " + Table() + " " + input +
                                   " --schema 'id BIGINT' --property delta.enableRowTracking=true");
  EXPECT_EQ(row_tracking.exit_code, 1);
  EXPECT_THAT(row_tracking.err, HasSubstr("delta.enableRowTracking"));
}

TEST_F(TableCliTest, WhereClauseErrorsPointAtThePosition) {
  std::string input = Write("a.json", "{\"id\": 1}\n");
  ASSERT_EQ(Run("table write " + Table() + " " + input + " --schema 'id BIGINT'").exit_code, 0);
  CommandResult bad_operator = Run("table show " + Table() + " --where 'id != 1'");
  EXPECT_EQ(bad_operator.exit_code, 1);
  EXPECT_THAT(bad_operator.err, HasSubstr("operator '!=' is not supported"));
  CommandResult dangling = Run("table show " + Table() + " --where 'id = 1 AND'");
  EXPECT_EQ(dangling.exit_code, 1);
  EXPECT_THAT(dangling.err, HasSubstr("expected a condition at position 11"));
  CommandResult unknown = Run("table show " + Table() + " --where 'nope = 1'");
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_THAT(unknown.err, HasSubstr("nope"));
  CommandResult mirrored = Run("table show " + Table() + " --where '0 < id AND id IS NOT NULL'");
  EXPECT_EQ(mirrored.out, "{\"id\":1}\n");
}

TEST_F(TableCliTest, UpsertsOptimizesRestoresAndVacuums) {
  std::string first = Write("first.json",
                            "{\"id\": 1, \"country\": \"NO\", \"amount\": 1, \"placed\": null}\n"
                            "{\"id\": 2, \"country\": \"SE\", \"amount\": 2, \"placed\": null}\n");
  ASSERT_EQ(Run("table write " + Table() + " " + first + " --schema " + kSchema).exit_code, 0);
  std::string second =
      Write("second.json", "{\"id\": 3, \"country\": \"DK\", \"amount\": 3, \"placed\": null}\n");
  ASSERT_EQ(Run("table write " + Table() + " " + second + " --schema " + kSchema).exit_code, 0);

  std::string changes =
      Write("changes.json",
            "{\"id\": 2, \"country\": \"SE\", \"amount\": 20, \"placed\": null}\n"
            "{\"id\": 4, \"country\": \"FI\", \"amount\": 4, \"placed\": null}\n");
  CommandResult upsert = UpsertById(changes);
  ASSERT_EQ(upsert.exit_code, 0) << upsert.err;
  EXPECT_THAT(upsert.out, HasSubstr("1 rows inserted, 1 updated"));
  CommandResult shown = Run("table show " + Table() + " --columns id,amount");
  EXPECT_EQ(
      SortedLines(shown.out),
      (std::vector<std::string>{R"({"id":1,"amount":"1.00"})", R"({"id":2,"amount":"20.00"})",
                                R"({"id":3,"amount":"3.00"})", R"({"id":4,"amount":"4.00"})"}));
  CommandResult no_keys = Run("table write " + Table() + " " + changes + " --mode upsert");
  EXPECT_EQ(no_keys.exit_code, 1);
  EXPECT_THAT(no_keys.err, HasSubstr("--merge-keys"));

  CommandResult optimized = Run("table optimize " + Table());
  ASSERT_EQ(optimized.exit_code, 0) << optimized.err;
  EXPECT_THAT(optimized.out, HasSubstr("compacted into 1 files"));
  CommandResult described = Run("table describe " + Table());
  EXPECT_THAT(described.out, HasSubstr("files          1\n"));
  EXPECT_THAT(described.out, HasSubstr("rows           4\n"));
  EXPECT_EQ(SortedLines(Run("table show " + Table() + " --columns id,amount").out),
            SortedLines(shown.out));

  // Version 2 held ids 1, 2 and 3 before the upsert.
  CommandResult restored = Run("table restore " + Table() + " --version 2");
  ASSERT_EQ(restored.exit_code, 0) << restored.err;
  EXPECT_THAT(restored.out, HasSubstr("has the data of version 2"));
  EXPECT_EQ(SortedLines(Run("table show " + Table() + " --columns id,amount").out),
            (std::vector<std::string>{R"({"id":1,"amount":"1.00"})", R"({"id":2,"amount":"2.00"})",
                                      R"({"id":3,"amount":"3.00"})"}));
  CommandResult no_target = Run("table restore " + Table());
  EXPECT_EQ(no_target.exit_code, 1);

  // The files removed just now are younger than any retention: the safety check refuses a
  // zero retention, and with it disabled a dry run lists them without deleting anything.
  CommandResult refused = Run("table vacuum " + Table() + " --retain-hours 0");
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_THAT(refused.err, HasSubstr("retention"));
  CommandResult dry_run =
      Run("table vacuum " + Table() + " --retain-hours 0 --disable-retention-check --dry-run");
  ASSERT_EQ(dry_run.exit_code, 0) << dry_run.err;
  EXPECT_THAT(dry_run.out, HasSubstr("would delete"));
  CommandResult history = Run("table history " + Table());
  EXPECT_THAT(history.out, HasSubstr("MERGE"));
  EXPECT_THAT(history.out, HasSubstr("OPTIMIZE"));
  EXPECT_THAT(history.out, HasSubstr("RESTORE"));
}

// A table created with deletion vectors: an upsert keeps the file it changes and hides the
// updated row; describe counts the rows left, optimize rewrites the file without its hidden
// row, and vacuum then deletes the data file and the vector file no version needs.
TEST_F(TableCliTest, UpsertIntoATableWithDeletionVectors) {
  std::string first = Write("first.json",
                            "{\"id\": 1, \"country\": \"NO\", \"amount\": 1, \"placed\": null}\n"
                            "{\"id\": 2, \"country\": \"SE\", \"amount\": 2, \"placed\": null}\n");
  CommandResult created = Run("table write " + Table() + " " + first + " --schema " + kSchema +
                              " --property delta.enableDeletionVectors=true");
  ASSERT_EQ(created.exit_code, 0) << created.err;
  EXPECT_THAT(Run("table describe " + Table()).out, HasSubstr("reader 3, writer 7"));
  std::string changes =
      Write("changes.json",
            "{\"id\": 2, \"country\": \"SE\", \"amount\": 20, \"placed\": null}\n"
            "{\"id\": 3, \"country\": \"FI\", \"amount\": 3, \"placed\": null}\n");
  CommandResult upsert = UpsertById(changes);
  ASSERT_EQ(upsert.exit_code, 0) << upsert.err;
  EXPECT_THAT(upsert.out, HasSubstr("1 rows inserted, 1 updated, 0 copied"));
  EXPECT_THAT(upsert.out, HasSubstr("0 removed, 1 kept with a deletion vector"));
  const auto count_files = [&](std::string_view prefix) {
    int count = 0;
    for (const auto& entry : std::filesystem::directory_iterator(Table())) {
      if (entry.path().filename().string().starts_with(prefix)) ++count;
    }
    return count;
  };
  EXPECT_EQ(count_files("deletion_vector_"), 1);
  const std::vector<std::string> expected = {
      R"({"id":1,"amount":"1.00"})", R"({"id":2,"amount":"20.00"})", R"({"id":3,"amount":"3.00"})"};
  EXPECT_EQ(SortedLines(Run("table show " + Table() + " --columns id,amount").out), expected);
  CommandResult described = Run("table describe " + Table());
  EXPECT_THAT(described.out, HasSubstr("rows           3\n"));

  CommandResult optimized = Run("table optimize " + Table());
  ASSERT_EQ(optimized.exit_code, 0) << optimized.err;
  EXPECT_EQ(SortedLines(Run("table show " + Table() + " --columns id,amount").out), expected);
  CommandResult vacuumed =
      Run("table vacuum " + Table() + " --retain-hours 0 --disable-retention-check");
  ASSERT_EQ(vacuumed.exit_code, 0) << vacuumed.err;
  EXPECT_EQ(count_files("deletion_vector_"), 0);
  EXPECT_EQ(count_files("part-"), 1);
  EXPECT_EQ(SortedLines(Run("table show " + Table() + " --columns id,amount").out), expected);
}

TEST_F(TableCliTest, ConcurrentProcessesAppendEveryCommitExactlyOnce) {
  constexpr int kWriters = 4;
  constexpr int kCommitsEach = 10;
  ASSERT_EQ(Run("table write " + Table() + " " + Write("seed.json", "{\"id\": 0}\n") +
                " --schema 'id BIGINT'")
                .exit_code,
            0);
  // Each writer is its own process, appending one file per commit, all racing for versions.
  std::string script;
  for (int writer = 0; writer < kWriters; ++writer) {
    script += "(\n";
    for (int commit = 1; commit <= kCommitsEach; ++commit) {
      const int id = writer * 100 + commit;
      const std::string input =
          Write("w" + std::to_string(id) + ".json", "{\"id\": " + std::to_string(id) + "}\n");
      script += std::string("  ") + ARCFLOW_BINARY + " table write " + Table() + " " + input +
                " --schema 'id BIGINT' >/dev/null || exit 1\n";
    }
    script += ") &\npids=\"$pids $!\"\n";
  }
  script += "for pid in $pids; do wait $pid || exit 1; done\n";
  const std::string script_path = Write("writers.sh", script);
  ASSERT_EQ(std::system(("bash " + script_path).c_str()), 0) << script;
  CommandResult history = Run("table history " + Table() + " --json");
  ASSERT_EQ(history.exit_code, 0) << history.err;
  // Versions 0 (create) and 1 (seed), then one per append, each exactly once.
  EXPECT_EQ(std::count(history.out.begin(), history.out.end(), '\n'), 2 + kWriters * kCommitsEach);
  std::vector<std::string> expected = {"{\"id\":0}"};
  for (int writer = 0; writer < kWriters; ++writer) {
    for (int commit = 1; commit <= kCommitsEach; ++commit) {
      expected.push_back("{\"id\":" + std::to_string(writer * 100 + commit) + "}");
    }
  }
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(SortedLines(Run("table show " + Table()).out), expected);
}

TEST_F(TableCliTest, MissingTableIsANotFoundError) {
  CommandResult result = Run("table show " + scratch_.Join("no-table"));
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("no-table"));
}

TEST_F(TableCliTest, ReadsATableWrittenByDeltaRs) {
  const std::string table =
      std::string(ARCFLOW_SHARED_DIR) + "/corpora/delta/delta-rs/delta-0.8.0-date";
  if (!std::filesystem::exists(table)) GTEST_SKIP() << "corpus not found at " << table;
  CommandResult result = Run("table show " + table + " --format csv");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(SortedLines(result.out),
            (std::vector<std::string>{"2021-01-01,1", "2021-01-02,2", "2021-01-03,3",
                                      "2021-01-04,4", "2021-01-05,5", "date,dayOfYear"}));
}

}  // namespace
}  // namespace arcflow
