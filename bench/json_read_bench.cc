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

namespace arcflow::json {
namespace {

constexpr int kLineRecords = 250000;
constexpr int kEnvelopeElements = 100000;

const char* const kRecordDdl =
    "id BIGINT, user STRING, amount DECIMAL(10,2), qty INT, active BOOLEAN, ts TIMESTAMP, "
    "city STRING, score DOUBLE, addr STRUCT<zip: STRING, street: STRING>, tags ARRAY<STRING>";

// One record of ten typed fields, with a nested struct and an array; `indent` > 0 pretty-prints
// it at that depth.
std::string Record(std::mt19937_64& random, int64_t id, int indent) {
  static const char* const kCities[] = {"Berlin", "Paris", "Lisbon", "Oslo", "Tokyo"};
  std::string pad = indent > 0 ? "\n" + std::string(static_cast<size_t>(indent) + 2, ' ') : "";
  std::string sep = indent > 0 ? ": " : ":";
  std::string end = indent > 0 ? "\n" + std::string(static_cast<size_t>(indent), ' ') : "";
  auto field = [&](const std::string& name, const std::string& value, bool last = false) {
    return pad + "\"" + name + "\"" + sep + value + (last ? "" : ",");
  };
  uint64_t r = random();
  char amount[32];
  std::snprintf(amount, sizeof(amount), "%llu.%02llu", static_cast<unsigned long long>(r % 100000),
                static_cast<unsigned long long>((r >> 20) % 100));
  char ts[64];
  std::snprintf(ts, sizeof(ts), "\"2024-%02d-%02dT%02d:%02d:%02d.%06dZ\"",
                static_cast<int>(1 + r % 12), static_cast<int>(1 + (r >> 8) % 28),
                static_cast<int>((r >> 16) % 24), static_cast<int>((r >> 24) % 60),
                static_cast<int>((r >> 32) % 60), static_cast<int>((r >> 40) % 1000000));
  std::string record = "{";
  record += field("id", std::to_string(id));
  record += field("user", "\"user_" + std::to_string(r % 1000000) + "\"");
  record += field("amount", amount);
  record += field("qty", std::to_string(r % 50));
  record += field("active", r % 2 ? "true" : "false");
  record += field("ts", ts);
  record += field("city", std::string("\"") + kCities[r % 5] + "\"");
  record += field("score", std::to_string(static_cast<double>(r % 10000) / 7.0));
  record +=
      field("addr", "{\"zip\"" + sep + "\"" + std::to_string(10000 + r % 89999) + "\", \"street\"" +
                        sep + "\"Main Street " + std::to_string(r % 300) + "\"}");
  record +=
      field("tags", "[\"t" + std::to_string(r % 7) + "\", \"t" + std::to_string(r % 11) + "\"]",
            /*last=*/true);
  record += end + "}";
  return record;
}

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
    {
      std::ofstream out(lines_path, std::ios::binary);
      for (int i = 0; i < kLineRecords; ++i) out << Record(random, i, 0) << '\n';
    }
    envelope_path = (directory / "envelope.json").string();
    {
      std::ofstream out(envelope_path, std::ios::binary);
      out << "{\n  \"_meta\": {\n    \"source\": \"orders-api\",\n    \"count\": "
          << kEnvelopeElements
          << ",\n    \"generated\": \"2024-01-02T03:04:05Z\"\n  },\n  \"data\": [\n";
      for (int i = 0; i < kEnvelopeElements; ++i) {
        out << "    " << Record(random, i, 4) << (i + 1 < kEnvelopeElements ? ",\n" : "\n");
      }
      out << "  ]\n}\n";
    }
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

void ReadAll(benchmark::State& state, const std::string& path, SchemaPtr schema) {
  JsonReadOptions options;
  options.schema = std::move(schema);
  Result<std::unique_ptr<JsonReader>> reader =
      JsonReader::Open(io::LocalFileSystem(), path, options);
  if (!reader.ok()) {
    state.SkipWithError(reader.status().ToString().c_str());
    return;
  }
  int64_t rows = 0;
  while (true) {
    Result<RecordBatchPtr> batch = (*reader)->Next();
    if (!batch.ok()) {
      state.SkipWithError(batch.status().ToString().c_str());
      return;
    }
    if (*batch == nullptr) break;
    rows += (*batch)->num_rows();
    benchmark::DoNotOptimize(*batch);
  }
  if ((*reader)->stats().corrupt_records != 0) state.SkipWithError("corrupt records in bench data");
  state.counters["rows"] = static_cast<double>(rows);
}

void BM_JsonLinesWithSchema(benchmark::State& state) {
  const BenchFiles& files = Files();
  SchemaPtr schema = *ParseDdlSchema(kRecordDdl);
  for (auto _ : state) ReadAll(state, files.lines_path, schema);
  state.SetBytesProcessed(state.iterations() * files.lines_bytes);
}
BENCHMARK(BM_JsonLinesWithSchema)->Unit(benchmark::kMillisecond);

void BM_PrettyEnvelope(benchmark::State& state) {
  const BenchFiles& files = Files();
  SchemaPtr schema = *ParseDdlSchema(
      std::string("_meta STRUCT<source: STRING, count: BIGINT, generated: TIMESTAMP>, "
                  "data ARRAY<STRUCT<") +
      "id: BIGINT, user: STRING, amount: DECIMAL(10,2), qty: INT, active: BOOLEAN, "
      "ts: TIMESTAMP, city: STRING, score: DOUBLE, addr: STRUCT<zip: STRING, street: STRING>, "
      "tags: ARRAY<STRING>>>");
  for (auto _ : state) ReadAll(state, files.envelope_path, schema);
  state.SetBytesProcessed(state.iterations() * files.envelope_bytes);
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
}
BENCHMARK(BM_JsonLinesInferSchema)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace arcflow::json

BENCHMARK_MAIN();
