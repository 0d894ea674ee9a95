#include "arcflow/columnar/builder.h"

#include <gtest/gtest.h>

#include "arcflow/columnar/record_batch.h"

namespace arcflow {
namespace {

TEST(BuilderTest, BuildsPrimitiveWithNullsAndValidates) {
  Int64Builder builder(types::Int64());
  for (int64_t i = 0; i < 100; ++i) {
    if (i % 7 == 3) {
      builder.AppendNull();
    } else {
      builder.Append(i * 10);
    }
  }
  Result<ArrayPtr> result = builder.Finish();
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  const auto& array = static_cast<const Int64Array&>(**result);
  EXPECT_EQ(array.length(), 100);
  EXPECT_EQ(array.null_count(), 14);
  EXPECT_TRUE(array.IsNull(3));
  EXPECT_TRUE(array.IsValid(4));
  EXPECT_EQ(array.Value(4), 40);
  EXPECT_TRUE(ValidateArrayData(*array.data()).ok());
  EXPECT_EQ(builder.length(), 0);  // Reusable after Finish.
}

TEST(BuilderTest, NoValidityBitmapWithoutNulls) {
  BooleanBuilder builder;
  for (int i = 0; i < 20; ++i) builder.Append(i % 3 == 0);
  auto array = builder.Finish().ValueOrDie();
  EXPECT_EQ(array->data()->buffers[0], nullptr);
  EXPECT_EQ(array->null_count(), 0);
  EXPECT_TRUE(static_cast<const BooleanArray&>(*array).Value(18));
  EXPECT_FALSE(static_cast<const BooleanArray&>(*array).Value(19));
}

TEST(BuilderTest, FirstValueNullMaterializesBitmap) {
  StringBuilder builder(types::String());
  builder.AppendNull();
  builder.Append("a");
  builder.Append("");
  builder.AppendNull();
  auto array = builder.Finish().ValueOrDie();
  const auto& strings = static_cast<const StringArray&>(*array);
  EXPECT_TRUE(strings.IsNull(0));
  EXPECT_EQ(strings.Value(1), "a");
  EXPECT_TRUE(strings.IsValid(2));
  EXPECT_EQ(strings.Value(2), "");
  EXPECT_TRUE(strings.IsNull(3));
  EXPECT_EQ(strings.null_count(), 2);
  EXPECT_TRUE(ValidateArrayData(*array->data()).ok());
}

TEST(BuilderTest, SliceSharesBuffersAndCountsNulls) {
  Int32Builder builder(types::Int32());
  for (int i = 0; i < 64; ++i) {
    if (i % 2 == 0) {
      builder.Append(i);
    } else {
      builder.AppendNull();
    }
  }
  auto array = builder.Finish().ValueOrDie();
  ArrayPtr slice = array->Slice(10, 5);
  EXPECT_EQ(slice->length(), 5);
  EXPECT_EQ(slice->null_count(), 2);
  EXPECT_EQ(static_cast<const Int32Array&>(*slice).Value(0), 10);
  EXPECT_TRUE(slice->IsNull(1));
  EXPECT_EQ(slice->data()->buffers[1], array->data()->buffers[1]);
}

TEST(BuilderTest, BuildsNestedStructListMap) {
  DataTypePtr type =
      types::Struct({Field("id", types::Int32()), Field("tags", types::List(types::String())),
                     Field("attrs", types::Map(types::String(), types::Int64()))});
  auto builder = MakeBuilder(type);
  auto& root = static_cast<StructBuilder&>(*builder);
  auto& ids = static_cast<Int32Builder&>(*root.field_builder(0));
  auto& tags = static_cast<ListBuilder&>(*root.field_builder(1));
  auto& tag_values = static_cast<StringBuilder&>(*tags.value_builder());
  auto& attrs = static_cast<ListBuilder&>(*root.field_builder(2));
  auto& keys = static_cast<StringBuilder&>(*MapKeyBuilder(attrs));
  auto& values = static_cast<Int64Builder&>(*MapValueBuilder(attrs));

  ids.Append(1);
  tag_values.Append("x");
  tag_values.Append("y");
  tags.Append();
  keys.Append("k");
  values.Append(5);
  AppendMapEntry(attrs);
  attrs.Append();
  root.Append();

  root.AppendNull();

  ids.Append(3);
  tags.AppendNull();
  attrs.Append();
  root.Append();

  auto array = builder->Finish().ValueOrDie();
  ASSERT_TRUE(ValidateArrayData(*array->data()).ok());
  const auto& rows = static_cast<const StructArray&>(*array);
  EXPECT_EQ(rows.length(), 3);
  EXPECT_TRUE(rows.IsNull(1));
  const auto& tag_lists = static_cast<const ListArray&>(*rows.field(1));
  EXPECT_EQ(tag_lists.value_length(0), 2);
  EXPECT_TRUE(tag_lists.IsNull(2));
  EXPECT_EQ(static_cast<const StringArray&>(*tag_lists.values()).Value(1), "y");
  const auto& maps = static_cast<const MapArray&>(*rows.field(2));
  EXPECT_EQ(maps.value_length(0), 1);
  EXPECT_EQ(maps.value_length(2), 0);
  EXPECT_EQ(static_cast<const StringArray&>(*maps.keys()).Value(0), "k");
  EXPECT_EQ(static_cast<const Int64Array&>(*maps.items()).Value(0), 5);
}

TEST(BuilderTest, StructMemberCountMismatchIsAnError) {
  auto builder = MakeBuilder(types::Struct({Field("a", types::Int32())}));
  static_cast<StructBuilder&>(*builder).Append();  // Member not appended.
  EXPECT_FALSE(builder->Finish().ok());
}

TEST(RecordBatchTest, MakeChecksColumnsAgainstSchema) {
  auto schema = std::make_shared<Schema>(std::vector<Field>{Field("a", types::Int32())});
  Int32Builder builder(types::Int32());
  builder.Append(1);
  ArrayPtr column = builder.Finish().ValueOrDie();
  EXPECT_TRUE(RecordBatch::Make(schema, 1, {column}).ok());
  EXPECT_FALSE(RecordBatch::Make(schema, 2, {column}).ok());
  EXPECT_FALSE(RecordBatch::Make(schema, 1, {}).ok());
  auto wrong = std::make_shared<Schema>(std::vector<Field>{Field("a", types::Int64())});
  EXPECT_FALSE(RecordBatch::Make(wrong, 1, {column}).ok());
}

TEST(RecordBatchTest, BuilderProducesSliceableBatch) {
  auto schema = std::make_shared<Schema>(
      std::vector<Field>{Field("a", types::Int32()), Field("b", types::String())});
  RecordBatchBuilder builder(schema);
  for (int i = 0; i < 10; ++i) {
    static_cast<Int32Builder*>(builder.column_builder(0))->Append(i);
    static_cast<StringBuilder*>(builder.column_builder(1))->Append(std::to_string(i));
  }
  auto batch = builder.Finish().ValueOrDie();
  EXPECT_EQ(batch->num_rows(), 10);
  EXPECT_TRUE(batch->Validate().ok());
  auto slice = batch->Slice(8, 2);
  EXPECT_EQ(static_cast<const StringArray&>(*slice->column(1)).Value(1), "9");
}

TEST(ValidateArrayDataTest, RejectsBrokenOffsets) {
  StringBuilder builder(types::String());
  builder.Append("abc");
  builder.Append("de");
  auto data = std::make_shared<ArrayData>(*builder.Finish().ValueOrDie()->data());
  auto offsets = Buffer::CopyOf(std::string_view("\0\0\0\0\x09\0\0\0\x05\0\0\0", 12));
  data->buffers[1] = offsets;
  EXPECT_FALSE(ValidateArrayData(*data).ok());
}

}  // namespace
}  // namespace arcflow
