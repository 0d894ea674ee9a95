#include "arcflow/columnar/array_data.h"

#include "arcflow/base/bit_util.h"

namespace arcflow {

std::shared_ptr<ArrayData> ArrayData::Slice(int64_t slice_offset, int64_t slice_length) const {
  ARCFLOW_DCHECK(slice_offset >= 0 && slice_length >= 0 && slice_offset + slice_length <= length);
  auto sliced = std::make_shared<ArrayData>(*this);
  sliced->offset = offset + slice_offset;
  sliced->length = slice_length;
  if (null_count == 0) {
    sliced->null_count = 0;
  } else if (const uint8_t* bits = validity_bits()) {
    sliced->null_count = slice_length - bit_util::CountSetBits(bits, sliced->offset, slice_length);
  }
  return sliced;
}

namespace {

Status CheckBufferSize(const ArrayData& data, size_t index, int64_t required_bytes,
                       const char* what) {
  if (data.buffers.size() <= index || !data.buffers[index]) {
    return Status::Invalid("array: missing {} buffer (type={})", what, data.type->ToString());
  }
  if (data.buffers[index]->size() < required_bytes) {
    return Status::Invalid("array: {} buffer too small (type={}, size={}, required={})", what,
                           data.type->ToString(), data.buffers[index]->size(), required_bytes);
  }
  return Status::OK();
}

// Checks `length + 1` offsets starting at `offset` and returns the range they span.
Status CheckOffsets(const ArrayData& data, int64_t* first, int64_t* last) {
  ARCFLOW_RETURN_NOT_OK(CheckBufferSize(data, 1, (data.offset + data.length + 1) * 4, "offsets"));
  const int32_t* offsets = data.buffers[1]->data_as<int32_t>() + data.offset;
  for (int64_t i = 0; i < data.length; ++i) {
    if (offsets[i] > offsets[i + 1] || offsets[i] < 0) {
      return Status::Invalid("array: offsets not monotonic at index {} (type={})", i,
                             data.type->ToString());
    }
  }
  *first = offsets[0];
  *last = offsets[data.length];
  if (*first < 0) return Status::Invalid("array: negative offset");
  return Status::OK();
}

}  // namespace

Status ValidateArrayData(const ArrayData& data) {
  if (!data.type) return Status::Invalid("array: missing type");
  if (data.length < 0 || data.offset < 0) {
    return Status::Invalid("array: negative length or offset (length={}, offset={})", data.length,
                           data.offset);
  }
  if (data.buffers.empty()) return Status::Invalid("array: missing validity slot");
  const uint8_t* validity = data.validity_bits();
  if (validity != nullptr) {
    ARCFLOW_RETURN_NOT_OK(
        CheckBufferSize(data, 0, bit_util::BytesForBits(data.offset + data.length), "validity"));
    int64_t nulls = data.length - bit_util::CountSetBits(validity, data.offset, data.length);
    if (nulls != data.null_count) {
      return Status::Invalid("array: null_count {} disagrees with validity bitmap ({} nulls)",
                             data.null_count, nulls);
    }
  } else if (data.null_count != 0) {
    return Status::Invalid("array: null_count {} without a validity bitmap", data.null_count);
  }
  const DataType& type = *data.type;
  switch (type.id()) {
    case TypeId::kBoolean:
      return CheckBufferSize(data, 1, bit_util::BytesForBits(data.offset + data.length), "values");
    case TypeId::kInt8:
    case TypeId::kInt16:
    case TypeId::kInt32:
    case TypeId::kInt64:
    case TypeId::kFloat32:
    case TypeId::kFloat64:
    case TypeId::kDecimal128:
    case TypeId::kDate32:
    case TypeId::kTimestamp:
      return CheckBufferSize(data, 1, (data.offset + data.length) * type.byte_width(), "values");
    case TypeId::kString:
    case TypeId::kBinary: {
      int64_t first = 0;
      int64_t last = 0;
      ARCFLOW_RETURN_NOT_OK(CheckOffsets(data, &first, &last));
      return CheckBufferSize(data, 2, last, "data");
    }
    case TypeId::kStruct: {
      if (data.children.size() != type.fields().size()) {
        return Status::Invalid("array: struct has {} children, type has {} fields",
                               data.children.size(), type.fields().size());
      }
      for (const auto& child : data.children) {
        if (child->length < data.offset + data.length) {
          return Status::Invalid("array: struct child shorter than parent");
        }
        ARCFLOW_RETURN_NOT_OK(ValidateArrayData(*child));
      }
      return Status::OK();
    }
    case TypeId::kList:
    case TypeId::kMap: {
      int64_t first = 0;
      int64_t last = 0;
      ARCFLOW_RETURN_NOT_OK(CheckOffsets(data, &first, &last));
      if (data.children.size() != 1) return Status::Invalid("array: list/map needs one child");
      if (data.children[0]->length < last) {
        return Status::Invalid("array: list offsets run past the child (last={}, child={})", last,
                               data.children[0]->length);
      }
      return ValidateArrayData(*data.children[0]);
    }
  }
  return Status::Internal("array: unknown type id");
}

}  // namespace arcflow
