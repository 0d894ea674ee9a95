#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "arcflow/base/buffer.h"
#include "arcflow/base/status.h"
#include "arcflow/columnar/data_type.h"

namespace arcflow {

// The physical content of an array, laid out as Arrow lays it out, so that an Arrow C Data
// Interface export is a matter of handing over pointers:
//
//   boolean                     buffers {validity, value bits}
//   int*/float*/date/timestamp  buffers {validity, values}           (little-endian)
//   decimal128                  buffers {validity, 16-byte values}    (two's complement)
//   string/binary               buffers {validity, int32 offsets, bytes}
//   struct                      buffers {validity}                    children: members
//   list                        buffers {validity, int32 offsets}     children: {element}
//   map                         buffers {validity, int32 offsets}     children: {entries}
//                               where entries is struct<key, value>
//
// The validity buffer may be null when no value is null. `offset` and `length` select a window
// of the buffers in elements (bits for bitmaps), which is how slices share memory. Immutable once
// built; shared between threads by `shared_ptr<const ArrayData>`.
struct ArrayData {
  DataTypePtr type;
  int64_t length = 0;
  int64_t offset = 0;
  int64_t null_count = 0;
  std::vector<std::shared_ptr<const Buffer>> buffers;
  std::vector<std::shared_ptr<const ArrayData>> children;

  // A zero-copy window of [offset, offset + length) of this array.
  // REQUIRES: 0 <= offset, offset + length <= this->length.
  std::shared_ptr<ArrayData> Slice(int64_t slice_offset, int64_t slice_length) const;

  const uint8_t* validity_bits() const {
    return buffers.empty() || !buffers[0] ? nullptr : buffers[0]->data();
  }
};

// Checks every structural invariant of `data` against its type: buffer count and sizes,
// offsets monotonic and within the data, child lengths, null_count equal to the validity
// bitmap. Cost is linear in the size of the array. Used on data decoded from untrusted files
// and in tests.
Status ValidateArrayData(const ArrayData& data);

}  // namespace arcflow
