// libFuzzer target for the JSON reader, schema inference and writer.
//
// The first input byte chooses the options (framing, corrupt-record mode, batch size); the rest
// is the file. Each input is inferred, read with a fixed nested schema and with the inferred
// one, and every batch is validated. What was read is then written and read back, and must
// come back the same. Any crash, sanitizer report or abort is a finding.

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "arcflow/columnar/row_printer.h"
#include "arcflow/columnar/schema_ddl.h"
#include "arcflow/io/file_system.h"
#include "arcflow/json/json_reader.h"
#include "arcflow/json/json_schema_inference.h"
#include "arcflow/json/json_writer.h"

namespace arcflow {
namespace {

constexpr std::string_view kPath = "fuzz.json";

// A file read from memory.
class MemorySequentialFile final : public io::SequentialFile {
 public:
  explicit MemorySequentialFile(std::string_view bytes) : bytes_(bytes), path_(kPath) {}
  Result<int64_t> Read(std::span<uint8_t> out) override {
    size_t count = std::min(out.size(), bytes_.size() - position_);
    // Short reads, as a pipe or network file gives them.
    count = std::min<size_t>(count, 3000);
    if (count > 0) std::memcpy(out.data(), bytes_.data() + position_, count);
    position_ += count;
    return static_cast<int64_t>(count);
  }
  const std::string& path() const override { return path_; }

 private:
  std::string_view bytes_;
  size_t position_ = 0;
  std::string path_;
};

// A file written to memory.
class MemoryWritableFile final : public io::WritableFile {
 public:
  explicit MemoryWritableFile(std::string* out) : out_(out), path_("out.json") {}
  Status Append(std::span<const uint8_t> bytes) override {
    out_->append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    return Status::OK();
  }
  using WritableFile::Append;
  Status Sync() override { return Status::OK(); }
  Status Close() override { return Status::OK(); }
  const std::string& path() const override { return path_; }

 private:
  std::string* out_;
  std::string path_;
};

// A file system holding one file, enough for schema inference.
class OneFileSystem final : public io::FileSystem {
 public:
  explicit OneFileSystem(std::string_view bytes) : bytes_(bytes) {}
  Result<std::unique_ptr<io::RandomAccessFile>> OpenRandomAccess(const std::string&) override {
    return Status::NotImplemented("fuzz");
  }
  Result<std::unique_ptr<io::SequentialFile>> OpenSequential(const std::string& path) override {
    if (path != kPath) return Status::NotFound("{}", path);
    return std::unique_ptr<io::SequentialFile>(std::make_unique<MemorySequentialFile>(bytes_));
  }
  Result<std::unique_ptr<io::WritableFile>> OpenWritable(const std::string&) override {
    return Status::NotImplemented("fuzz");
  }
  Result<io::FileInfo> GetFileInfo(const std::string& path) override {
    if (path != kPath) return Status::NotFound("{}", path);
    return io::FileInfo{path, false, static_cast<int64_t>(bytes_.size()), 0};
  }
  Result<std::vector<io::FileInfo>> ListDirectory(const std::string&) override {
    return Status::NotImplemented("fuzz");
  }
  Status CreateDirectories(const std::string&) override { return Status::NotImplemented("fuzz"); }
  Status DeleteFile(const std::string&) override { return Status::NotImplemented("fuzz"); }
  Status DeleteDirectoryRecursively(const std::string&) override {
    return Status::NotImplemented("fuzz");
  }
  Status Rename(const std::string&, const std::string&) override {
    return Status::NotImplemented("fuzz");
  }
  Status LinkIfAbsent(const std::string&, const std::string&) override {
    return Status::NotImplemented("fuzz");
  }
  Status SyncDirectory(const std::string&) override { return Status::NotImplemented("fuzz"); }

