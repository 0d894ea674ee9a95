#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "arcflow/base/bit_util.h"
#include "arcflow/base/buffer.h"
#include "arcflow/base/result.h"
#include "arcflow/columnar/array.h"

namespace arcflow {

// Builds one array by appending values. A builder is owned by one thread at a time. After
// Finish() it is empty and may be reused for the next array of the same type.
//
// Nested builders own their child builders: append a struct row by appending to every member
// builder and then calling StructBuilder::Append(); a list row by appending its elements to
// value_builder() and then calling ListBuilder::Append() (Arrow appends the row first; here the
// row is closed after its elements, which lets a reader build children while it parses).
class ArrayBuilder {
 public:
  explicit ArrayBuilder(DataTypePtr type) : type_(std::move(type)) {}
  virtual ~ArrayBuilder() = default;
  ArrayBuilder(const ArrayBuilder&) = delete;
  ArrayBuilder& operator=(const ArrayBuilder&) = delete;

  const DataTypePtr& type() const { return type_; }
  int64_t length() const { return length_; }
  int64_t null_count() const { return null_count_; }

  // Appends a null. For nested types, children receive placeholder entries as needed.
  virtual void AppendNull() = 0;
  void AppendNulls(int64_t count) {
    for (int64_t i = 0; i < count; ++i) AppendNull();
  }
  // Appends a non-null "empty" value: zero, false, "", an empty list, a struct of nulls.
  // Used for struct members under a null parent.
  virtual void AppendEmptyValue() = 0;
  virtual void Reserve(int64_t additional) = 0;
  // Approximate bytes held, for batch-size limits.
  virtual int64_t EstimatedBytes() const = 0;

  // Returns the built array and resets the builder. Fails only when a limit of the layout is
  // exceeded (more than 2^31 - 1 bytes or elements under one set of int32 offsets).
  virtual Result<std::shared_ptr<const ArrayData>> FinishData() = 0;
  Result<ArrayPtr> Finish();

 protected:
  void AppendValidity(bool valid) {
    if (!valid) {
      if (validity_.size() == 0) MaterializeValidity();
      ++null_count_;
    }
    if (validity_.size() > 0 || null_count_ > 0) {
      if (bit_util::BytesForBits(length_ + 1) > validity_.size()) validity_.AppendValue<uint8_t>(0);
      if (valid) bit_util::SetBit(validity_.data(), length_);
    }
    ++length_;
  }
  // Appends `count` valid entries.
  void AppendValidRun(int64_t count);
  // Hands over the validity buffer (null when no value is null) and resets the counters.
  std::shared_ptr<const Buffer> FinishValidity();
  void MaterializeValidity();

  DataTypePtr type_;
  int64_t length_ = 0;
  int64_t null_count_ = 0;
  BufferBuilder validity_;  // Empty until the first null.
};

class BooleanBuilder final : public ArrayBuilder {
 public:
  BooleanBuilder() : ArrayBuilder(types::Boolean()) {}
  void Append(bool value) {
    if (bit_util::BytesForBits(length_ + 1) > bits_.size()) bits_.AppendValue<uint8_t>(0);
    if (value) bit_util::SetBit(bits_.data(), length_);
    AppendValidity(true);
  }
  void AppendNull() override {
    if (bit_util::BytesForBits(length_ + 1) > bits_.size()) bits_.AppendValue<uint8_t>(0);
    AppendValidity(false);
  }
  void AppendEmptyValue() override { Append(false); }
  void Reserve(int64_t additional) override {
    bits_.Reserve(bit_util::BytesForBits(additional) + 1);
  }
  int64_t EstimatedBytes() const override { return bits_.size() + validity_.size(); }
  Result<std::shared_ptr<const ArrayData>> FinishData() override;

 private:
  BufferBuilder bits_;
};

// Builds fixed-width arrays. T is the storage type: int8..int64, float, double, int32 for
// date32, int64 for timestamps, int128_t for decimals.
template <typename T>
class NumericBuilder final : public ArrayBuilder {
 public:
  explicit NumericBuilder(DataTypePtr type) : ArrayBuilder(std::move(type)) {}
  void Append(T value) {
    values_.AppendValue(value);
    AppendValidity(true);
  }
  void AppendNull() override {
    values_.AppendValue(T{});
    AppendValidity(false);
  }
  void AppendEmptyValue() override { Append(T{}); }
  // Appends `count` values, all valid.
  void AppendValues(const T* values, int64_t count) {
    values_.Append(values, count * static_cast<int64_t>(sizeof(T)));
    AppendValidRun(count);
  }
  void Reserve(int64_t additional) override {
    values_.Reserve(additional * static_cast<int64_t>(sizeof(T)));
  }
  int64_t EstimatedBytes() const override { return values_.size() + validity_.size(); }
  Result<std::shared_ptr<const ArrayData>> FinishData() override {
    auto data = std::make_shared<ArrayData>();
    data->type = type_;
    data->length = length_;
    data->null_count = null_count_;
    data->buffers = {FinishValidity(), values_.Finish()};
    return std::shared_ptr<const ArrayData>(std::move(data));
  }

