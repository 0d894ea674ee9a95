#include "arcflow/columnar/row_printer.h"

#include <gtest/gtest.h>

#include <cmath>

namespace arcflow {
namespace {

// One row of every type, and one row of nulls.
RecordBatchPtr EveryTypeBatch() {
  auto schema = std::make_shared<Schema>(std::vector<Field>{
      Field("b", types::Boolean()), Field("i8", types::Int8()), Field("i64", types::Int64()),
      Field("f", types::Float32()), Field("d", types::Float64()),
      Field("dec", types::Decimal(5, 2)), Field("s", types::String()),
      Field("bin", types::Binary()), Field("day", types::Date32()), Field("ts", types::Timestamp()),
      Field("ntz", types::TimestampNtz()), Field("st", types::Struct({Field("x", types::Int32())})),
      Field("l", types::List(types::Float64())),
      Field("m", types::Map(types::String(), types::Int32()))});
  RecordBatchBuilder builder(schema);
  auto at = [&](int i) { return builder.column_builder(i); };
  static_cast<BooleanBuilder*>(at(0))->Append(true);
  static_cast<Int8Builder*>(at(1))->Append(-8);
  static_cast<Int64Builder*>(at(2))->Append(INT64_MAX);
  static_cast<Float32Builder*>(at(3))->Append(0.1f);
  static_cast<Float64Builder*>(at(4))->Append(NAN);
  static_cast<Decimal128Builder*>(at(5))->Append(1230);
  static_cast<StringBuilder*>(at(6))->Append("a,\"b\"");
  static_cast<BinaryBuilder*>(at(7))->Append("hi");
  static_cast<Date32Builder*>(at(8))->Append(19782);
  static_cast<TimestampBuilder*>(at(9))->Append(1000001);
  static_cast<TimestampBuilder*>(at(10))->Append(0);
  auto* record = static_cast<StructBuilder*>(at(11));
  static_cast<Int32Builder*>(record->field_builder(0))->Append(7);
  record->Append();
  auto* list = static_cast<ListBuilder*>(at(12));
  static_cast<Float64Builder*>(list->value_builder())->Append(1.5);
  static_cast<Float64Builder*>(list->value_builder())->Append(-INFINITY);
  list->Append();
  auto* map = static_cast<ListBuilder*>(at(13));
  static_cast<StringBuilder*>(MapKeyBuilder(*map))->Append("k");
  MapValueBuilder(*map)->AppendNull();
  AppendMapEntry(*map);
  map->Append();
  for (int i = 0; i < schema->num_fields(); ++i) at(i)->AppendNull();
  return builder.Finish().ValueOrDie();
}

std::string Print(RowFormat format, const RecordBatch& batch) {
  std::string text;
  RowPrinter printer(format, batch.schema(), [&](std::string_view chunk) {
    text.append(chunk);
    return Status::OK();
  });
  EXPECT_TRUE(printer.Write(batch).ok());
  EXPECT_TRUE(printer.Close().ok());
  return text;
}

TEST(RowPrinterTest, JsonLinesIsCanonical) {
  EXPECT_EQ(Print(RowFormat::kJsonLines, *EveryTypeBatch()),
            "{\"b\":true,\"i8\":-8,\"i64\":9223372036854775807,\"f\":0.1,\"d\":\"NaN\","
            "\"dec\":\"12.30\",\"s\":\"a,\\\"b\\\"\",\"bin\":\"aGk=\",\"day\":\"2024-02-29\","
            "\"ts\":\"1970-01-01T00:00:01.000001Z\",\"ntz\":\"1970-01-01T00:00:00.000000\","
            "\"st\":{\"x\":7},\"l\":[1.5,\"-Infinity\"],\"m\":[{\"key\":\"k\",\"value\":null}]}\n"
            "{\"b\":null,\"i8\":null,\"i64\":null,\"f\":null,\"d\":null,\"dec\":null,\"s\":null,"
            "\"bin\":null,\"day\":null,\"ts\":null,\"ntz\":null,\"st\":null,\"l\":null,"
            "\"m\":null}\n");
}

TEST(RowPrinterTest, CsvQuotesWhereNeeded) {
  std::string csv = Print(RowFormat::kCsv, *EveryTypeBatch());
  EXPECT_EQ(csv.substr(0, csv.find("\r\n")), "b,i8,i64,f,d,dec,s,bin,day,ts,ntz,st,l,m");
  EXPECT_NE(csv.find(",\"a,\"\"b\"\"\",aGk=,2024-02-29,"), std::string::npos) << csv;
  EXPECT_NE(csv.find("\"{\"\"x\"\":7}\""), std::string::npos) << csv;
  EXPECT_NE(csv.find("\r\n,,,,,,,,,,,,,\r\n"), std::string::npos) << csv;
}

TEST(RowPrinterTest, TableAlignsColumnsAndCountsRows) {
  auto schema = std::make_shared<Schema>(
      std::vector<Field>{Field("id", types::Int32()), Field("name", types::String())});
  RecordBatchBuilder builder(schema);
  static_cast<Int32Builder*>(builder.column_builder(0))->Append(1);
  static_cast<StringBuilder*>(builder.column_builder(1))->Append("alice");
  static_cast<Int32Builder*>(builder.column_builder(0))->Append(22);
  builder.column_builder(1)->AppendNull();
  EXPECT_EQ(Print(RowFormat::kTable, *builder.Finish().ValueOrDie()),
            "+----+-------+\n"
            "| id | name  |\n"
            "+----+-------+\n"
            "| 1  | alice |\n"
            "| 22 | NULL  |\n"
            "+----+-------+\n"
            "2 rows\n");
}

TEST(RowPrinterTest, ParsesFormatNames) {
  EXPECT_EQ(*ParseRowFormat("jsonl"), RowFormat::kJsonLines);
  EXPECT_EQ(*ParseRowFormat("table"), RowFormat::kTable);
  EXPECT_FALSE(ParseRowFormat("xml").ok());
}

}  // namespace
}  // namespace arcflow
