#include "arcflow/delta/row_filter.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "arcflow/columnar/row_printer.h"

#include "arcflow/columnar/schema_ddl.h"

namespace arcflow::delta {
namespace {

using Op = Predicate::Op;

TEST(RowFilterTest, FilterRecordBatchKeepsSelectedRowsOfNestedColumns) {
  auto schema = ParseDdlSchema("id INT, tags ARRAY<STRING>, m MAP<STRING, INT>");
  ASSERT_TRUE(schema.ok());
  RecordBatchBuilder builder(*schema);
  for (int i = 0; i < 4; ++i) {
    static_cast<Int32Builder*>(builder.column_builder(0))->Append(i);
    auto* list = static_cast<ListBuilder*>(builder.column_builder(1));
    static_cast<StringBuilder*>(list->value_builder())->Append("t" + std::to_string(i));
    list->Append();
    auto* map = static_cast<ListBuilder*>(builder.column_builder(2));
    static_cast<StringBuilder*>(MapKeyBuilder(*map))->Append("k");
    static_cast<Int32Builder*>(MapValueBuilder(*map))->Append(i * 10);
    AppendMapEntry(*map);
    map->Append();
  }
  auto batch = builder.Finish();
  ASSERT_TRUE(batch.ok());
  std::vector<uint8_t> keep = {0, 1, 0, 1};
  auto filtered = FilterRecordBatch(*batch, keep);
  ASSERT_TRUE(filtered.ok()) << filtered.status().ToString();
  ASSERT_EQ((*filtered)->num_rows(), 2);
  EXPECT_TRUE((*filtered)->Validate().ok());
  std::string row;
  AppendCanonicalRow(**filtered, 1, &row);
  EXPECT_EQ(row, "{\"id\":3,\"tags\":[\"t3\"],\"m\":[{\"key\":\"k\",\"value\":30}]}");

  auto filter = RowFilter::Make(*schema, {{"id", Op::kGe, "1"}, {"id", Op::kLt, "3"}});
  ASSERT_TRUE(filter.ok());
  auto matching = filter->Apply(*batch);
  ASSERT_TRUE(matching.ok());
  EXPECT_EQ((*matching)->num_rows(), 2);
  EXPECT_TRUE(RowFilter::Make(*schema, {{"nope", Op::kEq, "1"}}).status().IsInvalid());
}

// A batch of every flat type, about a quarter of each nullable column null.
RecordBatchPtr FlatTypesBatch(std::mt19937_64& random, int num_rows) {
  auto schema = ParseDdlSchema(
      "a TINYINT, b SMALLINT, c INT, d BIGINT, e FLOAT, f DOUBLE, g DECIMAL(12,2), h STRING, "
      "i BINARY, j BOOLEAN, k DATE, l TIMESTAMP, m INT NOT NULL, n STRING NOT NULL");
  EXPECT_TRUE(schema.ok());
  RecordBatchBuilder builder(*schema);
  for (int row = 0; row < num_rows; ++row) {
    for (int column = 0; column < (*schema)->num_fields(); ++column) {
      ArrayBuilder* out = builder.column_builder(column);
      if (column < 12 && random() % 4 == 0) {
        out->AppendNull();
        continue;
      }
      const auto value = static_cast<int64_t>(random() % 1000) - 500;
      switch ((*schema)->field(column).type->id()) {
        case TypeId::kInt8:
          static_cast<Int8Builder*>(out)->Append(static_cast<int8_t>(value % 100));
          break;
        case TypeId::kInt16:
          static_cast<Int16Builder*>(out)->Append(static_cast<int16_t>(value));
          break;
        case TypeId::kInt32:
        case TypeId::kDate32:
          static_cast<Int32Builder*>(out)->Append(static_cast<int32_t>(value));
          break;
        case TypeId::kInt64:
        case TypeId::kTimestamp:
          static_cast<Int64Builder*>(out)->Append(value * 1000003);
          break;
        case TypeId::kFloat32:
          static_cast<Float32Builder*>(out)->Append(static_cast<float>(value) / 8);
          break;
        case TypeId::kFloat64:
          static_cast<Float64Builder*>(out)->Append(static_cast<double>(value) / 16);
          break;
        case TypeId::kDecimal128:
          static_cast<Decimal128Builder*>(out)->Append(int128_t{value} * 7);
          break;
        case TypeId::kBoolean:
          static_cast<BooleanBuilder*>(out)->Append(value % 2 == 0);
          break;
        default:
          static_cast<BinaryBuilder*>(out)->Append(
              std::string(static_cast<size_t>(row % 7), static_cast<char>('a' + row % 26)));
          break;
      }
    }
  }
  auto batch = builder.Finish();
  EXPECT_TRUE(batch.ok()) << batch.status().ToString();
  return *batch;
}

// Every flat type, with and without nulls, from whole and sliced batches, under random masks
// (long runs, single rows, none, all): the kept rows are the rows the mask selects.
TEST(RowFilterTest, FilterRecordBatchMatchesTheMaskForEveryFlatType) {
  std::mt19937_64 random(11);
  RecordBatchPtr whole = FlatTypesBatch(random, 600);
  for (int round = 0; round < 40; ++round) {
    RecordBatchPtr batch = whole;
    if (round % 2 == 1) batch = batch->Slice(static_cast<int64_t>(random() % 100), 400);
    std::vector<uint8_t> keep(static_cast<size_t>(batch->num_rows()));
    const int mode = round % 5;
    uint8_t state = 1;
    for (uint8_t& flag : keep) {
      if (mode == 0) {
        flag = random() % 2;
      } else if (mode == 1) {
        if (random() % 50 == 0) state ^= 1;  // Long runs.
        flag = state;
      } else {
        flag = mode == 2 ? 0 : (mode == 3 ? 1 : random() % 20 != 0);
      }
    }
    auto filtered = FilterRecordBatch(batch, keep);
    ASSERT_TRUE(filtered.ok()) << filtered.status().ToString();
    ASSERT_TRUE((*filtered)->Validate().ok()) << round;
    std::vector<std::string> expected;
    for (int64_t row = 0; row < batch->num_rows(); ++row) {
      if (keep[static_cast<size_t>(row)] == 0) continue;
      expected.emplace_back();
      AppendCanonicalRow(*batch, row, &expected.back());
    }
    ASSERT_EQ((*filtered)->num_rows(), static_cast<int64_t>(expected.size())) << round;
    for (int64_t row = 0; row < (*filtered)->num_rows(); ++row) {
      std::string text;
      AppendCanonicalRow(**filtered, row, &text);
      ASSERT_EQ(text, expected[static_cast<size_t>(row)]) << round << " row " << row;
    }
  }
}

// Rows kept or gathered as one run of one batch are a view of it: same rows, no copy.
TEST(RowFilterTest, OneRunIsAViewOfItsBatch) {
  std::mt19937_64 random(9);
  RecordBatchPtr batch = FlatTypesBatch(random, 500)->Slice(50, 400);
  std::vector<uint8_t> keep(400, 0);
  std::fill(keep.begin() + 100, keep.begin() + 300, 1);
  auto filtered = FilterRecordBatch(batch, keep);
  ASSERT_TRUE(filtered.ok()) << filtered.status().ToString();
  ASSERT_TRUE((*filtered)->Validate().ok());
  std::vector<std::pair<int, int64_t>> rows;
  for (int64_t row = 100; row < 300; ++row) rows.emplace_back(0, row);
  auto gathered = GatherRows(batch->schema(), {batch}, rows);
  ASSERT_TRUE(gathered.ok()) << gathered.status().ToString();
  for (const RecordBatchPtr& result : {*filtered, *gathered}) {
    ASSERT_EQ(result->num_rows(), 200);
    for (int64_t row = 0; row < 200; ++row) {
      std::string expected;
      std::string actual;
      AppendCanonicalRow(*batch, 100 + row, &expected);
      AppendCanonicalRow(*result, row, &actual);
      ASSERT_EQ(actual, expected) << row;
    }
    for (int column = 0; column < batch->num_columns(); ++column) {
      EXPECT_EQ(result->column(column)->data()->buffers.back(),
                batch->column(column)->data()->buffers.back())
          << column;
    }
  }
}

// Rows gathered from several batches (one sliced), in any order and repeated, single and in
// runs of consecutive rows, are those rows.
TEST(RowFilterTest, GatherRowsTakesRowsOfSeveralBatchesInOrder) {
  std::mt19937_64 random(5);
  std::vector<RecordBatchPtr> batches = {FlatTypesBatch(random, 300),
                                         FlatTypesBatch(random, 500)->Slice(77, 200)};
  std::vector<std::pair<int, int64_t>> rows;
  while (rows.size() < 1000) {
    const int batch = static_cast<int>(random() % 2);
    const auto num_rows = static_cast<uint64_t>(batches[static_cast<size_t>(batch)]->num_rows());
    const auto first = static_cast<int64_t>(random() % num_rows);
    const int64_t run = random() % 2 == 0 ? 1 : static_cast<int64_t>(random() % 60);
    for (int64_t row = first; row < first + run && row < static_cast<int64_t>(num_rows); ++row) {
      rows.emplace_back(batch, row);
    }
  }
  rows.resize(1000);
  auto gathered = GatherRows(batches[0]->schema(), batches, rows);
  ASSERT_TRUE(gathered.ok()) << gathered.status().ToString();
  ASSERT_TRUE((*gathered)->Validate().ok());
  ASSERT_EQ((*gathered)->num_rows(), 1000);
  for (size_t i = 0; i < rows.size(); ++i) {
    std::string expected;
    std::string actual;
    AppendCanonicalRow(*batches[static_cast<size_t>(rows[i].first)], rows[i].second, &expected);
    AppendCanonicalRow(**gathered, static_cast<int64_t>(i), &actual);
    ASSERT_EQ(actual, expected) << i;
  }
  // One column alone is the same column.
  const int last = batches[0]->num_columns() - 1;
  auto column = GatherColumn(batches[0]->schema()->field(last).type, batches, last, rows);
  ASSERT_TRUE(column.ok()) << column.status().ToString();
  for (int64_t row = 0; row < 1000; ++row) {
    std::string expected;
    std::string actual;
    AppendCanonicalJson(*(*gathered)->column(last), row, &expected);
    AppendCanonicalJson(**column, row, &actual);
    ASSERT_EQ(actual, expected) << row;
  }
  auto none = GatherRows(batches[0]->schema(), batches, {});
  ASSERT_TRUE(none.ok());
  EXPECT_EQ((*none)->num_rows(), 0);
}

TEST(RowFilterTest, NestedPathsAreNullUnderANullParent) {
  auto schema = ParseDdlSchema("s STRUCT<x: INT, y: STRING>, f DOUBLE");
  ASSERT_TRUE(schema.ok());
  RecordBatchBuilder builder(*schema);
  auto* s = static_cast<StructBuilder*>(builder.column_builder(0));
  auto* f = static_cast<Float64Builder*>(builder.column_builder(1));
  // Row 0: s = {1, "a"}, f = 1.5; row 1: s = null, f = NaN; row 2: s = {null, "b"}, f = null.
  static_cast<Int32Builder*>(s->field_builder(0))->Append(1);
  static_cast<StringBuilder*>(s->field_builder(1))->Append("a");
  s->Append();
  f->Append(1.5);
  s->AppendNull();
  f->Append(std::nan(""));
  static_cast<Int32Builder*>(s->field_builder(0))->AppendNull();
  static_cast<StringBuilder*>(s->field_builder(1))->Append("b");
  s->Append();
  f->AppendNull();
  auto batch = builder.Finish();
  ASSERT_TRUE(batch.ok());

  auto evaluate = [&](std::vector<Predicate> predicates) {
    auto filter = RowFilter::Make(*schema, std::move(predicates));
    EXPECT_TRUE(filter.ok()) << filter.status().ToString();
    return filter.ok() ? filter->Evaluate(**batch) : std::vector<uint8_t>{};
  };
  EXPECT_EQ(evaluate({{"s.x", Op::kIsNull, ""}}), (std::vector<uint8_t>{0, 1, 1}));
  EXPECT_EQ(evaluate({{"s.x", Op::kEq, "1"}}), (std::vector<uint8_t>{1, 0, 0}));
  EXPECT_EQ(evaluate({{"s", Op::kIsNotNull, ""}}), (std::vector<uint8_t>{1, 0, 1}));
  EXPECT_EQ(evaluate({{"S.Y", Op::kGe, "b"}}), (std::vector<uint8_t>{0, 0, 1}));
  // NaN sorts above every number, as in Spark.
  EXPECT_EQ(evaluate({{"f", Op::kGt, "100"}}), (std::vector<uint8_t>{0, 1, 0}));
  EXPECT_EQ(evaluate({{"f", Op::kLe, "1.5"}, {"s.x", Op::kIsNotNull, ""}}),
            (std::vector<uint8_t>{1, 0, 0}));
  EXPECT_TRUE(RowFilter::Make(*schema, {{"s", Op::kEq, "1"}}).status().IsInvalid());
  EXPECT_TRUE(RowFilter::Make(*schema, {{"f", Op::kEq, "abc"}}).status().IsInvalid());
}

}  // namespace
}  // namespace arcflow::delta
