#include "arcflow/parquet/bridge/stored_pages.h"

#include <algorithm>

namespace arcflow::parquet {

Result<std::unique_ptr<const StoredPages>> StoredPages::Read(
    std::shared_ptr<const ParquetFileReader> reader, std::span<const std::string> columns) {
  if (reader == nullptr) return Status::Invalid("parquet: StoredPages needs an open file");
  std::unique_ptr<StoredPages> pages(new StoredPages(std::move(reader)));
  const ParquetFileReader& file = *pages->reader_;
  const FileMetaData& metadata = file.metadata();
  const SchemaDescriptor& schema = file.parquet_schema();
  for (const RowGroup& row_group : metadata.row_groups) {
    pages->row_group_first_rows_.push_back(pages->num_rows_);
    pages->num_rows_ += row_group.num_rows;
  }
  pages->chunks_.resize(static_cast<size_t>(schema.num_columns()));
  for (int leaf = 0; leaf < schema.num_columns(); ++leaf) {
    const ColumnDescriptor& column = schema.column(leaf);
    if (column.max_repetition_level > 0) continue;
    if (!columns.empty() &&
        std::find(columns.begin(), columns.end(), column.path[0]) == columns.end()) {
      continue;
    }
    std::vector<Chunk>& chunks = pages->chunks_[static_cast<size_t>(leaf)];
    for (size_t group = 0; group < metadata.row_groups.size(); ++group) {
      const RowGroup& row_group = metadata.row_groups[group];
      if (static_cast<size_t>(leaf) >= row_group.columns.size()) {
        return Status::Corruption("parquet: row group {} of {} has {} column chunks, not {}", group,
                                  file.path(), row_group.columns.size(), schema.num_columns());
      }
      ARCFLOW_ASSIGN_OR_RETURN(
          auto chunk_reader,
          ColumnChunkReader::Open(file.file(), file.file_size(),
                                  row_group.columns[static_cast<size_t>(leaf)], column));
      Chunk chunk;
      chunk.first_row = pages->row_group_first_rows_[group];
      chunk.num_rows = row_group.num_rows;
      int64_t row = chunk.first_row;
      StoredDataPage stored;
      while (true) {
        ARCFLOW_ASSIGN_OR_RETURN(bool more, chunk_reader->NextStoredDataPage(&stored));
        if (!more) break;
        // Unrepeated: every level is a row.
        chunk.pages.push_back(Page{stored, row, stored.num_levels});
        row += stored.num_levels;
      }
      if (row != chunk.first_row + chunk.num_rows) {
        return Status::Corruption(
            "parquet: the pages of column {} in row group {} of {} hold {} rows, the row group {}",
            column.dotted_path, group, file.path(), row - chunk.first_row, chunk.num_rows);
      }
      chunk.dictionary = chunk_reader->dictionary();
      pages->chunk_readers_.push_back(std::move(chunk_reader));
      chunks.push_back(std::move(chunk));
    }
  }
  return std::unique_ptr<const StoredPages>(std::move(pages));
}

int StoredPages::RowGroupOf(int64_t row) const {
  const auto after =
      std::upper_bound(row_group_first_rows_.begin(), row_group_first_rows_.end(), row);
  return static_cast<int>(after - row_group_first_rows_.begin()) - 1;
}

int StoredPages::FindLeaf(std::span<const std::string> path) const {
  const SchemaDescriptor& schema = reader_->parquet_schema();
  for (int leaf = 0; leaf < schema.num_columns(); ++leaf) {
    const std::vector<std::string>& leaf_path = schema.column(leaf).path;
    if (std::equal(leaf_path.begin(), leaf_path.end(), path.begin(), path.end())) {
      return chunks_[static_cast<size_t>(leaf)].empty() && !row_group_first_rows_.empty() ? -1
                                                                                          : leaf;
    }
  }
  return -1;
}

}  // namespace arcflow::parquet
