// Parquet write and read throughput on a flat 10-column table: integers, doubles, strings of
// low and high cardinality and timestamps, about 5% nulls. Bytes processed are the decoded
// (in-memory) size of the table: fixed-width values plus string bytes.

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "arcflow/columnar/builder.h"
#include "arcflow/columnar/record_batch.h"
#include "arcflow/io/file_system.h"
#include "arcflow/parquet/bridge/parquet_reader.h"
#include "arcflow/parquet/bridge/parquet_writer.h"
#include "bench_util.h"

namespace arcflow::parquet {
namespace {

constexpr int64_t kRows = 1 << 20;
constexpr int64_t kBatchRows = 64 * 1024;

SchemaPtr BenchSchema() {
  return std::make_shared<Schema>(std::vector<Field>{
      Field("id", types::Int64(), false),
      Field("quantity", types::Int32()),
      Field("customer_id", types::Int64()),
      Field("price", types::Float64()),
      Field("discount", types::Float64()),
      Field("category", types::String()),
      Field("customer", types::String()),
      Field("comment", types::String()),
      Field("created_at", types::Timestamp()),
      Field("updated_at", types::Timestamp()),
  });
}

struct Table {
  std::vector<RecordBatchPtr> batches;
  int64_t decoded_bytes = 0;
};

// The table, built once.
const Table& BenchTable() {
  static const Table table = [] {
    Table result;
    std::mt19937_64 random(42);
    const auto null = [&] { return random() % 20 == 0; };
    static const char* kCategories[] = {"books",  "music", "garden", "toys",  "food",
                                        "health", "home",  "sports", "tools", "travel"};
    const int64_t base_time = 1700000000000000;
    for (int64_t start = 0; start < kRows; start += kBatchRows) {
      RecordBatchBuilder builder(BenchSchema());
      auto& id = static_cast<Int64Builder&>(*builder.column_builder(0));
      auto& quantity = static_cast<Int32Builder&>(*builder.column_builder(1));
      auto& customer_id = static_cast<Int64Builder&>(*builder.column_builder(2));
      auto& price = static_cast<Float64Builder&>(*builder.column_builder(3));
      auto& discount = static_cast<Float64Builder&>(*builder.column_builder(4));
      auto& category = static_cast<StringBuilder&>(*builder.column_builder(5));
      auto& customer = static_cast<StringBuilder&>(*builder.column_builder(6));
      auto& comment = static_cast<StringBuilder&>(*builder.column_builder(7));
      auto& created = static_cast<TimestampBuilder&>(*builder.column_builder(8));
      auto& updated = static_cast<TimestampBuilder&>(*builder.column_builder(9));
      for (int64_t row = start; row < start + kBatchRows; ++row) {
        id.Append(row);
        if (null())
          quantity.AppendNull();
        else
          quantity.Append(static_cast<int32_t>(random() % 100));
        if (null())
          customer_id.AppendNull();
        else
          customer_id.Append(static_cast<int64_t>(random() % 50000));
        if (null())
          price.AppendNull();
        else
          price.Append(static_cast<double>(random() % 100000) / 100);
        if (null())
          discount.AppendNull();
        else
          discount.Append(static_cast<double>(random() % 30) / 100);
        if (null())
          category.AppendNull();
        else
          category.Append(kCategories[random() % 10]);
        if (null()) {
          customer.AppendNull();
        } else {
          customer.Append("customer-" + std::to_string(random() % 1000000000));
        }
        if (null()) {
          comment.AppendNull();
        } else {
          comment.Append("order " + std::to_string(row) + " note " +
                         std::to_string(random()).substr(0, 8 + random() % 8));
        }
        const int64_t time = base_time + row * 1000 + static_cast<int64_t>(random() % 1000);
        if (null())
          created.AppendNull();
        else
          created.Append(time);
        if (null())
          updated.AppendNull();
        else
          updated.Append(time + static_cast<int64_t>(random() % 86400000000));
      }
      RecordBatchPtr batch = *builder.Finish();
      for (const ArrayPtr& column : batch->columns()) {
        result.decoded_bytes += column->length() * std::max(column->type()->byte_width(), 0);
        if (column->type()->is_binary_like()) {
          const auto& strings = static_cast<const BinaryArray&>(*column);
          result.decoded_bytes +=
              strings.raw_offsets()[column->length()] - strings.raw_offsets()[0];
        }
      }
      result.batches.push_back(std::move(batch));
    }
    return result;
  }();
  return table;
}

// Counts and discards what is written, so the write benchmark measures the writer.
class NullFile final : public io::WritableFile {
 public:
  Status Append(std::span<const uint8_t> bytes) override {
    size_ += static_cast<int64_t>(bytes.size());
    return Status::OK();
  }
  using WritableFile::Append;
  Status Sync() override { return Status::OK(); }
  Status Close() override { return Status::OK(); }
  const std::string& path() const override { return path_; }

