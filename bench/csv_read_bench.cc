// Throughput of the CSV reader (src/arcflow/csv/): tokenizing alone, reading into typed and
// all-string batches, quoted multi-line input, schema inference, and writing. Each benchmark
// generates its own data into a temporary file once and reports bytes of CSV per second.

#include <stdlib.h>
#include <unistd.h>

#include <benchmark/benchmark.h>

#include <cstdio>
#include <memory>
#include <random>
#include <string>

#include "arcflow/columnar/schema_ddl.h"
#include "arcflow/csv/reader.h"
#include "arcflow/csv/record_reader.h"
#include "arcflow/csv/schema_inference.h"
#include "arcflow/csv/writer.h"
#include "bench_util.h"

namespace arcflow::bench {
namespace {

constexpr int kRows = 400000;

// A generated CSV file, deleted at exit.
class GeneratedFile {
 public:
  explicit GeneratedFile(const std::string& contents) {
    const char* base = getenv("TMPDIR");
    path_ =
        std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/arcflow_csv_bench_XXXXXX";
    int fd = mkstemp(path_.data());
    if (fd < 0) std::abort();
    close(fd);
    auto file = io::LocalFileSystem()->OpenWritable(path_);
    if (!file.ok() || !(*file)->Append(contents).ok() || !(*file)->Close().ok()) std::abort();
    size_ = static_cast<int64_t>(contents.size());
  }
  ~GeneratedFile() { std::remove(path_.c_str()); }
  const std::string& path() const { return path_; }
  int64_t size() const { return size_; }

