#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "arcflow/base/buffer.h"
#include "arcflow/parquet/thrift_compact_reader.h"

namespace arcflow::parquet {

// Appends values in the Thrift compact protocol to a BufferBuilder, which must outlive the
// writer. The mirror image of ThriftCompactReader: a struct is BeginStruct, fields in
// increasing id order, then EndStruct (which writes the STOP byte).
//
// The values come from arcflow itself, not from input, so sizes beyond what the protocol can
// express (a list or binary over 2^31-1 elements or bytes) are programmer errors and abort.
//
// Not thread-safe.
class ThriftCompactWriter {
 public:
  explicit ThriftCompactWriter(BufferBuilder* out) : out_(out) {}

  void BeginStruct();
  void EndStruct();

  // Writes a field header; the value must follow. Bool fields use WriteBoolField instead.
  void WriteFieldHeader(int16_t id, ThriftWireType type);
  void WriteBoolField(int16_t id, bool value);

  void WriteByte(int8_t value);
  void WriteI16(int16_t value);
  void WriteI32(int32_t value);
  void WriteI64(int64_t value);
  void WriteDouble(double value);
  void WriteBinary(std::string_view value);
  void WriteBoolElement(bool value);
  void WriteListHeader(ThriftWireType element_type, int64_t size);
  void WriteMapHeader(ThriftWireType key_type, ThriftWireType value_type, int64_t size);

  // Writes field `id` holding `value`. T is any type ThriftCompactReader::ReadField accepts;
  // a struct needs a `void Encode(const T&, ThriftCompactWriter&)` overload found by
  // argument-dependent lookup. An empty optional writes nothing.
  template <typename T>
  void WriteField(int16_t id, const T& value);
  template <typename T>
  void WriteField(int16_t id, const std::optional<T>& value) {
    if (value.has_value()) WriteField(id, *value);
  }

  // Writes one value of T as a container element (or the payload of a non-bool field).
  template <typename T>
  void WriteElement(const T& value);

 private:
  void WriteVarint(uint64_t value);

  BufferBuilder* out_;
  int16_t last_field_id_ = 0;
  // Field ids of the enclosing structs, restored when each nested struct ends.
  std::vector<int16_t> field_id_stack_;
};

template <typename T>
void ThriftCompactWriter::WriteField(int16_t id, const T& value) {
  if constexpr (std::is_same_v<T, bool>) {
    WriteBoolField(id, value);
  } else {
    WriteFieldHeader(id, ThriftWireTypeOf<T>());
    WriteElement(value);
  }
}

template <typename T>
void ThriftCompactWriter::WriteElement(const T& value) {
  if constexpr (std::is_same_v<T, bool>) {
    WriteBoolElement(value);
  } else if constexpr (std::is_same_v<T, int8_t>) {
    WriteByte(value);
  } else if constexpr (std::is_same_v<T, int16_t>) {
    WriteI16(value);
  } else if constexpr (std::is_same_v<T, int32_t>) {
    WriteI32(value);
  } else if constexpr (std::is_same_v<T, int64_t>) {
    WriteI64(value);
  } else if constexpr (std::is_same_v<T, double>) {
    WriteDouble(value);
  } else if constexpr (std::is_same_v<T, std::string>) {
    WriteBinary(value);
  } else if constexpr (std::is_enum_v<T>) {
    WriteI32(static_cast<int32_t>(value));
  } else if constexpr (internal::IsVector<T>::value) {
    using Element = typename T::value_type;
    WriteListHeader(ThriftWireTypeOf<Element>(), static_cast<int64_t>(value.size()));
    for (const auto& element : value) WriteElement(static_cast<const Element&>(element));
  } else {
    Encode(value, *this);
  }
}

// Appends the compact encoding of `value` (a struct with an Encode overload) to `out`.
template <typename T>
void EncodeThriftMessage(const T& value, BufferBuilder* out) {
  ThriftCompactWriter writer(out);
  writer.WriteElement(value);
}

}  // namespace arcflow::parquet