 private:
  BufferBuilder values_;
};

using Int8Builder = NumericBuilder<int8_t>;
using Int16Builder = NumericBuilder<int16_t>;
using Int32Builder = NumericBuilder<int32_t>;
using Int64Builder = NumericBuilder<int64_t>;
using Float32Builder = NumericBuilder<float>;
using Float64Builder = NumericBuilder<double>;
using Date32Builder = NumericBuilder<int32_t>;
using TimestampBuilder = NumericBuilder<int64_t>;
using Decimal128Builder = NumericBuilder<int128_t>;

// Builds string and binary arrays.
class BinaryBuilder final : public ArrayBuilder {
 public:
  explicit BinaryBuilder(DataTypePtr type) : ArrayBuilder(std::move(type)) {
    offsets_.AppendValue<int32_t>(0);
  }
  void Append(std::string_view value) {
    bytes_.Append(value);
    offsets_.AppendValue(static_cast<int32_t>(bytes_.size()));
    AppendValidity(true);
  }
  void AppendNull() override {
    offsets_.AppendValue(static_cast<int32_t>(bytes_.size()));
    AppendValidity(false);
  }
  void AppendEmptyValue() override { Append(std::string_view()); }
  void Reserve(int64_t additional) override { offsets_.Reserve(additional * 4); }
  void ReserveBytes(int64_t additional) { bytes_.Reserve(additional); }
  int64_t EstimatedBytes() const override {
    return bytes_.size() + offsets_.size() + validity_.size();
  }
  int64_t value_bytes() const { return bytes_.size(); }
  Result<std::shared_ptr<const ArrayData>> FinishData() override;

 private:
  BufferBuilder offsets_;
  BufferBuilder bytes_;
};
using StringBuilder = BinaryBuilder;

class StructBuilder final : public ArrayBuilder {
 public:
  StructBuilder(DataTypePtr type, std::vector<std::unique_ptr<ArrayBuilder>> field_builders)
      : ArrayBuilder(std::move(type)), field_builders_(std::move(field_builders)) {}

  int num_fields() const { return static_cast<int>(field_builders_.size()); }
  ArrayBuilder* field_builder(int i) const { return field_builders_[static_cast<size_t>(i)].get(); }

  // Closes a non-null row. REQUIRES: every member builder has received this row's value.
  void Append() { AppendValidity(true); }
  // Appends a null row and a placeholder to every member.
  void AppendNull() override;
  void AppendEmptyValue() override;
  void Reserve(int64_t additional) override;
  int64_t EstimatedBytes() const override;
  Result<std::shared_ptr<const ArrayData>> FinishData() override;

 private:
  std::vector<std::unique_ptr<ArrayBuilder>> field_builders_;
};

// Builds list arrays, and (with a struct<key, value> value builder) map arrays.
class ListBuilder final : public ArrayBuilder {
 public:
  ListBuilder(DataTypePtr type, std::unique_ptr<ArrayBuilder> value_builder)
      : ArrayBuilder(std::move(type)), value_builder_(std::move(value_builder)) {
    offsets_.AppendValue<int32_t>(0);
  }
  ArrayBuilder* value_builder() const { return value_builder_.get(); }

  // Closes a non-null row holding the elements appended to value_builder() since the last row.
  void Append() {
    offsets_.AppendValue(static_cast<int32_t>(value_builder_->length()));
    AppendValidity(true);
  }
  void AppendNull() override {
    offsets_.AppendValue(static_cast<int32_t>(value_builder_->length()));
    AppendValidity(false);
  }
  void AppendEmptyValue() override { Append(); }
  void Reserve(int64_t additional) override { offsets_.Reserve(additional * 4); }
  int64_t EstimatedBytes() const override {
    return offsets_.size() + validity_.size() + value_builder_->EstimatedBytes();
  }
  Result<std::shared_ptr<const ArrayData>> FinishData() override;

 private:
  std::unique_ptr<ArrayBuilder> value_builder_;
  BufferBuilder offsets_;
};

// For a map builder (a ListBuilder over struct<key, value>): the key and value builders.
inline ArrayBuilder* MapKeyBuilder(const ListBuilder& map_builder) {
  return static_cast<StructBuilder*>(map_builder.value_builder())->field_builder(0);
}
inline ArrayBuilder* MapValueBuilder(const ListBuilder& map_builder) {
  return static_cast<StructBuilder*>(map_builder.value_builder())->field_builder(1);
}
// Closes one key/value entry of a map whose key and value have been appended.
inline void AppendMapEntry(const ListBuilder& map_builder) {
  static_cast<StructBuilder*>(map_builder.value_builder())->Append();
}

// Creates the builder for `type` (nested types recursively).
std::unique_ptr<ArrayBuilder> MakeBuilder(const DataTypePtr& type);

// Builds an all-null array of `type` and `length`.
Result<ArrayPtr> MakeNullArray(const DataTypePtr& type, int64_t length);

}  // namespace arcflow
