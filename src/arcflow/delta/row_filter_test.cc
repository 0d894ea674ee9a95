#include "arcflow/delta/row_filter.h"

#include <gtest/gtest.h>

#include <cmath>
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
