#include "arcflow/columnar/schema_ddl.h"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "arcflow/columnar/random_schema_generator.h"
#include "arcflow/columnar/schema_json.h"

namespace arcflow {
namespace {

using ::testing::HasSubstr;

SchemaPtr ParseOk(std::string_view ddl) {
  Result<SchemaPtr> schema = ParseDdlSchema(ddl);
  EXPECT_TRUE(schema.ok()) << "ddl: " << ddl << "\nstatus: " << schema.status().ToString();
  return schema.ok() ? *schema : std::make_shared<const Schema>(std::vector<Field>{});
}

DataTypePtr ParseTypeOk(std::string_view ddl) {
  Result<DataTypePtr> type = ParseDdlType(ddl);
  EXPECT_TRUE(type.ok()) << "ddl: " << ddl << "\nstatus: " << type.status().ToString();
  return type.ok() ? *type : types::Boolean();
}

Status ParseError(std::string_view ddl) {
  Result<SchemaPtr> schema = ParseDdlSchema(ddl);
  EXPECT_FALSE(schema.ok()) << "ddl unexpectedly parsed: " << ddl;
  return schema.ok() ? Status::OK() : schema.status();
}

FieldMetadata Comment(std::string_view text) { return {{"comment", QuoteJsonString(text)}}; }

TEST(SchemaDdlTest, ParsesTheDocumentedExample) {
  SchemaPtr schema = ParseOk(
      "id BIGINT NOT NULL COMMENT 'key', name STRING, tags ARRAY<STRING>, attrs MAP<STRING, "
      "INT>, addr STRUCT<city: STRING, zip STRING NOT NULL COMMENT 'z'>, amount DECIMAL(10,2), "
      "`weird name` INT");
  Schema expected({
      Field("id", types::Int64(), false, {{"comment", "\"key\""}}),
      Field("name", types::String()),
      Field("tags", types::List(types::String())),
      Field("attrs", types::Map(types::String(), types::Int32())),
      Field("addr", types::Struct({Field("city", types::String()),
                                   Field("zip", types::String(), false, Comment("z"))})),
      Field("amount", types::Decimal(10, 2)),
      Field("weird name", types::Int32()),
  });
  EXPECT_TRUE(schema->Equals(expected)) << schema->ToString();
  EXPECT_EQ(schema->field(0).comment(), "key");
  EXPECT_EQ(schema->field(4).type->field(1).comment(), "z");
  EXPECT_FALSE(schema->field(1).comment().has_value());
}

TEST(SchemaDdlTest, ParsesEveryPrimitiveSpelling) {
  struct Case {
    std::string ddl;
    DataTypePtr type;
  };
  std::vector<Case> cases = {
      {"STRING", types::String()},
      {"string", types::String()},
      {"VARCHAR(10)", types::String()},
      {"varchar ( 255 )", types::String()},
      {"CHAR(1)", types::String()},
      {"character(3)", types::String()},
      {"INT", types::Int32()},
      {"Integer", types::Int32()},
      {"BIGINT", types::Int64()},
      {"long", types::Int64()},
      {"SMALLINT", types::Int16()},
      {"short", types::Int16()},
      {"TINYINT", types::Int8()},
      {"byte", types::Int8()},
      {"FLOAT", types::Float32()},
      {"real", types::Float32()},
      {"DOUBLE", types::Float64()},
      {"boolean", types::Boolean()},
      {"TIMESTAMP", types::Timestamp()},
      {"timestamp_ltz", types::Timestamp()},
      {"TIMESTAMP_NTZ", types::TimestampNtz()},
      {"date", types::Date32()},
      {"BINARY", types::Binary()},
      {"DECIMAL", types::Decimal(10, 0)},
      {"dec", types::Decimal(10, 0)},
      {"Numeric", types::Decimal(10, 0)},
      {"DECIMAL(5)", types::Decimal(5, 0)},
      {"DECIMAL(10,2)", types::Decimal(10, 2)},
      {"decimal ( 38 , 38 )", types::Decimal(38, 38)},
      {"NUMERIC(1,0)", types::Decimal(1, 0)},
      {"DEC(18, 4)", types::Decimal(18, 4)},
  };
  for (const Case& c : cases) {
    DataTypePtr type = ParseTypeOk(c.ddl);
    EXPECT_TRUE(type->Equals(*c.type)) << c.ddl << " parsed as " << type->ToString();
    SchemaPtr schema = ParseOk("col " + c.ddl);
    ASSERT_EQ(schema->num_fields(), 1);
    EXPECT_TRUE(schema->field(0).type->Equals(*c.type)) << c.ddl;
  }
}

TEST(SchemaDdlTest, ParsesNestedTypes) {
  EXPECT_TRUE(ParseTypeOk("array<struct<x:double>>")
                  ->Equals(*types::List(types::Struct({Field("x", types::Float64())}))));
  EXPECT_TRUE(ParseTypeOk("MAP<STRING, ARRAY<MAP<INT,BOOLEAN>>>")
                  ->Equals(*types::Map(types::String(),
                                       types::List(types::Map(types::Int32(), types::Boolean())))));
  EXPECT_TRUE(ParseTypeOk("ARRAY<ARRAY<INT>>")->Equals(*types::List(types::List(types::Int32()))));
  EXPECT_TRUE(ParseTypeOk("STRUCT<>")->Equals(*types::Struct({})));
  EXPECT_TRUE(ParseTypeOk("struct < >")->Equals(*types::Struct({})));
  // The colon between a struct member's name and type is optional.
  EXPECT_TRUE(
      ParseTypeOk("STRUCT<a INT, b: STRING NOT NULL, `c d`:DATE COMMENT 'cd'>")
          ->Equals(*types::Struct({Field("a", types::Int32()), Field("b", types::String(), false),
                                   Field("c d", types::Date32(), true, Comment("cd"))})));
  // DDL has no way to say otherwise: keys are non-null, values and elements nullable.
  DataTypePtr map = ParseTypeOk("MAP<STRING, INT>");
  EXPECT_FALSE(map->key_field().nullable);
  EXPECT_TRUE(map->value_field().nullable);
  EXPECT_TRUE(ParseTypeOk("ARRAY<INT>")->element_field().nullable);
}

TEST(SchemaDdlTest, ParsesBacktickedNames) {
  SchemaPtr schema =
      ParseOk("`weird name` INT, `a``b` STRING, `` DATE, `日本` INT, `select` INT, `1st` INT");
  ASSERT_EQ(schema->num_fields(), 6);
  EXPECT_EQ(schema->field(0).name, "weird name");
  EXPECT_EQ(schema->field(1).name, "a`b");
  EXPECT_EQ(schema->field(2).name, "");
  EXPECT_EQ(schema->field(3).name, "日本");
  EXPECT_EQ(schema->field(4).name, "select");
  EXPECT_EQ(schema->field(5).name, "1st");
  // Spark's identifiers may also start with a digit, and keywords are fine as names.
  SchemaPtr plain = ParseOk("1st INT, not STRING, comment INT, struct STRING, int INT");
  ASSERT_EQ(plain->num_fields(), 5);
  EXPECT_EQ(plain->field(0).name, "1st");
  EXPECT_EQ(plain->field(1).name, "not");
  EXPECT_EQ(plain->field(3).name, "struct");
  EXPECT_EQ(plain->field(3).type->id(), TypeId::kString);
}

TEST(SchemaDdlTest, DecodesCommentLiterals) {
  struct Case {
    std::string literal;
    std::string text;
  };
  std::vector<Case> cases = {
      {"'plain'", "plain"},
      {"\"double quoted\"", "double quoted"},
      {R"('it\'s')", "it's"},
      {R"("say \"hi\"")", "say \"hi\""},
      {R"('single "in" single')", "single \"in\" single"},
      {R"('tab\tnew\nline\rcr\bback')", "tab\tnew\nline\rcr\bback"},
      {R"('back\\slash')", "back\\slash"},
      {R"('\u00e9t\u00E9')", "été"},
      {R"('\uD83D\uDE00')", "😀"},
      {R"('\101\102')", "AB"},
      {R"('\0')", std::string(1, '\0')},
      {R"('\Z')", "\x1A"},
      {R"('100\% \_x')", "100\\% \\_x"},
      {R"('\q')", "q"},
      {R"('\u12')", "u12"},
      {R"(R'raw\n')", "raw\\n"},
      {R"(r"raw 'x'")", "raw 'x'"},
      {"'multi\nline'", "multi\nline"},
      {"''", ""},
      {"'日本語'", "日本語"},
  };
  for (const Case& c : cases) {
    SchemaPtr schema = ParseOk("a INT COMMENT " + c.literal);
    ASSERT_EQ(schema->num_fields(), 1);
    EXPECT_EQ(schema->field(0).comment(), c.text) << c.literal;
    ASSERT_EQ(schema->field(0).metadata.size(), 1u);
    EXPECT_EQ(schema->field(0).metadata[0].second, QuoteJsonString(c.text)) << c.literal;
  }
}

TEST(SchemaDdlTest, KeywordsAreCaseInsensitiveAndWhitespaceIsFree) {
  SchemaPtr schema = ParseOk(
      "\n  a\tint not null comment 'x'\n,\r\n b  Array < sTrInG >  ,c\fMAP<\nstring,\tlong>  \n");
  Schema expected({Field("a", types::Int32(), false, Comment("x")),
                   Field("b", types::List(types::String())),
                   Field("c", types::Map(types::String(), types::Int64()))});
  EXPECT_TRUE(schema->Equals(expected)) << schema->ToString();
}

TEST(SchemaDdlTest, AcceptsAWholeSchemaStruct) {
  SchemaPtr schema = ParseOk("STRUCT<a: INT, b STRING NOT NULL>");
  Schema expected({Field("a", types::Int32()), Field("b", types::String(), false)});
  EXPECT_TRUE(schema->Equals(expected));
  EXPECT_EQ(ParseOk("  struct < >  ")->num_fields(), 0);
  // A column named struct is still a column.
  SchemaPtr column = ParseOk("struct STRUCT<x: INT>");
  ASSERT_EQ(column->num_fields(), 1);
  EXPECT_EQ(column->field(0).name, "struct");
}

TEST(SchemaDdlTest, EmptyInputIsTheEmptySchema) {
  EXPECT_EQ(ParseOk("")->num_fields(), 0);
  EXPECT_EQ(ParseOk(" \n\t ")->num_fields(), 0);
}

TEST(SchemaDdlTest, ReportsErrorsWithPositions) {
  struct Case {
    std::string ddl;
    std::string message;
  };
  std::vector<Case> cases = {
      {"a INT, b STRNG, c INT",
       "schema: unknown type 'STRNG' at position 9 (line 1, column 10); expected one of STRING, "
       "VARCHAR(n), CHAR(n), BOOLEAN, TINYINT, SMALLINT, INT, BIGINT, FLOAT, DOUBLE, "
       "DECIMAL(p,s), DATE, TIMESTAMP, TIMESTAMP_NTZ, BINARY, ARRAY<T>, MAP<K, V>, STRUCT<...> "
       "(did you mean STRING?)"},
      {"a INT, b , c INT",
       "schema: expected a type at position 9 (line 1, column 10) near ', c INT'"},
      {"a INT,",
       "schema: expected a column name (a trailing comma is not allowed) at position 6 (line 1, "
       "column 7) at end of input"},
      {"a INT, b STRUCT<x INT,>",
       "schema: expected a field name (a trailing comma is not allowed) at position 22 (line 1, "
       "column 23) near '>'"},
      {", a INT", "schema: expected a column name at position 0 (line 1, column 1) near ', a INT'"},
      {"123 INT", "schema: expected a column name at position 0 (line 1, column 1) near '123 INT'"},
      {"a", "schema: expected a type at position 1 (line 1, column 2) at end of input"},
      {"a ARRAY<INT",
       "schema: expected '>' to close ARRAY< at position 11 (line 1, column 12) at "
       "end of input"},
      {"a ARRAY INT",
       "schema: expected '<' after ARRAY at position 8 (line 1, column 9) near "
       "'INT'"},
      {"m MAP<STRING>",
       "schema: expected ',' between the key and value types of MAP< at position "
       "12 (line 1, column 13) near '>'"},
      {"s STRUCT",
       "schema: expected '<' after STRUCT at position 8 (line 1, column 9) at end of "
       "input"},
      {"s STRUCT<a INT",
       "schema: expected ',' or '>' after a struct field at position 14 (line 1, "
       "column 15) at end of input"},
      {"a INT b INT",
       "schema: expected ',' or end of input after a column at position 6 (line 1, "
       "column 7) near 'b INT'"},
      {"a INT; b INT",
       "schema: unexpected character ';' at position 5 (line 1, column 6) near '; b INT'"},
      {"a INT NOT",
       "schema: expected NULL after NOT at position 9 (line 1, column 10) at end of "
       "input"},
      {"a INT NOT NUL",
       "schema: expected NULL after NOT at position 10 (line 1, column 11) near "
       "'NUL'"},
      {"a INT COMMENT x",
       "schema: expected a quoted string after COMMENT at position 14 (line 1, "
       "column 15) near 'x'"},
      {"a INT COMMENT 'x' NOT NULL",
       "schema: expected ',' or end of input after a column (NOT NULL must come before COMMENT) "
       "at position 18 (line 1, column 19) near 'NOT NULL'"},
      {"a INT COMMENT 'x",
       "schema: unterminated string literal at position 14 (line 1, column 15) "
       "near ''x'"},
      {"a INT COMMENT 'x\\",
       "schema: unterminated string literal at position 14 (line 1, column "
       "15) near ''x\\'"},
      {"`a INT",
       "schema: unterminated backticked name at position 0 (line 1, column 1) near '`a "
       "INT'"},
      {"a INT(5)",
       "schema: type 'INT' takes no parameters at position 5 (line 1, column 6) near "
       "'(5)'"},
      {"a VARCHAR",
       "schema: type 'VARCHAR' takes exactly one length parameter, as in "
       "VARCHAR(10) at position 9 (line 1, column 10) at end of input"},
      {"a CHAR(1, 2)",
       "schema: type 'CHAR' takes exactly one length parameter, as in CHAR(10) at "
       "position 7 (line 1, column 8) near '1, 2)'"},
      {"a DECIMAL(39,0)",
       "schema: decimal precision 39 at position 10 (line 1, column 11) is out "
       "of range; must be between 1 and 38"},
      {"a DECIMAL(0)",
       "schema: decimal precision 0 at position 10 (line 1, column 11) is out of "
       "range; must be between 1 and 38"},
      {"a DECIMAL(99999999999)",
       "schema: decimal precision (too large) at position 10 (line 1, "
       "column 11) is out of range; must be between 1 and 38"},
      {"a DECIMAL(5,6)",
       "schema: decimal scale 6 at position 12 (line 1, column 13) is out of "
       "range; must be between 0 and the precision 5"},
      {"a DECIMAL(5,2,1)",
       "schema: type 'DECIMAL' takes at most precision and scale at position "
       "14 (line 1, column 15) near '1)'"},
      {"a DECIMAL(5,)",
       "schema: expected an integer type parameter at position 12 (line 1, column "
       "13) near ')'"},
      {"a DECIMAL(5 2)",
       "schema: expected ',' or ')' in type parameters at position 12 (line 1, "
       "column 13) near '2)'"},
      {"a DECIMAL(-1)",
       "schema: unexpected character '-' at position 10 (line 1, column 11) near "
       "'-1)'"},
      {"a INT, A STRING",
       "schema: duplicate column name 'A' at position 7 (line 1, column 8); "
       "names are case-insensitive and 'a' is already defined"},
      {"s STRUCT<x INT, X INT>",
       "schema: duplicate field name 'X' at position 16 (line 1, column "
       "17); names are case-insensitive and 'x' is already defined"},
      {"STRUCT<a INT> b",
       "schema: expected end of input after the STRUCT<...> schema at position "
       "14 (line 1, column 15) near 'b'"},
      {"a INT COMMENT '\\uDE00'",
       "schema: unpaired low surrogate in \\u escape at position 15 "
       "(line 1, column 16) near '\\uDE00''"},
      {"a INT COMMENT '\\uD83Dx'",
       "schema: unpaired high surrogate in \\u escape at position 15 "
       "(line 1, column 16) near '\\uD83Dx''"},
      {"a INT,\n  b STRNG",
       "schema: unknown type 'STRNG' at position 11 (line 2, column 5); expected one of STRING, "
       "VARCHAR(n), CHAR(n), BOOLEAN, TINYINT, SMALLINT, INT, BIGINT, FLOAT, DOUBLE, "
       "DECIMAL(p,s), DATE, TIMESTAMP, TIMESTAMP_NTZ, BINARY, ARRAY<T>, MAP<K, V>, STRUCT<...> "
       "(did you mean STRING?)"},
      {"`é` INT, b INTT\n",
       "schema: unknown type 'INTT' at position 12 (line 1, column 12); "
       "expected one of STRING, VARCHAR(n), CHAR(n), BOOLEAN, TINYINT, "
       "SMALLINT, INT, BIGINT, FLOAT, DOUBLE, DECIMAL(p,s), DATE, TIMESTAMP, "
       "TIMESTAMP_NTZ, BINARY, ARRAY<T>, MAP<K, V>, STRUCT<...> (did you "
       "mean INT?)"},
      {"a FOOBARBAZ",
       "schema: unknown type 'FOOBARBAZ' at position 2 (line 1, column 3); expected "
       "one of STRING, VARCHAR(n), CHAR(n), BOOLEAN, TINYINT, SMALLINT, INT, "
       "BIGINT, FLOAT, DOUBLE, DECIMAL(p,s), DATE, TIMESTAMP, TIMESTAMP_NTZ, "
       "BINARY, ARRAY<T>, MAP<K, V>, STRUCT<...>"},
      {"é INT",
       "schema: unexpected character 'é' at position 0 (line 1, column 1) near 'é INT'; names "
       "with characters other than ASCII letters, digits and '_' must be quoted in backticks"},
      {"a\x01 INT",
       "schema: unexpected character '\\x01' at position 1 (line 1, column 2) near '\\x01 INT'"},
      {"a INT COMMENT 'x\xff'", "schema: invalid UTF-8 at position 16 (line 1, column 17)"},
  };
  for (const Case& c : cases) {
    Status status = ParseError(c.ddl);
    EXPECT_TRUE(status.IsInvalid()) << c.ddl << ": " << status.ToString();
    EXPECT_EQ(status.message(), c.message) << "ddl: " << c.ddl;
  }
}

TEST(SchemaDdlTest, RejectsSparkTypesArcflowDoesNotModel) {
  struct Case {
    std::string ddl;
    std::string message;
  };
  std::vector<Case> cases = {
      {"v VARIANT",
       "schema: type 'VARIANT' at position 2 (line 1, column 3) is a Spark type that arcflow "
       "cannot represent"},
      {"n void",
       "schema: type 'void' at position 2 (line 1, column 3) is a Spark type that "
       "arcflow cannot represent"},
      {"i INTERVAL DAY TO SECOND",
       "schema: type 'INTERVAL' at position 2 (line 1, column 3) is a "
       "Spark type that arcflow cannot represent"},
      {"s STRING COLLATE UTF8_LCASE",
       "schema: string collations are not supported, at position "
       "9 (line 1, column 10) near 'COLLATE UTF8_LCASE'"},
  };
  for (const Case& c : cases) {
    Status status = ParseError(c.ddl);
    EXPECT_TRUE(status.IsNotImplemented()) << status.ToString();
    EXPECT_EQ(status.message(), c.message);
  }
}

TEST(SchemaDdlTest, ParseTypeErrors) {
  Result<DataTypePtr> empty = ParseDdlType("");
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.status().message(),
            "schema: expected a type at position 0 (line 1, column 1) at end of input");
  Result<DataTypePtr> extra = ParseDdlType("INT, b INT");
  ASSERT_FALSE(extra.ok());
  EXPECT_EQ(extra.status().message(),
            "schema: expected end of input after the type at position 3 (line 1, column 4) near "
            "', b INT'");
  Result<DataTypePtr> name_first = ParseDdlType("a INT");
  ASSERT_FALSE(name_first.ok());
  EXPECT_THAT(name_first.status().message(), HasSubstr("unknown type 'a' at position 0"));
}

