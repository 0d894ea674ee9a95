#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "arcflow/base/buffer.h"
#include "arcflow/base/result.h"
#include "arcflow/base/status.h"
#include "arcflow/codec/codec.h"
#include "arcflow/io/file_system.h"
#include "arcflow/parquet/bit_packed_level_decoder.h"
#include "arcflow/parquet/byte_array_sink.h"
#include "arcflow/parquet/byte_stream_split_decoder.h"
#include "arcflow/parquet/delta_binary_packed_decoder.h"
#include "arcflow/parquet/delta_byte_array_decoder.h"
#include "arcflow/parquet/delta_length_byte_array_decoder.h"
#include "arcflow/parquet/dictionary_decoder.h"
#include "arcflow/parquet/file_metadata.h"
#include "arcflow/parquet/format_enums.h"
#include "arcflow/parquet/page_header.h"
#include "arcflow/parquet/physical_type.h"
#include "arcflow/parquet/plain_decoder.h"
#include "arcflow/parquet/rle_bit_packed_decoder.h"
#include "arcflow/parquet/schema_descriptor.h"

namespace arcflow::parquet {

// The decoded dictionary page of a column chunk: `size` values of the column's physical type,
// fixed-width ones back to back in `fixed` (Int96 as 12 bytes, FIXED_LEN_BYTE_ARRAY as
// type_length bytes, BOOLEAN one byte each) and byte arrays in `byte_arrays`.
struct ColumnDictionary {
  int64_t size = 0;
  BufferBuilder fixed;
  ByteArraySink byte_arrays;
};

// Decodes the values section of one data page in whichever encoding the page header names,
// into the column's physical representation. Every Decode call produces exactly `count`
// values or fails with Corruption (the page holds fewer values than its levels promise), so
// callers never see partial results.
//
// Borrows the page bytes and the dictionary; both must outlive the decoder's use for the page.
// Not thread-safe.
class PageValueDecoder {
 public:
  PageValueDecoder() = default;

  // Prepares to decode `data` as `encoding` values of `column`. Corruption for an encoding that
  // does not apply to the physical type, or a dictionary encoding without a dictionary page.
  Status Init(const ColumnDescriptor& column, Encoding encoding, std::span<const uint8_t> data,
              const ColumnDictionary* dictionary);

  Status DecodeInt32(int32_t* out, int64_t count);
  Status DecodeInt64(int64_t* out, int64_t count);
  Status DecodeInt96(Int96* out, int64_t count);
  Status DecodeFloat(float* out, int64_t count);
  Status DecodeDouble(double* out, int64_t count);
  // BOOLEAN: into bits [bit_offset, bit_offset + count) of an LSB-first bitmap.
  Status DecodeBooleans(uint8_t* bitmap, int64_t bit_offset, int64_t count);
  // FIXED_LEN_BYTE_ARRAY: count * type_length contiguous bytes.
  Status DecodeFixedLenByteArray(uint8_t* out, int64_t count);
  // BYTE_ARRAY: appended to `sink`.
  Status DecodeByteArray(ByteArraySink* sink, int64_t count);

  Encoding encoding() const { return encoding_; }

  // The most values the page's value section can hold as far as its encoding tells without
  // decoding (the bytes left of PLAIN data, the count in a DELTA header), or -1 when it does
  // not tell (RLE runs can stand for any number of values).
  int64_t MaxValues() const;

 private:
  enum class Kind : int8_t {
    kNone,
    kPlain,
    kDictionary,
    kRleBoolean,
    kBitPackedBoolean,
    kDeltaBinaryPacked32,
    kDeltaBinaryPacked64,
    kDeltaLengthByteArray,
    kDeltaByteArray,
    kByteStreamSplit,
  };

  // Turns a decoder's count into the exact-count contract.
  Status CheckCount(const Result<int64_t>& decoded, int64_t count) const;
  Status WrongType(std::string_view what) const;
  template <typename T>
  Status DecodeFixedWidth(T* out, int64_t count, PhysicalType expected);

