#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "arcflow/base/result.h"
#include "arcflow/base/uuid.h"
#include "arcflow/columnar/record_batch.h"
#include "arcflow/columnar/record_batch_reader.h"
#include "arcflow/delta/actions.h"
#include "arcflow/delta/column_mapping.h"
#include "arcflow/delta/file_stats.h"
#include "arcflow/io/atomic_publish.h"
#include "arcflow/io/file_system.h"
#include "arcflow/parquet/bridge/parquet_writer.h"

namespace arcflow::delta {

// How data files of a table are written, mostly from its metaData.
struct DataFileWriterOptions {
  // Top-level columns whose values pick the file's directory; they are not stored in files.
  std::vector<std::string> partition_columns;
  // A file is closed and the next one started once it reaches about this many bytes.
  int64_t target_file_size = int64_t{128} << 20;
  parquet::ParquetWriteOptions parquet;  // Codec zstd unless the table says otherwise.
  // Threads that encode the data files, the caller's included, shared by the files open at
  // once (ParquetWriteOptions::thread_pool); 0 takes one per core, at most
  // kMaxDefaultWriteThreads. Files are the same byte for byte whatever the number.
  int threads = 0;
  static constexpr int kMaxDefaultWriteThreads = 8;
  FileStatsOptions stats;
  bool collect_stats = true;
  bool data_change = true;  // The AddFile's dataChange.
  // Leave the files written unpublished (under temporary names), for the commit that adds
  // them to publish (OptimisticTransaction::PublishBeforeCommit overlaps that with writing the
  // commit); see DataFileWriter::TakeUnpublishedFiles(). Otherwise each file is synced and
  // published when it is closed.
  bool defer_publication = false;
  // Under column mapping ("name" or "id") files, statistics, partition values and directories
  // use the columns' physical names.
  ColumnMappingMode column_mapping = ColumnMappingMode::kNone;

  // Reads the metaData: partition columns, delta.targetFileSize,
  // delta.parquet.compression.codec, delta.columnMapping.mode and the statistics keys (see
  // FileStatsOptions). Invalid,
  // naming the key, for a value that does not parse.
  static Result<DataFileWriterOptions> FromMetadata(const Metadata& metadata);
};

// Percent-encodes a relative path as Spark writes it into add.path (java.net.URI's form):
// bytes outside letters, digits and -._~/=:@!$&'()*+,; are written %XX, non-ASCII UTF-8 kept.
std::string EncodeDataFilePath(std::string_view relative_path);

// The file name Spark gives a data file: "part-00000-<uuid>-c000.zstd.parquet" (as in the
// tables Spark writes), the codec's short name before ".parquet" (none when uncompressed).
std::string DataFileName(int64_t file_index, std::string_view uuid, codec::CodecType codec);

// Converts `array` to `target`, a table column's type: nullability of nested members is
// relabelled, integers and floats are widened (int8 → int16 → int32 → int64, float → double),
// struct members are matched by name, members missing from the array filled with nulls and
// members not in `target` dropped; lists and maps are converted element by element. Invalid,
// naming `column`, for any other difference.
Result<ArrayPtr> ConformArray(const ArrayPtr& array, const DataTypePtr& target,
                              std::string_view column);
// `batch` with the columns of `schema`, matched by name and converted with ConformArray;
// columns the batch lacks are null.
Result<RecordBatchPtr> ConformBatch(const RecordBatch& batch, const SchemaPtr& schema);

// Whether `a` and `b` are the same primitive type with the same parameters (decimal precision
// and scale, timestamp zone), so that values are written as they are.
bool SameTypeParameters(const DataType& a, const DataType& b);
// Whether values of `narrow` fit a column of `wide` without loss: a wider integer, or float
// to double (the widenings ConformArray applies).
bool IsLosslessWidening(const DataType& narrow, const DataType& wide);

// Writes a stream of batches of a table's schema into its directory as Parquet data files,
// one directory per partition ("a=1/b=x/", Hive-style escaping), starting a new file at the
// target size. Each file is written under a temporary name and published atomically on close,
// so readers never see a partial file; a failed or abandoned writer leaves no visible file
// (files it already published are orphans until committed, which the protocol allows).
// Finish() returns one AddFile per published file, for a transaction to commit.
//
// Batches of one partition that arrive together are written together; rows of different
// partitions may interleave freely. Memory: one open file (one row group buffered) per
// partition seen. Not thread-safe.
class DataFileWriter {
 public:
  // `schema` is the table's logical schema; batches must have it (names and types).
  static Result<std::unique_ptr<DataFileWriter>> Open(std::shared_ptr<io::FileSystem> fs,
                                                      std::string table_root, SchemaPtr schema,
                                                      DataFileWriterOptions options);
  ~DataFileWriter();

