#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "arcflow/base/result.h"
#include "arcflow/base/status.h"

namespace arcflow::parquet {

// The type codes of the Thrift compact protocol, as they appear in field headers and list,
// set and map headers. A bool field carries its value in the type code (kBoolTrue or
// kBoolFalse) and has no payload; a bool inside a container is one byte.
enum class ThriftWireType : uint8_t {
  kStop = 0,
  kBoolTrue = 1,
  kBoolFalse = 2,
  kByte = 3,
  kI16 = 4,
  kI32 = 5,
  kI64 = 6,
  kDouble = 7,
  kBinary = 8,
  kList = 9,
  kSet = 10,
  kMap = 11,
  kStruct = 12,
  kUuid = 13,
};

std::string_view ThriftWireTypeName(ThriftWireType type);

// Reads values written with the Thrift compact protocol from a byte span, checking every read
// against the end of the span. The span is not copied: it must outlive the reader and every
// string_view the reader returns.
//
// The reader is built for hostile input. Every failure is a Corruption status naming what was
// wrong and the byte offset (relative to `base_offset`, so callers can report file offsets).
// Struct and container nesting is limited to kMaxNestingDepth, and a list, set, map or binary
// whose declared size cannot fit in the remaining bytes is rejected before anything is
// allocated for it, so memory use stays proportional to the input size.
//
// Decoded lists are also charged against a memory budget proportional to the input: a C++
// struct can be hundreds of times larger than its smallest encoding (a ColumnChunk of three
// bytes decodes into almost a kilobyte), so bounding element counts alone would let a small
// hostile message demand gigabytes.
//
// Decoding a struct goes through ReadStruct, which calls back for each field; the callback
// either reads the field (ReadField) or skips it (Skip), which is how unknown fields from newer
// writers are passed over.
//
// Not thread-safe; one reader per message.
class ThriftCompactReader {
 public:
  // Structs, lists, sets and maps may nest this deep. parquet.thrift nests about six levels; the
  // margin is for fields added later, while keeping the recursion of Skip shallow.
  static constexpr int kMaxNestingDepth = 64;
  // Decoded list elements may take this many bytes of memory per input byte, or
  // kMinMemoryBudget bytes, whichever is more. The footers of real files seen so far stay
  // below 20 times their size.
  static constexpr int64_t kMaxExpansion = 64;
  static constexpr int64_t kMinMemoryBudget = int64_t{16} << 20;

  struct FieldHeader {
    int16_t id = 0;
    ThriftWireType type = ThriftWireType::kStop;
  };

  struct ListHeader {
    ThriftWireType element_type = ThriftWireType::kStop;
    int32_t size = 0;
  };

  struct MapHeader {
    ThriftWireType key_type = ThriftWireType::kStop;
    ThriftWireType value_type = ThriftWireType::kStop;
    int32_t size = 0;
  };

  // `base_offset` is added to positions in error messages, e.g. the file offset of bytes[0].
  explicit ThriftCompactReader(std::span<const uint8_t> bytes, int64_t base_offset = 0)
      : bytes_(bytes),
        base_offset_(base_offset),
        memory_budget_(
            std::max(kMinMemoryBudget, kMaxExpansion * static_cast<int64_t>(bytes.size()))) {}

  // Bytes consumed so far, relative to the start of the span.
  int64_t position() const { return static_cast<int64_t>(position_); }
  int64_t remaining() const { return static_cast<int64_t>(bytes_.size() - position_); }
  // Bytes of list elements decoded so far, as charged against the memory budget.
  int64_t memory_used() const { return memory_used_; }

  // Enters a struct: field ids restart and the nesting depth grows.
  Status BeginStruct();
  // Leaves the struct entered by the matching BeginStruct. REQUIRES: the STOP field was read.
  Status EndStruct();

  // Reads the next field header of the current struct. A header of type kStop ends the struct.
  Result<FieldHeader> ReadFieldHeader();

  // Reads a whole struct: BeginStruct, then `on_field(const FieldHeader&) -> Status` for every
  // field until STOP, then EndStruct. The callback must consume the field's value, by ReadField
  // or Skip.
  template <typename OnField>
  Status ReadStruct(OnField&& on_field) {
    ARCFLOW_RETURN_NOT_OK(BeginStruct());
    while (true) {
      ARCFLOW_ASSIGN_OR_RETURN(FieldHeader field, ReadFieldHeader());
      if (field.type == ThriftWireType::kStop) break;
      ARCFLOW_RETURN_NOT_OK(on_field(field));
    }
    return EndStruct();
  }

