// libFuzzer target for the CSV format (src/arcflow/csv/).
//
// The first bytes of each input pick reader options (delimiter, quote, escape, multiLine,
// white-space trimming, comment character, mode, header, schema, and a tiny chunk size so that
// records are cut everywhere); the rest is the file. Each input is read with schema inference,
// then with the chosen schema. Besides memory errors, it checks the promises of the reader and
// the writer: every batch validates, the stats add up, and rows read without any malformed
// record survive a trip through the writer and back unchanged.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "arcflow/columnar/row_printer.h"
#include "arcflow/columnar/schema_ddl.h"
#include "arcflow/csv/reader.h"
#include "arcflow/csv/schema_inference.h"
#include "arcflow/csv/writer.h"

namespace {

using arcflow::Result;
using arcflow::Status;

[[noreturn]] void Fail(const char* property, const std::string& detail) {
  std::fprintf(stderr, "csv fuzzer: %s does not hold: %s\n", property, detail.c_str());
  std::abort();
}

// Just enough of a file system to hold a few files in memory.
class MemoryFileSystem final : public arcflow::io::FileSystem {
 public:
  std::map<std::string, std::string>& files() { return files_; }

  Result<std::unique_ptr<arcflow::io::RandomAccessFile>> OpenRandomAccess(
      const std::string& path) override {
    return Status::NotImplemented("memory fs: random access ({})", path);
  }
  Result<std::unique_ptr<arcflow::io::SequentialFile>> OpenSequential(
      const std::string& path) override {
    auto it = files_.find(path);
    if (it == files_.end()) return Status::NotFound("memory fs: no file {}", path);
    return std::unique_ptr<arcflow::io::SequentialFile>(new Reader(path, it->second));
  }
  Result<std::unique_ptr<arcflow::io::WritableFile>> OpenWritable(
      const std::string& path) override {
    files_[path].clear();
    return std::unique_ptr<arcflow::io::WritableFile>(new Writer(path, &files_[path]));
  }
  Result<arcflow::io::FileInfo> GetFileInfo(const std::string& path) override {
    auto it = files_.find(path);
    if (it == files_.end()) return Status::NotFound("memory fs: no file {}", path);
    arcflow::io::FileInfo info;
    info.path = path;
    info.size = static_cast<int64_t>(it->second.size());
    return info;
  }
  Result<std::vector<arcflow::io::FileInfo>> ListDirectory(const std::string& path) override {
    return Status::NotImplemented("memory fs: list ({})", path);
  }
  Status CreateDirectories(const std::string&) override { return Status::OK(); }
  Status DeleteFile(const std::string& path) override {
    files_.erase(path);
    return Status::OK();
  }
  Status DeleteDirectoryRecursively(const std::string& path) override {
    return Status::NotImplemented("memory fs: delete ({})", path);
  }
  Status Rename(const std::string& from, const std::string&) override {
    return Status::NotImplemented("memory fs: rename ({})", from);
  }
  Status LinkIfAbsent(const std::string& from, const std::string&) override {
    return Status::NotImplemented("memory fs: link ({})", from);
  }
  Status SyncDirectory(const std::string&) override { return Status::OK(); }

 private:
  class Reader final : public arcflow::io::SequentialFile {
   public:
    Reader(std::string path, std::string_view bytes) : path_(std::move(path)), bytes_(bytes) {}
    Result<int64_t> Read(std::span<uint8_t> out) override {
      size_t count = std::min(out.size(), bytes_.size() - position_);
      std::memcpy(out.data(), bytes_.data() + position_, count);
      position_ += count;
      return static_cast<int64_t>(count);
    }
    const std::string& path() const override { return path_; }

   private:
    std::string path_;
    std::string_view bytes_;
    size_t position_ = 0;
  };
  class Writer final : public arcflow::io::WritableFile {
   public:
    Writer(std::string path, std::string* bytes) : path_(std::move(path)), bytes_(bytes) {}
    Status Append(std::span<const uint8_t> bytes) override {
      bytes_->append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
      return Status::OK();
    }
    using arcflow::io::WritableFile::Append;
    Status Sync() override { return Status::OK(); }
    Status Close() override { return Status::OK(); }
    const std::string& path() const override { return path_; }

   private:
    std::string path_;
    std::string* bytes_;
  };

  std::map<std::string, std::string> files_;
};

// Reads `path` whole; returns the canonical rows, or nothing when the read fails.
std::optional<std::vector<std::string>> ReadRows(const std::shared_ptr<MemoryFileSystem>& fs,
                                                 const std::string& path,
                                                 const arcflow::csv::CsvReadOptions& options,
                                                 arcflow::csv::CsvReadStats* stats,
                                                 arcflow::SchemaPtr* schema) {
  auto reader = arcflow::csv::CsvReader::Open(fs, path, options);
  if (!reader.ok()) return std::nullopt;
  *schema = (*reader)->schema();
  std::vector<std::string> rows;
  while (true) {
    Result<arcflow::RecordBatchPtr> batch = (*reader)->Next();
    if (!batch.ok()) return std::nullopt;
    if (*batch == nullptr) break;
    if (!(*batch)->Validate().ok()) Fail("batches validate", (*batch)->Validate().ToString());
    if ((*batch)->num_rows() > options.batch_rows) Fail("batch_rows holds", path);
    for (int64_t row = 0; row < (*batch)->num_rows(); ++row) {
      std::string text;
      arcflow::AppendCanonicalRow(**batch, row, &text);
      rows.push_back(std::move(text));
    }
  }
  *stats = (*reader)->stats();
  if (stats->rows != static_cast<int64_t>(rows.size())) Fail("stats.rows counts rows", path);
  return rows;
}

const char* const kSchemas[] = {
    "",  // No schema: header names or _c0, _c1, ... as STRING.
    "a STRING, b STRING",
    "a INT, b DOUBLE, c STRING",
    "a BIGINT, b DECIMAL(10,2), c BOOLEAN, _corrupt_record STRING",
    "a DATE, b TIMESTAMP, c TIMESTAMP_NTZ, d BINARY",
    "a TINYINT, b SMALLINT, c FLOAT, d STRING",
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 4) return 0;
  uint8_t flags = data[0];
  uint8_t chars = data[1];
  uint8_t choice = data[2];
  uint8_t limits = data[3];
  std::string_view contents(reinterpret_cast<const char*>(data + 4), size - 4);