  Status Write(const RecordBatch& batch);
  // Rewriting a data file of the table around changed rows: writes the rows of `batch` whose
  // flag in `keep` is set, as Write() would. `batch` holds rows [first_row, first_row +
  // batch->num_rows()) of the file, and `keep` one flag per row of it. With `source`, the
  // file's stored pages, a page whose rows are all kept is copied into the new file as it is
  // (ParquetFileWriter::WriteKeptRows); the rows of a file are then to be written in order,
  // with no other write between the first and the last (the last ends every page).
  // `changed_columns` (indexes into the writer's schema) hold new values for the kept rows
  // (rows updated in place): their pages are never copied.
  Status WriteKeptRows(const RecordBatchPtr& batch, int64_t first_row,
                       std::span<const uint8_t> keep,
                       const std::shared_ptr<const parquet::StoredPages>& source,
                       std::span<const int> changed_columns = {});
  // Writes every batch of `reader`.
  Status WriteAll(RecordBatchReader& reader);
  // Closes every open file and returns the AddFiles of all files written, in the order they
  // were closed. No Write may follow.
  Result<std::vector<AddFile>> Finish();

  int64_t num_rows() const { return num_rows_; }
  // With defer_publication: the files closed so far, which must be published (and their
  // directories synced) before a commit refers to them. Files not taken are discarded with
  // the writer.
  std::vector<std::shared_ptr<io::UnpublishedFile>> TakeUnpublishedFiles() {
    return std::exchange(unpublished_, {});
  }

 private:
  struct OpenFile;
  DataFileWriter(std::shared_ptr<io::FileSystem> fs, std::string table_root, SchemaPtr schema,
                 DataFileWriterOptions options);
  Status Init();
  Status WriteSlice(const RecordBatch& batch, const PartitionValues& values);
  // The batch's columns converted to the table's types (ConformArray).
  Result<RecordBatch> Relabel(const RecordBatch& batch) const;
  // The partition values of row `row` of a relabelled batch.
  PartitionValues PartitionValuesAt(const RecordBatch& relabelled, int64_t row) const;
  // The open file of the partition directory `directory`, opened when there is none.
  Result<OpenFile*> FileFor(const std::string& directory, const PartitionValues& values);
  Status CloseFile(OpenFile* file);

  std::shared_ptr<io::FileSystem> fs_;
  std::string table_root_;
  SchemaPtr schema_;
  DataFileWriterOptions options_;
  std::vector<int> partition_indices_;  // Columns of schema_ that are partition columns.
  std::vector<int> data_indices_;       // The other columns, written to the files.
  SchemaPtr data_schema_;               // Logical names: what statistics are collected over.
  SchemaPtr file_schema_;               // data_schema_ with physical names: what the files hold.
  std::vector<std::string> partition_keys_;  // Partition column names as the log keys them.
  std::string uuid_;  // Shared by the files of this writer; the index tells them apart.
  int64_t next_file_index_ = 0;
  // Open files by partition directory.
  std::map<std::string, std::unique_ptr<OpenFile>> open_files_;
  std::vector<AddFile> added_;
  int64_t num_rows_ = 0;
  std::vector<std::shared_ptr<io::UnpublishedFile>> unpublished_;
  Status failed_;
  bool finished_ = false;
};

}  // namespace arcflow::delta
