#include "arcflow/delta/merge_key_table.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "arcflow/columnar/builder.h"
#include "arcflow/delta/maintenance_test_util.h"

namespace arcflow::delta {
namespace {

using testing::Ddl;
using testing::MakeRows;
using testing::Row;

// Inserts every row of `source` into a table keyed by `key_columns`; returns the table and,
// per row, its entry (or -1 for a null key).
struct Loaded {
  MergeKeyTable table;
  std::vector<int32_t> entries;
};

Loaded Load(const RecordBatchPtr& source, std::vector<int> key_columns) {
  Loaded loaded{MergeKeyTable(*source->schema(), std::move(key_columns)), {}};
  MergeKeyTable::BatchKeys keys;
  loaded.table.PrepareKeys(*source, &keys);
  for (int64_t row = 0; row < source->num_rows(); ++row) {
    const bool null_key = keys.unmatchable(row);
    loaded.entries.push_back(null_key ? -1 : loaded.table.Insert(source, row, keys).first);
  }
  return loaded;
}

// The entry each row of `probe` finds.
std::vector<int32_t> FindAll(const MergeKeyTable& table, const RecordBatch& probe) {
  MergeKeyTable::BatchKeys keys;
  table.PrepareKeys(probe, &keys);
  std::vector<int32_t> found;
  for (int64_t row = 0; row < probe.num_rows(); ++row) {
    found.push_back(table.Find(row, keys));
  }
  return found;
}

TEST(MergeKeyTableTest, CompositeKeysOfEveryPrimitiveType) {
  auto schema =
      Ddl("a TINYINT, b SMALLINT, c INT, d BIGINT, e DECIMAL(20,3), f STRING, g BOOLEAN, h DATE, "
          "i TIMESTAMP, j BINARY, v STRING");
  const std::vector<Row> rows = {
      {"1", "2", "3", "4", "5.500", "x", "true", "2024-01-02", "2024-01-02T03:04:05Z", "b", "r0"},
      {"-1", "2", "3", "4", "5.500", "x", "true", "2024-01-02", "2024-01-02T03:04:05Z", "b", "r1"},
      {"1", "2", "3", "4", "5.501", "x", "true", "2024-01-02", "2024-01-02T03:04:05Z", "b", "r2"},
      {"1", "2", "3", "4", "5.500", "xy", "true", "2024-01-02", "2024-01-02T03:04:05Z", "b", "r3"},
      {"1", "2", "3", "4", "5.500", "x", "false", "2024-01-02", "2024-01-02T03:04:05Z", "b", "r4"},
      {"1", "2", "3", "4", "5.500", "x", "true", "2024-01-03", "2024-01-02T03:04:05Z", "b", "r5"},
      {"1", "2", "3", "4", "5.500", "x", "true", "2024-01-02", "2024-01-02T03:04:06Z", "b", "r6"},
      {"1", "2", "3", "4", "5.500", "x", "true", "2024-01-02", "2024-01-02T03:04:05Z", "", "r7"},
      {"1", "2", "3", "4", "5.500", "x", "true", "2024-01-02", "2024-01-02T03:04:05Z", "b", "dup"},
      {"1", std::nullopt, "3", "4", "5.500", "x", "true", "2024-01-02", "2024-01-02T03:04:05Z", "b",
       "null"},
  };
  const std::vector<int> keys = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
  Loaded loaded = Load(MakeRows(schema, rows), keys);
  EXPECT_EQ(loaded.entries, (std::vector<int32_t>{0, 1, 2, 3, 4, 5, 6, 7, 0, -1}));
  EXPECT_EQ(loaded.table.size(), 8);

  // The same keys in another batch, other values in the non-key column, in another order.
  std::vector<Row> probe_rows = {rows[7], rows[0], rows[9], rows[3]};
  for (Row& row : probe_rows) row.back() = "other";
  probe_rows.push_back(
      {"2", "2", "3", "4", "5.500", "x", "true", "2024-01-02", "2024-01-02T03:04:05Z", "b", "-"});
  RecordBatchPtr probe = MakeRows(schema, probe_rows);
  EXPECT_EQ(FindAll(loaded.table, *probe), (std::vector<int32_t>{7, 0, -1, 3, -1}));

  // The key columns alone (as a read of only those columns gives them) find the same.
  std::vector<const Array*> key_columns;
  for (int column : keys) key_columns.push_back(probe->column(column).get());
  MergeKeyTable::BatchKeys prepared;
  loaded.table.PrepareKeys(std::move(key_columns), &prepared);
  std::vector<int32_t> found;
  for (int64_t row = 0; row < probe->num_rows(); ++row) {
    found.push_back(loaded.table.Find(row, prepared));
  }
  EXPECT_EQ(found, (std::vector<int32_t>{7, 0, -1, 3, -1}));
}

// A key of one integer column is compared by value, whatever the width; nulls match nothing.
TEST(MergeKeyTableTest, SingleIntegerKeysOfEveryWidth) {
  for (const char* type : {"TINYINT", "SMALLINT", "INT", "BIGINT", "DATE", "TIMESTAMP"}) {
    SCOPED_TRACE(type);
    auto schema = Ddl(std::string("k ") + type + ", v STRING");
    const bool is_date = std::string(type) == "DATE";
    const bool is_timestamp = std::string(type) == "TIMESTAMP";
    const auto key = [&](int value) -> std::optional<std::string> {
      if (is_date) return "2024-01-" + std::to_string(10 + value);
      if (is_timestamp) return "2024-01-02T03:04:" + std::to_string(10 + value) + "Z";
      return std::to_string(value);
    };
    const std::vector<Row> rows = {
        {key(-3), "a"}, {key(0), "b"}, {key(7), "c"}, {key(-3), "d"}, {std::nullopt, "e"}};
    Loaded loaded = Load(MakeRows(schema, rows), {0});
    EXPECT_EQ(loaded.entries, (std::vector<int32_t>{0, 1, 2, 0, -1}));
    const std::vector<Row> probe = {
        {key(7), "x"}, {key(1), "y"}, {std::nullopt, "z"}, {key(-3), "w"}};
    EXPECT_EQ(FindAll(loaded.table, *MakeRows(schema, probe)),
              (std::vector<int32_t>{2, -1, -1, 0}));
    // The same with the bitmap of the dense keys in front of the hash table.
    loaded.table.FinishInserts();
    EXPECT_EQ(FindAll(loaded.table, *MakeRows(schema, probe)),
              (std::vector<int32_t>{2, -1, -1, 0}));
  }
}

// As Spark compares join keys: every NaN equals every NaN, -0.0 equals 0.0.
TEST(MergeKeyTableTest, FloatKeysNormalizeNanAndNegativeZero) {
  auto schema = Ddl("k DOUBLE, f FLOAT");
  Float64Builder doubles(types::Float64());
  Float32Builder floats(types::Float32());
  const double other_nan = std::bit_cast<double>(uint64_t{0x7FF8000000000123});
  for (double value : {0.0, std::nan(""), 1.5, -1.5}) doubles.Append(value);
  for (float value : {1.0F, 2.0F, -0.0F, 3.0F}) floats.Append(value);
  auto source = *RecordBatch::Make(schema, 4, {*doubles.Finish(), *floats.Finish()});
  Loaded loaded = Load(source, {0, 1});
  ASSERT_EQ(loaded.table.size(), 4);

  for (double value : {-0.0, -other_nan, 1.5, 1.5000000000000002}) doubles.Append(value);
  for (float value : {1.0F, 2.0F, 0.0F, 3.0F}) floats.Append(value);
  auto probe = *RecordBatch::Make(schema, 4, {*doubles.Finish(), *floats.Finish()});
  EXPECT_EQ(FindAll(loaded.table, *probe), (std::vector<int32_t>{0, 1, 2, -1}));
}

// After FinishInserts, integer keys dense enough get a bitmap over their range; lookups agree
// with the hash table alone for keys inside, below and above the range, at the ends of int64
// (where the range arithmetic wraps), and for keys too sparse for a bitmap.
TEST(MergeKeyTableTest, FinishedIntegerKeysFindTheSameWithOrWithoutABitmap) {
  auto schema = Ddl("k BIGINT");
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  const std::vector<std::vector<int64_t>> key_sets = {
      {10, 12, 13, 75, 200},        // Dense: a bitmap.
      {kMax - 5, kMax - 1, kMax},   // Dense at the top.
      {kMin, kMin + 3, kMin + 64},  // Dense at the bottom.
      {-3, 0, 5, 1000000000000},    // Sparse: no bitmap.
      {kMin, kMax}};                // The widest range.
  for (const std::vector<int64_t>& key_set : key_sets) {
    Int64Builder source_keys(types::Int64());
    for (int64_t key : key_set) source_keys.Append(key);
    auto source =
        *RecordBatch::Make(schema, static_cast<int64_t>(key_set.size()), {*source_keys.Finish()});
    Loaded plain = Load(source, {0});
    Loaded finished = Load(source, {0});
    finished.table.FinishInserts();
    Int64Builder probe_keys(types::Int64());
    for (int64_t key : key_set) {
      for (int64_t delta : {-65, -64, -1, 0, 1, 63, 64}) {
        probe_keys.Append(
            static_cast<int64_t>(static_cast<uint64_t>(key) + static_cast<uint64_t>(delta)));
      }
    }
    for (int64_t key : {kMin, kMin + 1, int64_t{-1}, int64_t{0}, int64_t{11}, kMax - 2, kMax}) {
      probe_keys.Append(key);
    }
    probe_keys.AppendNull();
    const int64_t num_probes = probe_keys.length();
    auto probe = *RecordBatch::Make(schema, num_probes, {*probe_keys.Finish()});
    ASSERT_EQ(num_probes, static_cast<int64_t>(7 * key_set.size() + 8));
    const std::vector<int32_t> expected = FindAll(plain.table, *probe);
    EXPECT_EQ(FindAll(finished.table, *probe), expected);
    // Every key finds its own entry (probe 3 of the 7 around it is the key itself).
    for (size_t i = 0; i < key_set.size(); ++i) {
      EXPECT_EQ(expected[7 * i + 3], static_cast<int32_t>(i)) << key_set[i];
    }
    EXPECT_EQ(expected.back(), -1);  // The null key.
  }
}

// A composite key is filtered by its integer column of the widest range (here the id, not the
// region): after FinishInserts, a row whose id no entry has is unmatchable without hashing,
// and every lookup agrees with the table before the filter, across batches of entries, with
// nulls and values beyond either end of the range.
TEST(MergeKeyTableTest, CompositeKeysAreFilteredByTheirWidestIntegerColumn) {
  auto schema = Ddl("region INT, name STRING, id BIGINT");
  const std::vector<Row> first = {{"1", "a", "100"}, {"2", "b", "105"}, {"1", "c", "300"}};
  const std::vector<Row> second = {{"2", "a", "300"}, {"1", "a", "100"}, {"1", "d", "-20"}};
  MergeKeyTable table(*schema, {0, 1, 2});
  MergeKeyTable::BatchKeys keys;
  for (const auto& rows : {first, second}) {
    RecordBatchPtr batch = MakeRows(schema, rows);
    table.PrepareKeys(*batch, &keys);
    for (int64_t row = 0; row < batch->num_rows(); ++row) table.Insert(batch, row, keys);
  }
  ASSERT_EQ(table.size(), 5);
  RecordBatchPtr probe = MakeRows(schema, {
                                              {"1", "c", "300"},   // An entry.
                                              {"1", "d", "-20"},   // The smallest id.
                                              {"9", "a", "100"},   // Another region: no filter.
                                              {"1", "zz", "105"},  // Another name.
                                              {"1", "a", "101"},   // An id between entries.
                                              {"1", "a", "-21"},   // Below the range.
                                              {"1", "a", "301"},   // Above it.
                                              {"1", "a", std::nullopt},
                                              {"2", "a", "300"},  // An entry of the second batch.
                                          });
  const std::vector<int32_t> expected = {2, 4, -1, -1, -1, -1, -1, -1, 3};
  ASSERT_EQ(FindAll(table, *probe), expected);
  table.FinishInserts();
  EXPECT_EQ(FindAll(table, *probe), expected);
  table.PrepareKeys(*probe, &keys);
  std::vector<bool> unmatchable;
  for (int64_t row = 0; row < probe->num_rows(); ++row) {
    unmatchable.push_back(keys.unmatchable(row));
  }
  EXPECT_EQ(unmatchable,
            (std::vector<bool>{false, false, false, false, true, true, true, true, false}));
}

// Integer keys planned before their inserts are addressed directly when they cluster; every
// insert and lookup agrees with the hash table alone: duplicates, nulls, two clusters far
// apart, the ends of int64, keys too sparse to address, and a later insert outside the planned
// blocks (which goes back to hashing).
TEST(MergeKeyTableTest, PlannedIntegerKeysFindTheSameWithOrWithoutDirectAddressing) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  const auto batch_of = [](const SchemaPtr& schema,
                           const std::vector<std::optional<int64_t>>& keys) {
    const bool narrow = schema->field(0).type->id() == TypeId::kInt32;
    Int64Builder wide(types::Int64());
    Int32Builder narrow_keys(types::Int32());
    for (const std::optional<int64_t>& key : keys) {
      if (!key) {
        narrow ? narrow_keys.AppendNull() : wide.AppendNull();
      } else if (narrow) {
        narrow_keys.Append(static_cast<int32_t>(*key));
      } else {
        wide.Append(*key);
      }
    }
    ArrayPtr column = narrow ? *narrow_keys.Finish() : *wide.Finish();
    return *RecordBatch::Make(schema, static_cast<int64_t>(keys.size()), {column});
  };
  std::vector<std::optional<int64_t>> two_clusters;
  for (int64_t key = 500000; key < 520000; ++key) two_clusters.push_back(key);
  for (int64_t key = 10000000; key < 10001000; key += 3) two_clusters.push_back(key);
  two_clusters.push_back(std::nullopt);
  two_clusters.push_back(500007);  // A duplicate.
  struct Case {
    SchemaPtr schema;
    std::vector<std::optional<int64_t>> planned;
    std::vector<std::optional<int64_t>> later;  // Inserted after the planned batch.
  };
  const std::vector<Case> cases = {
      {Ddl("k BIGINT"), two_clusters, {}},
      {Ddl("k BIGINT"), two_clusters, {499999, 520000, -7, 10000000}},
      {Ddl("k INT"), {-5, 3, std::nullopt, -5, 4095, 4096, -4097}, {-5, 70000}},
      {Ddl("k BIGINT"), {kMax - 5, kMax, kMax - 1}, {kMax - 4}},
      {Ddl("k BIGINT"), {kMin, kMin + 4096, kMin + 1}, {kMin + 2}},
      {Ddl("k BIGINT"), {kMin, kMax, 0}, {1}},                            // Too sparse.
      {Ddl("k BIGINT"), {-3, 0, 5, 1000000000000, 5}, {1000000000001}}};  // Too sparse.
  for (size_t c = 0; c < cases.size(); ++c) {
    const Case& test = cases[c];
    RecordBatchPtr planned = batch_of(test.schema, test.planned);
    RecordBatchPtr later = batch_of(test.schema, test.later);
    MergeKeyTable plain(*test.schema, {0});
    MergeKeyTable addressed(*test.schema, {0});
    addressed.PlanInserts({planned});
    for (const RecordBatchPtr& batch : {planned, later}) {
      MergeKeyTable::BatchKeys plain_keys;
      MergeKeyTable::BatchKeys addressed_keys;
      plain.PrepareKeys(*batch, &plain_keys);
      addressed.PrepareKeys(*batch, &addressed_keys);
      for (int64_t row = 0; row < batch->num_rows(); ++row) {
        if (plain_keys.unmatchable(row)) continue;
        EXPECT_EQ(addressed.Insert(batch, row, addressed_keys),
                  plain.Insert(batch, row, plain_keys))
            << "case " << c << " row " << row;
      }
    }
    EXPECT_EQ(addressed.size(), plain.size());
    plain.FinishInserts();
    addressed.FinishInserts();
    std::vector<std::optional<int64_t>> probes = {std::nullopt, kMin, kMax, 0, -1};
    for (const auto& keys : {test.planned, test.later}) {
      for (const std::optional<int64_t>& key : keys) {
        if (!key) continue;
        for (int64_t delta : {-4097, -4096, -1, 0, 1, 4096}) {
          const int64_t probe =
              static_cast<int64_t>(static_cast<uint64_t>(*key) + static_cast<uint64_t>(delta));
          // A narrow column cannot hold every neighbour.
          if (test.schema->field(0).type->id() == TypeId::kInt32 &&
              (probe < std::numeric_limits<int32_t>::min() ||
               probe > std::numeric_limits<int32_t>::max())) {
            continue;
          }
          probes.push_back(probe);
        }
      }
    }
    if (test.schema->field(0).type->id() == TypeId::kInt32) {
      probes[1] = std::numeric_limits<int32_t>::min();
      probes[2] = std::numeric_limits<int32_t>::max();
    }
    RecordBatchPtr probe_batch = batch_of(test.schema, probes);
    EXPECT_EQ(FindAll(addressed, *probe_batch), FindAll(plain, *probe_batch)) << "case " << c;
  }
}

// Struct keys compare by their canonical text.
TEST(MergeKeyTableTest, NestedKeysCompareByCanonicalText) {
  auto schema = Ddl("k STRUCT<a: INT, b: STRING>, v INT");
  const auto batch = [&](const std::vector<std::pair<int, std::string>>& keys) {
    RecordBatchBuilder builder(schema);
    auto& key = static_cast<StructBuilder&>(*builder.column_builder(0));
    auto& a = static_cast<Int32Builder&>(*key.field_builder(0));
    auto& b = static_cast<StringBuilder&>(*key.field_builder(1));
    auto& v = static_cast<Int32Builder&>(*builder.column_builder(1));
    for (const auto& [a_value, b_value] : keys) {
      key.Append();
      a.Append(a_value);
      b.Append(b_value);
      v.Append(0);
    }
    return *builder.Finish();
  };
  Loaded loaded = Load(batch({{1, "x"}, {1, "y"}, {2, "x"}, {1, "x"}}), {0});
  EXPECT_EQ(loaded.entries, (std::vector<int32_t>{0, 1, 2, 0}));
  EXPECT_EQ(FindAll(loaded.table, *batch({{2, "x"}, {1, "z"}, {1, "x"}})),
            (std::vector<int32_t>{2, -1, 0}));
}

// Enough keys to grow the index many times and to collide in its short hashes.
TEST(MergeKeyTableTest, ManyKeysAcrossBatches) {
  auto schema = Ddl("id BIGINT, name STRING");
  const auto batch = [&](int64_t first, int64_t count) {
    Int64Builder ids(types::Int64());
    StringBuilder names(types::String());
    for (int64_t i = first; i < first + count; ++i) {
      ids.Append(i * 7919);
      names.Append("name-" + std::to_string(i % 1000));
    }
    return *RecordBatch::Make(schema, count, {*ids.Finish(), *names.Finish()});
  };
  MergeKeyTable table(*schema, {0, 1});
  MergeKeyTable::BatchKeys keys;
  for (int64_t first = 0; first < 200000; first += 50000) {
    RecordBatchPtr source = batch(first, 50000);
    table.PrepareKeys(*source, &keys);
    table.Reserve(source->num_rows());
    for (int64_t row = 0; row < source->num_rows(); ++row) {
      auto [entry, inserted] = table.Insert(source, row, keys);
      ASSERT_TRUE(inserted);
      ASSERT_EQ(entry, first + row);
    }
  }
  ASSERT_EQ(table.size(), 200000);
  for (const bool finished : {false, true}) {
    // Ids 7919 apart are too sparse to filter by; lookups hash every row.
    if (finished) table.FinishInserts();
    std::vector<int32_t> found = FindAll(table, *batch(150000, 100000));
    for (int64_t i = 0; i < 100000; ++i) {
      ASSERT_EQ(found[static_cast<size_t>(i)], i < 50000 ? 150000 + i : -1) << i;
    }
  }
}

}  // namespace
}  // namespace arcflow::delta
