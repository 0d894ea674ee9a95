// libFuzzer target for the Parquet reader: footer, schema mapping, page headers, CRCs,
// decompression, every value encoding, level decoding and record assembly. The input is read
// as a whole Parquet file; every input must end in a Status, never a crash, a sanitizer report
// or unbounded memory, and every batch that is produced must validate.
//
// The file is served from memory by a minimal read-only FileSystem, so no disk is touched.
// Reading uses small batches (to exercise records split across batches) and reads each row
// group again with its columns in reverse order (to exercise projection).

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "arcflow/io/file_system.h"
#include "arcflow/parquet/bridge/parquet_metadata_json.h"
#include "arcflow/parquet/bridge/parquet_reader.h"

namespace {

using arcflow::Result;
using arcflow::Status;

class MemoryFile final : public arcflow::io::RandomAccessFile {
 public:
  MemoryFile(std::shared_ptr<const std::string> bytes, std::string path)
      : bytes_(std::move(bytes)), path_(std::move(path)) {}
  Result<int64_t> Size() const override { return static_cast<int64_t>(bytes_->size()); }
  Result<int64_t> ReadAt(int64_t offset, std::span<uint8_t> out) const override {
    const auto size = static_cast<int64_t>(bytes_->size());
    if (offset < 0 || offset > size) return Status::IOError("read past end of {}", path_);
    const int64_t count = std::min<int64_t>(static_cast<int64_t>(out.size()), size - offset);
    if (count > 0) std::memcpy(out.data(), bytes_->data() + offset, static_cast<size_t>(count));
    return count;
  }
  const std::string& path() const override { return path_; }

 private:
  std::shared_ptr<const std::string> bytes_;
  std::string path_;
};

// Serves one file; everything else is refused.
class MemoryFileSystem final : public arcflow::io::FileSystem {
 public:
  explicit MemoryFileSystem(std::shared_ptr<const std::string> bytes) : bytes_(std::move(bytes)) {}

  Result<std::unique_ptr<arcflow::io::RandomAccessFile>> OpenRandomAccess(
      const std::string& path) override {
    return std::unique_ptr<arcflow::io::RandomAccessFile>(new MemoryFile(bytes_, path));
  }
  Result<std::unique_ptr<arcflow::io::SequentialFile>> OpenSequential(const std::string&) override {
    return Status::NotImplemented("memory file system");
  }
  Result<std::unique_ptr<arcflow::io::WritableFile>> OpenWritable(const std::string&) override {
    return Status::NotImplemented("memory file system");
  }
  Result<arcflow::io::FileInfo> GetFileInfo(const std::string& path) override {
    arcflow::io::FileInfo info;
    info.path = path;
    info.size = static_cast<int64_t>(bytes_->size());
    return info;
  }
  Result<std::vector<arcflow::io::FileInfo>> ListDirectory(const std::string&) override {
    return Status::NotImplemented("memory file system");
  }
  Status CreateDirectories(const std::string&) override {
    return Status::NotImplemented("memory file system");
  }
  Status DeleteFile(const std::string&) override {
    return Status::NotImplemented("memory file system");
  }
  Status DeleteDirectoryRecursively(const std::string&) override {
    return Status::NotImplemented("memory file system");
  }
  Status Rename(const std::string&, const std::string&) override {
    return Status::NotImplemented("memory file system");
  }
  Status LinkIfAbsent(const std::string&, const std::string&) override {
    return Status::NotImplemented("memory file system");
  }
  Status SyncDirectory(const std::string&) override {
    return Status::NotImplemented("memory file system");
  }

 private:
  std::shared_ptr<const std::string> bytes_;
};

void CheckBatch(const arcflow::RecordBatchPtr& batch) {
  // A batch that does not validate would hand corrupt memory to every consumer.
  if (!batch->Validate().ok()) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto bytes = std::make_shared<const std::string>(reinterpret_cast<const char*>(data), size);
  auto fs = std::make_shared<MemoryFileSystem>(bytes);
  arcflow::parquet::ParquetReadOptions options;
  options.batch_rows = 3;
  auto reader = arcflow::parquet::ParquetFileReader::Open(fs, "fuzz.parquet", options);
  if (!reader.ok()) return 0;
  (void)arcflow::parquet::FileMetaDataToJson((*reader)->metadata(), (*reader)->parquet_schema(),
                                             arcflow::parquet::JsonStyle::kCompact);

  auto batches = (*reader)->GetRecordBatchReader();
  if (batches.ok()) {
    while (true) {
      auto batch = (*batches)->Next();
      if (!batch.ok() || *batch == nullptr) break;
      CheckBatch(*batch);
    }
  }
  std::vector<int> reversed;
  for (int i = (*reader)->schema()->num_fields() - 1; i >= 0; --i) reversed.push_back(i);
  for (int group = 0; group < (*reader)->num_row_groups() && group < 4; ++group) {
    auto batch = (*reader)->ReadRowGroup(group, reversed);
    if (batch.ok()) CheckBatch(*batch);
  }
  using Op = arcflow::parquet::ColumnPredicate::Op;
  if ((*reader)->schema()->num_fields() > 0) {
    const std::string& name = (*reader)->schema()->field(0).name;
    (void)(*reader)->SelectRowGroups({{name, Op::kGe, "0"}, {name, Op::kIsNotNull, ""}});
  }
  return 0;
}