  Kind kind_ = Kind::kNone;
  Encoding encoding_ = Encoding::kPlain;
  PhysicalType type_ = PhysicalType::kBoolean;
  int32_t type_length_ = 0;
  const ColumnDictionary* dictionary_ = nullptr;

  PlainDecoder plain_;
  DictionaryIndexDecoder dictionary_indices_;
  RleBitPackedDecoder rle_;
  BitPackedLevelDecoder bit_packed_;
  DeltaBinaryPackedDecoder<int32_t> delta32_;
  DeltaBinaryPackedDecoder<int64_t> delta64_;
  DeltaLengthByteArrayDecoder delta_length_;
  DeltaByteArrayDecoder delta_byte_array_;
  ByteStreamSplitDecoder byte_stream_split_;
  std::vector<int16_t> scratch_levels_;  // For BIT_PACKED booleans.
};

// One data page, levels decoded, values ready to decode. Views stay valid until the next call
// to ColumnChunkReader::NextDataPage.
struct DataPage {
  // File offset of the page header, for error messages.
  int64_t file_offset = 0;
  bool is_v2 = false;
  // Levels in the page (the header's num_values), nulls and repeated entries included.
  int64_t num_levels = 0;
  // Values present in the page: levels equal to the column's max definition level (all levels
  // when the column has none).
  int64_t num_non_null = 0;
  // num_levels levels each; null when the column's max level is 0 (all levels are then 0).
  // Definition levels of a column with bitmap levels (see HasBitmapLevels) come as `validity`
  // instead, and definition_levels is null.
  const int16_t* definition_levels = nullptr;
  const int16_t* repetition_levels = nullptr;
  // Columns with bitmap levels only: an LSB-first bitmap of num_levels bits, bit i set where
  // definition level i is 1 (the value is present). Null for other columns.
  const uint8_t* validity = nullptr;
  PageValueDecoder* values = nullptr;
};

// Whether the reader hands out the definition levels of `column` as a validity bitmap: a flat
// optional column (max definition level 1, no repetition), the most common kind, whose levels
// say no more than whether each value is present. A bitmap is an eighth of the levels' size, and
// runs of the RLE hybrid become memset or bit copies instead of per-level work.
inline bool HasBitmapLevels(const ColumnDescriptor& column) {
  return column.max_definition_level == 1 && column.max_repetition_level == 0;
}

struct ColumnChunkReaderOptions {
  // Checks page CRCs where the writer stored them; a mismatch is Corruption.
  bool verify_checksums = true;
};

// Iterates over the pages of one column chunk of one row group: finds the chunk in the file,
// decodes each page header, checks the CRC, decompresses, decodes the dictionary page and the
// levels of each data page, and hands out the data pages with a value decoder positioned at
// their values. Index pages and pages of unknown types are skipped.
//
// Everything is bounded by the chunk's total_compressed_size and the file size; counts in page
// headers are checked against the bytes that hold them. The chunk's bytes are read once (a
// zero-copy view for memory-mapped files) and kept alive by the reader. Not thread-safe; the
// file must outlive the reader.
class ColumnChunkReader {
 public:
  // `file_size` bounds the chunk; `chunk` must belong to a row group of a file whose schema
  // gave `column`. NotImplemented for encrypted column chunks and LZO.
  static Result<std::unique_ptr<ColumnChunkReader>> Open(const io::RandomAccessFile& file,
                                                         int64_t file_size,
                                                         const ColumnChunk& chunk,
                                                         const ColumnDescriptor& column,
                                                         ColumnChunkReaderOptions options = {});

  // Moves to the next data page and fills `page`; returns false after the last page.
  Result<bool> NextDataPage(DataPage* page);
  // Moves to the next data page and describes it as stored, without decompressing or decoding
  // it (the dictionary page before it is decoded, for dictionary()); returns false after the
  // last page. `page->bytes` stays valid while the reader lives. Not to be mixed with
  // NextDataPage on one reader.
  Result<bool> NextStoredDataPage(StoredDataPage* page);