 private:
  std::string_view bytes_;
};

void Check(bool condition, const char* what) {
  if (!condition) {
    std::fprintf(stderr, "json_reader_fuzzer: %s\n", what);
    std::abort();
  }
}

// Reads `bytes` with `options`; returns the batches, or none when reading failed (FAILFAST).
std::vector<RecordBatchPtr> ReadAll(std::string_view bytes, const json::JsonReadOptions& options,
                                    int64_t size_hint) {
  std::vector<RecordBatchPtr> batches;
  auto reader =
      json::JsonReader::Open(std::make_unique<MemorySequentialFile>(bytes), options, size_hint);
  if (!reader.ok()) return batches;
  while (true) {
    Result<RecordBatchPtr> batch = (*reader)->Next();
    if (!batch.ok()) {
      // Only FAILFAST stops on bad input; a UTF-16 file is refused in any mode.
      Check(options.mode == io::ParseMode::kFailFast || batch.status().IsNotImplemented(),
            "an error outside FAILFAST mode");
      return {};
    }
    if (*batch == nullptr) break;
    Check((*batch)->Validate().ok(), "an invalid batch");
    Check((*batch)->num_rows() <= options.batch_rows, "a batch over batch_rows");
    batches.push_back(std::move(*batch));
  }
  const json::JsonReadStats& stats = (*reader)->stats();
  Check(stats.corrupt_records <= stats.records, "more corrupt records than records");
  return batches;
}

std::vector<std::string> CanonicalRows(const std::vector<RecordBatchPtr>& batches) {
  std::vector<std::string> rows;
  for (const RecordBatchPtr& batch : batches) AppendCanonicalRows(*batch, &rows);
  return rows;
}

// Writes what was read and reads it back: the same rows must come back.
void CheckRoundTrip(const std::vector<RecordBatchPtr>& batches, const SchemaPtr& schema) {
  if (batches.empty()) return;
  std::string written;
  auto writer = json::OpenJsonWriter(std::make_unique<MemoryWritableFile>(&written), schema,
                                     json::JsonWriteOptions());
  Check(writer.ok(), "the writer did not open");
  for (const RecordBatchPtr& batch : batches) Check((*writer)->Write(*batch).ok(), "write failed");
  Check((*writer)->Close().ok(), "close failed");
  json::JsonReadOptions options;
  options.schema = schema;
  options.mode = io::ParseMode::kFailFast;
  options.framing = json::JsonFraming::kLines;
  // The corrupt-record column is data here.
  options.column_name_of_corrupt_record = "\x01(none)";
  std::vector<RecordBatchPtr> read_back = ReadAll(written, options, -1);
  Check(CanonicalRows(read_back) == CanonicalRows(batches), "rows changed in a round trip");
}

}  // namespace
}  // namespace arcflow

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace arcflow;
  if (size < 1) return 0;
  const uint8_t control = data[0];
  std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);

  json::JsonReadOptions options;
  options.framing = static_cast<json::JsonFraming>(control % 3);
  options.mode = static_cast<io::ParseMode>((control / 3) % 3);
  options.batch_rows = 1 + (control / 9) % 7;
  options.read_chunk_bytes = 4096;
  options.prefers_decimal = (control & 0x80) != 0;

  OneFileSystem fs(bytes);
  Result<SchemaPtr> inferred = json::InferJsonSchema(fs, {std::string(kPath)}, options);
  if (!inferred.ok()) {
    // Besides FAILFAST: too many distinct members (Invalid) and UTF-16 (NotImplemented).
    Check(options.mode == io::ParseMode::kFailFast || inferred.status().IsInvalid() ||
              inferred.status().IsNotImplemented(),
          "inference failed outside FAILFAST mode");
  }

  static const SchemaPtr kFixed = *ParseDdlSchema(
      "a BIGINT, b DOUBLE, c STRING, d DECIMAL(12,3), e TIMESTAMP, f DATE, g BOOLEAN, "
      "h BINARY, s STRUCT<x: INT, y: ARRAY<STRING>>, m MAP<STRING, FLOAT>, "
      "k MAP<INT, TIMESTAMP_NTZ>, l ARRAY<ARRAY<SMALLINT>>, _corrupt_record STRING");
  std::vector<SchemaPtr> schemas = {kFixed};
  if (inferred.ok()) schemas.push_back(*inferred);
  for (const SchemaPtr& schema : schemas) {
    options.schema = schema;
    int64_t size_hint = (control & 0x40) != 0 ? static_cast<int64_t>(bytes.size()) : -1;
    std::vector<RecordBatchPtr> batches = ReadAll(bytes, options, size_hint);
    if (!batches.empty()) CheckRoundTrip(batches, batches.front()->schema());
  }
  return 0;
}
