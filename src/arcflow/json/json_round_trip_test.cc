// Property test: what JsonWriter writes, JsonReader reads back to the same values, for random
// nested schemas and random data.

#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "arcflow/columnar/builder.h"
#include "arcflow/columnar/random_schema_generator.h"
#include "arcflow/columnar/row_printer.h"
#include "arcflow/columnar/schema_ddl.h"
#include "arcflow/json/json_reader.h"
#include "arcflow/json/json_writer.h"
#include "arcflow/json/temp_directory.h"

namespace arcflow::json {
namespace {

constexpr int64_t kMicrosPerDay = 86400LL * 1000000LL;
// 0001-01-01 and 9999-12-31, the dates Spark writes with four-digit years.
constexpr int32_t kFirstDay = -719162;
constexpr int32_t kLastDay = 2932896;

bool HasNestedMapKey(const DataType& type) {
  if (type.id() == TypeId::kMap && type.key_field().type->is_nested()) return true;
  for (const Field& field : type.fields()) {
    if (HasNestedMapKey(*field.type)) return true;
  }
  return false;
}

// Appends random values of any type to arcflow builders.
class RandomValues {
 public:
  explicit RandomValues(uint64_t seed) : random_(seed) {}

  void Append(ArrayBuilder* builder, const DataType& type, int depth) {
    if (Pick(6) == 0) {
      builder->AppendNull();
      return;
    }
    switch (type.id()) {
      case TypeId::kBoolean:
        static_cast<BooleanBuilder*>(builder)->Append(Pick(2) == 1);
        return;
      case TypeId::kInt8:
        static_cast<Int8Builder*>(builder)->Append(static_cast<int8_t>(Integer()));
        return;
      case TypeId::kInt16:
        static_cast<Int16Builder*>(builder)->Append(static_cast<int16_t>(Integer()));
        return;
      case TypeId::kInt32:
        static_cast<Int32Builder*>(builder)->Append(static_cast<int32_t>(Integer()));
        return;
      case TypeId::kInt64:
        static_cast<Int64Builder*>(builder)->Append(Integer());
        return;
      case TypeId::kFloat32: {
        // Any bit pattern: NaNs, infinities, subnormals and all.
        auto bits = static_cast<uint32_t>(random_());
        float value;
        std::memcpy(&value, &bits, sizeof(value));
        static_cast<Float32Builder*>(builder)->Append(value);
        return;
      }
      case TypeId::kFloat64: {
        uint64_t bits = random_();
        double value;
        std::memcpy(&value, &bits, sizeof(value));
        static_cast<Float64Builder*>(builder)->Append(value);
        return;
      }
      case TypeId::kDecimal128: {
        int128_t unscaled = 0;
        int digits = static_cast<int>(Pick(static_cast<uint64_t>(type.precision()) + 1));
        for (int i = 0; i < digits; ++i) unscaled = unscaled * 10 + static_cast<int>(Pick(10));
        static_cast<Decimal128Builder*>(builder)->Append(Pick(2) == 0 ? unscaled : -unscaled);
        return;
      }
      case TypeId::kString:
        static_cast<StringBuilder*>(builder)->Append(Text());
        return;
      case TypeId::kBinary: {
        std::string bytes(Pick(12), '\0');
        for (char& byte : bytes) byte = static_cast<char>(random_());
        static_cast<BinaryBuilder*>(builder)->Append(bytes);
        return;
      }
      case TypeId::kDate32:
        static_cast<Date32Builder*>(builder)->Append(Day());
        return;
      case TypeId::kTimestamp:
        static_cast<TimestampBuilder*>(builder)->Append(int64_t{Day()} * kMicrosPerDay +
                                                        static_cast<int64_t>(Pick(kMicrosPerDay)));
        return;
      case TypeId::kStruct: {
        auto* struct_builder = static_cast<StructBuilder*>(builder);
        for (int i = 0; i < type.num_fields(); ++i) {
          Append(struct_builder->field_builder(i), *type.field(i).type, depth + 1);
        }
        struct_builder->Append();
        return;
      }
      case TypeId::kList: {
        auto* list_builder = static_cast<ListBuilder*>(builder);
        uint64_t count = depth > 3 ? 0 : Pick(4);
        for (uint64_t i = 0; i < count; ++i) {
          Append(list_builder->value_builder(), *type.element_field().type, depth + 1);
        }
        list_builder->Append();
        return;
      }
      case TypeId::kMap: {
        auto* map_builder = static_cast<ListBuilder*>(builder);
        const DataType& key_type = *type.key_field().type;
        uint64_t count = depth > 3 ? 0 : Pick(key_type.id() == TypeId::kBoolean ? 3 : 4);
        auto first = static_cast<int64_t>(Pick(1000));
        for (uint64_t i = 0; i < count; ++i) {
          AppendKey(MapKeyBuilder(*map_builder), key_type, first + static_cast<int64_t>(i));
          Append(MapValueBuilder(*map_builder), *type.value_field().type, depth + 1);
          AppendMapEntry(*map_builder);
        }
        map_builder->Append();
        return;
      }
    }
  }

 private:
  uint64_t Pick(uint64_t n) { return random_() % n; }

  int64_t Integer() {
    switch (Pick(4)) {
      case 0:
        return std::numeric_limits<int64_t>::min();
      case 1:
        return std::numeric_limits<int64_t>::max();
      default:
        return static_cast<int64_t>(random_());
    }
  }

