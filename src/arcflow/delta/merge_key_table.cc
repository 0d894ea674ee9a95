#include "arcflow/delta/merge_key_table.h"

#include <cmath>
#include <limits>
#include <string>

#include "arcflow/base/hash.h"
#include "arcflow/columnar/row_printer.h"

namespace arcflow::delta {
namespace {

// The value a float key is hashed and compared by: every NaN one NaN, -0.0 as 0.0.
template <typename T>
T NormalizeFloat(T value) {
  if (std::isnan(value)) return std::numeric_limits<T>::quiet_NaN();
  if (value == 0) return 0;
  return value;
}

template <typename T>
bool FloatKeysEqual(T a, T b) {
  return (std::isnan(a) && std::isnan(b)) || a == b;
}

// Mixes the hash of each row's value of one column, read by `value_hash(row)`, into `hashes`.
template <typename ValueHash>
void MixColumn(int64_t num_rows, ValueHash&& value_hash, uint64_t* hashes) {
  for (int64_t row = 0; row < num_rows; ++row) {
    hashes[row] = hash::CombineHashes(hashes[row], value_hash(row));
  }
}

template <typename T>
const T* RawValues(const Array& array) {
  return static_cast<const NumericArray<T>&>(array).raw_values();
}

}  // namespace

MergeKeyTable::MergeKeyTable(const Schema& schema, std::vector<int> key_columns)
    : key_columns_(std::move(key_columns)) {
  for (int column : key_columns_) {
    Kind kind = Kind::kCanonicalText;
    switch (schema.field(column).type->id()) {
      case TypeId::kInt8:
        kind = Kind::kInt8;
        break;
      case TypeId::kInt16:
        kind = Kind::kInt16;
        break;
      case TypeId::kInt32:
      case TypeId::kDate32:
        kind = Kind::kInt32;
        break;
      case TypeId::kInt64:
      case TypeId::kTimestamp:
        kind = Kind::kInt64;
        break;
      case TypeId::kDecimal128:
        kind = Kind::kDecimal;
        break;
      case TypeId::kFloat32:
        kind = Kind::kFloat32;
        break;
      case TypeId::kFloat64:
        kind = Kind::kFloat64;
        break;
      case TypeId::kBoolean:
        kind = Kind::kBoolean;
        break;
      case TypeId::kString:
      case TypeId::kBinary:
        kind = Kind::kBytes;
        break;
      case TypeId::kStruct:
      case TypeId::kList:
      case TypeId::kMap:
        kind = Kind::kCanonicalText;
        break;
    }
    kinds_.push_back(kind);
  }
}

void MergeKeyTable::HashRows(const RecordBatch& batch, std::vector<uint64_t>* hashes,
                             std::vector<uint8_t>* null_keys) const {
  const int64_t num_rows = batch.num_rows();
  hashes->assign(static_cast<size_t>(num_rows), 0);
  null_keys->assign(static_cast<size_t>(num_rows), 0);
  uint64_t* out = hashes->data();
  std::string text;
  for (size_t k = 0; k < key_columns_.size(); ++k) {
    const Array& array = *batch.column(key_columns_[k]);
    if (array.null_count() > 0) {
      for (int64_t row = 0; row < num_rows; ++row) {
        (*null_keys)[static_cast<size_t>(row)] |= array.IsNull(row) ? 1 : 0;
      }
    }
    // Values under a null are unspecified but harmless: such rows are never stored or found.
    switch (kinds_[k]) {
      case Kind::kInt8: {
        const int8_t* values = RawValues<int8_t>(array);
        MixColumn(
            num_rows, [&](int64_t row) { return hash::HashWord(values[row]); }, out);
        break;
      }
      case Kind::kInt16: {
        const int16_t* values = RawValues<int16_t>(array);
        MixColumn(
            num_rows, [&](int64_t row) { return hash::HashWord(values[row]); }, out);
        break;
      }
      case Kind::kInt32: {
        const int32_t* values = RawValues<int32_t>(array);
        MixColumn(
            num_rows, [&](int64_t row) { return hash::HashWord(values[row]); }, out);
        break;
      }
      case Kind::kInt64: {
        const int64_t* values = RawValues<int64_t>(array);
        MixColumn(
            num_rows,
            [&](int64_t row) { return hash::HashWord(static_cast<uint64_t>(values[row])); }, out);
        break;
      }
      case Kind::kDecimal: {
        const int128_t* values = RawValues<int128_t>(array);
        MixColumn(
            num_rows, [&](int64_t row) { return hash::HashValue(values[row]); }, out);
        break;
      }
      case Kind::kFloat32: {
        const float* values = RawValues<float>(array);
        MixColumn(
            num_rows, [&](int64_t row) { return hash::HashValue(NormalizeFloat(values[row])); },
            out);
        break;
      }
      case Kind::kFloat64: {
        const double* values = RawValues<double>(array);
        MixColumn(
            num_rows, [&](int64_t row) { return hash::HashValue(NormalizeFloat(values[row])); },
            out);
        break;
      }
      case Kind::kBoolean: {
        const auto& booleans = static_cast<const BooleanArray&>(array);
        MixColumn(
            num_rows, [&](int64_t row) { return hash::HashWord(booleans.Value(row)); }, out);
        break;
      }
      case Kind::kBytes: {
        const auto& strings = static_cast<const BinaryArray&>(array);
        MixColumn(
            num_rows,
            [&](int64_t row) {
              const std::string_view value = strings.Value(row);
              return hash::HashBytes(value.data(), value.size());
            },
            out);
        break;
      }
      case Kind::kCanonicalText:
        MixColumn(
            num_rows,
            [&](int64_t row) {
              text.clear();
              if (!array.IsNull(row)) AppendCanonicalJson(array, row, &text);
              return hash::HashBytes(text.data(), text.size());
            },
            out);
        break;
    }
  }
}

bool MergeKeyTable::KeysEqual(const RecordBatch& a, int64_t row_a, const RecordBatch& b,
                              int64_t row_b) const {
  for (size_t k = 0; k < key_columns_.size(); ++k) {
    const Array& left = *a.column(key_columns_[k]);
    const Array& right = *b.column(key_columns_[k]);
    bool equal = false;
    switch (kinds_[k]) {
      case Kind::kInt8:
        equal = RawValues<int8_t>(left)[row_a] == RawValues<int8_t>(right)[row_b];
        break;
      case Kind::kInt16:
        equal = RawValues<int16_t>(left)[row_a] == RawValues<int16_t>(right)[row_b];
        break;
      case Kind::kInt32:
        equal = RawValues<int32_t>(left)[row_a] == RawValues<int32_t>(right)[row_b];
        break;
      case Kind::kInt64:
        equal = RawValues<int64_t>(left)[row_a] == RawValues<int64_t>(right)[row_b];
        break;
      case Kind::kDecimal:
        equal = RawValues<int128_t>(left)[row_a] == RawValues<int128_t>(right)[row_b];
        break;
      case Kind::kFloat32:
        equal = FloatKeysEqual(RawValues<float>(left)[row_a], RawValues<float>(right)[row_b]);
        break;
      case Kind::kFloat64:
        equal = FloatKeysEqual(RawValues<double>(left)[row_a], RawValues<double>(right)[row_b]);
        break;
      case Kind::kBoolean:
        equal = static_cast<const BooleanArray&>(left).Value(row_a) ==
                static_cast<const BooleanArray&>(right).Value(row_b);
        break;
      case Kind::kBytes:
        equal = static_cast<const BinaryArray&>(left).Value(row_a) ==
                static_cast<const BinaryArray&>(right).Value(row_b);
        break;
      case Kind::kCanonicalText: {
        std::string left_text;
        std::string right_text;
        AppendCanonicalJson(left, row_a, &left_text);
        AppendCanonicalJson(right, row_b, &right_text);
        equal = left_text == right_text;
        break;
      }
    }
    if (!equal) return false;
  }
  return true;
}

std::pair<int32_t, bool> MergeKeyTable::Insert(const RecordBatchPtr& batch, int64_t row,
                                               uint64_t hash) {
  size_t slot = 0;
  const int32_t found = index_.Find(
      hash,
      [&](int32_t entry) {
        const Entry& stored = entries_[static_cast<size_t>(entry)];
        return KeysEqual(*stored.batch, stored.row, *batch, row);
      },
      &slot);
  if (found >= 0) return {found, false};
  if (batches_.empty() || batches_.back() != batch) batches_.push_back(batch);
  const auto entry = static_cast<int32_t>(entries_.size());
  entries_.push_back(Entry{batch.get(), row});
  index_.Insert(slot, hash, entry);
  return {entry, true};
}

int32_t MergeKeyTable::Find(const RecordBatch& batch, int64_t row, uint64_t hash) const {
  size_t unused_slot = 0;
  return index_.Find(
      hash,
      [&](int32_t entry) {
        const Entry& stored = entries_[static_cast<size_t>(entry)];
        return KeysEqual(*stored.batch, stored.row, batch, row);
      },
      &unused_slot);
}

}  // namespace arcflow::delta
