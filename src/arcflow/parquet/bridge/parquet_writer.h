#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "arcflow/base/result.h"
#include "arcflow/base/thread_pool.h"
#include "arcflow/codec/codec_type.h"
#include "arcflow/columnar/record_batch_reader.h"
#include "arcflow/columnar/schema.h"
#include "arcflow/io/file_system.h"
#include "arcflow/io/format_options.h"
#include "arcflow/parquet/bridge/level_builder.h"
#include "arcflow/parquet/bridge/stored_pages.h"
#include "arcflow/parquet/column_chunk_writer.h"
#include "arcflow/parquet/file_metadata.h"
#include "arcflow/parquet/schema_descriptor.h"

namespace arcflow::parquet {

// The created_by string of files arcflow writes, in the "<app> version <semver> (build <id>)"
// form parquet-java and Arrow parse to decide whether to trust a writer's statistics.
std::string_view ParquetCreatedBy();

struct ParquetWriteOptions {
  codec::CodecType codec = codec::CodecType::kZstd;
  // In the codec's own scale; kDefaultCompressionLevel for the codec's default.
  int compression_level = codec::kDefaultCompressionLevel;
  // A row group is closed once its encoded column chunks reach about this many bytes; the
  // writer holds at most about one row group in memory.
  int64_t row_group_bytes = int64_t{128} << 20;
  // A data page is closed once its encoded values and levels reach this many bytes, or once it
  // holds page_rows rows (as parquet-java and Arrow close pages).
  int64_t page_bytes = int64_t{1} << 20;
  int64_t page_rows = 20000;
  // Dictionary-encode columns (all but booleans), falling back to PLAIN for the rest of a column
  // chunk once its dictionary grows past dictionary_page_bytes_limit.
  bool dictionary = true;
  int64_t dictionary_page_bytes_limit = int64_t{1} << 20;
  // Write min/max and null counts for every page and column chunk.
  bool write_statistics = true;
  // Byte-string min/max longer than this are truncated to bounds (0: never).
  int64_t statistics_truncate_length = 64;
  bool page_checksums = true;
  DataPageVersion data_page_version = DataPageVersion::kV1;
  // Levels encoded between page-size checks; small values force small pages (tests).
  int64_t write_batch_levels = 1024;
  // Threads that encode the leaf columns of each batch and close the column chunks of each row
  // group, the caller's included; 1 does everything on the caller's thread. The file is the
  // same byte for byte either way.
  int threads = 1;
  // When set (and of more than one thread), the leaves are encoded on this pool rather than on
  // threads of the writer's own, and `threads` is ignored: writers open at once (the files of
  // a partitioned table write) share it, as long as one thread at a time writes to them.
  std::shared_ptr<ThreadPool> thread_pool;
  // Added to the file's key-value metadata after the entries arcflow writes (Spark's schema);
  // an entry with the same key replaces arcflow's.
  std::vector<std::pair<std::string, std::string>> key_value_metadata;

  // Reads writer options by their Spark and parquet-java names, ignoring case and ignoring
  // options it does not know (they belong to other layers):
  //   compression (also codec, parquet.compression): none, uncompressed, snappy, gzip, lz4,
  //     lz4_raw, zstd, brotli;
  //   compression_level, compressionLevel, parquet.compression.codec.zstd.level: an integer;
  //   row_group_size, parquet.block.size: bytes per row group;
  //   page_size, parquet.page.size: bytes per page;
  //   page_row_count_limit, parquet.page.row.count.limit: rows per page;
  //   dictionary, parquet.enable.dictionary: true/false;
  //   dictionary_page_size, parquet.dictionary.page.size: the dictionary limit in bytes;
  //   write_statistics, parquet.statistics.enabled: true/false;
  //   page_checksums, parquet.page.write-checksum.enabled: true/false;
  //   data_page_version, parquet.writer.version: 1/2 (or v1/v2, PARQUET_1_0/PARQUET_2_0);
  //   threads: encoding threads, a positive integer.
  // Invalid for an unknown codec, a level the codec does not accept, or a size or thread count
  // that is not a positive integer.
  static Result<ParquetWriteOptions> FromFormatOptions(const io::FormatOptions& options);