  // The chunk's decoded dictionary, once the pages read so far included it; else null.
  const ColumnDictionary* dictionary() const { return dictionary_ ? &*dictionary_ : nullptr; }

  const ColumnDescriptor& column() const { return column_; }
  // Levels handed out in data pages so far.
  int64_t levels_read() const { return levels_read_; }

 private:
  ColumnChunkReader(const io::RandomAccessFile& file, const ColumnChunk& chunk,
                    const ColumnDescriptor& column, ColumnChunkReaderOptions options)
      : file_(file), chunk_(chunk), column_(column), options_(options) {}

  // A page as stored, its sizes and checksum checked.
  struct RawPage {
    PageHeader header;
    int64_t offset = 0;  // In the file, of the header.
    int64_t header_length = 0;
    std::span<const uint8_t> stored;  // Header and body.
    std::span<const uint8_t> body;
  };
  // Moves past the next page of the chunk, whatever its type; false after the last.
  Result<bool> NextPage(RawPage* page);

  // Error context: "(file=…, column=…, offset=…)".
  std::string Where(int64_t offset) const;
  Status Error(int64_t offset, std::string_view what) const;

  // Gives the page body (after the header) uncompressed: a view of the chunk when the chunk
  // is not compressed, else decompressed into `decompressed_`.
  Result<std::span<const uint8_t>> Decompress(std::span<const uint8_t> compressed,
                                              int64_t uncompressed_size, int64_t offset);
  Status ReadDictionaryPage(const PageHeader& header, std::span<const uint8_t> body,
                            int64_t offset);
  Status ReadDataPageV1(const PageHeader& header, std::span<const uint8_t> body, int64_t offset,
                        DataPage* page);
  Status ReadDataPageV2(const PageHeader& header, std::span<const uint8_t> body, int64_t offset,
                        DataPage* page);
  // Decodes `num_levels` levels of width for `max_level` into `out`.
  Status DecodeRleLevels(std::span<const uint8_t> data, int16_t max_level, int64_t num_levels,
                         std::vector<int16_t>* out, int64_t offset, std::string_view kind);
  // Decodes `num_levels` RLE definition levels of bit width 1 into validity_.
  Status DecodeRleValidity(RleBitPackedDecoder& decoder, int64_t num_levels, int64_t offset);
  Status CheckLevels(const std::vector<int16_t>& levels, int64_t count, int16_t max_level,
                     int64_t offset, std::string_view kind) const;
  Status FinishDataPage(int64_t num_levels, Encoding encoding, std::span<const uint8_t> values,
                        int64_t offset, bool is_v2, DataPage* page);

  const io::RandomAccessFile& file_;
  const ColumnChunk& chunk_;
  const ColumnDescriptor& column_;
  ColumnChunkReaderOptions options_;

  std::unique_ptr<codec::Codec> codec_;  // Null for uncompressed chunks.
  std::shared_ptr<const Buffer> chunk_bytes_;
  int64_t chunk_offset_ = 0;  // File offset of chunk_bytes_[0].
  int64_t position_ = 0;      // Offset in chunk_bytes_ of the next page header.

  // Holds the current page body when compressed; kept from page to page and replaced only by
  // a larger one.
  std::shared_ptr<Buffer> decompressed_;
  std::optional<ColumnDictionary> dictionary_;
  bool seen_data_page_ = false;
  const bool bitmap_levels_ = HasBitmapLevels(column_);
  BufferBuilder validity_;  // The current page's levels when bitmap_levels_.
  std::vector<int16_t> definition_levels_;
  std::vector<int16_t> repetition_levels_;
  PageValueDecoder values_;
  int64_t levels_read_ = 0;
};

// The number of bits needed to store levels up to `max_level`.
int LevelBitWidth(int16_t max_level);

}  // namespace arcflow::parquet