  arcflow::csv::CsvReadOptions options;
  const char kDelimiters[] = {',', ';', '\t', '|'};
  const char kQuotes[] = {'"', '\'', '\0', '"'};
  const char kEscapes[] = {'\\', '"', '\0', '#'};
  options.delimiter = kDelimiters[chars & 3];
  options.quote = kQuotes[(chars >> 2) & 3];
  options.escape = kEscapes[(chars >> 4) & 3];
  if (chars & 0x40) options.comment = '#';
  if (chars & 0x80) options.line_separator = (flags & 0x80) ? "\r\n" : "\n";
  options.multi_line = flags & 1;
  options.header = flags & 2;
  options.ignore_leading_white_space = flags & 4;
  options.ignore_trailing_white_space = flags & 8;
  options.mode = static_cast<arcflow::io::ParseMode>((flags >> 4) % 3);
  options.enforce_schema = !(flags & 0x40);
  options.chunk_bytes = 1 + (limits & 15);
  options.batch_rows = 1 + ((limits >> 4) & 7);
  options.max_record_bytes = 1 << 16;
  if (limits & 0x80) {
    options.max_columns = 3;
    options.max_chars_per_column = 5;
  }
  if (!options.Validate().ok()) return 0;

  auto fs = std::make_shared<MemoryFileSystem>();
  fs->files()["in.csv"] = std::string(contents);

  // Inference must never fail on readable input, and its schema must be readable.
  arcflow::csv::CsvReadOptions infer = options;
  infer.infer_schema = true;
  Result<arcflow::SchemaPtr> inferred = arcflow::csv::InferCsvSchema(*fs, {"in.csv"}, infer);
  if (!inferred.ok() && !inferred.status().IsInvalid()) {
    Fail("inference fails only with Invalid", inferred.status().ToString());
  }

  const char* ddl = kSchemas[choice % (sizeof(kSchemas) / sizeof(kSchemas[0]))];
  if (*ddl != '\0') options.schema = arcflow::ParseDdlSchema(ddl).ValueOrDie();
  arcflow::csv::CsvReadStats stats;
  arcflow::SchemaPtr schema;
  std::optional<std::vector<std::string>> rows = ReadRows(fs, "in.csv", options, &stats, &schema);
  if (!rows) return 0;
  if (options.mode != arcflow::io::ParseMode::kPermissive && stats.corrupt != 0) {
    Fail("only PERMISSIVE keeps corrupt rows", std::to_string(stats.corrupt));
  }

  // Rows read cleanly must survive the writer. A single column cannot hold a null row (it is
  // written as a blank line, which readers skip), and a corrupt-record column is written but
  // not read as a field, so those cases are left out.
  if (stats.corrupt != 0 || stats.dropped != 0 || schema->num_fields() < 2 ||
      schema->GetFieldIndex(options.column_name_of_corrupt_record) >= 0) {
    return 0;
  }
  arcflow::csv::CsvWriteOptions write;
  write.delimiter = options.delimiter;
  write.quote = options.quote == '\0' ? '"' : options.quote;
  write.escape = options.escape;
  write.header = options.header;
  {
    auto file = fs->OpenWritable("out.csv");
    auto writer = arcflow::csv::CsvWriter::Open(std::move(file).MoveValueUnsafe(), schema, write);
    if (!writer.ok()) return 0;  // E.g. an escape character the writer cannot use.
    auto reader = arcflow::csv::CsvReader::Open(fs, "in.csv", options);
    while (true) {
      Result<arcflow::RecordBatchPtr> batch = (*reader)->Next();
      if (!batch.ok() || *batch == nullptr) break;
      if (!(*writer)->Write(**batch).ok()) Fail("writing read batches succeeds", "");
    }
    if (!(*writer)->Close().ok()) Fail("closing the writer succeeds", "");
  }
  arcflow::csv::CsvReadOptions reread;
  reread.schema = schema;
  reread.header = options.header;
  reread.delimiter = write.delimiter;
  reread.quote = write.quote;
  reread.escape = write.escape;
  reread.multi_line = true;
  reread.mode = arcflow::io::ParseMode::kFailFast;
  arcflow::csv::CsvReadStats reread_stats;
  arcflow::SchemaPtr reread_schema;
  std::optional<std::vector<std::string>> again =
      ReadRows(fs, "out.csv", reread, &reread_stats, &reread_schema);
  if (!again) Fail("written rows read back", fs->files()["out.csv"]);
  if (*again != *rows) Fail("written rows read back unchanged", fs->files()["out.csv"]);
  return 0;
}
