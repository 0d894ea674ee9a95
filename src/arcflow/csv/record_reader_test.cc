#include "arcflow/csv/record_reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

namespace arcflow::csv {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// A file held in memory that returns at most `max_read` bytes per Read and can fail after
// `fail_after` bytes.
class MemorySequentialFile final : public io::SequentialFile {
 public:
  MemorySequentialFile(std::string contents, size_t max_read, size_t fail_after = SIZE_MAX)
      : contents_(std::move(contents)), max_read_(max_read), fail_after_(fail_after) {}

  Result<int64_t> Read(std::span<uint8_t> out) override {
    if (position_ >= fail_after_) return Status::IOError("disk on fire (path={})", path_);
    size_t count = std::min({out.size(), max_read_, contents_.size() - position_});
    std::memcpy(out.data(), contents_.data() + position_, count);
    position_ += count;
    return static_cast<int64_t>(count);
  }
  const std::string& path() const override { return path_; }

 private:
  std::string contents_;
  size_t max_read_;
  size_t fail_after_;
  size_t position_ = 0;
  std::string path_ = "memory.csv";
};

struct Located {
  std::string first_field;
  int64_t line;
  int64_t byte_offset;
  bool operator==(const Located&) const = default;
  friend void PrintTo(const Located& located, std::ostream* out) {
    *out << "{'" << located.first_field << "', line " << located.line << ", byte "
         << located.byte_offset << "}";
  }
};

std::vector<Located> ReadAll(const std::string& contents, size_t max_read, int64_t chunk_bytes,
                             TokenizerOptions options = {}) {
  CsvRecordReader reader(std::make_unique<MemorySequentialFile>(contents, max_read), options,
                         chunk_bytes);
  std::vector<Located> records;
  ParsedRecord record;
  while (true) {
    Result<bool> more = reader.Next(&record);
    EXPECT_TRUE(more.ok()) << more.status().ToString();
    if (!more.ok() || !*more) break;
    records.push_back({std::string(record.fields.at(0).text), record.line, record.byte_offset});
  }
  return records;
}

TEST(CsvRecordReaderTest, NumbersLinesAndBytesFromTheFileStart) {
  TokenizerOptions options;
  options.multi_line = true;
  options.comment = '#';
  const std::string contents =
      "\xEF\xBB\xBF"
      "a\r\n\r\n#c\n\"b\nc\"\rd";
  for (size_t max_read : {size_t{1}, size_t{2}, size_t{1000}}) {
    for (int64_t chunk : {1, 2, 4, 1 << 20}) {
      EXPECT_THAT(ReadAll(contents, max_read, chunk, options),
                  ElementsAre(Located{"a", 1, 3}, Located{"b\nc", 4, 11}, Located{"d", 6, 17}))
          << "max_read " << max_read << " chunk " << chunk;
    }
  }
}

TEST(CsvRecordReaderTest, KeepsAnIncompleteByteOrderMark) {
  EXPECT_THAT(ReadAll("\xEF\xBB", 1, 1), ElementsAre(Located{"\xEF\xBB", 1, 0}));
  EXPECT_THAT(ReadAll("\xEF\xBB\xBF", 1, 1), ElementsAre());
}

TEST(CsvRecordReaderTest, PropagatesReadErrors) {
  CsvRecordReader reader(std::make_unique<MemorySequentialFile>("a\nb\nc\n", 2, 4), {}, 1);
  ParsedRecord record;
  Result<bool> more = reader.Next(&record);
  ASSERT_TRUE(more.ok());
  EXPECT_TRUE(*more);
  while (more.ok() && *more) more = reader.Next(&record);
  EXPECT_TRUE(more.status().IsIOError());
  EXPECT_THAT(more.status().message(), HasSubstr("disk on fire"));
}

TEST(CsvRecordReaderTest, BoundsRecordLength) {
  TokenizerOptions options;
  options.multi_line = true;
  CsvRecordReader reader(
      std::make_unique<MemorySequentialFile>("x\n\"" + std::string(1000, 'y'), 1000), options, 8,
      100);
  ParsedRecord record;
  ASSERT_TRUE(*reader.Next(&record));
  Result<bool> more = reader.Next(&record);
  EXPECT_TRUE(more.status().IsInvalid());
  EXPECT_THAT(more.status().message(),
              HasSubstr("csv: record at memory.csv line 2 (byte 2) is longer than 100 bytes"));
}

}  // namespace
}  // namespace arcflow::csv
