#pragma once

// For tests only: random record batches of any schema (nulls, extreme values, NaN, empty and
// long strings), and re-laid-out slices of them, for the property tests of the Parquet writer
// and reader. Header-only so that it adds nothing to the library.

#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "arcflow/base/bit_util.h"
#include "arcflow/columnar/builder.h"
#include "arcflow/columnar/record_batch.h"

namespace arcflow::testing {

// Fills builders with random values of any type. Deterministic for a seed.
class RandomDataGenerator {
 public:
  explicit RandomDataGenerator(uint64_t seed) : random_(seed) {}

  uint64_t Pick(uint64_t n) { return random_() % n; }
  bool OneIn(uint64_t n) { return Pick(n) == 0; }

  RecordBatchPtr Batch(const SchemaPtr& schema, int64_t rows) {
    RecordBatchBuilder builder(schema);
    // Per column, how often values are null: never, rarely, or often.
    std::vector<int> null_odds;
    for (int i = 0; i < schema->num_fields(); ++i) null_odds.push_back(NullOdds());
    for (int64_t row = 0; row < rows; ++row) {
      for (int i = 0; i < schema->num_fields(); ++i) {
        const Field& field = schema->field(i);
        Append(builder.column_builder(i), *field.type, field.nullable, null_odds[i], 0);
      }
    }
    Result<RecordBatchPtr> batch = builder.Finish();
    EXPECT_TRUE(batch.ok()) << batch.status().ToString();
    return *batch;
  }

 private:
  int NullOdds() {
    switch (Pick(3)) {
      case 0:
        return 0;
      case 1:
        return 20;
      default:
        return 3;
    }
  }

  bool MakeNull(bool nullable, int odds) { return nullable && odds > 0 && OneIn(odds); }

  int64_t Integer(int64_t low, int64_t high) {
    switch (Pick(8)) {
      case 0:
        return low;
      case 1:
        return high;
      case 2:
        return 0;
      case 3:  // A few distinct values, so dictionaries pay off.
        return static_cast<int64_t>(Pick(5)) - 2;
      default: {
        const uint64_t span = static_cast<uint64_t>(high) - static_cast<uint64_t>(low);
        const uint64_t offset =
            span == std::numeric_limits<uint64_t>::max() ? random_() : random_() % (span + 1);
        return static_cast<int64_t>(static_cast<uint64_t>(low) + offset);
      }
    }
  }

  double Floating() {
    switch (Pick(12)) {
      case 0:
        return std::numeric_limits<double>::quiet_NaN();
      case 1:
        return std::numeric_limits<double>::infinity();
      case 2:
        return -std::numeric_limits<double>::infinity();
      case 3:
        return -0.0;
      case 4:
        return 0.0;
      case 5:
        return static_cast<double>(Pick(4));
      default: {
        std::uniform_real_distribution<double> distribution(-1e6, 1e6);
        return distribution(random_);
      }
    }
  }

  std::string Text(bool binary) {
    static const std::vector<std::string> kPieces = {"a", "b",  "zz", "é",  "日本", "😀",
                                                     " ", "\"", "\\", "\n", "x"};
    std::string text;
    size_t length = Pick(4) == 0 ? Pick(120) : Pick(8);
    if (Pick(4) == 0) return "common-" + std::to_string(Pick(4));
    if (binary) {
      for (size_t i = 0; i < length; ++i) text.push_back(static_cast<char>(Pick(256)));
      return text;
    }
    while (text.size() < length) text += kPieces[Pick(kPieces.size())];
    return text;
  }

  int128_t Decimal(int32_t precision) {
    int128_t limit = 1;
    for (int32_t i = 0; i < precision; ++i) limit *= 10;
    switch (Pick(6)) {
      case 0:
        return limit - 1;
      case 1:
        return -(limit - 1);
      case 2:
        return 0;
      default: {
        const int128_t magnitude =
            ((static_cast<int128_t>(random_()) << 64) | random_()) & ((int128_t{1} << 126) - 1);
        const int128_t value = magnitude % limit;
        return OneIn(2) ? -value : value;
      }
    }
  }