  // Primitive values. Integers are zigzag varints except bytes; doubles are 8 little-endian
  // bytes; binary is a varint length and the bytes.
  Result<int8_t> ReadByte();
  Result<int16_t> ReadI16();
  Result<int32_t> ReadI32();
  Result<int64_t> ReadI64();
  Result<double> ReadDouble();
  // Returns a view into the input span.
  Result<std::string_view> ReadBinary();
  // Reads a bool stored as a container element (one byte; 1 is true).
  Result<bool> ReadBoolElement();

  // Container headers. The size is checked against the remaining bytes using the smallest
  // encoding of one element, so a hostile size fails here rather than in an allocation.
  Result<ListHeader> ReadListHeader();
  Result<MapHeader> ReadMapHeader();

  // Skips the value of a field whose header had type `field_type`, including whole structs
  // and containers. Bool fields have no payload.
  Status Skip(ThriftWireType field_type);

  // Reads the value of `field` into `*out` and sets `*isset` (when given) if the field's wire
  // type is the one T is written with. A field of another wire type is skipped and `*out` left
  // alone, as generated Thrift code does; a missing required field is caught by the caller.
  //
  // T may be bool, int8_t, int16_t, int32_t, int64_t, double, std::string, an enum with a
  // 32-bit underlying type (stored as i32; values outside the enumerators are kept as they are),
  // std::vector<U> of those, std::optional<U>, or a struct with a
  // `Status Decode(ThriftCompactReader&, T*)` overload found by argument-dependent lookup.
  template <typename T>
  Status ReadField(const FieldHeader& field, T* out, bool* isset = nullptr);

  // Reads one value of T as a container element (a bool is one byte).
  template <typename T>
  Status ReadElement(T* out);

  // Returns Corruption saying that `struct_name` lacks required field `field_name`, unless
  // `isset` is true.
  Status CheckRequired(bool isset, std::string_view struct_name, std::string_view field_name) const;

  // Returns a Corruption status whose message ends with the current offset.
  Status Corrupt(std::string_view what) const;

 private:
  Status SkipValue(ThriftWireType type, bool in_container);
  // Accounts for `bytes` more of decoded memory; fails once the budget is spent.
  Status ChargeMemory(int64_t bytes);
  Status EnterNesting();
  Result<uint64_t> ReadVarint(int max_bytes);
  Status ReadContainerSize(uint64_t raw_size, ThriftWireType first, ThriftWireType second,
                           int64_t entry_bytes, int32_t* size);
  int64_t offset() const { return base_offset_ + position(); }

