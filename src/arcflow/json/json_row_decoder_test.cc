#include "arcflow/json/json_row_decoder.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <random>
#include <string>
#include <vector>

#include "arcflow/columnar/record_batch.h"
#include "arcflow/columnar/row_printer.h"
#include "arcflow/columnar/schema_ddl.h"
#include "arcflow/json/json_token.h"

namespace arcflow::json {
namespace {

namespace od = simdjson::ondemand;

// Every conversion the decoder knows, nested ones included.
constexpr char kDdl[] =
    "b BOOLEAN, i8 TINYINT, i32 INT, i64 BIGINT, f FLOAT, d DOUBLE, dec DECIMAL(10,2), "
    "s STRING, bin BINARY, dt DATE, ts TIMESTAMP, ntz TIMESTAMP_NTZ, "
    "st STRUCT<x: INT, y: STRING>, arr ARRAY<BIGINT>, m MAP<STRING, INT>, "
    "`é` INT, `a b` STRING";

// What became of one line.
struct LineOutcome {
  bool decoded = false;
  std::string error;
  bool operator==(const LineOutcome& other) const {
    return decoded == other.decoded && error == other.error;
  }
};

// Decodes lines as the JSON reader does, either offering each line to DecodeLine() first and
// parsing it only when declined (`fast`), or always parsing it.
class LineDecoder {
 public:
  explicit LineDecoder(bool fast) : fast_(fast) {
    Result<SchemaPtr> schema = ParseDdlSchema(kDdl);
    EXPECT_TRUE(schema.ok());
    schema_ = MakeNullableSchema(**schema);
    Result<std::unique_ptr<JsonRowDecoder>> decoder =
        JsonRowDecoder::Make(schema_->fields(), JsonReadOptions());
    EXPECT_TRUE(decoder.ok()) << decoder.status().ToString();
    decoder_ = std::move(*decoder);
  }

  // `line` holds no line end and starts with the record; `rest` is what follows its line end.
  LineOutcome Decode(const std::string& line, const std::string& rest, bool ends_input) {
    LineOutcome outcome;
    const int64_t mark = decoder_->num_rows();
    if (fast_) {
      // The input as the scanner hands it over: on to the end of the lines read, then padding.
      std::string input = ends_input ? line : line + "\n" + rest;
      std::string buffer = input + std::string(simdjson::SIMDJSON_PADDING, ' ');
      size_t length = decoder_->DecodeLine(std::string_view(buffer.data(), input.size()));
      if (length > 0) {
        ++fast_lines_;
        EXPECT_EQ(length, TrimTrailingWhitespace(line).size()) << line;
        outcome.decoded = true;
        return outcome;
      }
      decoder_->Truncate(mark);
    }
    simdjson::padded_string padded(line);
    od::document document;
    simdjson::error_code error = parser_.iterate(padded).get(document);
    if (error != simdjson::SUCCESS) {
      outcome.error = simdjson::error_message(error);
      return outcome;
    }
    outcome.decoded = decoder_->DecodeRecord(od::document_reference(document));
    if (!outcome.decoded) {
      outcome.error = decoder_->error();
      decoder_->Truncate(mark);
    }
    return outcome;
  }

  std::vector<std::string> Rows() {
    Result<std::vector<ArrayPtr>> columns = decoder_->Finish();
    EXPECT_TRUE(columns.ok()) << columns.status().ToString();
    int64_t num_rows = columns->empty() ? 0 : (*columns)[0]->length();
    Result<RecordBatchPtr> batch = RecordBatch::Make(schema_, num_rows, std::move(*columns));
    EXPECT_TRUE(batch.ok()) << batch.status().ToString();
    EXPECT_TRUE((*batch)->Validate().ok()) << (*batch)->Validate().ToString();
    std::vector<std::string> rows;
    AppendCanonicalRows(**batch, &rows);
    return rows;
  }

