#include "arcflow/delta/merge_key_table.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <type_traits>
#include <utility>

#include "arcflow/base/hash.h"
#include "arcflow/base/logging.h"
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

// The least and greatest of the integers added, and the distance between them, unsigned so
// that it holds from one end of int64 to the other.
struct IntegerRange {
  bool empty = true;
  int64_t min = 0;
  int64_t max = 0;

  void Add(int64_t value) {
    min = empty ? value : std::min(min, value);
    max = empty ? value : std::max(max, value);
    empty = false;
  }
  uint64_t span() const { return static_cast<uint64_t>(max) - static_cast<uint64_t>(min); }
};

// Mixes the hash of each row's value of one column, read by `value_hash(row)`, into `hashes`,
// but for the rows `skip` marks (when not empty).
template <typename ValueHash>
void MixColumn(int64_t num_rows, std::span<const uint8_t> skip, ValueHash&& value_hash,
               uint64_t* hashes) {
  if (skip.empty()) {
    for (int64_t row = 0; row < num_rows; ++row) {
      hashes[row] = hash::CombineHashes(hashes[row], value_hash(row));
    }
    return;
  }
  for (int64_t row = 0; row < num_rows; ++row) {
    if (skip[static_cast<size_t>(row)] == 0) {
      hashes[row] = hash::CombineHashes(hashes[row], value_hash(row));
    }
  }
}

}  // namespace

bool IsIntegerKeyType(const DataType& type) {
  return type.is_integer() || type.id() == TypeId::kDate32 || type.id() == TypeId::kTimestamp;
}

bool KeyEqualityIsIdentity(const DataType& type) {
  switch (type.id()) {
    case TypeId::kBoolean:
    case TypeId::kInt8:
    case TypeId::kInt16:
    case TypeId::kInt32:
    case TypeId::kInt64:
    case TypeId::kDecimal128:
    case TypeId::kString:
    case TypeId::kBinary:
    case TypeId::kDate32:
    case TypeId::kTimestamp:
      return true;
    default:
      return false;
  }
}

std::span<const int64_t> IntegerKeyValues(const Array& array, std::vector<int64_t>* storage) {
  std::span<const int64_t> result;
  VisitNumericValueType(array.type_id(), [&](auto zero) {
    using T = decltype(zero);
    if constexpr (std::is_same_v<T, int64_t>) {
      result = {static_cast<const NumericArray<T>&>(array).raw_values(),
                static_cast<size_t>(array.length())};
    } else if constexpr (std::is_integral_v<T> && sizeof(T) <= sizeof(int64_t)) {
      const T* values = static_cast<const NumericArray<T>&>(array).raw_values();
      storage->assign(values, values + array.length());
      result = *storage;
    }
  });
  return result;
}

MergeKeyTable::MergeKeyTable(const Schema& schema, std::vector<int> key_columns)
    : key_columns_(std::move(key_columns)) {
  for (int column : key_columns_) {
    integer_columns_.push_back(IsIntegerKeyType(*schema.field(column).type) ? 1 : 0);
  }
  integer_key_ = key_columns_.size() == 1 && integer_columns_[0] != 0;
}

void MergeKeyTable::Reserve(int64_t rows) {
  const size_t entries = static_cast<size_t>(size()) + static_cast<size_t>(rows);
  if (!dense_) index_.Reserve(entries);
  // Geometrically, as push_back would: reserving exactly per batch would copy the vectors
  // once per batch of a source of many small batches.
  const auto reserve = [entries](auto* vector) {
    if (entries > vector->capacity()) vector->reserve(std::max(entries, 2 * vector->capacity()));
  };
  if (integer_key_) {
    reserve(&integer_keys_);
  } else {
    reserve(&entries_);
  }
}

