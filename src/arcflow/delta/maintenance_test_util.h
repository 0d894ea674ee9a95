#pragma once

// Helpers for the tests of MERGE, OPTIMIZE, VACUUM, RESTORE and the change data feed: building
// small batches from text, reading a table back as sorted canonical rows, and a clock tests
// control. Test-only; not part of the library.

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "arcflow/columnar/builder.h"
#include "arcflow/columnar/record_batch.h"
#include "arcflow/columnar/row_printer.h"
#include "arcflow/columnar/schema_ddl.h"
#include "arcflow/columnar/value_parse.h"
#include "arcflow/delta/delta_table.h"
#include "arcflow/delta/log_paths.h"
#include "arcflow/delta/table_scan.h"
#include "arcflow/io/memory_file_system.h"

namespace arcflow::delta::testing {

using Cell = std::optional<std::string>;
using Row = std::vector<Cell>;

inline SchemaPtr Ddl(std::string_view ddl) {
  auto schema = ParseDdlSchema(ddl);
  EXPECT_TRUE(schema.ok()) << schema.status().ToString();
  return *schema;
}

// A batch of `schema` (columns of integers, floats, decimals, strings, booleans, dates or
// timestamps) from text cells.
inline RecordBatchPtr MakeRows(const SchemaPtr& schema, const std::vector<Row>& rows) {
  RecordBatchBuilder builder(schema);
  for (const Row& row : rows) {
    EXPECT_EQ(row.size(), static_cast<size_t>(schema->num_fields()));
    for (int column = 0; column < schema->num_fields(); ++column) {
      ArrayBuilder* out = builder.column_builder(column);
      const Cell& cell = row[static_cast<size_t>(column)];
      if (!cell) {
        out->AppendNull();
        continue;
      }
      switch (schema->field(column).type->id()) {
        case TypeId::kInt64:
          static_cast<Int64Builder*>(out)->Append(*ParseInt64(*cell));
          break;
        case TypeId::kInt32:
          static_cast<Int32Builder*>(out)->Append(*ParseInt32(*cell));
          break;
        case TypeId::kInt16:
          static_cast<Int16Builder*>(out)->Append(*ParseInt16(*cell));
          break;
        case TypeId::kInt8:
          static_cast<Int8Builder*>(out)->Append(*ParseInt8(*cell));
          break;
        case TypeId::kFloat32:
          static_cast<Float32Builder*>(out)->Append(*ParseFloat(*cell));
          break;
        case TypeId::kFloat64:
          static_cast<Float64Builder*>(out)->Append(*ParseDouble(*cell));
          break;
        case TypeId::kDecimal128: {
          const DataType& type = *schema->field(column).type;
          static_cast<Decimal128Builder*>(out)->Append(
              *ParseDecimal(*cell, type.precision(), type.scale()));
          break;
        }
        case TypeId::kTimestamp:
          static_cast<TimestampBuilder*>(out)->Append(
              *ParseTimestamp(*cell, schema->field(column).type->utc_adjusted()));
          break;
        case TypeId::kBoolean:
          static_cast<BooleanBuilder*>(out)->Append(*ParseBoolean(*cell));
          break;
        case TypeId::kDate32:
          static_cast<Date32Builder*>(out)->Append(*ParseDate(*cell));
          break;
        default:
          static_cast<BinaryBuilder*>(out)->Append(*cell);
          break;
      }
    }
  }
  auto batch = builder.Finish();
  EXPECT_TRUE(batch.ok()) << batch.status().ToString();
  return *batch;
}

// Every row a reader returns as canonical JSON, sorted.
inline std::vector<std::string> DrainSorted(RecordBatchReader& reader) {
  std::vector<std::string> rows;
  while (true) {
    auto batch = reader.Next();
    EXPECT_TRUE(batch.ok()) << batch.status().ToString();
    if (!batch.ok() || *batch == nullptr) break;
    AppendCanonicalRows(**batch, &rows);
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

// The rows of the table at `snapshot`, sorted.
inline std::vector<std::string> TableRows(const std::shared_ptr<const Snapshot>& snapshot) {
  auto scan = TableScan::Make(snapshot);
  EXPECT_TRUE(scan.ok()) << scan.status().ToString();
  if (!scan.ok()) return {};
  auto reader = (*scan)->Execute();
  EXPECT_TRUE(reader.ok()) << reader.status().ToString();
  if (!reader.ok()) return {};
  return DrainSorted(**reader);
}

inline std::shared_ptr<const Snapshot> Latest(const std::shared_ptr<io::FileSystem>& fs,
                                              const std::string& root) {
  auto snapshot = Snapshot::Load(fs, root);
  EXPECT_TRUE(snapshot.ok()) << snapshot.status().ToString();
  return snapshot.ok() ? *snapshot : nullptr;
}

// The text of commit `version` of the table.
inline std::string CommitText(io::FileSystem& fs, const std::string& root, int64_t version) {
  auto contents = fs.ReadFile(io::JoinPath(LogDirectory(root), CommitFileName(version)));
  EXPECT_TRUE(contents.ok()) << contents.status().ToString();
  if (!contents.ok()) return {};
  return std::string(reinterpret_cast<const char*>((*contents)->data()),
                     static_cast<size_t>((*contents)->size()));
}

// An in-memory file system whose clock the test sets, and transaction options that stamp
// commits with the same clock, so that file ages and tombstone ages line up.
struct TestStorage {
  static constexpr int64_t kStartMs = int64_t{1700000000000};

  TestStorage() : fs(io::MemoryFileSystem::Make()), now(std::make_shared<std::atomic<int64_t>>()) {
    SetTimeMs(kStartMs);
  }
  void SetTimeMs(int64_t time_ms) {
    fs->SetTimeMs(time_ms);
    now->store(time_ms);
  }
  void AdvanceMs(int64_t delta_ms) { SetTimeMs(now->load() + delta_ms); }
  TransactionOptions Options() const {
    TransactionOptions options;
    options.initial_backoff = std::chrono::milliseconds(1);
    options.max_backoff = std::chrono::milliseconds(10);
    options.max_attempts = 50;
    auto clock = now;
    options.clock = [clock]() -> int64_t { return clock->load(); };
    return options;
  }

  std::shared_ptr<io::MemoryFileSystem> fs;
  std::shared_ptr<std::atomic<int64_t>> now;
};

}  // namespace arcflow::delta::testing