  int64_t fast_lines() const { return fast_lines_; }

 private:
  bool fast_;
  SchemaPtr schema_;
  std::unique_ptr<JsonRowDecoder> decoder_;
  od::parser parser_;
  int64_t fast_lines_ = 0;
};

// Decodes `lines` both ways and expects the same outcome for each and the same rows; returns
// how many lines the fast path decoded.
int64_t ExpectSameAsParser(const std::vector<std::string>& lines) {
  LineDecoder fast(true);
  LineDecoder parsed(false);
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string& rest = i + 1 < lines.size() ? lines[i + 1] : "";
    bool ends_input = i % 3 == 2;
    LineOutcome fast_outcome = fast.Decode(lines[i], rest, ends_input);
    LineOutcome parsed_outcome = parsed.Decode(lines[i], rest, ends_input);
    EXPECT_EQ(fast_outcome.decoded, parsed_outcome.decoded) << lines[i];
    EXPECT_EQ(fast_outcome.error, parsed_outcome.error) << lines[i];
  }
  std::vector<std::string> fast_rows = fast.Rows();
  std::vector<std::string> parsed_rows = parsed.Rows();
  EXPECT_EQ(fast_rows.size(), parsed_rows.size());
  for (size_t i = 0; i < std::min(fast_rows.size(), parsed_rows.size()); ++i) {
    EXPECT_EQ(fast_rows[i], parsed_rows[i]) << "row " << i;
  }
  return fast.fast_lines();
}

TEST(JsonRowDecoderTest, DecodesPlainLinesWithoutTheParser) {
  LineDecoder decoder(true);
  EXPECT_TRUE(
      decoder.Decode(R"({"i32":1,"s":"a","st":{"y":"b","x":2},"arr":[1, 2]})", "", false).decoded);
  EXPECT_TRUE(decoder.Decode(R"({"s":"c", "i32" : 3 })", "", true).decoded);
  EXPECT_EQ(decoder.fast_lines(), 2);
  std::vector<std::string> rows = decoder.Rows();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0],
            R"({"b":null,"i8":null,"i32":1,"i64":null,"f":null,"d":null,"dec":null,"s":"a",)"
            R"("bin":null,"dt":null,"ts":null,"ntz":null,"st":{"x":2,"y":"b"},"arr":[1,2],)"
            R"("m":null,"é":null,"a b":null})");
}

TEST(JsonRowDecoderTest, LeavesWhatItCannotReadToTheParser) {
  // Each of these is declined by the fast path and read (or rejected) by the parser.
  std::vector<std::string> declined = {
      R"({"s":"a\"b"})",                 // An escape in a converted string.
      R"({"\u0073":"x"})",               // An escape in a key.
      R"({"i32":1,"i32":2})",            // A duplicate key: the last wins.
      R"({"i32":1.5})",                  // Not an INT: corrupt.
      R"({"i8":300})",                   // Out of range: corrupt.
      R"({"i64":9223372036854775808})",  // Past int64.
      R"({"d":NaN})",                    // Bare NaN, for DOUBLE.
      R"({"d":1e400})",                  // Out of range: Infinity.
      R"({"s":{"k":[1, 2]}})",           // An object for a STRING column.
      R"({"dec":123456789.125})",        // Does not fit DECIMAL(10,2).
      R"({"dt":"2024-02-30"})",          // Not a date.
      R"({"m":{"a":1,"a":2}})",          // A duplicate map key.
      R"({"i32":1} {"i32":2})",          // Two values on a line.
      R"({"i32":1} x)",                  // Text after the value.
      R"([{"i32":1},{"i32":2}])",        // A top-level array.
      R"({"i32":01})",                   // A leading zero.
      R"({"s":"a	b"})",           // A raw tab in a string.
      "{\"s\":\"\xFF\"}",                // Invalid UTF-8.
      "{\"extra\":\"\xC3\"}",            // Invalid UTF-8 in a member not in the schema.
      R"({"i32":1,})",                   // A trailing comma.
      R"({"i32":1)",                     // Unterminated.
      R"({"i32":tru})",                  // A broken literal.
      R"({"extra":tru,"i32":1})",        // ... in a member not in the schema.
  };
  LineDecoder decoder(true);
  for (const std::string& line : declined) decoder.Decode(line, R"({"i32":7})", false);
  EXPECT_EQ(decoder.fast_lines(), 0);
  EXPECT_EQ(ExpectSameAsParser(declined), 0);
}

