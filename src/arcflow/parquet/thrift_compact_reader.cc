#include "arcflow/parquet/thrift_compact_reader.h"

#include <cstring>
#include <limits>

namespace arcflow::parquet {
namespace {

constexpr int kMaxVarint32Bytes = 5;
constexpr int kMaxVarint64Bytes = 10;

bool IsValidWireType(uint8_t code) {
  return code >= static_cast<uint8_t>(ThriftWireType::kBoolTrue) &&
         code <= static_cast<uint8_t>(ThriftWireType::kUuid);
}

// The fewest bytes one value of `type` takes inside a container, used to reject sizes that
// cannot fit in what is left of the input.
int64_t MinElementBytes(ThriftWireType type) {
  switch (type) {
    case ThriftWireType::kDouble:
      return 8;
    case ThriftWireType::kUuid:
      return 16;
    default:
      return 1;
  }
}

int64_t ZigZagDecode(uint64_t value) {
  // Unsigned arithmetic keeps the bit manipulation well defined for every input.
  return static_cast<int64_t>((value >> 1) ^ (~(value & 1) + 1));
}

}  // namespace

std::string_view ThriftWireTypeName(ThriftWireType type) {
  switch (type) {
    case ThriftWireType::kStop:
      return "stop";
    case ThriftWireType::kBoolTrue:
    case ThriftWireType::kBoolFalse:
      return "bool";
    case ThriftWireType::kByte:
      return "byte";
    case ThriftWireType::kI16:
      return "i16";
    case ThriftWireType::kI32:
      return "i32";
    case ThriftWireType::kI64:
      return "i64";
    case ThriftWireType::kDouble:
      return "double";
    case ThriftWireType::kBinary:
      return "binary";
    case ThriftWireType::kList:
      return "list";
    case ThriftWireType::kSet:
      return "set";
    case ThriftWireType::kMap:
      return "map";
    case ThriftWireType::kStruct:
      return "struct";
    case ThriftWireType::kUuid:
      return "uuid";
  }
  return "unknown";
}

Status ThriftCompactReader::Corrupt(std::string_view what) const {
  return Status::Corruption("parquet: {} (offset={})", what, offset());
}

Status ThriftCompactReader::CheckRequired(bool isset, std::string_view struct_name,
                                          std::string_view field_name) const {
  if (isset) return Status::OK();
  return Status::Corruption("parquet: thrift struct {} lacks required field '{}' (offset={})",
                            struct_name, field_name, offset());
}

Status ThriftCompactReader::ChargeMemory(int64_t bytes) {
  memory_used_ += bytes;
  if (memory_used_ > memory_budget_) {
    return Corrupt(
        fmt::format("thrift message decodes into more than {} bytes of lists, over {} "
                    "times its {} bytes",
                    memory_budget_, kMaxExpansion, bytes_.size()));
  }
  return Status::OK();
}

Status ThriftCompactReader::EnterNesting() {
  if (depth_ >= kMaxNestingDepth) {
    return Corrupt(fmt::format("thrift values nest deeper than {} levels", kMaxNestingDepth));
  }
  ++depth_;
  return Status::OK();
}

Status ThriftCompactReader::BeginStruct() {
  ARCFLOW_RETURN_NOT_OK(EnterNesting());
  field_id_stack_.push_back(last_field_id_);
  last_field_id_ = 0;
  return Status::OK();
}

Status ThriftCompactReader::EndStruct() {
  if (field_id_stack_.empty()) return Status::Internal("parquet: EndStruct without BeginStruct");
  last_field_id_ = field_id_stack_.back();
  field_id_stack_.pop_back();
  --depth_;
  return Status::OK();
}

Result<uint64_t> ThriftCompactReader::ReadVarint(int max_bytes) {
  uint64_t value = 0;
  for (int i = 0; i < max_bytes; ++i) {
    if (position_ >= bytes_.size()) return Corrupt("thrift varint runs past the end of the input");
    uint8_t byte = bytes_[position_++];
    value |= static_cast<uint64_t>(byte & 0x7F) << (7 * i);
    if ((byte & 0x80) == 0) return value;
  }
  return Corrupt(fmt::format("thrift varint is longer than {} bytes", max_bytes));
}

Result<int8_t> ThriftCompactReader::ReadByte() {
  if (position_ >= bytes_.size()) return Corrupt("thrift byte runs past the end of the input");
  return static_cast<int8_t>(bytes_[position_++]);
}

Result<int16_t> ThriftCompactReader::ReadI16() {
  ARCFLOW_ASSIGN_OR_RETURN(uint64_t raw, ReadVarint(kMaxVarint32Bytes));
  int64_t value = ZigZagDecode(raw);
  if (value < std::numeric_limits<int16_t>::min() || value > std::numeric_limits<int16_t>::max()) {
    return Corrupt(fmt::format("thrift i16 value {} is out of range", value));
  }
  return static_cast<int16_t>(value);
}

Result<int32_t> ThriftCompactReader::ReadI32() {
  ARCFLOW_ASSIGN_OR_RETURN(uint64_t raw, ReadVarint(kMaxVarint32Bytes));
  int64_t value = ZigZagDecode(raw);
  if (value < std::numeric_limits<int32_t>::min() || value > std::numeric_limits<int32_t>::max()) {
    return Corrupt(fmt::format("thrift i32 value {} is out of range", value));
  }
  return static_cast<int32_t>(value);
}

Result<int64_t> ThriftCompactReader::ReadI64() {
  ARCFLOW_ASSIGN_OR_RETURN(uint64_t raw, ReadVarint(kMaxVarint64Bytes));
  return ZigZagDecode(raw);
}

Result<double> ThriftCompactReader::ReadDouble() {
  if (remaining() < 8) return Corrupt("thrift double runs past the end of the input");
  uint64_t bits = 0;
  for (int i = 0; i < 8; ++i) bits |= static_cast<uint64_t>(bytes_[position_ + i]) << (8 * i);
  position_ += 8;
  double value;
  std::memcpy(&value, &bits, sizeof(value));
  return value;
}

Result<std::string_view> ThriftCompactReader::ReadBinary() {
  ARCFLOW_ASSIGN_OR_RETURN(uint64_t length, ReadVarint(kMaxVarint32Bytes));
  if (length > static_cast<uint64_t>(remaining())) {
    return Corrupt(
        fmt::format("thrift binary of {} bytes runs past the end of the input "
                    "({} bytes left)",
                    length, remaining()));
  }
  std::string_view value(reinterpret_cast<const char*>(bytes_.data() + position_),
                         static_cast<size_t>(length));
  position_ += static_cast<size_t>(length);
  return value;
}

Result<bool> ThriftCompactReader::ReadBoolElement() {
  ARCFLOW_ASSIGN_OR_RETURN(int8_t byte, ReadByte());
  return byte == static_cast<int8_t>(ThriftWireType::kBoolTrue);
}

Result<ThriftCompactReader::FieldHeader> ThriftCompactReader::ReadFieldHeader() {
  if (position_ >= bytes_.size()) {
    return Corrupt("thrift struct runs past the end of the input (no STOP field)");
  }
  uint8_t byte = bytes_[position_++];
  uint8_t type_code = byte & 0x0F;
  if (type_code == static_cast<uint8_t>(ThriftWireType::kStop)) return FieldHeader{};
  if (!IsValidWireType(type_code)) {
    return Corrupt(fmt::format("thrift field has invalid type code {}", type_code));
  }
  int32_t delta = byte >> 4;
  int32_t id;
  if (delta != 0) {
    id = int32_t{last_field_id_} + delta;
    if (id > std::numeric_limits<int16_t>::max()) {
      return Corrupt(fmt::format("thrift field id {} is out of range", id));
    }
  } else {
    ARCFLOW_ASSIGN_OR_RETURN(id, ReadI16());
  }
  last_field_id_ = static_cast<int16_t>(id);
  return FieldHeader{static_cast<int16_t>(id), static_cast<ThriftWireType>(type_code)};
}

Status ThriftCompactReader::ReadContainerSize(uint64_t raw_size, ThriftWireType first,
                                              ThriftWireType second, int64_t entry_bytes,
                                              int32_t* size) {
  if (raw_size > static_cast<uint64_t>(std::numeric_limits<int32_t>::max())) {
    return Corrupt(fmt::format("thrift container size {} is out of range", raw_size));
  }
  // Every entry takes at least `entry_bytes`, so a size the remaining input cannot hold is
  // corrupt; checking here keeps allocations bounded by the input.
  if (static_cast<int64_t>(raw_size) > remaining() / entry_bytes) {
    return Corrupt(fmt::format(
        "thrift container of {} {}{}{} entries runs past the end of the "
        "input ({} bytes left)",
        raw_size, ThriftWireTypeName(first), second == ThriftWireType::kStop ? "" : "->",
        second == ThriftWireType::kStop ? "" : ThriftWireTypeName(second), remaining()));
  }
  *size = static_cast<int32_t>(raw_size);
  return Status::OK();
}

Result<ThriftCompactReader::ListHeader> ThriftCompactReader::ReadListHeader() {
  if (position_ >= bytes_.size()) {
    return Corrupt("thrift list header runs past the end of the input");
  }
  uint8_t byte = bytes_[position_++];
  uint8_t type_code = byte & 0x0F;
  uint64_t raw_size = byte >> 4;
  if (raw_size == 15) {
    ARCFLOW_ASSIGN_OR_RETURN(raw_size, ReadVarint(kMaxVarint32Bytes));
  }
  ListHeader header;
  header.element_type = static_cast<ThriftWireType>(type_code);
  if (raw_size == 0) return header;  // The element type of an empty list is never used.
  if (!IsValidWireType(type_code)) {
    return Corrupt(fmt::format("thrift list has invalid element type code {}", type_code));
  }
  ARCFLOW_RETURN_NOT_OK(ReadContainerSize(raw_size, header.element_type, ThriftWireType::kStop,
                                          MinElementBytes(header.element_type), &header.size));
  return header;
}

Result<ThriftCompactReader::MapHeader> ThriftCompactReader::ReadMapHeader() {
  ARCFLOW_ASSIGN_OR_RETURN(uint64_t raw_size, ReadVarint(kMaxVarint32Bytes));
  MapHeader header;
  if (raw_size == 0) return header;
  if (position_ >= bytes_.size()) {
    return Corrupt("thrift map header runs past the end of the input");
  }
  uint8_t types = bytes_[position_++];
  uint8_t key_code = types >> 4;
  uint8_t value_code = types & 0x0F;
  if (!IsValidWireType(key_code) || !IsValidWireType(value_code)) {
    return Corrupt(
        fmt::format("thrift map has invalid key/value type codes {}/{}", key_code, value_code));
  }
  header.key_type = static_cast<ThriftWireType>(key_code);
  header.value_type = static_cast<ThriftWireType>(value_code);
  ARCFLOW_RETURN_NOT_OK(ReadContainerSize(
      raw_size, header.key_type, header.value_type,
      MinElementBytes(header.key_type) + MinElementBytes(header.value_type), &header.size));
  return header;
}

Status ThriftCompactReader::Skip(ThriftWireType field_type) {
  return SkipValue(field_type, /*in_container=*/false);
}

Status ThriftCompactReader::SkipValue(ThriftWireType type, bool in_container) {
  switch (type) {
    case ThriftWireType::kBoolTrue:
    case ThriftWireType::kBoolFalse:
      // A bool field lives in its header; a bool element is one byte.
      if (in_container) return ReadByte().status();
      return Status::OK();
    case ThriftWireType::kByte:
      return ReadByte().status();
    case ThriftWireType::kI16:
    case ThriftWireType::kI32:
      return ReadVarint(kMaxVarint32Bytes).status();
    case ThriftWireType::kI64:
      return ReadVarint(kMaxVarint64Bytes).status();
    case ThriftWireType::kDouble:
      return ReadDouble().status();
    case ThriftWireType::kBinary:
      return ReadBinary().status();
    case ThriftWireType::kUuid:
      if (remaining() < 16) return Corrupt("thrift uuid runs past the end of the input");
      position_ += 16;
      return Status::OK();
    case ThriftWireType::kList:
    case ThriftWireType::kSet: {
      ARCFLOW_ASSIGN_OR_RETURN(ListHeader header, ReadListHeader());
      ARCFLOW_RETURN_NOT_OK(EnterNesting());
      for (int32_t i = 0; i < header.size; ++i) {
        ARCFLOW_RETURN_NOT_OK(SkipValue(header.element_type, /*in_container=*/true));
      }
      --depth_;
      return Status::OK();
    }
    case ThriftWireType::kMap: {
      ARCFLOW_ASSIGN_OR_RETURN(MapHeader header, ReadMapHeader());
      ARCFLOW_RETURN_NOT_OK(EnterNesting());
      for (int32_t i = 0; i < header.size; ++i) {
        ARCFLOW_RETURN_NOT_OK(SkipValue(header.key_type, /*in_container=*/true));
        ARCFLOW_RETURN_NOT_OK(SkipValue(header.value_type, /*in_container=*/true));
      }
      --depth_;
      return Status::OK();
    }
    case ThriftWireType::kStruct:
      return ReadStruct([this](const FieldHeader& field) { return Skip(field.type); });
    case ThriftWireType::kStop:
      break;
  }
  return Corrupt(fmt::format("cannot skip a thrift value of type code {}", static_cast<int>(type)));
}

}  // namespace arcflow::parquet
