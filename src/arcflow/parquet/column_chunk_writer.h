#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "arcflow/base/buffer.h"
#include "arcflow/base/result.h"
#include "arcflow/codec/codec.h"
#include "arcflow/parquet/byte_array_sink.h"
#include "arcflow/parquet/file_metadata.h"
#include "arcflow/parquet/page_header.h"
#include "arcflow/parquet/schema_descriptor.h"

namespace arcflow::parquet {

struct ColumnDictionary;

enum class DataPageVersion : int8_t { kV1 = 1, kV2 = 2 };

struct ColumnChunkWriterOptions {
  // A data page is closed once its encoded (uncompressed) size reaches this many bytes, or
  // once it holds page_rows records. The row limit (parquet-java's and Arrow's default) keeps
  // pages of narrow columns small enough to skip by, or to reuse when a file is rewritten
  // around a few changed rows (AppendStoredPage).
  int64_t page_bytes = 1 << 20;
  int64_t page_rows = 20000;
  // Dictionary-encode values first; fall back to PLAIN when the dictionary grows past
  // dictionary_page_bytes_limit, or when the first page shows that it does not pay off.
  bool dictionary = true;
  int64_t dictionary_page_bytes_limit = 1 << 20;
  bool write_statistics = true;
  bool page_checksums = true;
  // Byte-string min/max longer than this are truncated to bounds (0: never).
  int64_t statistics_truncate_length = 64;
  DataPageVersion data_page_version = DataPageVersion::kV1;
  // Levels taken between page-size checks; pages also end only between records. Small values
  // make many small pages (useful in tests).
  int64_t write_batch_levels = 1024;
};

// A run of values to write: positions [offset, offset + length) of a value source.
struct ValueRun {
  int64_t offset = 0;
  int64_t length = 0;
};

// The non-null values of one Write call: a borrowed value source of the column's physical type
// and the runs of its positions to write, in order. Exactly one source is set:
//   INT32, INT64, FLOAT, DOUBLE   `fixed` points at little-endian values, value i at index i;
//   FIXED_LEN_BYTE_ARRAY          `fixed` points at values of type_length bytes back to back;
//   BOOLEAN                       value i is bit `bitmap_offset + i` of the LSB-first `bitmap`;
//   BYTE_ARRAY                    value i is byte_arrays.Value(i).
// The memory needs to live only for the duration of the call.
struct ColumnValues {
  const void* fixed = nullptr;
  const uint8_t* bitmap = nullptr;
  int64_t bitmap_offset = 0;
  ByteArraySpan byte_arrays;
  std::span<const ValueRun> runs;
};

// A finished column chunk: its pages, in the order they belong in the file, and its metadata,
// whose data_page_offset and dictionary_page_offset count from the chunk's first byte (the file
// writer adds the chunk's file offset).
struct ColumnChunkOutput {
  // The dictionary page first, when a data page uses one, then the data pages, each a framed
  // page (header and body).
  std::vector<std::shared_ptr<Buffer>> pages;
  ColumnMetaData metadata;

  int64_t size() const {
    int64_t total = 0;
    for (const auto& page : pages) total += page->size();
    return total;
  }
};

// Encodes the levels and values of one leaf column into the pages of a column chunk, held in
// memory until Finish(): RLE/bit-packed levels; values dictionary-encoded (RLE_DICTIONARY data
// pages over a PLAIN dictionary page) with PLAIN fallback, or PLAIN (booleans always); pages
// compressed with the codec, with CRCs and statistics; data page v1 or v2. Pages start and end
// at record boundaries. Also keeps the chunk's statistics, encodings and sizes for
// ColumnMetaData.
//
// The column descriptor's SchemaDescriptor and the codec must outlive the writer.
// Not thread-safe.
class ColumnChunkWriter {
 public:
  // Invalid for a column of a physical type arcflow does not write (INT96) or options out of
  // range.
  static Result<std::unique_ptr<ColumnChunkWriter>> Make(const ColumnDescriptor& column,
                                                         const codec::Codec* codec,
                                                         const ColumnChunkWriterOptions& options);

  virtual ~ColumnChunkWriter() = default;