// A string holding an escape anywhere, at every length around the 16 bytes checked at once,
// reads as the same string written without it.
TEST(JsonRowDecoderTest, FindsEscapesAtEveryPositionOfShortStrings) {
  LineDecoder escaped(false);
  LineDecoder literal(false);
  for (size_t length = 1; length <= 20; ++length) {
    for (size_t position = 0; position < length; ++position) {
      std::string plain(length, 'x');
      plain[position] = '/';
      std::string with_escape = plain.substr(0, position) + "\\/" + plain.substr(position + 1);
      ASSERT_TRUE(escaped.Decode("{\"s\":\"" + with_escape + "\"}", "", false).decoded);
      ASSERT_TRUE(literal.Decode("{\"s\":\"" + plain + "\"}", "", false).decoded);
    }
  }
  EXPECT_EQ(escaped.Rows(), literal.Rows());
}

TEST(JsonRowDecoderTest, MatchesTheParserOnEdgeCases) {
  std::vector<std::string> lines = {
      R"({})",
      R"({ })",
      R"({"i32":null,"st":null,"arr":null,"m":null})",
      R"({"st":{},"arr":[],"m":{}})",
      // Fields out of order, missing and unknown, after a line that taught the order.
      R"({"b":true,"i8":-128,"i32":-2147483648,"i64":-9223372036854775808,"s":"x"})",
      R"({"s":"y","i64":9223372036854775807,"unknown":{"a":[1,{"b":"\"}"}],"c":"\u00e9"},"b":false})",
      R"({"unknown":[],"i8":127})",
      // Numbers.
      R"({"d":-0,"f":-0.0,"dec":-0.005,"i32":-0})",
      R"({"d":0.1,"f":0.1,"dec":0.125,"i64":0})",
      R"({"d":9007199254740993,"f":16777217,"dec":1E2})",
      R"({"d":1.7976931348623157e308,"f":3.4028235e38,"dec":"12.345"})",
      R"({"d":4.9e-324,"f":1e-45,"dec":" 1"})",
      R"({"d":123456789012345678901234567890,"f":1e39})",
      R"({"d":2.2250738585072011e-308,"f":-1.5e-3})",
      R"({"d":"NaN","f":"-Infinity"})",
      R"({"d":"Infinity","f":"INF"})",
      R"({"d":"nan"})",
      // Strings from other values, and text.
      R"({"s":12.50e+3})",
      R"({"s":true,"a b":false})",
      R"({"s":"日本語","é":1,"a b":"x y"})",
      R"({"s":""})",
      R"({"bin":"aGk=","dt":"2024-02-29","ts":"2024-01-02T03:04:05.123456Z"})",
      R"({"bin":"aGk","dt":"12345","ts":"2024-01-02 03:04:05"})",
      R"({"ts":1700000000,"ntz":"2024-01-02T03:04:05.1234567"})",
      R"({"ts":"2024-01-02T03:04:05+05:30","ntz":"2024-01-02T03:04:05Z"})",
      R"({"ts":-9223372036854,"ntz":5})",
      R"({"ts":"2023-02-29T00:00:00Z"})",
      R"({"m":{"k":1,"l":null},"arr":[1,null,3]})",
      R"({"m":{"k":"1"}})",
      R"({"arr":[1,"2"]})",
      R"({"st":{"x":1,"y":"a","x":2}})",
      R"({"st":[1]})",
      "{\"i32\"\t:\r1 ,\t\"s\" :\"z\"\t}\t\r",
      R"({"i32":1}   )",
  };
  EXPECT_GT(ExpectSameAsParser(lines), 20);
}

