#include "arcflow/columnar/projection.h"

#include <gtest/gtest.h>

#include "arcflow/columnar/row_printer.h"

namespace arcflow {
namespace {

RecordBatchPtr PeopleBatch() {
  auto address = types::Struct({Field("city", types::String()), Field("zip", types::Int32())});
  auto schema = std::make_shared<Schema>(
      std::vector<Field>{Field("id", types::Int64()), Field("address", address)});
  RecordBatchBuilder builder(schema);
  auto* ids = static_cast<Int64Builder*>(builder.column_builder(0));
  auto* addresses = static_cast<StructBuilder*>(builder.column_builder(1));
  auto* cities = static_cast<StringBuilder*>(addresses->field_builder(0));
  auto* zips = static_cast<Int32Builder*>(addresses->field_builder(1));
  ids->Append(1);
  cities->Append("Oslo");
  zips->Append(150);
  addresses->Append();
  ids->Append(2);
  addresses->AppendNull();
  ids->Append(3);
  cities->AppendNull();
  zips->Append(7);
  addresses->Append();
  return builder.Finish().ValueOrDie();
}

std::string Rows(const RecordBatch& batch) {
  std::string out;
  for (int64_t row = 0; row < batch.num_rows(); ++row) {
    AppendCanonicalRow(batch, row, &out);
    out.push_back('\n');
  }
  return out;
}

TEST(ProjectionTest, SelectsColumnsAndStructMembers) {
  auto batch = PeopleBatch();
  auto projection = Projection::Make(batch->schema(), {"address.city", "id"}).ValueOrDie();
  EXPECT_EQ(projection.output_schema()->ToString(), "city string, id bigint");
  auto projected = projection.Apply(*batch).ValueOrDie();
  EXPECT_EQ(Rows(*projected),
            "{\"city\":\"Oslo\",\"id\":1}\n{\"city\":null,\"id\":2}\n{\"city\":null,\"id\":3}\n");
  EXPECT_TRUE(projected->Validate().ok());
}

TEST(ProjectionTest, MasksMembersOfNullStructsInSlices) {
  auto batch = PeopleBatch()->Slice(1, 2);
  auto projection = Projection::Make(batch->schema(), {"address.zip"}).ValueOrDie();
  auto projected = projection.Apply(*batch).ValueOrDie();
  EXPECT_EQ(Rows(*projected), "{\"zip\":null}\n{\"zip\":7}\n");
  EXPECT_TRUE(projected->Validate().ok());
}

TEST(ProjectionTest, ReportsUnknownColumnsAndBadPaths) {
  auto schema = PeopleBatch()->schema();
  EXPECT_NE(Projection::Make(schema, {"name"}).status().message().find("column 'name' not found"),
            std::string::npos);
  EXPECT_FALSE(Projection::Make(schema, {"id.x"}).ok());
  EXPECT_FALSE(Projection::Make(schema, {"address.country"}).ok());
  EXPECT_FALSE(Projection::Make(schema, {"address."}).ok());
}

TEST(SplitColumnPathTest, HonoursBackticks) {
  auto parts = SplitColumnPath("a.`b.c`.`d``e`").ValueOrDie();
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[1], "b.c");
  EXPECT_EQ(parts[2], "d`e");
  EXPECT_FALSE(SplitColumnPath("`a").ok());
}

TEST(SplitColumnPathTest, TopLevelColumnPathsSplitBackIntoTheName) {
  for (const char* name : {"id", "a.b", "d`e", "`", "``.`", "", " x "}) {
    auto parts = SplitColumnPath(TopLevelColumnPath(name));
    ASSERT_TRUE(parts.ok()) << name;
    EXPECT_EQ(*parts, std::vector<std::string>{name}) << TopLevelColumnPath(name);
  }
}

}  // namespace
}  // namespace arcflow
