#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "arcflow/base/buffer.h"
#include "arcflow/base/result.h"
#include "arcflow/columnar/array_data.h"
#include "arcflow/columnar/data_type.h"

namespace arcflow::json {

// A column builder whose last rows can be taken back. The JSON reader appends a record's values
// while it parses them; when the record turns out to be corrupt halfway, Truncate() drops what
// the record appended, so a bad record never leaves part of a row behind and the good records
// around it never need copying. Builds the layout described in array_data.h. A builder for a
// nested type owns one child builder per child field (a map owns the builder of its
// struct<key, value> entries). Not thread-safe; movable only as a unique_ptr.
class RollbackBuilder {
 public:
  explicit RollbackBuilder(DataTypePtr type);
  RollbackBuilder(const RollbackBuilder&) = delete;
  RollbackBuilder& operator=(const RollbackBuilder&) = delete;

  const DataTypePtr& type() const { return type_; }
  TypeId type_id() const { return id_; }
  int64_t length() const { return length_; }
  int64_t null_count() const { return null_count_; }
  int num_children() const { return static_cast<int>(children_.size()); }
  RollbackBuilder* child(int i) const { return children_[static_cast<size_t>(i)].get(); }

  // Appends a fixed-width value: an integer, float, date32 (int32 days), timestamp (int64 µs) or
  // decimal (int128 unscaled). REQUIRES: T matches the type's storage.
  template <typename T>
  void AppendValue(T value) {
    values_.AppendValue(value);
    AppendValidBit();
  }
  void AppendBoolean(bool value);
  // Appends a string or binary value.
  void AppendBytes(std::string_view bytes) {
    values_.Append(bytes);
    offsets_.AppendValue(static_cast<int32_t>(values_.size()));
    AppendValidBit();
  }
  // Closes a valid struct row. REQUIRES: every child has received this row's value.
  void CloseStruct() { AppendValidBit(); }
  // Closes a valid list or map row that holds the child entries appended since the last row.
  void CloseList() {
    offsets_.AppendValue(static_cast<int32_t>(children_[0]->length()));
    AppendValidBit();
  }
  // Appends a null. A struct gives each child a null too, a list or map an empty range, so that
  // the layout stays consistent.
  void AppendNull();

  // Drops rows from the end so that `new_length` remain, together with everything those rows
  // hold in the children. REQUIRES: new_length <= length().
  void Truncate(int64_t new_length);

  // For map keys: the bytes that identify entry `i` (the value bytes of a fixed-width entry,
  // the text of a string or binary one, "0" or "1" for a boolean). Valid until the next append.
  // REQUIRES: a primitive type and i < length().
  std::string_view EntryBytes(int64_t i) const;

  // Bytes held by this builder and its children, for batch-size limits.
  int64_t EstimatedBytes() const;

  // Hands over the array built so far and leaves the builder empty. Fails with Invalid when one
  // batch holds more string bytes or list elements than int32 offsets can address.
  Result<std::shared_ptr<const ArrayData>> Finish();

 private:
  void AppendValidBit() {
    if (has_validity_) {
      if ((length_ & 7) == 0) validity_.AppendValue<uint8_t>(0);
      validity_.data()[length_ >> 3] |= static_cast<uint8_t>(1u << (length_ & 7));
    }
    ++length_;
  }
  void AppendNullBit();
  void ResetOffsets();

  DataTypePtr type_;
  TypeId id_;
  int byte_width_;  // Of fixed-width values; 0 otherwise.
  int64_t length_ = 0;
  int64_t null_count_ = 0;
  // The bitmap exists from the first null on; before that every row is valid.
  bool has_validity_ = false;
  BufferBuilder validity_;
  BufferBuilder values_;   // Fixed-width values, boolean bits, or string bytes.
  BufferBuilder offsets_;  // int32 offsets of strings, binaries, lists and maps.
  std::vector<std::unique_ptr<RollbackBuilder>> children_;
};

}  // namespace arcflow::json