// Random records made of valid and invalid pieces, whitespace, unknown members, truncations
// and stray bytes.
class LineGenerator {
 public:
  explicit LineGenerator(uint64_t seed) : random_(seed) {}

  // Bytes that break a line when they replace one of its bytes.
  static constexpr char kStray[] = "\"\\{}[],:0a\xFF\x01 ";

  std::string Line() {
    std::string line = "{";
    int members = Pick(12) + Pick(4);
    for (int i = 0; i < members; ++i) {
      if (i > 0) line += Space() + "," + Space();
      if (Pick(8) == 0) {
        line += "\"extra" + std::to_string(Pick(3)) + "\"" + Space() + ":" + Space() + Any(2);
        continue;
      }
      // Mostly in schema order, as files of one writer are.
      size_t field = Pick(6) == 0 ? Pick(kFields.size()) : (i + Pick(2)) % kFields.size();
      const Field& spec = kFields[field];
      const std::vector<std::string>& values = Pick(25) == 0 ? spec.odd : spec.plain;
      line += "\"" + spec.name + "\"" + Space() + ":" + Space() + Pick(values);
    }
    line += Space() + "}";
    switch (Pick(40)) {
      case 0:
        line.resize(Pick(line.size()));
        break;
      case 1:
        line[Pick(line.size())] = kStray[Pick(sizeof(kStray) - 1)];
        break;
      case 2:
        line += Pick(2) == 0 ? " x" : ",";
        break;
      default:
        break;
    }
    if (line.empty() || line[0] != '{') line = "{" + line;
    return line;
  }

 private:
  // A member of the schema and values for it: plain ones, which the fast path reads, and odd
  // ones, which it may leave to the parser.
  struct Field {
    std::string name;
    std::vector<std::string> plain;
    std::vector<std::string> odd;
  };

  size_t Pick(size_t n) { return static_cast<size_t>(random_() % n); }
  const std::string& Pick(const std::vector<std::string>& values) {
    return values[Pick(values.size())];
  }
  std::string Space() {
    static const char* const kSpaces[] = {"", "", "", "", "", " ", "\t", " \r ", "  "};
    return kSpaces[Pick(9)];
  }

  // A random JSON value (or something close to one) for members not in the schema.
  std::string Any(int depth) {
    switch (Pick(depth > 0 ? 7 : 5)) {
      case 0:
        return "\"s\\\"\\\\\\u00e9\xC3\xA9\"";
      case 1:
        return std::to_string(static_cast<int64_t>(random_())) + ".5e-3";
      case 2:
        return Pick(2) == 0 ? "null" : "tru";
      case 3:
        return "\"\xE2\x82\"";
      case 4:
        return "[]";
      case 5:
        return "[" + Any(depth - 1) + Space() + "," + Any(depth - 1) + "]";
      default:
        return "{\"k\":" + Any(depth - 1) + ",\"\":{}}";
    }
  }

