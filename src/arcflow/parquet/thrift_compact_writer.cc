#include "arcflow/parquet/thrift_compact_writer.h"

#include <cstring>
#include <limits>

#include "arcflow/base/logging.h"

namespace arcflow::parquet {
namespace {

uint64_t ZigZagEncode(int64_t value) {
  // Unsigned arithmetic keeps the shift well defined for negative values.
  uint64_t bits = static_cast<uint64_t>(value);
  return (bits << 1) ^ (value < 0 ? ~uint64_t{0} : uint64_t{0});
}

}  // namespace

void ThriftCompactWriter::BeginStruct() {
  field_id_stack_.push_back(last_field_id_);
  last_field_id_ = 0;
}

void ThriftCompactWriter::EndStruct() {
  ARCFLOW_CHECK(!field_id_stack_.empty(), "EndStruct without BeginStruct");
  WriteByte(static_cast<int8_t>(ThriftWireType::kStop));
  last_field_id_ = field_id_stack_.back();
  field_id_stack_.pop_back();
}

void ThriftCompactWriter::WriteFieldHeader(int16_t id, ThriftWireType type) {
  int32_t delta = int32_t{id} - int32_t{last_field_id_};
  auto code = static_cast<uint8_t>(type);
  if (delta > 0 && delta <= 15) {
    // The short form packs the id delta into the high nibble.
    uint8_t byte = static_cast<uint8_t>((delta << 4) | code);
    out_->AppendValue(byte);
  } else {
    out_->AppendValue(code);
    WriteI16(id);
  }
  last_field_id_ = id;
}

void ThriftCompactWriter::WriteBoolField(int16_t id, bool value) {
  WriteFieldHeader(id, value ? ThriftWireType::kBoolTrue : ThriftWireType::kBoolFalse);
}

void ThriftCompactWriter::WriteVarint(uint64_t value) {
  uint8_t bytes[10];
  int length = 0;
  while (value >= 0x80) {
    bytes[length++] = static_cast<uint8_t>(value | 0x80);
    value >>= 7;
  }
  bytes[length++] = static_cast<uint8_t>(value);
  out_->Append(bytes, length);
}

void ThriftCompactWriter::WriteByte(int8_t value) { out_->AppendValue(value); }

void ThriftCompactWriter::WriteI16(int16_t value) { WriteVarint(ZigZagEncode(value)); }

void ThriftCompactWriter::WriteI32(int32_t value) { WriteVarint(ZigZagEncode(value)); }

void ThriftCompactWriter::WriteI64(int64_t value) { WriteVarint(ZigZagEncode(value)); }

void ThriftCompactWriter::WriteDouble(double value) {
  uint64_t bits;
  std::memcpy(&bits, &value, sizeof(bits));
  uint8_t bytes[8];
  for (int i = 0; i < 8; ++i) bytes[i] = static_cast<uint8_t>(bits >> (8 * i));
  out_->Append(bytes, 8);
}

void ThriftCompactWriter::WriteBinary(std::string_view value) {
  ARCFLOW_CHECK(value.size() <= static_cast<size_t>(std::numeric_limits<int32_t>::max()),
                "thrift binary longer than 2^31-1 bytes");
  WriteVarint(value.size());
  out_->Append(value);
}

void ThriftCompactWriter::WriteBoolElement(bool value) {
  WriteByte(static_cast<int8_t>(value ? ThriftWireType::kBoolTrue : ThriftWireType::kBoolFalse));
}

void ThriftCompactWriter::WriteListHeader(ThriftWireType element_type, int64_t size) {
  ARCFLOW_CHECK(size >= 0 && size <= std::numeric_limits<int32_t>::max(),
                "thrift list size out of range");
  auto code = static_cast<uint8_t>(element_type);
  if (size < 15) {
    uint8_t byte = static_cast<uint8_t>((size << 4) | code);
    out_->AppendValue(byte);
  } else {
    uint8_t byte = static_cast<uint8_t>(0xF0 | code);
    out_->AppendValue(byte);
    WriteVarint(static_cast<uint64_t>(size));
  }
}

void ThriftCompactWriter::WriteMapHeader(ThriftWireType key_type, ThriftWireType value_type,
                                         int64_t size) {
  ARCFLOW_CHECK(size >= 0 && size <= std::numeric_limits<int32_t>::max(),
                "thrift map size out of range");
  WriteVarint(static_cast<uint64_t>(size));
  if (size == 0) return;
  uint8_t types = static_cast<uint8_t>((static_cast<uint8_t>(key_type) << 4) |
                                       static_cast<uint8_t>(value_type));
  out_->AppendValue(types);
}

}  // namespace arcflow::parquet
