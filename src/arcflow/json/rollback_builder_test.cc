#include "arcflow/json/rollback_builder.h"

#include <gtest/gtest.h>

#include "arcflow/columnar/array.h"
#include "arcflow/columnar/row_printer.h"
#include "arcflow/columnar/schema_ddl.h"

namespace arcflow::json {
namespace {

std::vector<std::string> Values(const ArrayPtr& array) {
  std::vector<std::string> values;
  for (int64_t i = 0; i < array->length(); ++i) {
    std::string text;
    AppendCanonicalJson(*array, i, &text);
    values.push_back(std::move(text));
  }
  return values;
}

ArrayPtr FinishValid(RollbackBuilder* builder) {
  Result<std::shared_ptr<const ArrayData>> data = builder->Finish();
  EXPECT_TRUE(data.ok()) << data.status().ToString();
  Status valid = ValidateArrayData(**data);
  EXPECT_TRUE(valid.ok()) << valid.ToString();
  return MakeArray(*data);
}

TEST(RollbackBuilderTest, TruncatesScalarsAndRecountsNulls) {
  RollbackBuilder ints(types::Int32());
  for (int i = 0; i < 20; ++i) {
    if (i % 3 == 0) {
      ints.AppendNull();
    } else {
      ints.AppendValue<int32_t>(i);
    }
  }
  EXPECT_EQ(ints.null_count(), 7);
  ints.Truncate(10);
  EXPECT_EQ(ints.length(), 10);
  EXPECT_EQ(ints.null_count(), 4);
  ints.AppendValue<int32_t>(100);
  ArrayPtr array = FinishValid(&ints);
  EXPECT_EQ(Values(array), (std::vector<std::string>{"null", "1", "2", "null", "4", "5", "null",
                                                     "7", "8", "null", "100"}));
  // The builder starts over after Finish().
  ints.AppendValue<int32_t>(5);
  EXPECT_EQ(Values(FinishValid(&ints)), std::vector<std::string>{"5"});
}

TEST(RollbackBuilderTest, TruncatesBooleansStringsAndNestedValues) {
  RollbackBuilder flags(types::Boolean());
  for (int i = 0; i < 11; ++i) flags.AppendBoolean(true);
  flags.Truncate(3);
  flags.AppendBoolean(false);
  flags.AppendNull();
  EXPECT_EQ(Values(FinishValid(&flags)),
            (std::vector<std::string>{"true", "true", "true", "false", "null"}));

  RollbackBuilder strings(types::String());
  strings.AppendBytes("keep");
  strings.AppendBytes("drop");
  strings.AppendNull();
  strings.Truncate(1);
  strings.AppendBytes("new");
  EXPECT_EQ(Values(FinishValid(&strings)), (std::vector<std::string>{"\"keep\"", "\"new\""}));

  DataTypePtr type = *ParseDdlType("STRUCT<l: ARRAY<STRING>, m: MAP<STRING, INT>>");
  RollbackBuilder rows(type);
  RollbackBuilder* list = rows.child(0);
  RollbackBuilder* map = rows.child(1);
  RollbackBuilder* entries = map->child(0);
  // Row 0: complete.
  list->child(0)->AppendBytes("a");
  list->CloseList();
  entries->child(0)->AppendBytes("k");
  entries->child(1)->AppendValue<int32_t>(1);
  entries->CloseStruct();
  map->CloseList();
  rows.CloseStruct();
  // Row 1: abandoned halfway, as a record that fails inside a nested value.
  list->child(0)->AppendBytes("b");
  list->child(0)->AppendBytes("c");
  list->CloseList();
  entries->child(0)->AppendBytes("x");
  rows.Truncate(1);
  EXPECT_EQ(list->length(), 1);
  EXPECT_EQ(list->child(0)->length(), 1);
  EXPECT_EQ(entries->length(), 1);
  EXPECT_EQ(entries->child(0)->length(), 1);
  rows.AppendNull();
  EXPECT_EQ(Values(FinishValid(&rows)),
            (std::vector<std::string>{R"({"l":["a"],"m":[{"key":"k","value":1}]})", "null"}));
}

TEST(RollbackBuilderTest, GivesEntryBytesForMapKeys) {
  RollbackBuilder ints(types::Int64());
  ints.AppendValue<int64_t>(7);
  ints.AppendValue<int64_t>(7);
  EXPECT_EQ(ints.EntryBytes(0), ints.EntryBytes(1));
  RollbackBuilder flags(types::Boolean());
  flags.AppendBoolean(true);
  flags.AppendBoolean(false);
  EXPECT_NE(flags.EntryBytes(0), flags.EntryBytes(1));
  RollbackBuilder strings(types::String());
  strings.AppendBytes("ab");
  strings.AppendBytes("");
  EXPECT_EQ(strings.EntryBytes(0), "ab");
  EXPECT_EQ(strings.EntryBytes(1), "");
}

}  // namespace
}  // namespace arcflow::json