  std::span<const uint8_t> bytes_;
  int64_t base_offset_;
  int64_t memory_budget_;
  int64_t memory_used_ = 0;
  size_t position_ = 0;
  int depth_ = 0;
  int16_t last_field_id_ = 0;
  // Field ids of the enclosing structs, restored when each nested struct ends.
  std::vector<int16_t> field_id_stack_;
};

namespace internal {

template <typename T>
struct IsVector : std::false_type {};
template <typename U>
struct IsVector<std::vector<U>> : std::true_type {};

template <typename T>
struct IsOptional : std::false_type {};
template <typename U>
struct IsOptional<std::optional<U>> : std::true_type {};

}  // namespace internal

// The wire type a value of T is written as.
template <typename T>
constexpr ThriftWireType ThriftWireTypeOf() {
  if constexpr (std::is_same_v<T, bool>) {
    return ThriftWireType::kBoolTrue;
  } else if constexpr (std::is_same_v<T, int8_t>) {
    return ThriftWireType::kByte;
  } else if constexpr (std::is_same_v<T, int16_t>) {
    return ThriftWireType::kI16;
  } else if constexpr (std::is_same_v<T, int32_t>) {
    return ThriftWireType::kI32;
  } else if constexpr (std::is_same_v<T, int64_t>) {
    return ThriftWireType::kI64;
  } else if constexpr (std::is_same_v<T, double>) {
    return ThriftWireType::kDouble;
  } else if constexpr (std::is_same_v<T, std::string>) {
    return ThriftWireType::kBinary;
  } else if constexpr (std::is_enum_v<T>) {
    static_assert(sizeof(std::underlying_type_t<T>) == 4, "Thrift enums are i32");
    return ThriftWireType::kI32;
  } else if constexpr (internal::IsVector<T>::value) {
    return ThriftWireType::kList;
  } else {
    static_assert(std::is_class_v<T>, "unsupported Thrift value type");
    return ThriftWireType::kStruct;
  }
}

// Whether a header or element type `wire` can hold a value of T. Both bool codes are accepted
// for bools, since writers disagree on which one a list of bools declares.
template <typename T>
constexpr bool ThriftWireTypeMatches(ThriftWireType wire) {
  if constexpr (std::is_same_v<T, bool>) {
    return wire == ThriftWireType::kBoolTrue || wire == ThriftWireType::kBoolFalse;
  } else {
    return wire == ThriftWireTypeOf<T>();
  }
}

template <typename T>
Status ThriftCompactReader::ReadElement(T* out) {
  if constexpr (std::is_same_v<T, bool>) {
    ARCFLOW_ASSIGN_OR_RETURN(*out, ReadBoolElement());
  } else if constexpr (std::is_same_v<T, int8_t>) {
    ARCFLOW_ASSIGN_OR_RETURN(*out, ReadByte());
  } else if constexpr (std::is_same_v<T, int16_t>) {
    ARCFLOW_ASSIGN_OR_RETURN(*out, ReadI16());
  } else if constexpr (std::is_same_v<T, int32_t>) {
    ARCFLOW_ASSIGN_OR_RETURN(*out, ReadI32());
  } else if constexpr (std::is_same_v<T, int64_t>) {
    ARCFLOW_ASSIGN_OR_RETURN(*out, ReadI64());
  } else if constexpr (std::is_same_v<T, double>) {
    ARCFLOW_ASSIGN_OR_RETURN(*out, ReadDouble());
  } else if constexpr (std::is_same_v<T, std::string>) {
    ARCFLOW_ASSIGN_OR_RETURN(std::string_view bytes, ReadBinary());
    out->assign(bytes);
  } else if constexpr (std::is_enum_v<T>) {
    // Enums have a fixed 32-bit underlying type, so any i32 is a valid value of T; callers
    // decide what an unknown value means.
    ARCFLOW_ASSIGN_OR_RETURN(int32_t raw, ReadI32());
    *out = static_cast<T>(raw);
  } else if constexpr (internal::IsVector<T>::value) {
    using Element = typename T::value_type;
    ARCFLOW_ASSIGN_OR_RETURN(ListHeader header, ReadListHeader());
    if (header.size > 0 && !ThriftWireTypeMatches<Element>(header.element_type)) {
      return Corrupt(fmt::format("thrift list holds {} elements where {} was expected",
                                 ThriftWireTypeName(header.element_type),
                                 ThriftWireTypeName(ThriftWireTypeOf<Element>())));
    }
    // ReadListHeader bounded the count by the input size, which keeps this product small.
    ARCFLOW_RETURN_NOT_OK(ChargeMemory(int64_t{header.size} * int64_t{sizeof(Element)}));
    out->clear();
    out->reserve(static_cast<size_t>(header.size));
    for (int32_t i = 0; i < header.size; ++i) {
      Element element{};
      ARCFLOW_RETURN_NOT_OK(ReadElement(&element));
      out->push_back(std::move(element));
    }
  } else {
    ARCFLOW_RETURN_NOT_OK(Decode(*this, out));
  }
  return Status::OK();
}

template <typename T>
Status ThriftCompactReader::ReadField(const FieldHeader& field, T* out, bool* isset) {
  if constexpr (internal::IsOptional<T>::value) {
    using Value = typename T::value_type;
    if (!ThriftWireTypeMatches<Value>(field.type)) return Skip(field.type);
    Value value{};
    ARCFLOW_RETURN_NOT_OK(ReadField(field, &value));
    *out = std::move(value);
  } else {
    if (!ThriftWireTypeMatches<T>(field.type)) return Skip(field.type);
    if constexpr (std::is_same_v<T, bool>) {
      *out = field.type == ThriftWireType::kBoolTrue;
    } else {
      ARCFLOW_RETURN_NOT_OK(ReadElement(out));
    }
  }
  if (isset != nullptr) *isset = true;
  return Status::OK();
}

// Decodes one T (a struct with a Decode overload) from the start of `bytes`. Stores the number
// of bytes the message took in `*consumed` when given; bytes after the message are left alone,
// since page headers are followed by page data and footers may be followed by a signature.
template <typename T>
Result<T> DecodeThriftMessage(std::span<const uint8_t> bytes, int64_t base_offset = 0,
                              int64_t* consumed = nullptr) {
  ThriftCompactReader reader(bytes, base_offset);
  T value{};
  ARCFLOW_RETURN_NOT_OK(reader.ReadElement(&value));
  if (consumed != nullptr) *consumed = reader.position();
  return value;
}

}  // namespace arcflow::parquet
