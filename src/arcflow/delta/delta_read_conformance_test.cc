// Reads the Delta tables of the shared corpora with TableScan and compares them with results
// other implementations produced: the kernel-rs golden tables' expected/ scans (Spark-written
// Parquet), the row counts of _analysis/tables.json, and a few results copied from upstream
// tests (EXPECTED_FROM_TESTS.md).

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <set>

#include <simdjson.h>

#include "arcflow/columnar/projection.h"
#include "arcflow/columnar/row_printer.h"
#include "arcflow/delta/table_scan.h"
#include "arcflow/parquet/bridge/parquet_reader.h"

namespace arcflow::delta {
namespace {

namespace fs = std::filesystem;

const std::string kDeltaCorpus = std::string(ARCFLOW_SHARED_DIR) + "/corpora/delta";
const std::string kGolden = kDeltaCorpus + "/delta-kernel-rs/golden";

// Golden tables whose expected/ differs from a correct read in one column, and why. The other
// columns and the row count must match.
const std::map<std::string, std::pair<std::string, std::string>>& KnownDifferences() {
  static const std::map<std::string, std::pair<std::string, std::string>> tables = {
      {"data-reader-partition-values",
       {"as_timestamp",
        "the timestamp partition text \"2021-09-08 11:11:11\" was written in the Spark session "
        "time zone (America/Los_Angeles); PROTOCOL.md and arcflow read it as UTC"}},
  };
  return tables;
}

// Golden tables with expected/ that must fail, and why. The error must be NotImplemented and
// name the feature (checked below).
const std::map<std::string, std::string>& ExpectedUnsupported() {
  static const std::map<std::string, std::string> tables = {};
  return tables;
}

// The canonical rows of `reader`, sorted. With `digest`, each row is replaced by a hash of its
// text, which keeps the comparison of million-row tables quick (at the cost of readable diffs).
Result<std::vector<std::string>> CanonicalRows(RecordBatchReader& reader,
                                               const std::optional<Projection>& projection,
                                               bool digest = false) {
  std::vector<std::string> rows;
  while (true) {
    ARCFLOW_ASSIGN_OR_RETURN(RecordBatchPtr batch, reader.Next());
    if (batch == nullptr) break;
    if (projection.has_value()) {
      ARCFLOW_ASSIGN_OR_RETURN(batch, projection->Apply(*batch));
    }
    for (int64_t row = 0; row < batch->num_rows(); ++row) {
      std::string text;
      AppendCanonicalRow(*batch, row, &text);
      if (digest) text = fmt::format("{:015x}", std::hash<std::string>()(text) >> 4);
      rows.push_back(std::move(text));
    }
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

// Whether a table is big enough that rows are compared by digest.
bool UseDigest(const TableScan& scan) {
  int64_t bytes = 0;
  for (const AddFile& add : scan.files()) bytes += add.size;
  return bytes > 1000000;
}

Result<std::shared_ptr<const TableScan>> OpenScan(const std::string& root) {
  ARCFLOW_ASSIGN_OR_RETURN(auto snapshot, Snapshot::Load(io::LocalFileSystem(), root));
  return TableScan::Make(snapshot);
}

Result<std::vector<std::string>> ScanRows(const TableScan& scan, bool digest = false) {
  ARCFLOW_ASSIGN_OR_RETURN(auto reader, scan.Execute());
  return CanonicalRows(*reader, std::nullopt, digest);
}

// The rows of every Parquet file under `directory`, with columns put in `order` (by name).
Result<std::vector<std::string>> ExpectedRows(const std::string& directory, const Schema& order,
                                              bool digest) {
  std::vector<std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(directory)) {
    if (entry.is_regular_file() && entry.path().extension() == ".parquet") {
      files.push_back(entry.path().string());
    }
  }
  std::sort(files.begin(), files.end());
  std::vector<std::string> rows;
  for (const auto& file : files) {
    ARCFLOW_ASSIGN_OR_RETURN(auto reader,
                             parquet::ParquetFileReader::Open(io::LocalFileSystem(), file));
    std::vector<std::string> names;
    for (const Field& field : order.fields()) names.push_back("`" + field.name + "`");
    ARCFLOW_ASSIGN_OR_RETURN(Projection projection, Projection::Make(reader->schema(), names));
    ARCFLOW_ASSIGN_OR_RETURN(auto batches, reader->GetRecordBatchReader());
    ARCFLOW_ASSIGN_OR_RETURN(auto file_rows, CanonicalRows(*batches, projection, digest));
    rows.insert(rows.end(), file_rows.begin(), file_rows.end());
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

std::vector<std::string> GoldenTablesWithExpected() {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(kGolden)) {
    if (fs::is_directory(entry.path() / "expected") && fs::is_directory(entry.path() / "delta")) {
      names.push_back(entry.path().filename().string());
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

TEST(DeltaReadConformanceTest, GoldenTablesMatchExpectedScans) {
  std::vector<std::string> names = GoldenTablesWithExpected();
  ASSERT_GE(names.size(), 50u);
  int matched = 0;
  for (const std::string& name : names) {
    SCOPED_TRACE(name);
    auto scan = OpenScan(kGolden + "/" + name + "/delta");
    auto unsupported = ExpectedUnsupported().find(name);
    if (unsupported != ExpectedUnsupported().end()) {
      ASSERT_FALSE(scan.ok()) << "expected to fail: " << unsupported->second;
      EXPECT_TRUE(scan.status().IsNotImplemented()) << scan.status().ToString();
      continue;
    }
    ASSERT_TRUE(scan.ok()) << scan.status().ToString();
    bool digest = UseDigest(**scan);
    auto rows = ScanRows(**scan, digest);
    ASSERT_TRUE(rows.ok()) << rows.status().ToString();
    SchemaPtr compared = (*scan)->schema();
    auto known = KnownDifferences().find(name);
    std::optional<Projection> without_column;
    if (known != KnownDifferences().end()) {
      std::vector<std::string> kept;
      std::vector<Field> kept_fields;
      for (const Field& field : compared->fields()) {
        if (field.name == known->second.first) continue;
        kept.push_back("`" + field.name + "`");
        kept_fields.push_back(field);
      }
      auto projection = Projection::Make(compared, kept);
      ASSERT_TRUE(projection.ok());
      without_column = std::move(*projection);
      compared = std::make_shared<const Schema>(std::move(kept_fields));
      auto reader = (*scan)->Execute();
      ASSERT_TRUE(reader.ok());
      rows = CanonicalRows(**reader, without_column, digest);
      ASSERT_TRUE(rows.ok()) << rows.status().ToString();
    }
    auto expected = ExpectedRows(kGolden + "/" + name + "/expected", *compared, digest);
    ASSERT_TRUE(expected.ok()) << expected.status().ToString();
    EXPECT_EQ(rows->size(), expected->size());
    if (*rows == *expected) {
      ++matched;
    } else {
      // Show the first difference rather than two long lists.
      std::vector<std::string> missing;
      std::vector<std::string> extra;
      std::set_difference(expected->begin(), expected->end(), rows->begin(), rows->end(),
                          std::back_inserter(missing));
      std::set_difference(rows->begin(), rows->end(), expected->begin(), expected->end(),
                          std::back_inserter(extra));
      ADD_FAILURE() << "rows differ: " << missing.size() << " missing, first "
                    << (missing.empty() ? "-" : missing[0]) << "; " << extra.size()
                    << " unexpected, first " << (extra.empty() ? "-" : extra[0]);
    }
  }
  EXPECT_EQ(matched + static_cast<int>(ExpectedUnsupported().size()),
            static_cast<int>(names.size()));
}

// Tables of _analysis/tables.json that cannot be read as stored, and why; reading them must
// fail.
const std::map<std::string, std::string>& UnreadableAsStored() {
  static const std::map<std::string, std::string> tables = {
      {"./delta-kernel-rs/data/crc-malformed",
       "the log holds only a .crc file, no commit: not a table"},
      {"./delta-spark/table-with-dv-special-char",
       "the deletion vector path holds a {{FOLDER_WITH_SPECIAL_CHAR}} placeholder that the "
       "upstream test substitutes (read with the substitution in DeletionVectorTest)"},
  };
  return tables;
}

// Tables of _analysis/tables.json that need a feature arcflow does not read, and the name the
// NotImplemented error must carry.
const std::map<std::string, std::string>& UnsupportedTables() {
  static const std::map<std::string, std::string> tables = {
      {"./delta-golden/spark-variant-checkpoint", "variantType-preview"},
      {"./delta-kernel-java/catalog-owned-preview", "catalogManaged"},
      {"./delta-kernel-java/spark-shredded-variant-preview-delta", "variantShredding-preview"},
      {"./delta-kernel-java/spark-variant-checkpoint", "variantType-preview"},
      {"./delta-kernel-rs/data/table-with-geo", "geospatial"},
      {"./delta-kernel-rs/data/unshredded-variant", "variantType-preview"},
      // Not a table feature: the schema has a column of Spark's void type.
      {"./delta-kernel-rs/data/void-column", "void"},
      {"./delta-rs/data_err_logs/table_d", "catalogOwned"},
      {"./delta-rs/data_err_logs/table_h", "catalogOwned"},
      {"./delta-rs/spark-shredded-variant-preview-delta", "variantShredding-preview"},
      {"./delta-rs/spark-variant-checkpoint", "variantType-preview"},
      {"./delta-spark/variant-stats-nested-no-checkpoint", "variantType"},
      {"./delta-spark/variant-stats-no-checkpoint", "variantType"},
      {"./delta-spark/variant-stats-state-reconstruction", "variantType"},
      {"./delta-spark/variant-stats-with-struct-no-checkpoint", "variantType"},
  };
  return tables;
}

// Every table of _analysis/tables.json with a log-derived row count and its data files
// present reads that many rows.
TEST(DeltaReadConformanceTest, RowCountsMatchLogAnalysis) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  ASSERT_EQ(parser.load(kDeltaCorpus + "/_analysis/tables.json").get(root), simdjson::SUCCESS);
  simdjson::dom::array tables;
  ASSERT_EQ(root.get_array().get(tables), simdjson::SUCCESS);
  int checked = 0;
  int unsupported = 0;
  std::vector<std::string> failures;
  for (simdjson::dom::element table : tables) {
    std::string_view relative;
    if (table["table_root"].get_string().get(relative) != simdjson::SUCCESS) continue;
    int64_t expected_rows;
    if (table["log_derived_rows"].get_int64().get(expected_rows) != simdjson::SUCCESS) continue;
    int64_t missing = 0;
    if (table["active_files_missing_on_disk"].get_int64().get(missing) == simdjson::SUCCESS &&
        missing > 0) {
      continue;
    }
    simdjson::dom::array missing_list;
    if (table["active_files_missing_on_disk"].get_array().get(missing_list) == simdjson::SUCCESS &&
        missing_list.size() > 0) {
      continue;
    }
    std::string root_path = kDeltaCorpus + "/" + std::string(relative.substr(2));
    if (!fs::is_directory(root_path + "/_delta_log")) continue;  // Archived (.tar.zst) tables.
    auto scan = OpenScan(root_path);
    if (UnreadableAsStored().count(std::string(relative)) > 0) {
      bool failed = !scan.ok();
      if (scan.ok()) {
        auto rows = ScanRows(**scan);
        failed = !rows.ok();
      }
      EXPECT_TRUE(failed) << relative << " was expected to fail";
      continue;
    }
    auto unsupported_feature = UnsupportedTables().find(std::string(relative));
    Status status = scan.status();
    int64_t rows = 0;
    if (status.ok()) {
      auto reader = (*scan)->Execute();
      status = reader.status();
      while (status.ok()) {
        auto batch = (*reader)->Next();
        if (!batch.ok()) {
          status = batch.status();
          break;
        }
        if (*batch == nullptr) break;
        rows += (*batch)->num_rows();
      }
    }
    if (unsupported_feature != UnsupportedTables().end()) {
      ++unsupported;
      EXPECT_TRUE(status.IsNotImplemented()) << relative << ": " << status.ToString();
      EXPECT_NE(status.message().find(unsupported_feature->second), std::string::npos)
          << relative << ": " << status.ToString();
      continue;
    }
    if (!status.ok()) {
      failures.push_back(std::string(relative) + ": " + status.ToString());
      continue;
    }
    ++checked;
    if (rows != expected_rows) {
      failures.push_back(std::string(relative) + ": read " + std::to_string(rows) +
                         " rows, log says " + std::to_string(expected_rows));
    }
  }
  EXPECT_GE(checked, 125);
  EXPECT_EQ(unsupported, static_cast<int>(UnsupportedTables().size()));
  fprintf(stderr, "row counts checked on %d tables; %d unsupported\n", checked, unsupported);
  for (const auto& failure : failures) ADD_FAILURE() << failure;
}

// Results copied from upstream tests (EXPECTED_FROM_TESTS.md), in canonical row form.
std::vector<std::string> ReadSorted(const std::string& relative,
                                    std::vector<std::string> columns = {}) {
  auto snapshot = Snapshot::Load(io::LocalFileSystem(), kDeltaCorpus + "/" + relative);
  EXPECT_TRUE(snapshot.ok()) << snapshot.status().ToString();
  if (!snapshot.ok()) return {};
  TableScanOptions options;
  options.columns = std::move(columns);
  auto scan = TableScan::Make(*snapshot, options);
  EXPECT_TRUE(scan.ok()) << scan.status().ToString();
  if (!scan.ok()) return {};
  auto rows = ScanRows(**scan);
  EXPECT_TRUE(rows.ok()) << rows.status().ToString();
  return rows.ok() ? *rows : std::vector<std::string>{};
}

TEST(DeltaReadConformanceTest, KernelRsBasicDecimal) {
  std::vector<std::string> expected = {
      R"({"part":"-2342342.23423","col1":"-999.99","col2":"-99999.99999","col3":"-9999999999.9999999999"})",
      R"({"part":"0.00004","col1":"0.00","col2":"0.00000","col3":"0.0000000000"})",
      R"({"part":"234.00000","col1":"1.00","col2":"2.00000","col3":"3.0000000000"})",
      R"({"part":"2342222.23454","col1":"111.11","col2":"22222.22222","col3":"3333333333.3333333333"})",
  };
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(
      ReadSorted("delta-kernel-rs/data/basic-decimal-table", {"part", "col1", "col2", "col3"}),
      expected);
}

// compacted_log_files_table (kernel/tests/integration/read/mod.rs): 26 commits with log
// compaction files for 0..5, 6..10 and 6..15. Those three are not reconciled (each is its
// commits' actions concatenated newest commit first, so one file has both the add and the
// remove of a path), which delta-kernel-rs reads by replaying newest first; PROTOCOL.md wants
// reconciled actions, whose order does not matter, so arcflow refuses them and replays the
// commits, which are all there. The result must be the upstream one either way.
TEST(DeltaReadConformanceTest, KernelRsCompactedLogFilesTable) {
  const std::string table = "delta-kernel-rs/data/compacted-log-files-table";
  std::vector<std::string> expected = {
      R"({"id":0,"comment":"new"})",
      R"({"id":1,"comment":"after-large-delete"})",
      R"({"id":2,"comment":""})",
      R"({"id":10,"comment":"merge1-insert"})",
      R"({"id":12,"comment":"merge2-insert"})",
  };
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(ReadSorted(table, {"id", "comment"}), expected);
  auto snapshot = Snapshot::Load(io::LocalFileSystem(), kDeltaCorpus + "/" + table);
  ASSERT_TRUE(snapshot.ok()) << snapshot.status().ToString();
  EXPECT_EQ((*snapshot)->version(), 25);
  EXPECT_TRUE((*snapshot)->log_segment().compaction_files.empty());
  EXPECT_EQ((*snapshot)->log_segment().commit_files.size(), 26u);
}

TEST(DeltaReadConformanceTest, KernelRsTimestampNtzWithPartition) {
  const char* a = "\"2021-11-18T02:30:00.123456\"";
  const char* b = "\"2013-07-05T17:01:00.123456\"";
  const char* n = "null";
  const char* values[9][2] = {{a, a}, {b, a}, {n, a}, {a, b}, {b, b},
                              {n, b}, {a, n}, {b, n}, {n, n}};
  std::vector<std::string> expected;
  for (int id = 0; id < 9; ++id) {
    expected.push_back("{\"id\":" + std::to_string(id) + ",\"tsNtz\":" + values[id][0] +
                       ",\"tsNtzPartition\":" + values[id][1] + "}");
  }
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(ReadSorted("delta-kernel-rs/data/data-reader-timestamp_ntz",
                       {"id", "tsNtz", "tsNtzPartition"}),
            expected);
}

TEST(DeltaReadConformanceTest, DeltaRsLoadLocal) {
  EXPECT_EQ(ReadSorted("delta-rs/delta-0.8.0", {"value"}),
            (std::vector<std::string>{R"({"value":0})", R"({"value":1})", R"({"value":2})",
                                      R"({"value":4})"}));
}

TEST(DeltaReadConformanceTest, KernelRsTypeWidening) {
  std::vector<std::string> basic = {
      R"({"byte_long":1,"int_long":2,"float_double":3.4000000953674316,"byte_double":5,)"
      R"("short_double":6,"int_double":7,"date_timestamp_ntz":"2024-09-09T00:00:00.000000"})",
      R"({"byte_long":9223372036854775807,"int_long":9223372036854775807,)"
      R"("float_double":1.234567890123,"byte_double":1.234567890123,)"
      R"("short_double":1.234567890123,"int_double":1.234567890123,)"
      R"("date_timestamp_ntz":"2024-09-09T12:34:56.123456"})",
  };
  std::sort(basic.begin(), basic.end());
  EXPECT_EQ(ReadSorted("delta-kernel-rs/data/type-widening",
                       {"byte_long", "int_long", "float_double", "byte_double", "short_double",
                        "int_double", "date_timestamp_ntz"}),
            basic);
  std::vector<std::string> decimals = {
      R"({"decimal_decimal_same_scale":"123.45","decimal_decimal_greater_scale":"67.89000",)"
      R"("byte_decimal":"1.0","short_decimal":"2.0","int_decimal":"3.0","long_decimal":"4.0"})",
      R"({"decimal_decimal_same_scale":"12345678901234.56",)"
      R"("decimal_decimal_greater_scale":"12345678901.23456","byte_decimal":"123.4",)"
      R"("short_decimal":"12345.6","int_decimal":"1234567890.1",)"
      R"("long_decimal":"123456789012345678.9"})",
  };
  std::sort(decimals.begin(), decimals.end());
  EXPECT_EQ(ReadSorted("delta-kernel-rs/data/type-widening",
                       {"decimal_decimal_same_scale", "decimal_decimal_greater_scale",
                        "byte_decimal", "short_decimal", "int_decimal", "long_decimal"}),
            decimals);
}

}  // namespace
}  // namespace arcflow::delta
