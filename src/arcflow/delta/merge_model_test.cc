// MERGE against a model: random tables and random sequences of upserts and deletes, with and
// without deletion vectors and the change data feed, partitioned or not, checked after every
// merge against a map of what the table must hold and of the changes it must record. The sources
// mix long runs of consecutive ids (which MERGE writes as views of the batches it reads) with
// scattered ones (which it gathers), so that every path that moves rows is compared with the same
// simple truth.

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "arcflow/delta/change_data_feed.h"
#include "arcflow/delta/maintenance_test_util.h"
#include "arcflow/delta/merge.h"

namespace arcflow::delta {
namespace {

using testing::Ddl;
using testing::Latest;
using testing::MakeRows;
using testing::Row;
using testing::TableRows;
using testing::TestStorage;

constexpr char kRoot[] = "/tables/model";

struct ModelRow {
  std::string name;
  std::string part;
};
// Rows by key: (part, id) when both are key columns, else ("", id).
using ModelKey = std::pair<std::string, int64_t>;
using Model = std::map<ModelKey, ModelRow>;

std::string RowJson(int64_t id, const ModelRow& row) {
  return fmt::format(R"({{"id":{},"name":"{}","part":"{}")", id, row.name, row.part);
}

std::vector<std::string> ModelRows(const Model& model) {
  std::vector<std::string> rows;
  for (const auto& [key, row] : model) rows.push_back(RowJson(key.second, row) + "}");
  std::sort(rows.begin(), rows.end());
  return rows;
}

// A row of the change data feed as the reader gives it, without its commit timestamp.
std::string ChangeJson(int64_t id, const ModelRow& row, std::string_view change, int64_t version) {
  return fmt::format(R"({},"_change_type":"{}","_commit_version":{})", RowJson(id, row), change,
                     version);
}

// The rows of the change data feed of `version`, sorted, without their commit timestamps.
std::vector<std::string> ChangesOf(const std::shared_ptr<io::FileSystem>& fs, int64_t version) {
  ChangeDataFeedOptions feed;
  feed.start_version = version;
  feed.end_version = version;
  auto reader = ReadChangeDataFeed(fs, kRoot, feed);
  EXPECT_TRUE(reader.ok()) << reader.status().ToString();
  if (!reader.ok()) return {};
  std::vector<std::string> rows = testing::DrainSorted(**reader);
  for (std::string& row : rows) row = row.substr(0, row.find(",\"_commit_timestamp\""));
  std::sort(rows.begin(), rows.end());
  return rows;
}

// Deletion vectors on or off, change data feed on or off, key (part, id) or id alone.
class MergeModelTest : public ::testing::TestWithParam<std::tuple<bool, bool, bool>> {};

TEST_P(MergeModelTest, EveryMergeLeavesWhatTheModelSays) {
  // Plain variables, not structured bindings, which lambdas cannot capture in clang 14.
  const bool deletion_vectors = std::get<0>(GetParam());
  const bool change_feed = std::get<1>(GetParam());
  const bool composite_key = std::get<2>(GetParam());
  const auto key_of = [composite_key](const std::string& part, int64_t id) {
    return ModelKey{composite_key ? part : "", id};
  };
  const SchemaPtr schema = Ddl("id BIGINT, name STRING, part STRING");
  const SchemaPtr source_schema = Ddl("id BIGINT, name STRING, part STRING, op STRING");
  for (int seed = 0; seed < 4; ++seed) {
    SCOPED_TRACE(fmt::format("seed {}", seed));
    std::mt19937_64 random(static_cast<uint64_t>(seed) * 7919 + (deletion_vectors ? 1 : 0) +
                           (change_feed ? 2 : 0) + (composite_key ? 4 : 0));
    const auto uniform = [&](int64_t low, int64_t high) {
      return std::uniform_int_distribution<int64_t>(low, high)(random);
    };
    const bool partitioned = seed % 2 == 1;
    const auto part_of = [&]() { return "p" + std::to_string(uniform(0, 2)); };
    TestStorage storage;
    CreateTableOptions create;
    create.schema = schema;
    if (partitioned) create.partition_columns = {"part"};
    if (deletion_vectors) create.configuration.emplace_back("delta.enableDeletionVectors", "true");
    if (change_feed) create.configuration.emplace_back("delta.enableChangeDataFeed", "true");
    auto table = DeltaTable::Create(storage.fs, kRoot, create, storage.Options());
    ASSERT_TRUE(table.ok()) << table.status().ToString();

    // Files of consecutive ids but for one gap each (ids no row has), each its own commit.
    Model model;
    int64_t next_id = 0;
    for (int file = 0; file < 3; ++file) {
      std::vector<Row> rows;
      const int64_t count = uniform(1500, 3000);
      const int64_t gap_start = uniform(0, count);
      const int64_t gap_end = gap_start + uniform(0, 300);
      for (int64_t i = 0; i < count; ++i, ++next_id) {
        if (i >= gap_start && i < gap_end) continue;
        ModelRow row{"v0-" + std::to_string(next_id), part_of()};
        rows.push_back({std::to_string(next_id), row.name, row.part});
        model[key_of(row.part, next_id)] = row;
      }
      ASSERT_TRUE((*table)->Append({MakeRows(schema, rows)}).ok());
    }

    for (int step = 1; step <= 4; ++step) {
      SCOPED_TRACE(fmt::format("merge {}", step));
      // Source rows: a block of consecutive ids (updates of existing rows, inserts into gaps
      // and past the end), then scattered ids, some to delete.
      // Under a (part, id) key a source row of an id the table has usually carries one of its
      // parts (an update), else any part (most likely an insert).
      std::map<int64_t, std::vector<std::string>> parts_of_id;
      for (const auto& [key, row] : model) parts_of_id[key.second].push_back(row.part);
      const auto source_part = [&](int64_t id) {
        const auto parts = parts_of_id.find(id);
        if (!composite_key || parts == parts_of_id.end() || uniform(0, 3) == 0) return part_of();
        return parts->second[static_cast<size_t>(
            uniform(0, static_cast<int64_t>(parts->second.size()) - 1))];
      };
      std::map<int64_t, Row> source;  // By id: a key appears once.
      const int64_t block_start = uniform(0, next_id);
      const int64_t block_size = uniform(0, 2500);
      for (int64_t id = block_start; id < block_start + block_size; ++id) {
        source[id] = {std::to_string(id), fmt::format("v{}-{}", step, id), source_part(id), "U"};
      }
      // Often few scattered ids, which leaves long runs of rows a merge copies.
      const int64_t scattered = uniform(0, 2) == 0 ? uniform(0, 400) : uniform(0, 4);
      for (int64_t i = 0; i < scattered; ++i) {
        const int64_t id = uniform(0, next_id + 200);
        const char* op = uniform(0, 3) == 0 ? "D" : "U";
        source[id] = {std::to_string(id), fmt::format("v{}-{}", step, id), source_part(id), op};
      }
      // Source rows in id order, or shuffled, in one to three batches.
      std::vector<Row> rows;
      for (auto& [id, row] : source) rows.push_back(row);
      if (uniform(0, 1) == 0) std::shuffle(rows.begin(), rows.end(), random);
      std::vector<RecordBatchPtr> batches;
      const int64_t num_batches =
          std::min<int64_t>(uniform(1, 3), std::max<int64_t>(static_cast<int64_t>(rows.size()), 1));
      for (int64_t b = 0; b < num_batches; ++b) {
        const size_t begin =
            rows.size() * static_cast<size_t>(b) / static_cast<size_t>(num_batches);
        const size_t end =
            rows.size() * static_cast<size_t>(b + 1) / static_cast<size_t>(num_batches);
        batches.push_back(
            MakeRows(source_schema, std::vector<Row>(rows.begin() + begin, rows.begin() + end)));
      }

      MergeOptions options;
      options.key_columns =
          composite_key ? std::vector<std::string>{"part", "id"} : std::vector<std::string>{"id"};
      options.when_matched_delete_condition = {Predicate{"op", Predicate::Op::kEq, "D"}};
      // Now and then, rows no source row matches are deleted too.
      options.when_not_matched_by_source_delete = uniform(0, 7) == 0;

      int64_t inserted = 0;
      int64_t updated = 0;
      int64_t deleted = 0;
      Model next;
      std::vector<std::pair<int64_t, std::pair<ModelRow, std::string_view>>> changes;
      std::set<ModelKey> source_keys;
      for (const auto& [id, row] : source) {
        const ModelKey key = key_of(*row[2], id);
        source_keys.insert(key);
        const auto old = model.find(key);
        const bool exists = old != model.end();
        if (*row[3] == "D") {
          if (exists) {
            ++deleted;
            changes.push_back({id, {old->second, kChangeDelete}});
          }
          continue;
        }
        const ModelRow updated_row{*row[1], *row[2]};
        if (exists) {
          ++updated;
          changes.push_back({id, {old->second, kChangeUpdatePreimage}});
          changes.push_back({id, {updated_row, kChangeUpdatePostimage}});
        } else {
          ++inserted;
          changes.push_back({id, {updated_row, kChangeInsert}});
        }
        next[key] = updated_row;
      }
      for (const auto& [key, row] : model) {
        if (source_keys.count(key) != 0) continue;
        if (options.when_not_matched_by_source_delete) {
          ++deleted;
          changes.push_back({key.second, {row, kChangeDelete}});
        } else {
          next[key] = row;
        }
      }

      auto result = Merge(Latest(storage.fs, kRoot), batches, options, storage.Options());
      ASSERT_TRUE(result.ok()) << result.status().ToString();
      EXPECT_EQ(result->num_rows_inserted, inserted);
      EXPECT_EQ(result->num_rows_updated, updated);
      EXPECT_EQ(result->num_rows_deleted, deleted);
      model = std::move(next);
      ASSERT_EQ(TableRows(Latest(storage.fs, kRoot)), ModelRows(model));
      if (change_feed && result->commit.has_value()) {
        std::vector<std::string> expected;
        for (const auto& [id, change] : changes) {
          expected.push_back(ChangeJson(id, change.first, change.second, result->commit->version));
        }
        std::sort(expected.begin(), expected.end());
        ASSERT_EQ(ChangesOf(storage.fs, result->commit->version), expected);
      }
      next_id += 200;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Modes, MergeModelTest,
                         ::testing::Combine(::testing::Bool(), ::testing::Bool(),
                                            ::testing::Bool()),
                         [](const ::testing::TestParamInfo<std::tuple<bool, bool, bool>>& info) {
                           return std::string(std::get<0>(info.param) ? "DeletionVectors"
                                                                      : "CopyOnWrite") +
                                  (std::get<1>(info.param) ? "WithChangeFeed" : "") +
                                  (std::get<2>(info.param) ? "KeyedByPartAndId" : "KeyedById");
                         });

}  // namespace
}  // namespace arcflow::delta