  void Append(ArrayBuilder* builder, const DataType& type, bool nullable, int null_odds,
              int depth) {
    if (MakeNull(nullable, null_odds)) {
      builder->AppendNull();
      return;
    }
    switch (type.id()) {
      case TypeId::kBoolean:
        static_cast<BooleanBuilder*>(builder)->Append(OneIn(2));
        return;
      case TypeId::kInt8:
        static_cast<Int8Builder*>(builder)->Append(static_cast<int8_t>(Integer(-128, 127)));
        return;
      case TypeId::kInt16:
        static_cast<Int16Builder*>(builder)->Append(static_cast<int16_t>(Integer(-32768, 32767)));
        return;
      case TypeId::kInt32:
        static_cast<Int32Builder*>(builder)->Append(static_cast<int32_t>(
            Integer(std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max())));
        return;
      case TypeId::kInt64:
        static_cast<Int64Builder*>(builder)->Append(
            Integer(std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max()));
        return;
      case TypeId::kFloat32:
        static_cast<Float32Builder*>(builder)->Append(static_cast<float>(Floating()));
        return;
      case TypeId::kFloat64:
        static_cast<Float64Builder*>(builder)->Append(Floating());
        return;
      case TypeId::kDecimal128:
        static_cast<Decimal128Builder*>(builder)->Append(Decimal(type.precision()));
        return;
      case TypeId::kString:
      case TypeId::kBinary:
        static_cast<BinaryBuilder*>(builder)->Append(Text(type.id() == TypeId::kBinary));
        return;
      case TypeId::kDate32:
        // Years 0001 to 9999.
        static_cast<Date32Builder*>(builder)->Append(
            static_cast<int32_t>(Integer(-719162, 2932896)));
        return;
      case TypeId::kTimestamp:
        static_cast<TimestampBuilder*>(builder)->Append(
            Integer(-62135596800000000, 253402300799999999));
        return;
      case TypeId::kStruct: {
        auto* structs = static_cast<StructBuilder*>(builder);
        for (int i = 0; i < type.num_fields(); ++i) {
          const Field& member = type.field(i);
          Append(structs->field_builder(i), *member.type, member.nullable, null_odds, depth + 1);
        }
        structs->Append();
        return;
      }
      case TypeId::kList: {
        auto* lists = static_cast<ListBuilder*>(builder);
        const int64_t count = static_cast<int64_t>(Pick(depth > 1 ? 3 : 5));
        for (int64_t i = 0; i < count; ++i) {
          Append(lists->value_builder(), *type.element_field().type, type.element_field().nullable,
                 null_odds, depth + 1);
        }
        lists->Append();
        return;
      }
      case TypeId::kMap: {
        auto* maps = static_cast<ListBuilder*>(builder);
        const int64_t count = static_cast<int64_t>(Pick(depth > 1 ? 3 : 5));
        for (int64_t i = 0; i < count; ++i) {
          Append(MapKeyBuilder(*maps), *type.key_field().type, false, 0, depth + 1);
          Append(MapValueBuilder(*maps), *type.value_field().type, type.value_field().nullable,
                 null_odds, depth + 1);
          AppendMapEntry(*maps);
        }
        maps->Append();
        return;
      }
    }
  }

  std::mt19937_64 random_;
};

// A copy of the bits [offset, offset + length) of `array`'s validity, starting at bit 0.
inline std::shared_ptr<const Buffer> ShiftedValidity(const ArrayData& array) {
  const uint8_t* bits = array.validity_bits();
  if (bits == nullptr) return nullptr;
  auto buffer = *Buffer::Allocate(bit_util::BytesForBits(array.length) + 1, /*zero=*/true);
  bit_util::CopyBits(bits, array.offset, array.length, buffer->mutable_data(), 0);
  return buffer;
}

// Rewrites a sliced array so that its offset moves down into its children: structs, lists and
// maps end up at offset 0 while their children become slices of the original children (with
// offsets of their own), recursively. The values stay the same; only the layout changes.
inline std::shared_ptr<const ArrayData> PushOffsetsDown(
    const std::shared_ptr<const ArrayData>& array) {
  const DataType& type = *array->type;
  if (!type.is_nested()) return array;
  auto result = std::make_shared<ArrayData>(*array);
  result->offset = 0;
  result->buffers[0] = ShiftedValidity(*array);
  if (type.id() == TypeId::kStruct) {
    for (auto& child : result->children) {
      child = PushOffsetsDown(child->Slice(array->offset, array->length));
    }
    return result;
  }
  const int32_t* offsets = array->buffers[1]->data_as<int32_t>() + array->offset;
  const int32_t first = offsets[0];
  auto new_offsets = *Buffer::Allocate((array->length + 1) * 4);
  for (int64_t i = 0; i <= array->length; ++i) {
    reinterpret_cast<int32_t*>(new_offsets->mutable_data())[i] = offsets[i] - first;
  }
  result->buffers[1] = new_offsets;
  result->children[0] =
      PushOffsetsDown(array->children[0]->Slice(first, offsets[array->length] - first));
  return result;
}

}  // namespace arcflow::testing
