#include "arcflow/csv/record_reader.h"

#include <algorithm>
#include <cstring>
#include <span>

namespace arcflow::csv {

CsvRecordReader::CsvRecordReader(std::unique_ptr<io::SequentialFile> file,
                                 const TokenizerOptions& options, int64_t chunk_bytes,
                                 int64_t max_record_bytes)
    : file_(std::move(file)),
      tokenizer_(options),
      chunk_bytes_(std::max<int64_t>(chunk_bytes, 1)),
      max_record_bytes_(std::max<int64_t>(max_record_bytes, 1)) {}

Status CsvRecordReader::Refill() {
  int64_t pending = end_ - begin_;
  if (pending >= max_record_bytes_) {
    return Status::Invalid(
        "csv: record at {} line {} (byte {}) is longer than {} bytes; a quoted field may be "
        "missing its closing quote",
        path(), line_, buffer_file_offset_ + begin_, max_record_bytes_);
  }
  // Reading at least as much as is pending makes the buffer grow geometrically while one long
  // record is assembled, so the record is re-scanned only O(log n) times.
  int64_t want = std::max(chunk_bytes_, pending);
  if (pending + want > capacity_) {
    int64_t new_capacity = pending + want;
    auto grown = std::make_unique_for_overwrite<char[]>(static_cast<size_t>(new_capacity));
    if (pending > 0) std::memcpy(grown.get(), buffer_.get() + begin_, static_cast<size_t>(pending));
    buffer_ = std::move(grown);
    capacity_ = new_capacity;
  } else if (begin_ > 0 && pending > 0) {
    std::memmove(buffer_.get(), buffer_.get() + begin_, static_cast<size_t>(pending));
  }
  buffer_file_offset_ += begin_;
  begin_ = 0;
  end_ = pending;

  int64_t target = pending + want;
  while (end_ < target) {
    ARCFLOW_ASSIGN_OR_RETURN(int64_t read, file_->Read(std::span<uint8_t>(
                                               reinterpret_cast<uint8_t*>(buffer_.get() + end_),
                                               static_cast<size_t>(target - end_))));
    if (read < 0 || read > target - end_) {
      return Status::Internal("csv: file read returned {} bytes for a {}-byte request ({})", read,
                              target - end_, path());
    }
    if (read == 0) {
      at_end_ = true;
      break;
    }
    end_ += read;
  }
  return Status::OK();
}

Result<bool> CsvRecordReader::Next(ParsedRecord* record) {
  if (!bom_checked_) {
    while (end_ - begin_ < 3 && !at_end_) ARCFLOW_RETURN_NOT_OK(Refill());
    if (end_ - begin_ >= 3 && std::memcmp(buffer_.get() + begin_, "\xEF\xBB\xBF", 3) == 0) {
      begin_ += 3;
    }
    bom_checked_ = true;
  }
  while (true) {
    std::string_view input(buffer_.get() + begin_, static_cast<size_t>(end_ - begin_));
    TokenizeResult result = tokenizer_.Next(input, at_end_, record);
    switch (result) {
      case TokenizeResult::kRecord:
        record->line = line_;
        record->byte_offset = buffer_file_offset_ + begin_;
        begin_ += record->consumed;
        line_ += record->line_breaks;
        return true;
      case TokenizeResult::kSkippedLine:
        begin_ += record->consumed;
        line_ += record->line_breaks;
        break;
      case TokenizeResult::kNeedMoreData:
        ARCFLOW_RETURN_NOT_OK(Refill());
        break;
      case TokenizeResult::kEndOfInput:
        return false;
    }
  }
}

}  // namespace arcflow::csv