  static inline const std::vector<Field> kFields = {
      {"b", {"true", "false", "null"}, {"\"true\"", "1", "falsey", "nul"}},
      {"i8", {"0", "-0", "127", "-128", "null"}, {"128", "-129", "1e1", "\"1\"", "00"}},
      {"i32",
       {"1", "-1", "2147483647", "-2147483648"},
       {"2147483648", "01", "1.0", "-", "12abc", "[1]"}},
      {"i64",
       {"9223372036854775807", "-9223372036854775808", "123456789", "0"},
       {"9223372036854775808", "-9223372036854775809", "18446744073709551616", "-0.0"}},
      {"f",
       {"1.5", "-0.0", "3.4028235e38", "0.1", "\"NaN\"", "16777217", "1e-45"},
       {"3.5e38", "1e-46", "Infinity", "1."}},
      {"d",
       {"1.5", "-0", "0.30000000000000004", "1e308", "4.9e-324", "1234.571429", "9007199254740993",
        "123456789.123456789", "\"-Infinity\"", "1E22", "1e23", "8.98846567431158e307",
        "2.2250738585072011e-308", "-123.456e-7"},
       {"1e309", "2e-324", "NaN", "-Infinity", ".5"}},
      {"dec",
       {"12.345", "12.344", "-0.005", "99999999.994", "\"1.5\"", "1e3", "1E-2", "0.125", "42"},
       {"99999999.995", "\"x\"", "12345678901234567890", "\"1e400\""}},
      {"s",
       {"\"abc\"", "\"\"", "\"\xC3\xA9t\xC3\xA9\"", "123", "-1.5e3", "true", "false",
        "\"\xF0\x9F\x98\x80 \xE6\x97\xA5\""},
       {"\"a\\\"b\"", "\"a\\nb\"", "\"\\u00e9\"", "{\"k\":[1, 2]}", "[1,2]", "\"\xFF\"",
        "\"a\x01\"", "\"\xED\xA0\x80\""}},
      {"bin", {"\"aGk=\"", "\"\""}, {"\"!!\"", "\"aGk\"", "1"}},
      {"dt", {"\"2024-01-02\"", "\"2024-1-2\"", "\"12345\""}, {"\"2024-02-30\"", "\"x\"", "5"}},
      {"ts",
       {"\"2024-01-02T03:04:05.123456Z\"", "\"2024-01-02 03:04:05\"",
        "\"2024-01-02T03:04:05+02:00\"", "\"2024-01-02T03:04:05.1234567Z\"", "1700000000", "-1",
        "\"2024-02-29T00:00:00Z\"", "\"2024-01-02T03:04:05.123Z\"", "\"2024-01-02T03:04:05\""},
       {"1.5", "\"x\"", "\"2024-13-01T00:00:00Z\"", "\"2023-02-29T00:00:00Z\"",
        "\"2024-01-02T03:04:05.Z\"", "92233720368547758"}},
      {"ntz",
       {"\"2024-01-02T03:04:05.123456\"", "\"2024-01-02\""},
       {"\"2024-01-02T03:04:05Z\"", "7"}},
      {"st",
       {"{\"x\":1,\"y\":\"a\"}", "{\"y\":\"b\",\"x\":2}", "{}", "null", "{ \"x\" : 4 }",
        "{\"z\":[1,{\"q\":\"\\\"}\"}],\"x\":3}"},
       {"{\"x\":1,\"x\":2}", "5", "{\"x\":\"1\"}", "{\"x\":1"}},
      {"arr",
       {"[1,2,3]", "[]", "[1,null]", "[ 1 , 2 ]", "null"},
       {"[1,\"a\"]", "[1,]", "{}", "[["}},
      {"m",
       {"{\"a\":1,\"b\":2}", "{}", "null", "{\"a\":null}"},
       {"{\"a\":1,\"a\":2}", "{\"a\":\"x\"}", "{\"\\u0061\":1}"}},
      {"\xC3\xA9", {"1", "2"}, {"\"1\""}},
      {"a b", {"\"x\"", "null"}, {"1"}},
  };

  std::mt19937_64 random_;
};

TEST(JsonRowDecoderTest, MatchesTheParserOnRandomLines) {
  LineGenerator generator(7);
  std::vector<std::string> lines;
  for (int i = 0; i < 20000; ++i) lines.push_back(generator.Line());
  int64_t fast = ExpectSameAsParser(lines);
  EXPECT_GT(fast, 3000) << "fast path taken";
  EXPECT_LT(fast, 19000) << "fast path declined";
}

}  // namespace
}  // namespace arcflow::json