  // Appends `num_levels` levels and the values they define. `definition_levels` is read when
  // the column's max definition level is positive and `repetition_levels` when its max
  // repetition level is, else they may be null. The levels must hold whole records (the first
  // repetition level is 0), and `values` must name exactly one value per definition level equal
  // to the maximum (per level when the maximum is 0). Invalid when they do not; after an error
  // the writer must not be used further.
  virtual Status Write(int64_t num_levels, const int16_t* definition_levels,
                       const int16_t* repetition_levels, const ColumnValues& values) = 0;

  // Appends `num_levels` records of a flat optional column (max definition level 1, no
  // repetition) whose definition levels are bits [validity_offset, validity_offset +
  // num_levels) of the LSB-first bitmap `validity` (null: all 1), as Write does with those
  // levels, without materialising them. Internal for any other column.
  virtual Status WriteFlatOptional(int64_t num_levels, const uint8_t* validity,
                                   int64_t validity_offset, const ColumnValues& values) = 0;

  // Pages of another column chunk of the same column can be appended as they are stored, so
  // that rewriting a file around a few changed rows does not decode, encode and compress the
  // pages it keeps. The caller hands such a page and its values to AddToStatistics() (they
  // count in the statistics like written ones), then the page to AppendStoredPage().

  // Makes the chunk's dictionary begin with the entries of `dictionary`, in its order, so that
  // dictionary-encoded pages of the chunk it was read from can be appended. Only before the
  // chunk's first value or page. Returns false, changing nothing, when the column is not
  // dictionary-encoded here or the entries are not distinct.
  virtual bool SeedDictionary(const ColumnDictionary& dictionary) = 0;
  // Whether AppendStoredPage() takes `page`: compressed with this writer's codec, of its data
  // page version, with RLE levels, and PLAIN values, or dictionary indices when the dictionary
  // was seeded and no PLAIN page precedes them in the chunk (pages of one chunk go from
  // dictionary to PLAIN, never back, as readers expect).
  virtual bool CanAppendStoredPage(const StoredDataPage& page) const = 0;
  // Closes the open page and appends `page` unchanged; `num_values` of its levels define a
  // value (its levels minus its nulls). A PLAIN page ends dictionary encoding for the rest of
  // the chunk. Internal when CanAppendStoredPage() is false.
  virtual Status AppendStoredPage(const StoredDataPage& page, int64_t num_values) = 0;
  // Counts `values` (a source and runs, as for Write), values of the stored page `page` about
  // to be appended, in the chunk's statistics without encoding them. The values of a page of
  // indices into a seeded dictionary are among its entries: once the statistics reach the
  // least and the greatest of those, such values cannot change them and, for strings (where
  // comparing each value is what costs), are not looked at.
  virtual Status AddToStatistics(const StoredDataPage& page, const ColumnValues& values) = 0;

  // The bytes this chunk would take if finished now: pages written plus the open page and the
  // dictionary. An estimate (the open page is not compressed yet).
  virtual int64_t EstimatedSize() const = 0;
  // Records written since the chunk began.
  virtual int64_t num_rows() const = 0;

  // Closes the open page and returns the chunk, which must hold at least one record. The writer
  // is then ready for the next chunk of the column.
  virtual Result<ColumnChunkOutput> Finish() = 0;

  // The statistics of every chunk finished so far taken together: the null count and, when the
  // column's physical order is its logical one, min_value/max_value, PLAIN-encoded as in the
  // footer but exact: byte strings never truncated, and a zero bound of a float keeping the
  // sign of the value it came from (the footer widens a zero min to -0.0 and a zero max to
  // +0.0); floats also get nan_count (NaN is outside min/max). Kept whether or not the footer
  // gets statistics, for a caller that keeps statistics of its own for the file (Delta's
  // add.stats) and would otherwise compute them from the values a second time.
  virtual Statistics FinishedChunksStatistics() const = 0;

  const ColumnDescriptor& column() const { return column_; }

 protected:
  explicit ColumnChunkWriter(const ColumnDescriptor& column) : column_(column) {}

  ColumnDescriptor column_;
};

}  // namespace arcflow::parquet