 private:
  std::string path_ = "null";
  int64_t size_ = 0;
};

void BM_WriteParquet(benchmark::State& state) {
  const Table& table = BenchTable();
  ParquetWriteOptions options;
  options.codec = static_cast<codec::CodecType>(state.range(0));
  int64_t file_bytes = 0;
  for (auto _ : state) {
    auto writer = ParquetFileWriter::Open(std::make_unique<NullFile>(), BenchSchema(), options);
    if (!writer.ok()) {
      state.SkipWithError(writer.status().ToString().c_str());
      return;
    }
    for (const RecordBatchPtr& batch : table.batches) {
      Status status = (*writer)->Write(*batch);
      if (!status.ok()) {
        state.SkipWithError(status.ToString().c_str());
        return;
      }
    }
    Status status = (*writer)->Close();
    if (!status.ok()) state.SkipWithError(status.ToString().c_str());
    file_bytes = (*writer)->bytes_written();
  }
  state.SetBytesProcessed(state.iterations() * table.decoded_bytes);
  state.SetItemsProcessed(state.iterations() * kRows);
  state.counters["file_mb"] = static_cast<double>(file_bytes) / (1 << 20);
  state.SetLabel(std::string(codec::CodecTypeName(options.codec)));
  bench::ReportPeakRss(state);
}

void BM_ReadParquet(benchmark::State& state) {
  const Table& table = BenchTable();
  auto fs = io::LocalFileSystem();
  const std::string path = "/tmp/arcflow_parquet_bench_" + std::to_string(::getpid()) + ".parquet";
  {
    ParquetWriteOptions options;
    options.codec = static_cast<codec::CodecType>(state.range(0));
    auto writer = *ParquetFileWriter::Open(*fs->OpenWritable(path), BenchSchema(), options);
    for (const RecordBatchPtr& batch : table.batches) {
      if (!writer->Write(*batch).ok()) state.SkipWithError("write failed");
    }
    if (!writer->Close().ok()) state.SkipWithError("close failed");
  }
  for (auto _ : state) {
    auto reader = ParquetFileReader::Open(fs, path);
    if (!reader.ok()) {
      state.SkipWithError(reader.status().ToString().c_str());
      break;
    }
    auto batches = *(*reader)->GetRecordBatchReader();
    int64_t rows = 0;
    while (true) {
      Result<RecordBatchPtr> batch = batches->Next();
      if (!batch.ok()) {
        state.SkipWithError(batch.status().ToString().c_str());
        break;
      }
      if (*batch == nullptr) break;
      rows += (*batch)->num_rows();
    }
    if (rows != kRows) state.SkipWithError("row count mismatch");
  }
  state.SetBytesProcessed(state.iterations() * table.decoded_bytes);
  state.SetItemsProcessed(state.iterations() * kRows);
  state.SetLabel(std::string(codec::CodecTypeName(static_cast<codec::CodecType>(state.range(0)))));
  bench::ReportPeakRss(state);
  std::remove(path.c_str());
}

BENCHMARK(BM_WriteParquet)
    ->Arg(static_cast<int>(codec::CodecType::kZstd))
    ->Arg(static_cast<int>(codec::CodecType::kSnappy))
    ->Arg(static_cast<int>(codec::CodecType::kUncompressed))
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ReadParquet)
    ->Arg(static_cast<int>(codec::CodecType::kZstd))
    ->Arg(static_cast<int>(codec::CodecType::kUncompressed))
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace arcflow::parquet