  Status Validate() const;
};

// The flags ParquetFileWriter::WriteKeptRows takes, one per row of the file rewritten.
inline constexpr uint8_t kRowDropped = 0;
inline constexpr uint8_t kRowKept = 1;
inline constexpr uint8_t kRowChanged = 2;

// Writes record batches as one Parquet file, as Spark lays it out (schema_to_parquet.h): column
// chunks of one row group at a time, buffered encoded in memory and written when the row group
// reaches row_group_bytes, then the footer with the schema, statistics and Spark's schema JSON.
// The file is written front to back, so any WritableFile serves (an io::AtomicFileWriter
// publishes the file when Close() succeeds).
//
// After a failed Write or Close the writer is unusable and the file incomplete (destroying the
// writer then discards an AtomicFileWriter's temporary file). Not thread-safe.
class ParquetFileWriter final : public RecordBatchWriter {
 public:
  // Writes the leading magic. Invalid for bad options or a schema Parquet cannot hold (no
  // columns, an empty struct).
  static Result<std::unique_ptr<ParquetFileWriter>> Open(std::unique_ptr<io::WritableFile> file,
                                                         SchemaPtr schema,
                                                         ParquetWriteOptions options);
  ~ParquetFileWriter() override;

  // Encodes the rows of `batch`, closing row groups as they fill. Invalid when the batch's
  // columns do not have the schema's types, or a non-nullable field holds a null.
  Status Write(const RecordBatch& batch) override;
  // Rewriting a file around a few changed rows: writes the rows of `batch` whose `keep` flag
  // is set, as Write() would. `batch` holds rows [first_row, first_row + batch.num_rows()) of
  // the file `source` lists, decoded into this writer's schema, and `keep` has one flag per
  // row of that file: kRowDropped, kRowKept (the row as stored) or kRowChanged (a row updated
  // in place: its values in `changed_columns`, indexes into the schema, are new; in the other
  // columns they are the stored ones). A data page of `source`, of a leaf column this file has
  // with the same path and type, is copied as stored when no row of it is dropped, nor changed
  // if the column is one of `changed_columns`, and the column chunk can take it
  // (ColumnChunkWriter::CanAppendStoredPage), rather than encoded again; its values still
  // count in the statistics. For the pages to line up, a row group of `source` large enough to
  // be worth it starts a row group of its own here.
  //
  // A page may span calls: until the rows written reach the end of the page being copied
  // (in_stored_page()), only the next rows of the same file, with the same changed columns,
  // may be written, and no row group may close. Invalid unless can_write_kept_rows().
  // The writer holds `source` until another one replaces it.
  Status WriteKeptRows(const RecordBatch& batch, int64_t first_row, std::span<const uint8_t> keep,
                       std::shared_ptr<const StoredPages> source,
                       std::span<const int> changed_columns = {});
  // Whether every column is a top-level primitive, the schemas WriteKeptRows() takes.
  bool can_write_kept_rows() const;
  // Whether the last WriteKeptRows() ended inside a page being copied.
  bool in_stored_page() const;
  // Stored pages copied by WriteKeptRows() so far.
  int64_t stored_pages_copied() const;

  // Closes the open row group now, if it holds any rows.
  Status FlushRowGroup();
  // Closes the open row group, writes the footer and closes the file.
  Status Close() override;

  const SchemaPtr& schema() const { return schema_; }
  int64_t num_rows() const { return num_rows_; }
  // Bytes handed to the file so far: they grow only when a row group closes.
  int64_t bytes_written() const { return position_; }
  // How many rows the next Write() takes before the writer checks whether the open row group
  // is full. A caller that writes at most this many rows at a time sees every row group close
  // at the end of one of its writes, and can act on the file's size there.
  int64_t rows_until_row_group_check() const { return rows_until_check_; }
  // The footer's metadata, once Close() has succeeded (null before).
  const FileMetaData* metadata() const { return closed_ ? &metadata_ : nullptr; }
  // Leaf columns of the Parquet schema, in its depth-first order.
  int num_leaves() const { return static_cast<int>(leaves_.size()); }
  // Per leaf column, the statistics of the row groups closed so far (after Close(), of the
  // whole file): null count, exact min/max and, for floats, NaN count, as
  // ColumnChunkWriter::FinishedChunksStatistics gives them.
  std::vector<Statistics> LeafStatistics() const;

