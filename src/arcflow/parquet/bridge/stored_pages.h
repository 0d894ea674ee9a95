#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "arcflow/base/result.h"
#include "arcflow/parquet/bridge/parquet_reader.h"
#include "arcflow/parquet/column_chunk_reader.h"
#include "arcflow/parquet/page_header.h"
#include "arcflow/parquet/schema_descriptor.h"

namespace arcflow::parquet {

// The data pages of a Parquet file as it stores them, by leaf column and row group, with the
// rows each holds: what a writer needs to copy the pages a rewrite of the file keeps whole
// (ParquetFileWriter::WriteKeptRows) instead of decoding and encoding them again.
//
// Only page headers are read (and dictionary pages decoded); the pages' bytes are views of the
// column chunks, which the object keeps. Leaves with repeated values are not listed: their
// pages do not say how many rows they hold. Immutable once read; thread-safe.
class StoredPages {
 public:
  struct Page {
    StoredDataPage stored;
    int64_t first_row = 0;  // In the file.
    int64_t num_rows = 0;
  };
  // One column chunk: its dictionary, if any, and its data pages in row order.
  struct Chunk {
    int64_t first_row = 0;  // In the file.
    int64_t num_rows = 0;
    const ColumnDictionary* dictionary = nullptr;
    std::vector<Page> pages;
  };

  // Lists the pages of every column chunk of `reader`'s file, or with `columns`, of the leaves
  // under those top-level columns only (the others are not listed, nor their chunks read).
  // Corruption when a chunk's pages do not add up to its row group's rows.
  static Result<std::unique_ptr<const StoredPages>> Read(
      std::shared_ptr<const ParquetFileReader> reader, std::span<const std::string> columns = {});

  const SchemaDescriptor& schema() const { return reader_->parquet_schema(); }
  int64_t num_rows() const { return num_rows_; }
  int num_row_groups() const { return static_cast<int>(row_group_first_rows_.size()); }
  // The row group holding row `row` of the file. REQUIRES: 0 <= row < num_rows().
  int RowGroupOf(int64_t row) const;
  int64_t row_group_first_row(int row_group) const {
    return row_group_first_rows_[static_cast<size_t>(row_group)];
  }
  // One past the last row of row group `row_group`.
  int64_t row_group_end_row(int row_group) const {
    return row_group + 1 < num_row_groups() ? row_group_first_row(row_group + 1) : num_rows_;
  }
  // The leaf column at `path` (as ColumnDescriptor::path), or -1 when the file has none or it
  // is not listed.
  int FindLeaf(std::span<const std::string> path) const;
  // The chunk of leaf `leaf` in row group `row_group`.
  const Chunk& chunk(int leaf, int row_group) const {
    return chunks_[static_cast<size_t>(leaf)][static_cast<size_t>(row_group)];
  }
  const std::string& path() const { return reader_->path(); }

 private:
  explicit StoredPages(std::shared_ptr<const ParquetFileReader> reader)
      : reader_(std::move(reader)) {}

  std::shared_ptr<const ParquetFileReader> reader_;
  int64_t num_rows_ = 0;
  std::vector<int64_t> row_group_first_rows_;
  // Per leaf (empty for leaves not listed), per row group.
  std::vector<std::vector<Chunk>> chunks_;
  // The chunk readers hold the chunks' bytes and dictionaries the pages point into.
  std::vector<std::unique_ptr<ColumnChunkReader>> chunk_readers_;
};

}  // namespace arcflow::parquet
