#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "arcflow/base/result.h"
#include "arcflow/csv/tokenizer.h"
#include "arcflow/io/file_system.h"

namespace arcflow::csv {

// Bytes read from the file at a time.
inline constexpr int64_t kDefaultChunkBytes = 8 << 20;
// The longest record accepted. A quoted field with no closing quote in multi-line mode would
// otherwise pull the rest of the file into memory.
inline constexpr int64_t kDefaultMaxRecordBytes = 256 << 20;

// Reads the records of one CSV file front to back, in memory bounded by the chunk size and the
// longest record: the file is read in chunks and a record cut by a chunk boundary is carried
// over to the next read. Skips a UTF-8 byte order mark, blank lines and comment lines, and
// numbers lines and bytes from the start of the file. Not thread-safe.
class CsvRecordReader {
 public:
  // REQUIRES: chunk_bytes >= 1, max_record_bytes >= 1.
  CsvRecordReader(std::unique_ptr<io::SequentialFile> file, const TokenizerOptions& options,
                  int64_t chunk_bytes = kDefaultChunkBytes,
                  int64_t max_record_bytes = kDefaultMaxRecordBytes);

  // Reads the next record into `*record`; false at the end of the file. The record's views
  // stay valid until the next call. Fails with IOError from the file, or Invalid when a record
  // is longer than max_record_bytes.
  Result<bool> Next(ParsedRecord* record);

  const std::string& path() const { return file_->path(); }

 private:
  // Makes room and reads more bytes after the pending ones; sets at_end_ at the end of file.
  Status Refill();

  std::unique_ptr<io::SequentialFile> file_;
  CsvTokenizer tokenizer_;
  int64_t chunk_bytes_;
  int64_t max_record_bytes_;

  std::unique_ptr<char[]> buffer_;
  int64_t capacity_ = 0;
  int64_t begin_ = 0;               // First unconsumed byte of buffer_.
  int64_t end_ = 0;                 // One past the last byte read into buffer_.
  int64_t buffer_file_offset_ = 0;  // File offset of buffer_[0].
  int64_t line_ = 1;                // Line number at begin_.
  bool at_end_ = false;
  bool bom_checked_ = false;
};

}  // namespace arcflow::csv