 private:
  std::string path_;
  int64_t size_ = 0;
};

constexpr std::string_view kTypedSchema =
    "id BIGINT, qty INT, price DOUBLE, amount DECIMAL(12,2), flag BOOLEAN, name STRING, "
    "ts TIMESTAMP, day DATE";

// Sales-like rows: integers, floats, decimals, booleans, short strings, ISO dates and times.
const GeneratedFile& TypedFile() {
  static const GeneratedFile kFile([] {
    std::mt19937_64 random(42);
    std::string text = "id,qty,price,amount,flag,name,ts,day\n";
    const char* const kNames[] = {"alpha", "beta", "gamma delta", "epsilon", "zeta-eta"};
    for (int i = 0; i < kRows; ++i) {
      uint64_t r = random();
      text += std::to_string(1000000 + i) + "," + std::to_string(r % 1000) + "," +
              std::to_string(static_cast<double>(r % 100000) / 7.0) + "," +
              std::to_string(r % 10000000) + "." + std::to_string(10 + r % 90) + "," +
              ((r >> 20) & 1 ? "true" : "false") + "," + kNames[(r >> 24) % 5] + "," + "2024-0" +
              std::to_string(1 + (r >> 30) % 9) + "-1" + std::to_string((r >> 34) % 10) + "T1" +
              std::to_string((r >> 38) % 10) + ":3" + std::to_string((r >> 42) % 10) +
              ":00.123456Z,2023-1" + std::to_string((r >> 46) % 3) + "-2" +
              std::to_string((r >> 50) % 9) + "\n";
    }
    return text;
  }());
  return kFile;
}

// Text with quoted fields holding delimiters, escaped quotes and line breaks.
const GeneratedFile& QuotedFile() {
  static const GeneratedFile kFile([] {
    std::mt19937_64 random(7);
    std::string text = "k,comment,v\n";
    for (int i = 0; i < kRows; ++i) {
      uint64_t r = random();
      text += std::to_string(i) + ",\"said \\\"hi\\\", then\nleft " + std::to_string(r % 997) +
              "\"," + std::to_string(r % 100) + "\n";
    }
    return text;
  }());
  return kFile;
}

void ReadWhole(benchmark::State& state, const GeneratedFile& file,
               const csv::CsvReadOptions& options) {
  int64_t rows = 0;
  for (auto _ : state) {
    auto reader = csv::CsvReader::Open(io::LocalFileSystem(), file.path(), options);
    if (!reader.ok()) {
      state.SkipWithError(reader.status().ToString().c_str());
      return;
    }
    while (true) {
      Result<RecordBatchPtr> batch = (*reader)->Next();
      if (!batch.ok()) {
        state.SkipWithError(batch.status().ToString().c_str());
        return;
      }
      if (*batch == nullptr) break;
      rows += (*batch)->num_rows();
      benchmark::DoNotOptimize(batch->get());
    }
  }
  state.SetBytesProcessed(state.iterations() * file.size());
  state.SetItemsProcessed(rows);
  ReportPeakRss(state);
}

void BM_CsvTokenize(benchmark::State& state) {
  const GeneratedFile& file = TypedFile();
  int64_t fields = 0;
  for (auto _ : state) {
    auto opened = io::LocalFileSystem()->OpenSequential(file.path());
    csv::CsvRecordReader reader(std::move(opened).MoveValueUnsafe(), csv::TokenizerOptions());
    csv::ParsedRecord record;
    while (true) {
      Result<bool> more = reader.Next(&record);
      if (!more.ok() || !*more) break;
      fields += static_cast<int64_t>(record.fields.size());
    }
  }
  benchmark::DoNotOptimize(fields);
  state.SetBytesProcessed(state.iterations() * file.size());
  ReportPeakRss(state);
}
BENCHMARK(BM_CsvTokenize)->Unit(benchmark::kMillisecond);

void BM_CsvReadTyped(benchmark::State& state) {
  csv::CsvReadOptions options;
  options.header = true;
  options.schema = ParseDdlSchema(kTypedSchema).ValueOrDie();
  ReadWhole(state, TypedFile(), options);
}
BENCHMARK(BM_CsvReadTyped)->Unit(benchmark::kMillisecond);

void BM_CsvReadStrings(benchmark::State& state) {
  csv::CsvReadOptions options;
  options.header = true;
  ReadWhole(state, TypedFile(), options);
}
BENCHMARK(BM_CsvReadStrings)->Unit(benchmark::kMillisecond);

void BM_CsvReadQuotedMultiLine(benchmark::State& state) {
  csv::CsvReadOptions options;
  options.header = true;
  options.multi_line = true;
  ReadWhole(state, QuotedFile(), options);
}
BENCHMARK(BM_CsvReadQuotedMultiLine)->Unit(benchmark::kMillisecond);

void BM_CsvInferSchema(benchmark::State& state) {
  const GeneratedFile& file = TypedFile();
  csv::CsvReadOptions options;
  options.header = true;
  for (auto _ : state) {
    Result<SchemaPtr> schema = csv::InferCsvSchema(*io::LocalFileSystem(), {file.path()}, options);
    if (!schema.ok()) {
      state.SkipWithError(schema.status().ToString().c_str());
      return;
    }
    benchmark::DoNotOptimize(schema->get());
  }
  state.SetBytesProcessed(state.iterations() * file.size());
  ReportPeakRss(state);
}
BENCHMARK(BM_CsvInferSchema)->Unit(benchmark::kMillisecond);

void BM_CsvWriteTyped(benchmark::State& state) {
  csv::CsvReadOptions read;
  read.header = true;
  read.schema = ParseDdlSchema(kTypedSchema).ValueOrDie();
  auto reader = csv::CsvReader::Open(io::LocalFileSystem(), TypedFile().path(), read);
  std::vector<RecordBatchPtr> batches;
  while (true) {
    RecordBatchPtr batch = (*reader)->Next().ValueOrDie();
    if (batch == nullptr) break;
    batches.push_back(batch);
  }
  std::string out_path = TypedFile().path() + ".out";
  csv::CsvWriteOptions options;
  options.header = true;
  for (auto _ : state) {
    auto file = io::LocalFileSystem()->OpenWritable(out_path);
    auto writer =
        csv::CsvWriter::Open(std::move(file).MoveValueUnsafe(), (*reader)->schema(), options);
    for (const RecordBatchPtr& batch : batches) {
      if (!(*writer)->Write(*batch).ok()) state.SkipWithError("write failed");
    }
    if (!(*writer)->Close().ok()) state.SkipWithError("close failed");
  }
  std::remove(out_path.c_str());
  state.SetBytesProcessed(state.iterations() * TypedFile().size());
  int64_t rows = 0;
  for (const RecordBatchPtr& batch : batches) rows += batch->num_rows();
  state.SetItemsProcessed(state.iterations() * rows);
  ReportPeakRss(state);
}
BENCHMARK(BM_CsvWriteTyped)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace arcflow::bench