void MergeKeyTable::PlanInserts(const std::vector<RecordBatchPtr>& batches) {
  int64_t rows = 0;
  for (const RecordBatchPtr& batch : batches) rows += batch->num_rows();
  if (integer_key_ && size() == 0 && !dense_) {
    // Each pass widens narrower key values anew rather than keeping them all.
    std::vector<int64_t> storage;
    const auto for_each_value = [&](auto&& visit) {
      for (const RecordBatchPtr& batch : batches) {
        const Array& column = *batch->column(key_columns_[0]);
        const std::span<const int64_t> values = IntegerKeyValues(column, &storage);
        for (int64_t row = 0; row < column.length(); ++row) {
          if (column.null_count() == 0 || !column.IsNull(row)) {
            visit(values[static_cast<size_t>(row)]);
          }
        }
      }
    };
    IntegerRange range;
    for_each_value([&](int64_t value) { range.Add(value); });
    // At most 8 directory entries (32 bytes) and 8 cells per row to insert, or 1 MiB of cells:
    // sparse keys are left to the hash table. The span is unsigned, so the ends of int64 work.
    const uint64_t cell_limit = std::max<uint64_t>(8 * static_cast<uint64_t>(rows), 1u << 18);
    const uint64_t num_blocks = range.empty ? 0 : range.span() / kDenseBlockValues + 1;
    if (!range.empty && num_blocks <= cell_limit / 8 + 1) {
      dense_blocks_.assign(static_cast<size_t>(num_blocks), -1);
      int32_t used_blocks = 0;
      for_each_value([&](int64_t value) {
        const uint64_t block =
            (static_cast<uint64_t>(value) - static_cast<uint64_t>(range.min)) / kDenseBlockValues;
        if (dense_blocks_[block] < 0) dense_blocks_[block] = used_blocks++;
      });
      const uint64_t cells = static_cast<uint64_t>(used_blocks) * kDenseBlockValues;
      if (cells <= cell_limit) {
        dense_ = true;
        dense_min_ = range.min;
        dense_cells_.assign(static_cast<size_t>(cells), -1);
        integer_keys_.reserve(static_cast<size_t>(rows));
        return;
      }
      dense_blocks_.clear();
    }
  }
  Reserve(rows);
}

uint64_t MergeKeyTable::IntegerKeyHash(int64_t value) {
  return hash::CombineHashes(0, hash::HashWord(static_cast<uint64_t>(value)));
}

uint64_t MergeKeyTable::RowHash(int64_t row, const BatchKeys& keys) const {
  if (integer_key_ && keys.hashes.empty()) {
    return IntegerKeyHash(keys.integers[static_cast<size_t>(row)]);
  }
  return keys.hashes[static_cast<size_t>(row)];
}

void MergeKeyTable::LeaveDenseAddressing() {
  dense_ = false;
  dense_blocks_ = {};
  dense_cells_ = {};
  index_.Reserve(integer_keys_.size() + 1);
  for (size_t entry = 0; entry < integer_keys_.size(); ++entry) {
    const uint64_t hash = IntegerKeyHash(integer_keys_[entry]);
    size_t slot = 0;
    // Stored keys are distinct, so the probe ends at a free slot.
    (void)index_.Find(
        hash, [](int32_t) { return false; }, &slot);
    index_.Insert(slot, hash, static_cast<int32_t>(entry));
  }
}

void MergeKeyTable::PrepareKeys(const RecordBatch& batch, BatchKeys* keys) const {
  std::vector<const Array*> columns;
  columns.reserve(key_columns_.size());
  for (int column : key_columns_) columns.push_back(batch.column(column).get());
  PrepareKeys(std::move(columns), keys);
}

