#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "arcflow/base/result.h"
#include "arcflow/base/uuid.h"
#include "arcflow/delta/actions.h"
#include "arcflow/io/file_system.h"

namespace arcflow::delta {

// Deletion vectors (PROTOCOL.md, "Deletion Vectors"): the rows of a data file that a DELETE,
// UPDATE or MERGE marked as removed without rewriting the file. A descriptor in the add action
// says where the vector is: inline in the log ('i', Z85 text), or in a file beside the data
// ('u': a path derived from a UUID; 'p': an absolute path) at an offset. The vector itself is a
// RoaringBitmapArray of 64-bit row indexes in the "portable" serialization. Both directions are
// here: reading a descriptor into the set of deleted rows, and writing a set of rows as an
// inline or on-disk vector. All functions are thread-safe.

// The row indexes (0-based positions in the data file) a deletion vector removes. Immutable
// value type; sorted and without duplicates.
class DeletedRows {
 public:
  DeletedRows() = default;
  // REQUIRES: `sorted_rows` is strictly increasing.
  explicit DeletedRows(std::vector<uint64_t> sorted_rows) : rows_(std::move(sorted_rows)) {}

  bool Contains(uint64_t row) const;
  int64_t cardinality() const { return static_cast<int64_t>(rows_.size()); }
  bool empty() const { return rows_.empty(); }
  const std::vector<uint64_t>& rows() const { return rows_; }

 private:
  std::vector<uint64_t> rows_;
};

// Z85 as Delta uses it (Base85Codec): the ZeroMQ alphabet, 4 bytes ↔ 5 characters big-endian.
// Encoding pads the input with zero bytes to a multiple of 4.
std::string EncodeZ85(std::span<const uint8_t> bytes);
// Decodes `text` (length a multiple of 5) into 4/5 as many bytes. Corruption for a character
// outside the alphabet, a group above 2^32 - 1 or a bad length.
Result<std::vector<uint8_t>> DecodeZ85(std::string_view text);

// The absolute path of an on-disk deletion vector file ('u' or 'p'); Invalid for 'i' or for
// a malformed 'u' descriptor. 'u': `<table_root>/<prefix>/deletion_vector_<uuid>.bin` where
// the last 20 characters of pathOrInlineDv are the Z85 UUID and any characters before them
// are the random prefix directory.
Result<std::string> DeletionVectorFilePath(const std::string& table_root,
                                           const DeletionVectorDescriptor& descriptor);

// Parses a serialized RoaringBitmapArray (with its 4-byte magic, as stored inline or inside
// a DV file): the portable 64-bit form (magic 1681511377: int64 number of buckets, each an int32
// high key and a standard portable 32-bit RoaringBitmap with array, bitmap and run containers)
// or the older native form (magic 1681511376). Corruption with `where` on any malformation or
// when it holds more than `max_rows` rows (checked before they are materialized).
Result<DeletedRows> ParseRoaringBitmapArray(std::span<const uint8_t> bytes, std::string_view where,
                                            uint64_t max_rows = UINT64_MAX);
// Serializes rows in the portable form, magic included. REQUIRES: rows sorted and unique.
std::vector<uint8_t> SerializeRoaringBitmapArray(std::span<const uint64_t> sorted_rows);

// Reads the rows a descriptor deletes: decodes an inline vector, or reads the file at the
// descriptor's offset (4-byte big-endian size, the bitmap, a big-endian CRC-32 of the bitmap).
// Corruption when the size, magic, checksum or cardinality disagree with the descriptor;
// IOError/NotFound when the file cannot be read.
Result<DeletedRows> ReadDeletionVector(io::FileSystem& fs, const std::string& table_root,
                                       const DeletionVectorDescriptor& descriptor);

// An inline ('i') descriptor holding `rows`. Inline vectors suit a few deleted rows; the log
// grows by about 1.25 bytes per serialized byte. REQUIRES: rows sorted and unique.
DeletionVectorDescriptor MakeInlineDeletionVector(std::span<const uint64_t> sorted_rows);

// Writes `rows` as a new deletion vector file `deletion_vector_<uuid>.bin` under
// `<table_root>/<prefix>` (no prefix directory when empty; Spark uses a short random prefix
// only when asked to spread files) and returns its 'u' descriptor (offset 1). The file is
// published atomically. REQUIRES: rows sorted and unique; prefix has no '/'.
Result<DeletionVectorDescriptor> WriteDeletionVectorFile(std::shared_ptr<io::FileSystem> fs,
                                                         const std::string& table_root,
                                                         std::span<const uint64_t> sorted_rows,
                                                         std::string_view prefix = {});

// Writes several deletion vectors into one new file `deletion_vector_<uuid>.bin`, one after
// another (a MERGE marking rows of many data files writes one file, as Spark does per task),
// and returns their descriptors in order, each with its offset in the file. The file is
// published atomically. REQUIRES: each vector's rows sorted and unique; prefix has no '/'.
Result<std::vector<DeletionVectorDescriptor>> WriteDeletionVectorsFile(
    std::shared_ptr<io::FileSystem> fs, const std::string& table_root,
    const std::vector<std::vector<uint64_t>>& vectors, std::string_view prefix = {});

}  // namespace arcflow::delta
