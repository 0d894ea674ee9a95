#pragma once

#include <cstdint>
#include <memory>
#include <string_view>

#include "arcflow/base/bit_util.h"
#include "arcflow/columnar/array_data.h"

namespace arcflow {

using int128_t = __int128;

class Array;
using ArrayPtr = std::shared_ptr<const Array>;

// A typed, read-only view of ArrayData. Arrays are created by builders or MakeArray() and are
// immutable; share them by `ArrayPtr`. Element accessors do not check bounds.
class Array {
 public:
  explicit Array(std::shared_ptr<const ArrayData> data)
      : data_(std::move(data)), validity_(data_->validity_bits()) {}
  virtual ~Array() = default;

  const std::shared_ptr<const ArrayData>& data() const { return data_; }
  const DataTypePtr& type() const { return data_->type; }
  TypeId type_id() const { return data_->type->id(); }
  int64_t length() const { return data_->length; }
  int64_t offset() const { return data_->offset; }
  int64_t null_count() const { return data_->null_count; }

  bool IsNull(int64_t i) const {
    return validity_ != nullptr && !bit_util::GetBit(validity_, data_->offset + i);
  }
  bool IsValid(int64_t i) const { return !IsNull(i); }

  // A zero-copy window of this array.
  ArrayPtr Slice(int64_t offset, int64_t length) const;

 protected:
  std::shared_ptr<const ArrayData> data_;
  const uint8_t* validity_;
};

// Wraps `data` in the Array subclass that matches its type.
ArrayPtr MakeArray(std::shared_ptr<const ArrayData> data);

class BooleanArray : public Array {
 public:
  explicit BooleanArray(std::shared_ptr<const ArrayData> data)
      : Array(std::move(data)), bits_(data_->buffers[1]->data()) {}
  bool Value(int64_t i) const { return bit_util::GetBit(bits_, data_->offset + i); }

 private:
  const uint8_t* bits_;
};

// Fixed-width values: integers, floats, dates (int32 days), timestamps (int64 µs) and
// decimals (int128 unscaled).
template <typename T>
class NumericArray : public Array {
 public:
  using ValueType = T;
  explicit NumericArray(std::shared_ptr<const ArrayData> data)
      : Array(std::move(data)), values_(data_->buffers[1]->data_as<T>() + data_->offset) {}
  T Value(int64_t i) const { return values_[i]; }
  // The values of this window; entries under a null are unspecified.
  const T* raw_values() const { return values_; }

 private:
  const T* values_;
};

using Int8Array = NumericArray<int8_t>;
using Int16Array = NumericArray<int16_t>;
using Int32Array = NumericArray<int32_t>;
using Int64Array = NumericArray<int64_t>;
using Float32Array = NumericArray<float>;
using Float64Array = NumericArray<double>;
using Date32Array = NumericArray<int32_t>;
using TimestampArray = NumericArray<int64_t>;
using Decimal128Array = NumericArray<int128_t>;

// Calls `visit(T{})` with the value type T of NumericArray<T> for fixed-width type `id`
// (int8_t to int64_t, float, double, int32_t days for dates, int64_t microseconds for
// timestamps, int128_t for decimals) and returns true; returns false, calling nothing, for
// booleans, strings, binaries and nested types.
template <typename Visit>
bool VisitNumericValueType(TypeId id, Visit&& visit) {
  switch (id) {
    case TypeId::kInt8:
      visit(int8_t{});
      return true;
    case TypeId::kInt16:
      visit(int16_t{});
      return true;
    case TypeId::kInt32:
    case TypeId::kDate32:
      visit(int32_t{});
      return true;
    case TypeId::kInt64:
    case TypeId::kTimestamp:
      visit(int64_t{});
      return true;
    case TypeId::kFloat32:
      visit(float{});
      return true;
    case TypeId::kFloat64:
      visit(double{});
      return true;
    case TypeId::kDecimal128:
      visit(int128_t{});
      return true;
    default:
      return false;
  }
}

// Variable-length strings (UTF-8) and binaries.
class BinaryArray : public Array {
 public:
  explicit BinaryArray(std::shared_ptr<const ArrayData> data)
      : Array(std::move(data)),
        offsets_(data_->buffers[1]->data_as<int32_t>() + data_->offset),
        bytes_(reinterpret_cast<const char*>(data_->buffers[2]->data())) {}
  // Valid while the array lives.
  std::string_view Value(int64_t i) const {
    return {bytes_ + offsets_[i], static_cast<size_t>(offsets_[i + 1] - offsets_[i])};
  }
  const int32_t* raw_offsets() const { return offsets_; }
  const char* raw_bytes() const { return bytes_; }

 private:
  const int32_t* offsets_;
  const char* bytes_;
};
using StringArray = BinaryArray;

class StructArray : public Array {
 public:
  explicit StructArray(std::shared_ptr<const ArrayData> data);
  int num_fields() const { return static_cast<int>(fields_.size()); }
  // The member arrays, sliced to this struct's window.
  const ArrayPtr& field(int i) const { return fields_[static_cast<size_t>(i)]; }

 private:
  std::vector<ArrayPtr> fields_;
};

// Lists and maps: element i is values()[value_offset(i), value_offset(i + 1)).
class ListArray : public Array {
 public:
  explicit ListArray(std::shared_ptr<const ArrayData> data)
      : Array(std::move(data)),
        offsets_(data_->buffers[1]->data_as<int32_t>() + data_->offset),
        values_(MakeArray(data_->children[0])) {}
  int32_t value_offset(int64_t i) const { return offsets_[i]; }
  int32_t value_length(int64_t i) const { return offsets_[i + 1] - offsets_[i]; }
  // The whole child array (not sliced; index it with value_offset()).
  const ArrayPtr& values() const { return values_; }

 private:
  const int32_t* offsets_;
  ArrayPtr values_;
};

class MapArray : public ListArray {
 public:
  explicit MapArray(std::shared_ptr<const ArrayData> data);
  const ArrayPtr& keys() const { return keys_; }
  const ArrayPtr& items() const { return items_; }

 private:
  ArrayPtr keys_;
  ArrayPtr items_;
};

}  // namespace arcflow