void MergeKeyTable::PrepareKeys(std::vector<const Array*> columns, BatchKeys* keys) const {
  const int64_t num_rows = columns.empty() ? 0 : columns[0]->length();
  keys->columns = std::move(columns);
  std::vector<uint8_t>& unmatchable = keys->unmatchable_rows;
  unmatchable.clear();
  keys->integers = {};
  if (integer_key_ && num_rows > 0) {
    keys->integers = IntegerKeyValues(*keys->columns[0], &keys->widened_integers);
  }
  for (const Array* column : keys->columns) {
    if (column->null_count() > 0) {
      if (unmatchable.empty()) unmatchable.assign(static_cast<size_t>(num_rows), 0);
      for (int64_t row = 0; row < num_rows; ++row) {
        unmatchable[static_cast<size_t>(row)] |= column->IsNull(row) ? 1 : 0;
      }
    }
  }
  if (dense_) {
    keys->hashes.clear();  // Direct addressing needs none.
    return;
  }
  if (!filter_bitmap_.empty() && num_rows > 0) {
    const std::span<const int64_t> values =
        integer_key_ ? keys->integers
                     : IntegerKeyValues(*keys->columns[static_cast<size_t>(filter_key_)],
                                        &keys->widened_integers);
    if (unmatchable.empty()) unmatchable.assign(static_cast<size_t>(num_rows), 0);
    for (int64_t row = 0; row < num_rows; ++row) {
      // Unsigned arithmetic wraps values below the minimum past the span.
      const uint64_t bit = static_cast<uint64_t>(values[static_cast<size_t>(row)]) -
                           static_cast<uint64_t>(filter_min_);
      const bool present = bit <= filter_span_ && (filter_bitmap_[bit / 64] >> (bit % 64) & 1) != 0;
      unmatchable[static_cast<size_t>(row)] |= present ? 0 : 1;
    }
  }
  keys->hashes.assign(static_cast<size_t>(num_rows), 0);
  uint64_t* out = keys->hashes.data();
  std::string text;
  for (const Array* column : keys->columns) {
    const Array& array = *column;
    // Values under a null are unspecified but harmless: such rows are never stored or found.
    const bool numeric = VisitNumericValueType(array.type_id(), [&](auto zero) {
      using T = decltype(zero);
      const T* values = static_cast<const NumericArray<T>&>(array).raw_values();
      MixColumn(
          num_rows, unmatchable,
          [&](int64_t row) {
            if constexpr (std::is_floating_point_v<T>) {
              return hash::HashValue(NormalizeFloat(values[row]));
            } else if constexpr (sizeof(T) <= sizeof(uint64_t)) {
              return hash::HashWord(static_cast<uint64_t>(values[row]));
            } else {
              return hash::HashValue(values[row]);
            }
          },
          out);
    });
    if (numeric) continue;
    if (array.type_id() == TypeId::kBoolean) {
      const auto& booleans = static_cast<const BooleanArray&>(array);
      MixColumn(
          num_rows, unmatchable, [&](int64_t row) { return hash::HashWord(booleans.Value(row)); },
          out);
    } else if (array.type()->is_binary_like()) {
      const auto& strings = static_cast<const BinaryArray&>(array);
      MixColumn(
          num_rows, unmatchable,
          [&](int64_t row) {
            const std::string_view value = strings.Value(row);
            return hash::HashBytes(value.data(), value.size());
          },
          out);
    } else {
      MixColumn(
          num_rows, unmatchable,
          [&](int64_t row) {
            text.clear();
            if (!array.IsNull(row)) AppendCanonicalJson(array, row, &text);
            return hash::HashBytes(text.data(), text.size());
          },
          out);
    }
  }
}

bool MergeKeyTable::KeysEqual(const Entry& entry, const BatchKeys& keys, int64_t row) const {
  const int64_t row_a = entry.row;
  const int64_t row_b = row;
  for (size_t k = 0; k < key_columns_.size(); ++k) {
    const Array& left = *entry.batch->column(key_columns_[k]);
    const Array& right = *keys.columns[k];
    bool equal = false;
    const bool numeric = VisitNumericValueType(left.type_id(), [&](auto zero) {
      using T = decltype(zero);
      const T left_value = static_cast<const NumericArray<T>&>(left).Value(row_a);
      const T right_value = static_cast<const NumericArray<T>&>(right).Value(row_b);
      if constexpr (std::is_floating_point_v<T>) {
        equal = FloatKeysEqual(left_value, right_value);
      } else {
        equal = left_value == right_value;
      }
    });
    if (numeric) {
      // Compared above.
    } else if (left.type_id() == TypeId::kBoolean) {
      equal = static_cast<const BooleanArray&>(left).Value(row_a) ==
              static_cast<const BooleanArray&>(right).Value(row_b);
    } else if (left.type()->is_binary_like()) {
      equal = static_cast<const BinaryArray&>(left).Value(row_a) ==
              static_cast<const BinaryArray&>(right).Value(row_b);
    } else {
      std::string left_text;
      std::string right_text;
      AppendCanonicalJson(left, row_a, &left_text);
      AppendCanonicalJson(right, row_b, &right_text);
      equal = left_text == right_text;
    }
    if (!equal) return false;
  }
  return true;
}

