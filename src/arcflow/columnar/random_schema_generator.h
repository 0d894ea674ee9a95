#pragma once

// For tests only: builds random nested schemas for the round-trip property tests of the DDL
// and StructType JSON forms. Header-only so that it adds nothing to the library.

#include <cstdint>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "arcflow/columnar/data_type.h"
#include "arcflow/columnar/schema.h"
#include "arcflow/columnar/schema_json.h"

namespace arcflow::testing {

struct RandomSchemaOptions {
  // Restricts schemas to what DDL can say: list elements and map values nullable, and no
  // metadata but "comment".
  bool ddl_expressible = false;
  int max_depth = 4;
  int max_fields = 6;
};

// Whether `type` is or holds a struct without members, which Parquet cannot hold (it has no
// empty groups).
inline bool HasEmptyStruct(const DataType& type) {
  if (type.id() == TypeId::kStruct && type.num_fields() == 0) return true;
  for (const Field& field : type.fields()) {
    if (HasEmptyStruct(*field.type)) return true;
  }
  return false;
}

// Deterministic for a given seed. Not thread-safe.
class RandomSchemaGenerator {
 public:
  RandomSchemaGenerator(uint64_t seed, RandomSchemaOptions options)
      : random_(seed), options_(options) {}

  SchemaPtr NextSchema() {
    return std::make_shared<const Schema>(Fields(0, /*allow_empty=*/false));
  }

  DataTypePtr NextType() { return Type(0); }

  // The next schema that Parquet can hold: one without an empty struct anywhere.
  SchemaPtr NextParquetSchema() {
    SchemaPtr schema;
    do {
      schema = NextSchema();
    } while (HasEmptyStruct(*schema->AsStruct()));
    return schema;
  }

 private:
  // Picks a value in [0, n).
  uint64_t Pick(uint64_t n) { return random_() % n; }
  bool OneIn(uint64_t n) { return Pick(n) == 0; }

  std::vector<Field> Fields(int depth, bool allow_empty) {
    int count =
        static_cast<int>(Pick(static_cast<uint64_t>(options_.max_fields))) + (allow_empty ? 0 : 1);
    std::vector<Field> fields;
    std::set<std::string> lower_names;
    for (int i = 0; i < count; ++i) {
      std::string name = Name();
      // Names must be unique ignoring ASCII case; a suffix settles any clash.
      while (!lower_names.insert(Lower(name)).second) name += "_" + std::to_string(Pick(100));
      fields.emplace_back(std::move(name), Type(depth + 1), !OneIn(3), Metadata());
    }
    return fields;
  }

  DataTypePtr Type(int depth) {
    uint64_t choice = Pick(depth >= options_.max_depth ? 14 : 20);
    switch (choice) {
      case 0:
        return types::Boolean();
      case 1:
        return types::Int8();
      case 2:
        return types::Int16();
      case 3:
        return types::Int32();
      case 4:
        return types::Int64();
      case 5:
        return types::Float32();
      case 6:
        return types::Float64();
      case 7:
        return types::String();
      case 8:
        return types::Binary();
      case 9:
        return types::Date32();
      case 10:
        return types::Timestamp();
      case 11:
        return types::TimestampNtz();
      case 12:
      case 13: {
        auto precision = static_cast<int32_t>(1 + Pick(kMaxDecimalPrecision));
        auto scale = static_cast<int32_t>(Pick(static_cast<uint64_t>(precision) + 1));
        return types::Decimal(precision, scale);
      }
      case 14:
      case 15:
        return types::List(Type(depth + 1), options_.ddl_expressible || !OneIn(3));
      case 16:
      case 17:
        return types::Map(Type(depth + 1), Type(depth + 1), options_.ddl_expressible || !OneIn(3));
      default:
        return types::Struct(Fields(depth + 1, /*allow_empty=*/true));
    }
  }

  std::string Name() {
    static const std::vector<std::string> kPlain = {"id",    "a",       "B",   "name_1", "_x",
                                                    "Total", "comment", "int", "struct", "map"};
    static const std::vector<std::string> kOdd = {
        "weird name",  "a`b",  "``",  "1st",       "select", "NOT",     "null",   "time",
        "ünïcødé",     "日本", "😀",   "new\nline", "tab\t",  "ctl\x01", "q'uote", "d\"q",
        "back\\slash", "",     "a-b", "a.b",       "a,b",    "<x>",     "  ",     "café"};
    if (OneIn(3)) return kOdd[Pick(kOdd.size())];
    std::string name = kPlain[Pick(kPlain.size())];
    if (OneIn(2)) name += std::to_string(Pick(1000));
    return name;
  }

  std::string CommentText() {
    static const std::vector<std::string> kPieces = {
        "plain", " ",  "it's",    "back\\slash", "say \"hi\"", "new\nline", "\t",  "\r",
        "\b",    "\f", "\x01",    "\x1A",        "\x7F",       "%_",        "\\%", "é",
        "日本",  "😀",  "\\u0041", "0",           "12",         "`",         "''",  "--"};
    std::string text;
    int pieces = static_cast<int>(Pick(5));
    for (int i = 0; i < pieces; ++i) text += kPieces[Pick(kPieces.size())];
    return text;
  }

  FieldMetadata Metadata() {
    FieldMetadata metadata;
    if (OneIn(2)) metadata.emplace_back("comment", QuoteJsonString(CommentText()));
    if (options_.ddl_expressible) return metadata;
    int extra = static_cast<int>(Pick(3));
    for (int i = 0; i < extra; ++i) {
      std::string key = "delta.key" + std::to_string(i);
      if (OneIn(4)) key += "\"\\\n";
      metadata.emplace_back(std::move(key), JsonText(0));
    }
    return metadata;
  }

  // A random minified JSON value, sometimes spelled with escapes a writer may choose.
  std::string JsonText(int depth) {
    switch (Pick(depth >= 3 ? 6 : 8)) {
      case 0:
        return std::to_string(static_cast<int64_t>(Pick(2000000)) - 1000000);
      case 1: {
        static const std::vector<std::string> kNumbers = {
            "0", "-0", "1.5", "-2.25e-3", "6E+10", "9223372036854775807"};
        return kNumbers[Pick(kNumbers.size())];
      }
      case 2:
        return QuoteJsonString(CommentText());
      case 3: {
        static const std::vector<std::string> kEscaped = {R"("\u00e9")", R"("\/")",
                                                          R"("\ud83d\ude00")", R"("a\u0000b")"};
        return kEscaped[Pick(kEscaped.size())];
      }
      case 4:
        return OneIn(2) ? "true" : "false";
      case 5:
        return "null";
      case 6: {
        std::string text = "[";
        int count = static_cast<int>(Pick(4));
        for (int i = 0; i < count; ++i) {
          if (i > 0) text += ",";
          text += JsonText(depth + 1);
        }
        return text + "]";
      }
      default: {
        std::string text = "{";
        int count = static_cast<int>(Pick(4));
        for (int i = 0; i < count; ++i) {
          if (i > 0) text += ",";
          text += QuoteJsonString("k" + std::to_string(i)) + ":" + JsonText(depth + 1);
        }
        return text + "}";
      }
    }
  }

  static std::string Lower(std::string_view text) {
    std::string lower(text);
    for (char& c : lower) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return lower;
  }

  std::mt19937_64 random_;
  RandomSchemaOptions options_;
};

}  // namespace arcflow::testing