TEST(SchemaDdlTest, BoundsNestingDepth) {
  std::string deep;
  for (int i = 0; i < 5000; ++i) deep += "ARRAY<";
  deep += "INT";
  for (int i = 0; i < 5000; ++i) deep += ">";
  Result<DataTypePtr> type = ParseDdlType(deep);
  ASSERT_FALSE(type.ok());
  EXPECT_THAT(type.status().message(),
              HasSubstr("types nested deeper than 100 levels at position 600 (line 1, column "
                        "601)"));
  // Ninety-nine levels are fine.
  std::string ok = "a ";
  for (int i = 0; i < 99; ++i) ok += "STRUCT<a: ";
  ok += "INT";
  for (int i = 0; i < 99; ++i) ok += ">";
  EXPECT_TRUE(ParseDdlSchema(ok).ok());
}

TEST(SchemaDdlTest, HandlesWideSchemas) {
  std::string ddl;
  for (int i = 0; i < 20000; ++i) ddl += fmt::format("{}c{} INT", i > 0 ? ", " : "", i);
  SchemaPtr schema = ParseOk(ddl);
  ASSERT_EQ(schema->num_fields(), 20000);
  EXPECT_EQ(schema->field(19999).name, "c19999");
  EXPECT_EQ(ToDdl(*schema), ddl);
  Status duplicate = ParseError(ddl + ", C17 INT");
  EXPECT_THAT(duplicate.message(), HasSubstr("duplicate column name 'C17'"));
}