 private:
  struct LeafColumn;
  ParquetFileWriter(std::unique_ptr<io::WritableFile> file, SchemaPtr schema,
                    ParquetWriteOptions options);
  Status Init();
  Status Append(const Buffer& bytes);
  Status CheckBatch(const RecordBatch& batch) const;
  Status WriteRows(const RecordBatch& batch, int64_t offset, int64_t length);
  // Pairs this file's leaves with the leaves of `source` whose pages they can take.
  void MapStoredLeaves(std::shared_ptr<const StoredPages> source);
  // The columns the changed rows of WriteKeptRows change.
  void SetChangedColumns(std::span<const int> changed_columns);
  // Starts following row group `group` of `source` (see WriteKeptRows).
  Status FollowStoredRowGroup(const StoredPages& source, int group);
  // WriteKeptRows for one leaf: `count` rows of `column` from `offset`, file rows from
  // `first_row`.
  static Status WriteKeptLeafRows(LeafColumn& leaf, const ArrayData& column, int64_t offset,
                                  int64_t count, int64_t first_row, std::span<const uint8_t> keep);
  // Encodes the rows of the leaf's last shred whose flag in `keep` (one per row) is set.
  static Status WriteKeptValues(LeafColumn& leaf, std::span<const uint8_t> keep);
  // Encodes the values and levels `leaf` was last shredded into.
  static Status EncodeLeaf(LeafColumn& leaf);
  int64_t EstimatedRowGroupSize() const;
  Status DoClose();

  std::unique_ptr<io::WritableFile> file_;
  SchemaPtr schema_;
  ParquetWriteOptions options_;
  std::unique_ptr<codec::Codec> codec_;
  // The Parquet schema; the column writers point into it.
  std::optional<SchemaDescriptor> descriptor_;
  FileMetaData metadata_;  // Schema, key-value metadata and row groups so far.
  std::vector<std::unique_ptr<LeafColumn>> leaves_;
  // leaves_[first_leaf_[i]] is the first leaf of top-level column i; one past the end follows.
  std::vector<size_t> first_leaf_;
  ShreddingCache shredding_cache_;
  // With more than one thread: the pool, and one shredding cache per top-level column, since
  // the leaves of every column are shredded before any is encoded.
  std::shared_ptr<ThreadPool> pool_;  // Null when leaves are encoded on the caller's thread.
  std::vector<ShreddingCache> column_caches_;
  // WriteKeptRows: the file whose leaves MapStoredLeaves paired, the columns its changed rows
  // change, the row group of it that the open row group follows (none: -1), and the file row
  // the next call must start at while a stored page is being copied.
  std::shared_ptr<const StoredPages> mapped_source_;
  std::vector<int> changed_columns_;
  const StoredPages* row_group_source_ = nullptr;
  int row_group_source_group_ = -1;
  int64_t next_stored_row_ = 0;

  int64_t position_ = 0;  // Bytes written to the file.
  int64_t num_rows_ = 0;  // Rows written in closed row groups and the open one.
  int64_t row_group_rows_ = 0;
  // Rows to write before the next check of the row group's size, adapted to the row size seen.
  int64_t rows_until_check_ = 0;
  int64_t bytes_per_row_ = 1;  // Encoded bytes per row in the row group, last measured.
  Status failed_;              // The first error, which every later call returns.
  bool closed_ = false;
};

// ParquetFileWriter::Open as a plain RecordBatchWriter.
Result<std::unique_ptr<RecordBatchWriter>> OpenParquetWriter(std::unique_ptr<io::WritableFile> file,
                                                             SchemaPtr schema,
                                                             ParquetWriteOptions options);

}  // namespace arcflow::parquet