  int32_t Day() {
    return kFirstDay + static_cast<int32_t>(Pick(static_cast<uint64_t>(kLastDay - kFirstDay + 1)));
  }

  std::string Text() {
    static const std::vector<std::string> kPieces = {
        "plain", " ",    "\"", "\\", "\n", "\t",     "\x01", "\x1F", "/",
        "é",     "日本", "😀",  "{}", "[",  "\u2028", "null", "",     "0"};
    std::string text;
    for (uint64_t i = Pick(5); i > 0; --i) text += kPieces[Pick(kPieces.size())];
    return text;
  }

  // Distinct keys for one map: the i-th value of a sequence, in the key type.
  void AppendKey(ArrayBuilder* builder, const DataType& type, int64_t i) {
    switch (type.id()) {
      case TypeId::kBoolean:
        static_cast<BooleanBuilder*>(builder)->Append(i % 2 == 1);
        return;
      case TypeId::kInt8:
        static_cast<Int8Builder*>(builder)->Append(static_cast<int8_t>(i % 100 - 50));
        return;
      case TypeId::kInt16:
        static_cast<Int16Builder*>(builder)->Append(static_cast<int16_t>(-i));
        return;
      case TypeId::kInt32:
        static_cast<Int32Builder*>(builder)->Append(static_cast<int32_t>(i * 1000003));
        return;
      case TypeId::kInt64:
        static_cast<Int64Builder*>(builder)->Append(i * 1000000007LL);
        return;
      case TypeId::kFloat32:
        static_cast<Float32Builder*>(builder)->Append(static_cast<float>(i) / 3.0f);
        return;
      case TypeId::kFloat64:
        static_cast<Float64Builder*>(builder)->Append(static_cast<double>(i) * 0.1);
        return;
      case TypeId::kDecimal128: {
        int128_t limit = 1;
        for (int32_t d = 0; d < type.precision(); ++d) limit *= 10;
        static_cast<Decimal128Builder*>(builder)->Append(i % limit);
        return;
      }
      case TypeId::kString:
        static_cast<StringBuilder*>(builder)->Append("k\"" + std::to_string(i));
        return;
      case TypeId::kBinary:
        static_cast<BinaryBuilder*>(builder)->Append(std::to_string(i) + "\xFF");
        return;
      case TypeId::kDate32:
        static_cast<Date32Builder*>(builder)->Append(static_cast<int32_t>(i * 17 - 5000));
        return;
      case TypeId::kTimestamp:
        static_cast<TimestampBuilder*>(builder)->Append(i * 123456789LL - 10);
        return;
      default:
        FAIL() << "nested map key";
    }
  }

  std::mt19937_64 random_;
};

std::vector<std::string> CanonicalRows(const RecordBatch& batch) {
  std::vector<std::string> rows;
  AppendCanonicalRows(batch, &rows);
  return rows;
}

TEST(JsonRoundTripTest, ReadsBackWhatItWrites) {
  testing::TempDirectory directory;
  testing::RandomSchemaGenerator schemas(7, testing::RandomSchemaOptions());
  RandomValues values(11);
  int tested = 0;
  for (int attempt = 0; tested < 100 && attempt < 2000; ++attempt) {
    SchemaPtr schema = schemas.NextSchema();
    bool readable = true;
    for (const Field& field : schema->fields())
      readable = readable && !HasNestedMapKey(*field.type);
    if (!readable) continue;
    ++tested;
    RecordBatchBuilder builder(schema);
    int64_t rows = 1 + tested % 40;
    for (int64_t row = 0; row < rows; ++row) {
      for (int i = 0; i < schema->num_fields(); ++i) {
        values.Append(builder.column_builder(i), *schema->field(i).type, 0);
      }
    }
    Result<RecordBatchPtr> batch = builder.Finish();
    ASSERT_TRUE(batch.ok()) << batch.status().ToString();
    ASSERT_TRUE((*batch)->Validate().ok());

    for (bool ignore_null_fields : {true, false}) {
      std::string path = directory.PathOf("round_trip.json");
      auto file = io::LocalFileSystem()->OpenWritable(path);
      ASSERT_TRUE(file.ok());
      JsonWriteOptions write_options;
      write_options.ignore_null_fields = ignore_null_fields;
      auto writer = OpenJsonWriter(std::move(*file), schema, write_options);
      ASSERT_TRUE(writer.ok()) << writer.status().ToString();
      ASSERT_TRUE((*writer)->Write(**batch).ok());
      ASSERT_TRUE((*writer)->Close().ok());

      JsonReadOptions read_options;
      read_options.schema = schema;
      read_options.mode = io::ParseMode::kFailFast;
      read_options.framing = JsonFraming::kLines;
      read_options.batch_rows = 7;
      auto reader = JsonReader::Open(io::LocalFileSystem(), path, read_options);
      ASSERT_TRUE(reader.ok()) << reader.status().ToString() << "\n" << ToDdl(*schema);
      std::vector<std::string> read_rows;
      while (true) {
        Result<RecordBatchPtr> read = (*reader)->Next();
        ASSERT_TRUE(read.ok()) << read.status().ToString() << "\n" << ToDdl(*schema);
        if (*read == nullptr) break;
        ASSERT_TRUE((*read)->Validate().ok());
        for (std::string& row : CanonicalRows(**read)) read_rows.push_back(std::move(row));
      }
      EXPECT_EQ(read_rows, CanonicalRows(**batch)) << ToDdl(*schema);
    }
  }
  EXPECT_EQ(tested, 100);
}

}  // namespace
}  // namespace arcflow::json