TEST(SchemaDdlTest, PrintsCanonicalForm) {
  Schema schema({
      Field("id", types::Int64(), false, {{"comment", "\"key\""}}),
      Field("tags", types::List(types::String())),
      Field("addr",
            types::Struct({Field("city", types::String()), Field("zip", types::String(), false)})),
      Field("m", types::Map(types::String(), types::Int32())),
      Field("d", types::Decimal(10, 2)),
      Field("t", types::TimestampNtz()),
  });
  EXPECT_EQ(ToDdl(schema),
            "id BIGINT NOT NULL COMMENT 'key', tags ARRAY<STRING>, addr STRUCT<city: STRING, "
            "zip: STRING NOT NULL>, m MAP<STRING, INT>, d DECIMAL(10,2), t TIMESTAMP_NTZ");
  Schema all_types({
      Field("a", types::Boolean()),
      Field("b", types::Int8()),
      Field("c", types::Int16()),
      Field("d", types::Int32()),
      Field("e", types::Int64()),
      Field("f", types::Float32()),
      Field("g", types::Float64()),
      Field("h", types::String()),
      Field("i", types::Binary()),
      Field("j", types::Date32()),
      Field("k", types::Timestamp()),
      Field("l", types::Struct({})),
  });
  EXPECT_EQ(ToDdl(all_types),
            "a BOOLEAN, b TINYINT, c SMALLINT, d INT, e BIGINT, f FLOAT, g DOUBLE, h STRING, "
            "i BINARY, j DATE, k TIMESTAMP, l STRUCT<>");
  EXPECT_EQ(ToDdl(*types::List(types::Struct({Field("x", types::Float64())}))),
            "ARRAY<STRUCT<x: DOUBLE>>");
  EXPECT_EQ(ToDdl(Schema({})), "");
}

