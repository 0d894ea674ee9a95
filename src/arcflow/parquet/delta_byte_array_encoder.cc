#include "arcflow/parquet/delta_byte_array_encoder.h"

#include <algorithm>

namespace arcflow::parquet {

Status DeltaByteArrayEncoder::Put(std::string_view value) {
  const size_t limit = std::min(value.size(), previous_value_.size());
  const size_t prefix = static_cast<size_t>(
      std::mismatch(value.begin(), value.begin() + static_cast<std::ptrdiff_t>(limit),
                    previous_value_.begin())
          .first -
      value.begin());
  ARCFLOW_RETURN_NOT_OK(suffixes_.Put(value.substr(prefix)));
  // The suffix was accepted, so the whole value is below 2^31 bytes and the prefix fits int32.
  prefix_lengths_.Put(static_cast<int32_t>(prefix));
  previous_value_.assign(value);
  return Status::OK();
}

Status DeltaByteArrayEncoder::Put(const ByteArraySpan& values) {
  for (int64_t i = 0; i < values.length; ++i) ARCFLOW_RETURN_NOT_OK(Put(values.Value(i)));
  return Status::OK();
}

Status DeltaByteArrayEncoder::PutFixedLenByteArray(const uint8_t* values, int32_t type_length,
                                                   int64_t count) {
  for (int64_t i = 0; i < count; ++i) {
    ARCFLOW_RETURN_NOT_OK(
        Put(std::string_view(reinterpret_cast<const char*>(values) + i * type_length,
                             static_cast<size_t>(type_length))));
  }
  return Status::OK();
}

std::shared_ptr<Buffer> DeltaByteArrayEncoder::Finish() {
  BufferBuilder out;
  prefix_lengths_.FinishInto(&out);
  suffixes_.FinishInto(&out);
  previous_value_.clear();
  return out.Finish();
}

}  // namespace arcflow::parquet
