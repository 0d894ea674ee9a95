#include "arcflow/parquet/delta_length_byte_array_encoder.h"

namespace arcflow::parquet {

Status DeltaLengthByteArrayEncoder::Put(std::string_view value) {
  // A page cannot hold more than 2^31-1 bytes, the same bound as int32 offsets.
  ARCFLOW_RETURN_NOT_OK_CTX(
      ByteArraySink::CheckDataSize(data_.size(), static_cast<int64_t>(value.size())),
      "while DELTA_LENGTH_BYTE_ARRAY encoding");
  lengths_.Put(static_cast<int32_t>(value.size()));
  data_.Append(value);
  return Status::OK();
}

Status DeltaLengthByteArrayEncoder::Put(const ByteArraySpan& values) {
  for (int64_t i = 0; i < values.length; ++i) ARCFLOW_RETURN_NOT_OK(Put(values.Value(i)));
  return Status::OK();
}

void DeltaLengthByteArrayEncoder::FinishInto(BufferBuilder* out) {
  lengths_.FinishInto(out);
  out->Append(data_.data(), data_.size());
  data_.Clear();
}

std::shared_ptr<Buffer> DeltaLengthByteArrayEncoder::Finish() {
  BufferBuilder out;
  FinishInto(&out);
  return out.Finish();
}

}  // namespace arcflow::parquet