TEST(SchemaDdlTest, QuotesNamesOnlyWhenNeeded) {
  Schema schema({
      Field("plain_1", types::Int32()),
      Field("_x", types::Int32()),
      Field("weird name", types::Int32()),
      Field("a`b", types::Int32()),
      Field("", types::Int32()),
      Field("1st", types::Int32()),
      Field("select", types::Int32()),
      Field("Not", types::Int32()),
      Field("comment", types::Int32()),
      Field("日本", types::Int32()),
      Field("s", types::Struct({Field("from", types::Int32()), Field("ok", types::Int32())})),
  });
  EXPECT_EQ(ToDdl(schema),
            "plain_1 INT, _x INT, `weird name` INT, `a``b` INT, `` INT, `1st` INT, `select` INT, "
            "`Not` INT, comment INT, `日本` INT, s STRUCT<`from`: INT, ok: INT>");
  SchemaPtr reparsed = ParseOk(ToDdl(schema));
  EXPECT_TRUE(reparsed->Equals(schema));
}

TEST(SchemaDdlTest, EscapesComments) {
  std::string text = std::string("it's a \\ \"q\"\n\t\r\b\x1A") + '\0' + "12 \x01\x7F é 😀 %_";
  Schema schema({Field("a", types::Int32(), true, Comment(text))});
  std::string ddl = ToDdl(schema);
  EXPECT_EQ(ddl,
            "a INT COMMENT 'it\\'s a \\\\ \"q\"\\n\\t\\r\\b\\Z\\u000012 \\u0001\\u007F é 😀 "
            "%_'");
  SchemaPtr reparsed = ParseOk(ddl);
  EXPECT_EQ(reparsed->field(0).comment(), text);
  EXPECT_TRUE(reparsed->Equals(schema));
}

