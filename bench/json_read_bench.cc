// Throughput of the JSON reader: JSON lines with a schema, a pretty-printed envelope holding a
// 100k-element array, and schema inference. Generates its own data into a temporary directory.
// Reports bytes of JSON read per second.

#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "arcflow/columnar/schema_ddl.h"
#include "arcflow/json/json_reader.h"
#include "arcflow/json/json_schema_inference.h"
#include "bench_data.h"
#include "bench_util.h"

namespace arcflow::json {
namespace {

constexpr int kLineRecords = 250000;
constexpr int kEnvelopeElements = 100000;

struct BenchFiles {
  std::filesystem::path directory;
  std::string lines_path;
  std::string envelope_path;
  int64_t lines_bytes = 0;
  int64_t envelope_bytes = 0;

  BenchFiles() {
    directory = std::filesystem::temp_directory_path() /
                ("arcflow_json_bench_" + std::to_string(std::random_device()()));
    std::filesystem::create_directories(directory);
    std::mt19937_64 random(1);
    lines_path = (directory / "records.json").string();
    bench::WriteJsonLines(lines_path, random, kLineRecords);
    envelope_path = (directory / "envelope.json").string();
    bench::WriteEnvelope(envelope_path, random, kEnvelopeElements);
    lines_bytes = static_cast<int64_t>(std::filesystem::file_size(lines_path));
    envelope_bytes = static_cast<int64_t>(std::filesystem::file_size(envelope_path));
  }
  ~BenchFiles() {
    std::error_code ignored;
    std::filesystem::remove_all(directory, ignored);
  }
};

const BenchFiles& Files() {
  static BenchFiles files;
  return files;
}

// Returns the rows read, 0 after an error (which skips the benchmark).
int64_t ReadAll(benchmark::State& state, const std::string& path, SchemaPtr schema) {
  JsonReadOptions options;
  options.schema = std::move(schema);
  Result<std::unique_ptr<JsonReader>> reader =
      JsonReader::Open(io::LocalFileSystem(), path, options);
  if (!reader.ok()) {
    state.SkipWithError(reader.status().ToString().c_str());
    return 0;
  }
  int64_t rows = 0;
  while (true) {
    Result<RecordBatchPtr> batch = (*reader)->Next();
    if (!batch.ok()) {
      state.SkipWithError(batch.status().ToString().c_str());
      return 0;
    }
    if (*batch == nullptr) break;
    rows += (*batch)->num_rows();
    benchmark::DoNotOptimize(*batch);
  }
  if ((*reader)->stats().corrupt_records != 0) state.SkipWithError("corrupt records in bench data");
  state.counters["rows"] = static_cast<double>(rows);
  return rows;
}

void BM_JsonLinesWithSchema(benchmark::State& state) {
  const BenchFiles& files = Files();
  SchemaPtr schema = *ParseDdlSchema(bench::kRecordDdl);
  int64_t rows = 0;
  for (auto _ : state) rows = ReadAll(state, files.lines_path, schema);
  state.SetBytesProcessed(state.iterations() * files.lines_bytes);
  state.SetItemsProcessed(state.iterations() * rows);
  bench::ReportPeakRss(state);
}
BENCHMARK(BM_JsonLinesWithSchema)->Unit(benchmark::kMillisecond);

void BM_PrettyEnvelope(benchmark::State& state) {
  const BenchFiles& files = Files();
  SchemaPtr schema = *ParseDdlSchema(bench::kEnvelopeDdl);
  // One row (the envelope); rows per second would say nothing.
  for (auto _ : state) ReadAll(state, files.envelope_path, schema);
  state.SetBytesProcessed(state.iterations() * files.envelope_bytes);
  bench::ReportPeakRss(state);
}
BENCHMARK(BM_PrettyEnvelope)->Unit(benchmark::kMillisecond);

void BM_JsonLinesInferSchema(benchmark::State& state) {
  const BenchFiles& files = Files();
  for (auto _ : state) {
    Result<SchemaPtr> schema =
        InferJsonSchema(*io::LocalFileSystem(), {files.lines_path}, JsonReadOptions());
    if (!schema.ok()) {
      state.SkipWithError(schema.status().ToString().c_str());
      return;
    }
    benchmark::DoNotOptimize(*schema);
  }
  state.SetBytesProcessed(state.iterations() * files.lines_bytes);
  bench::ReportPeakRss(state);
}
BENCHMARK(BM_JsonLinesInferSchema)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace arcflow::json
