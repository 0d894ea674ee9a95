#pragma once

#include <cstdint>
#include <limits>
#include <string_view>

#include "arcflow/base/buffer.h"
#include "arcflow/base/status.h"

namespace arcflow::parquet {

// A read-only view of variable-length values in Arrow's binary layout: `length + 1` int32
// offsets and the bytes they index. Value i is data[offsets[i], offsets[i + 1]). The view does
// not own the memory; whoever built it keeps it alive.
struct ByteArraySpan {
  const int32_t* offsets = nullptr;
  const uint8_t* data = nullptr;
  int64_t length = 0;

  std::string_view Value(int64_t i) const {
    return {reinterpret_cast<const char*>(data) + offsets[i],
            static_cast<size_t>(offsets[i + 1] - offsets[i])};
  }
};

// Where byte-array decoders put their values: int32 offsets and concatenated bytes, exactly the
// buffers of an Arrow StringArray/BinaryArray, so the bridge hands them over without copying.
//
// The offsets start with a 0 written by the first append (or by the caller); a sink may collect
// several pages in turn. Because offsets are int32, the data must stay below 2^31 bytes:
// decoders check with CheckCapacity() before appending and report Invalid otherwise.
// Not thread-safe.
struct ByteArraySink {
  static constexpr int64_t kMaxDataSize = std::numeric_limits<int32_t>::max();

  BufferBuilder offsets;
  BufferBuilder data;

  // Writes the leading zero offset if no offset has been written yet.
  void EnsureStarted() {
    if (offsets.size() == 0) offsets.AppendValue<int32_t>(0);
  }

  // The number of values appended.
  int64_t length() const {
    return offsets.size() == 0 ? 0 : offsets.size() / static_cast<int64_t>(sizeof(int32_t)) - 1;
  }

  // Returns Invalid if `held_bytes + additional_bytes` overflows int32 offsets.
  static Status CheckDataSize(int64_t held_bytes, int64_t additional_bytes) {
    if (additional_bytes > kMaxDataSize - held_bytes) {
      return Status::Invalid(
          "parquet: byte array data would exceed the 2^31-1 byte limit of int32 offsets ({} "
          "bytes held, {} more)",
          held_bytes, additional_bytes);
    }
    return Status::OK();
  }

  // Returns Invalid if appending `additional_bytes` more data would overflow int32 offsets.
  Status CheckCapacity(int64_t additional_bytes) const {
    return CheckDataSize(data.size(), additional_bytes);
  }

  // Appends one value. Invalid if it would overflow the int32 offsets.
  Status Append(std::string_view value) {
    ARCFLOW_RETURN_NOT_OK(CheckCapacity(static_cast<int64_t>(value.size())));
    EnsureStarted();
    data.Append(value);
    offsets.AppendValue(static_cast<int32_t>(data.size()));
    return Status::OK();
  }

  // A view of the values appended so far; invalidated by the next append.
  ByteArraySpan View() const {
    return {offsets.size() == 0 ? nullptr : reinterpret_cast<const int32_t*>(offsets.data()),
            data.data(), length()};
  }
};

}  // namespace arcflow::parquet