TEST(SchemaDdlTest, PrintsOnlyWhatDdlCanSay) {
  // Metadata other than a string comment, element and value nullability are not in DDL.
  Schema schema({
      Field("a", types::List(types::Int32(), /*contains_null=*/false), true,
            {{"delta.columnMapping.id", "5"}, {"comment", "\"c\""}}),
      Field("m", types::Map(types::String(), types::Int32(), /*value_contains_null=*/false)),
      Field("n", types::Int32(), true, {{"comment", "42"}}),
  });
  EXPECT_EQ(ToDdl(schema), "a ARRAY<INT> COMMENT 'c', m MAP<STRING, INT>, n INT");
}

TEST(SchemaDdlTest, RoundTripsRandomSchemas) {
  testing::RandomSchemaGenerator generator(/*seed=*/20240611,
                                           {.ddl_expressible = true, .max_depth = 4});
  for (int i = 0; i < 3000; ++i) {
    SchemaPtr schema = generator.NextSchema();
    std::string ddl = ToDdl(*schema);
    Result<SchemaPtr> parsed = ParseDdlSchema(ddl);
    ASSERT_TRUE(parsed.ok()) << ddl << "\n" << parsed.status().ToString();
    ASSERT_TRUE((*parsed)->Equals(*schema)) << "case " << i << "\n"
                                            << ddl << "\n"
                                            << ToDdl(**parsed);
    ASSERT_EQ(ToDdl(**parsed), ddl);

    DataTypePtr type = generator.NextType();
    std::string type_ddl = ToDdl(*type);
    Result<DataTypePtr> parsed_type = ParseDdlType(type_ddl);
    ASSERT_TRUE(parsed_type.ok()) << type_ddl << "\n" << parsed_type.status().ToString();
    ASSERT_TRUE((*parsed_type)->Equals(*type)) << type_ddl;
    ASSERT_EQ(ToDdl(**parsed_type), type_ddl);
  }
}

}  // namespace
}  // namespace arcflow