int32_t MergeKeyTable::Lookup(int64_t row, const BatchKeys& keys, size_t* slot) const {
  const uint64_t hash = RowHash(row, keys);
  if (integer_key_) {
    const int64_t integer = keys.integers[static_cast<size_t>(row)];
    return index_.Find(
        hash, [&](int32_t entry) { return integer_keys_[static_cast<size_t>(entry)] == integer; },
        slot);
  }
  return index_.Find(
      hash,
      [&](int32_t entry) { return KeysEqual(entries_[static_cast<size_t>(entry)], keys, row); },
      slot);
}

std::pair<int32_t, bool> MergeKeyTable::InsertHashed(const RecordBatchPtr& batch, int64_t row,
                                                     const BatchKeys& keys) {
  ARCFLOW_DCHECK(filter_bitmap_.empty());  // No inserts after FinishInserts.
  if (dense_) LeaveDenseAddressing();      // The value is outside the planned blocks.
  size_t slot = 0;
  const int32_t found = Lookup(row, keys, &slot);
  if (found >= 0) return {found, false};
  const auto entry = static_cast<int32_t>(index_.size());
  if (integer_key_) {
    integer_keys_.push_back(keys.integers[static_cast<size_t>(row)]);
  } else {
    if (batches_.empty() || batches_.back() != batch) batches_.push_back(batch);
    entries_.push_back(Entry{batch.get(), row});
  }
  index_.Insert(slot, RowHash(row, keys), entry);
  return {entry, true};
}

template <typename Visit>
void MergeKeyTable::ForEachEntryValue(size_t key, Visit&& visit) const {
  if (integer_key_) {
    for (int64_t value : integer_keys_) visit(value);
    return;
  }
  // Entries are stored batch by batch, so each batch's values are read once.
  const RecordBatch* batch = nullptr;
  std::span<const int64_t> values;
  std::vector<int64_t> widened;
  for (const Entry& entry : entries_) {
    if (entry.batch != batch) {
      batch = entry.batch;
      values = IntegerKeyValues(*batch->column(key_columns_[key]), &widened);
    }
    visit(values[static_cast<size_t>(entry.row)]);
  }
}

void MergeKeyTable::FinishInserts() {
  // Direct addressing answers a miss as cheaply as a bitmap would.
  if (dense_ || size() == 0) return;
  // One bit per value in the range: at most 64 bits per entry, or 1 MiB, whichever is more;
  // sparser values are left to the hash table alone.
  const uint64_t limit = std::max<uint64_t>(64 * static_cast<uint64_t>(size()), uint64_t{8} << 20);
  for (size_t key = 0; key < key_columns_.size(); ++key) {
    if (integer_columns_[key] == 0) continue;
    IntegerRange range;
    ForEachEntryValue(key, [&](int64_t value) { range.Add(value); });
    if (range.span() < limit && (filter_key_ < 0 || range.span() > filter_span_)) {
      filter_key_ = static_cast<int>(key);
      filter_min_ = range.min;
      filter_span_ = range.span();
    }
  }
  if (filter_key_ < 0) return;
  filter_bitmap_.assign(static_cast<size_t>(filter_span_ / 64 + 1), 0);
  ForEachEntryValue(static_cast<size_t>(filter_key_), [&](int64_t value) {
    const uint64_t bit = static_cast<uint64_t>(value) - static_cast<uint64_t>(filter_min_);
    filter_bitmap_[bit / 64] |= uint64_t{1} << (bit % 64);
  });
}

int32_t MergeKeyTable::FindHashed(int64_t row, const BatchKeys& keys) const {
  size_t unused_slot = 0;
  return Lookup(row, keys, &unused_slot);
}

}  // namespace arcflow::delta
