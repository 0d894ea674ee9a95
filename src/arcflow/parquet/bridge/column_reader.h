#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "arcflow/base/buffer.h"
#include "arcflow/base/result.h"
#include "arcflow/columnar/array.h"
#include "arcflow/parquet/bridge/schema_from_parquet.h"
#include "arcflow/parquet/byte_array_sink.h"
#include "arcflow/parquet/column_chunk_reader.h"

namespace arcflow::parquet {

// The levels and values of some whole records of one leaf column, as LeafColumnReader collects
// them for a batch. Values are dense (nulls take no slot) and already converted to the leaf's
// arcflow representation: fixed-width values in `values` (booleans as bits), strings and
// binaries in `bytes`. Not thread-safe; reused batch after batch.
struct LeafBatch {
  // One entry per level; empty when the column's max level is 0, and definition levels empty
  // when bitmap_levels is set.
  std::vector<int16_t> definition_levels;
  std::vector<int16_t> repetition_levels;
  int64_t num_levels = 0;
  // Set by the reader for a column with bitmap levels (HasBitmapLevels), kept by Clear(). Its
  // levels are then `validity`, one LSB-first bit per level, set where the value is present;
  // while every level so far is 1 (num_values == num_levels) it stays empty.
  bool bitmap_levels = false;
  BufferBuilder validity;
  // Dense values held.
  int64_t num_values = 0;
  BufferBuilder values;
  ByteArraySink bytes;

  void Clear();
};

// Reads one leaf column chunk record by record, decoding levels and values straight into a
// LeafBatch. A record may span pages; reading stops only at record boundaries, so a batch never
// holds part of a record. Not thread-safe.
class LeafColumnReader {
 public:
  // `leaf` is the column's node of the schema mapping and must outlive the reader.
  LeafColumnReader(std::unique_ptr<ColumnChunkReader> chunk, const FieldNode& leaf)
      : chunk_(std::move(chunk)), leaf_(leaf) {}

  // Appends up to `max_records` whole records to `batch`; returns how many were read, fewer
  // only at the end of the chunk.
  Result<int64_t> ReadRecords(int64_t max_records, LeafBatch* batch);

  // Corruption if the chunk holds levels beyond the records read so far; for the end of a
  // row group, after its declared rows are read.
  Status CheckExhausted();

  const FieldNode& leaf() const { return leaf_; }

 private:
  // Decodes `count` values of the current page, converted, onto the end of `batch`.
  Status DecodeValues(int64_t count, LeafBatch* batch);
  template <typename Physical, typename Convert>
  Status DecodeConverted(int64_t count, LeafBatch* batch, Convert convert);
  Status DecodeFixedBytes(int64_t count, LeafBatch* batch);
  Result<bool> NextPage();
  void ReserveFlat(int64_t records, LeafBatch* batch) const;
  // Appends validity bits [start, start + taken) of the current page, `present` of them set.
  void AppendValidity(int64_t start, int64_t taken, int64_t present, LeafBatch* batch) const;

  std::unique_ptr<ColumnChunkReader> chunk_;
  const FieldNode& leaf_;
  DataPage page_;
  bool has_page_ = false;
  bool exhausted_ = false;
  int64_t level_position_ = 0;  // Next level of page_.
  // String bytes per record in the last batch of a flat column, to size the next one.
  double bytes_per_record_ = 0;
  std::vector<uint8_t> scratch_;
  ByteArraySink scratch_bytes_;
};

// Converts a half-precision float (FLOAT16: two bytes, little-endian) to float.
float HalfToFloat(const uint8_t* bytes);

// Converts a big-endian two's complement integer of `length` bytes (a DECIMAL stored in
// BYTE_ARRAY or FIXED_LEN_BYTE_ARRAY) to int128. Corruption for an empty value, Invalid for a
// longer value that is not a sign extension of a 128-bit one.
Status BigEndianToInt128(const uint8_t* bytes, int64_t length, int128_t* out);

// Assembles the array of `field` (a top-level field or any node below one) from the leaf
// batches, indexed by column index (entries of columns outside `field` are ignored), for
// `num_records` records. Validity and list offsets of each node come from the levels of its
// first leaf; a node whose leaves disagree is Corruption.
Result<ArrayPtr> AssembleField(const FieldNode& field, std::span<LeafBatch* const> batches,
                               int64_t num_records);

}  // namespace arcflow::parquet
