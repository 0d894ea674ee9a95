// Delta table costs: opening the latest snapshot of a large checkpointed log, appending through
// DeltaTable (bound by Parquet writing, not by the log), a MERGE that changes 1% of the keys of
// a 2- and a 10-million-row table (proportional to the files touched) with one key column and
// with two, and with deletion vectors, next to the Parquet layer alone reading and rewriting
// the touched file, and
// MERGE's choice of candidate files for 100,000 keys among 10,000 files. Tables are generated into
// a temporary directory.

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include "arcflow/columnar/builder.h"
#include "arcflow/columnar/record_batch.h"
#include "arcflow/delta/checkpoint_writer.h"
#include "arcflow/delta/data_skipping.h"
#include "arcflow/delta/delta_table.h"
#include "arcflow/delta/merge.h"
#include "arcflow/delta/merge_key_index.h"
#include "arcflow/delta/snapshot.h"
#include "arcflow/io/atomic_publish.h"
#include "arcflow/parquet/bridge/parquet_reader.h"
#include "arcflow/parquet/bridge/parquet_writer.h"
#include "bench_util.h"

namespace arcflow::delta {
namespace {

std::string TempDirectory(const std::string& name) {
  auto path = std::filesystem::temp_directory_path() /
              (name + "_" + std::to_string(std::random_device()()));
  std::filesystem::create_directories(path);
  return path.string();
}

SchemaPtr OrderSchema() {
  return std::make_shared<const Schema>(
      std::vector<Field>{Field("id", types::Int64()), Field("customer", types::String()),
                         Field("amount", types::Float64()), Field("quantity", types::Int32())});
}

// Rows with ids [first, first + count).
RecordBatchPtr Orders(int64_t first, int64_t count, double amount_offset) {
  Int64Builder ids(types::Int64());
  BinaryBuilder customers(types::String());
  Float64Builder amounts(types::Float64());
  Int32Builder quantities(types::Int32());
  for (int64_t i = first; i < first + count; ++i) {
    ids.Append(i);
    customers.Append("customer-" + std::to_string(i % 10007));
    amounts.Append(static_cast<double>(i % 1000) / 10.0 + amount_offset);
    quantities.Append(static_cast<int32_t>(i % 17));
  }
  return *RecordBatch::Make(
      OrderSchema(), count,
      {*ids.Finish(), *customers.Finish(), *amounts.Finish(), *quantities.Finish()});
}

// A table with `commits` commits of `adds_per_commit` add actions each (the data files are not
// needed to open a snapshot) and a checkpoint `tail` commits before the end.
struct LargeLog {
  std::string root = TempDirectory("arcflow_delta_log_bench");
  LargeLog(int commits, int adds_per_commit, int tail) {
    auto fs = io::LocalFileSystem();
    const std::string log = root + "/_delta_log";
    (void)fs->CreateDirectories(log);
    Metadata metadata;
    metadata.id = "5e6ed2a0-3b1c-4a57-9c55-3f1a1f7c0b11";
    metadata.schema_string =
        R"({"type":"struct","fields":[{"name":"id","type":"long","nullable":true,"metadata":{}}]})";
    metadata.created_time = 1700000000000;
    for (int version = 0; version < commits; ++version) {
      std::vector<Action> actions;
      if (version == 0) {
        actions.emplace_back(Protocol{});
        actions.emplace_back(metadata);
      }
      for (int i = 0; i < adds_per_commit; ++i) {
        AddFile add;
        add.path = "part-" + std::to_string(version) + "-" + std::to_string(i) + ".parquet";
        add.size = 4096;
        add.modification_time = 1700000000000 + version;
        add.stats = R"({"numRecords":100,"minValues":{"id":0},"maxValues":{"id":99},)"
                    R"("nullCount":{"id":0}})";
        actions.emplace_back(std::move(add));
      }
      char name[32];
      std::snprintf(name, sizeof(name), "%020d.json", version);
      (void)io::PublishFile(fs, log + "/" + name, SerializeCommit(actions),
                            io::PublishMode::kReplace);
      if (version == commits - 1 - tail) {
        auto snapshot = Snapshot::Load(fs, root);
        if (snapshot.ok()) (void)WriteCheckpoint(**snapshot);
      }
    }
  }
  ~LargeLog() {
    std::error_code ignored;
    std::filesystem::remove_all(root, ignored);
  }
};

void BM_OpenCheckpointedSnapshot(benchmark::State& state) {
  static LargeLog log(/*commits=*/1000, /*adds_per_commit=*/10, /*tail=*/9);
  auto fs = io::LocalFileSystem();
  for (auto _ : state) {
    auto snapshot = Snapshot::Load(fs, log.root);
    if (!snapshot.ok() || (*snapshot)->files().size() != 10000) {
      state.SkipWithError("snapshot did not load 10,000 files");
      return;
    }
    benchmark::DoNotOptimize(*snapshot);
  }
  state.counters["files"] = 10000;
  bench::ReportPeakRss(state);
}
BENCHMARK(BM_OpenCheckpointedSnapshot)->Unit(benchmark::kMillisecond);

// The bytes of the buffers of `batch`'s columns, the measure of MB/s of writing it.
int64_t BufferBytes(const RecordBatch& batch) {
  int64_t bytes = 0;
  for (const ArrayPtr& column : batch.columns()) {
    for (const auto& buffer : column->data()->buffers) bytes += buffer ? buffer->size() : 0;
  }
  return bytes;
}

void BM_Append(benchmark::State& state) {
  constexpr int64_t kRows = 1 << 20;
  RecordBatchPtr batch = Orders(0, kRows, 0);
  const int64_t bytes = BufferBytes(*batch);
  for (auto _ : state) {
    state.PauseTiming();
    const std::string root = TempDirectory("arcflow_delta_append_bench");
    CreateTableOptions create;
    create.schema = OrderSchema();
    auto table = DeltaTable::Create(io::LocalFileSystem(), root, create);
    state.ResumeTiming();
    auto written = (*table)->Append({batch});
    if (!written.ok()) state.SkipWithError(written.status().ToString().c_str());
    state.PauseTiming();
    std::filesystem::remove_all(root);
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() * kRows);
  state.SetBytesProcessed(state.iterations() * bytes);
  bench::ReportPeakRss(state);
}
BENCHMARK(BM_Append)->Unit(benchmark::kMillisecond)->UseRealTime();

// What BM_Append is measured against: the Parquet layer alone writing the same batch to one
// file with the table's default codec, without log, statistics or the atomic publish.
void BM_WriteAppendedBatchWithParquetOnly(benchmark::State& state) {
  constexpr int64_t kRows = 1 << 20;
  RecordBatchPtr batch = Orders(0, kRows, 0);
  const int64_t bytes = BufferBytes(*batch);
  const std::string root = TempDirectory("arcflow_parquet_append_bench");
  auto fs = io::LocalFileSystem();
  const parquet::ParquetWriteOptions options;  // zstd, as a table's files by default.
  for (auto _ : state) {
    auto file = fs->OpenWritable(root + "/batch.parquet");
    if (!file.ok()) {
      state.SkipWithError(file.status().ToString().c_str());
      break;
    }
    auto writer = parquet::ParquetFileWriter::Open(std::move(*file), OrderSchema(), options);
    Status written = writer.ok() ? (*writer)->Write(*batch) : writer.status();
    if (written.ok()) written = (*writer)->Close();
    if (!written.ok()) {
      state.SkipWithError(written.ToString().c_str());
      break;
    }
  }
  std::error_code ignored;
  std::filesystem::remove_all(root, ignored);
  state.SetItemsProcessed(state.iterations() * kRows);
  state.SetBytesProcessed(state.iterations() * bytes);
  bench::ReportPeakRss(state);
}
BENCHMARK(BM_WriteAppendedBatchWithParquetOnly)->Unit(benchmark::kMillisecond)->UseRealTime();

// A table of `files` files of 100,000 ids each (20 files: 2 million rows; 100 files: 10 million).
// The merge updates `updated` existing keys in one id range, which statistics narrow to one
// file, and inserts 1,000 new ones. With the same source, the time must not grow with the
// table: only the touched file is read and rewritten.
constexpr int64_t kRowsPerFile = 100000;
constexpr int64_t kUpdatedFirstId = 500000;

struct MergeTable {
  std::string root = TempDirectory("arcflow_delta_merge_bench");
  // The files of the table's directory and of its log as built.
  std::set<std::string> built_files;
  MergeTable(int64_t files, StringMap configuration = {}) {
    CreateTableOptions create;
    create.schema = OrderSchema();
    create.configuration = std::move(configuration);
    auto table = DeltaTable::Create(io::LocalFileSystem(), root, create);
    for (int64_t file = 0; file < files; ++file) {
      (void)(*table)->Append({Orders(file * kRowsPerFile, kRowsPerFile, 0)});
    }
    for (const std::string& directory : {root, root + "/_delta_log"}) {
      for (const auto& entry : std::filesystem::directory_iterator(directory)) {
        if (entry.is_regular_file()) built_files.insert(entry.path().string());
      }
    }
  }
  // Deletes the files made since the table was built (commits, checkpoints, data and deletion
  // vector files), so that every merge starts from the same table: the first merge of a
  // source, not a later one finding its own earlier output.
  void RollBack() const {
    for (const std::string& directory : {root, root + "/_delta_log"}) {
      for (const auto& entry : std::filesystem::directory_iterator(directory)) {
        if (entry.is_regular_file() && built_files.count(entry.path().string()) == 0) {
          std::filesystem::remove(entry.path());
        }
      }
    }
  }
  ~MergeTable() {
    std::error_code ignored;
    std::filesystem::remove_all(root, ignored);
  }
};

// The merges encode on one thread per core, unless ARCFLOW_BENCH_WRITE_THREADS says otherwise:
// set it to 1 to count a merge's instructions under callgrind, which counts only the threads
// inside the function it is told to collect.
TransactionOptions MergeTransactionOptions() {
  TransactionOptions options;
  if (const char* threads = std::getenv("ARCFLOW_BENCH_WRITE_THREADS")) {
    options.write_threads = std::atoi(threads);
  }
  return options;
}

void RunMergeOnePercent(benchmark::State& state, std::vector<std::string> key_columns,
                        StringMap configuration = {}, int64_t first_updated_id = kUpdatedFirstId) {
  const int64_t files = state.range(0);
  const int64_t updated = state.range(1);
  MergeTable table(files, std::move(configuration));
  auto fs = io::LocalFileSystem();
  std::vector<RecordBatchPtr> source = {Orders(first_updated_id, updated, 1000),
                                        Orders(files * kRowsPerFile, 1000, 0)};
  MergeOptions options;
  options.key_columns = std::move(key_columns);
  int64_t candidates = 0;
  int64_t rewritten = 0;
  int64_t vectors = 0;
  // Every iteration merges into the table as built, so one snapshot serves them all, as a
  // pipeline merges into the snapshot its last commit returned rather than replaying the log
  // (BM_OpenCheckpointedSnapshot measures that).
  auto snapshot = Snapshot::Load(fs, table.root);
  if (!snapshot.ok()) {
    state.SkipWithError(snapshot.status().ToString().c_str());
    return;
  }
  for (auto _ : state) {
    state.PauseTiming();
    table.RollBack();
    state.ResumeTiming();
    auto merged = Merge(*snapshot, source, options, MergeTransactionOptions());
    if (!merged.ok()) {
      state.SkipWithError(merged.status().ToString().c_str());
      break;
    }
    candidates = merged->num_candidate_files;
    rewritten = merged->num_files_removed;
    vectors = merged->num_deletion_vectors_added;
  }
  state.counters["table_rows"] = static_cast<double>(files * kRowsPerFile);
  state.counters["candidate_files"] = static_cast<double>(candidates);
  state.counters["files_rewritten"] = static_cast<double>(rewritten);
  state.counters["deletion_vectors"] = static_cast<double>(vectors);
  state.SetItemsProcessed(state.iterations() * (updated + 1000));
  bench::ReportPeakRss(state);
}

// Table files × updated keys: 1% of 2 million; the same source against 10 million rows; 1% of
// 10 million (100,000 keys, one file's worth).
void MergeSizes(benchmark::internal::Benchmark* bench) {
  bench->ArgNames({"files", "updated"})->Args({20, 20000})->Args({100, 20000})->Args({100, 100000});
}

void BM_MergeOnePercent(benchmark::State& state) { RunMergeOnePercent(state, {"id"}); }
BENCHMARK(BM_MergeOnePercent)->Apply(MergeSizes)->Unit(benchmark::kMillisecond)->UseRealTime();

// The same merge with the updated ids starting 10,000 rows into the file: they span two of the
// file's five pages (of 20,000 rows) in every column, where the merge above updates exactly the
// first page; the other three are copied as stored.
void BM_MergeOnePercentAcrossPages(benchmark::State& state) {
  RunMergeOnePercent(state, {"id"}, {}, kUpdatedFirstId + 10000);
}
BENCHMARK(BM_MergeOnePercentAcrossPages)
    ->Args({20, 20000})
    ->ArgNames({"files", "updated"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// The same merge into a table with delta.enableDeletionVectors: the touched file keeps its
// data and gets a deletion vector, and only the updated and inserted rows are written.
void BM_MergeOnePercentDeletionVectors(benchmark::State& state) {
  RunMergeOnePercent(state, {"id"}, {{"delta.enableDeletionVectors", "true"}});
}
BENCHMARK(BM_MergeOnePercentDeletionVectors)
    ->Apply(MergeSizes)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// The same merge keyed by (customer, id): every file holds nearly every customer, so the
// customer range narrows nothing and the candidates follow the (customer, id) tuples.
void BM_MergeOnePercentCompositeKey(benchmark::State& state) {
  RunMergeOnePercent(state, {"customer", "id"});
}
BENCHMARK(BM_MergeOnePercentCompositeKey)
    ->Args({20, 20000})
    ->ArgNames({"files", "updated"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// The floor MERGE is measured against: the Parquet layer alone reading the one file the merge
// touches and writing as many rows as the merge writes (the file's rows, then the inserted
// ones) to a new file, with no log, keys or statistics. Same arguments as BM_MergeOnePercent.
// One iteration, out of line so that a profiler can single it out. `durable` publishes the file
// as a table's data file must be (fsync, link, directory fsync: io::AtomicFileWriter).
[[gnu::noinline]] Status RewriteWithParquetOnly(const std::shared_ptr<io::FileSystem>& fs,
                                                const std::string& touched,
                                                const RecordBatch& inserts,
                                                const std::string& output, bool durable) {
  ARCFLOW_ASSIGN_OR_RETURN(auto reader, parquet::ParquetFileReader::Open(fs, touched));
  ARCFLOW_ASSIGN_OR_RETURN(auto batches, reader->GetRecordBatchReader());
  std::unique_ptr<io::WritableFile> file;
  if (durable) {
    (void)fs->DeleteFile(output);
    ARCFLOW_ASSIGN_OR_RETURN(file,
                             io::AtomicFileWriter::Open(fs, output, io::PublishMode::kIfAbsent));
  } else {
    ARCFLOW_ASSIGN_OR_RETURN(file, fs->OpenWritable(output));
  }
  ARCFLOW_ASSIGN_OR_RETURN(auto writer,
                           parquet::ParquetFileWriter::Open(std::move(file), OrderSchema(), {}));
  while (true) {
    ARCFLOW_ASSIGN_OR_RETURN(RecordBatchPtr batch, batches->Next());
    if (batch == nullptr) break;
    ARCFLOW_RETURN_NOT_OK(writer->Write(*batch));
  }
  ARCFLOW_RETURN_NOT_OK(writer->Write(inserts));
  return writer->Close();
}

void RunRewriteTouchedFileWithParquetOnly(benchmark::State& state, bool durable) {
  const int64_t files = state.range(0);
  const int64_t updated = state.range(1);
  MergeTable table(files);
  auto fs = io::LocalFileSystem();
  auto snapshot = Snapshot::Load(fs, table.root);
  std::string touched;
  for (const AddFile& add : (*snapshot)->files()) {
    std::optional<FileStatistics> stats = FileStatistics::ParseForSkipping(add);
    if (!stats) continue;
    auto min = stats->min_values.find("id");
    if (min != stats->min_values.end() && min->second == std::to_string(kUpdatedFirstId)) {
      touched = table.root + "/" + add.path;
    }
  }
  if (touched.empty()) {
    state.SkipWithError("no file starts at the updated id range");
    return;
  }
  RecordBatchPtr inserts = Orders(files * kRowsPerFile, 1000, 0);
  const std::string output = table.root + "/rewritten.parquet";
  for (auto _ : state) {
    Status rewritten = RewriteWithParquetOnly(fs, touched, *inserts, output, durable);
    if (!rewritten.ok()) {
      state.SkipWithError(rewritten.ToString().c_str());
      break;
    }
  }
  state.counters["table_rows"] = static_cast<double>(files * kRowsPerFile);
  state.SetItemsProcessed(state.iterations() * (updated + 1000));
  bench::ReportPeakRss(state);
}
void BM_RewriteTouchedFileWithParquetOnly(benchmark::State& state) {
  RunRewriteTouchedFileWithParquetOnly(state, /*durable=*/false);
}
BENCHMARK(BM_RewriteTouchedFileWithParquetOnly)
    ->Apply(MergeSizes)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// The same, with the file published durably as MERGE publishes its files (MERGE also commits,
// which syncs the log).
void BM_RewriteTouchedFileWithParquetOnlyDurably(benchmark::State& state) {
  RunRewriteTouchedFileWithParquetOnly(state, /*durable=*/true);
}
BENCHMARK(BM_RewriteTouchedFileWithParquetOnlyDurably)
    ->Apply(MergeSizes)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// MERGE's candidate selection alone at scale: 100,000 source keys (customer, id) against the
// add actions of 10,000 files, each with statistics parsed once and checked against the source
// key range (FileSkipper) and the key tuples (MergeKeyIndex), as Merge does. Each file holds
// 1,000 ids and every customer; the source keys are spread over the whole id range and fall
// in 1 file in 10 (100 keys each), and in half of those their customers lie outside the
// file's customer range, so 500 files are candidates, while the key range would keep all
// 10,000 and each column on its own 1,000.
void BM_MergeCandidateSelection(benchmark::State& state) {
  constexpr int64_t kFiles = 10000;
  constexpr int64_t kIdsPerFile = 1000;
  constexpr int64_t kKeys = 100000;
  std::vector<AddFile> files;
  for (int64_t file = 0; file < kFiles; ++file) {
    AddFile add;
    add.path = "part-" + std::to_string(file) + ".parquet";
    add.stats = fmt::format(
        R"({{"numRecords":{},"minValues":{{"id":{},"customer":"customer-0"}},)"
        R"("maxValues":{{"id":{},"customer":"customer-9999"}},"nullCount":{{"id":0,"customer":0}}}})",
        kIdsPerFile, file * kIdsPerFile, (file + 1) * kIdsPerFile - 1);
    files.push_back(std::move(add));
  }
  // 100 ids in every tenth file; in every other such file with customers past the files'
  // customer range, so that only the tuples, not the columns one by one, exclude them.
  StringBuilder customers(types::String());
  Int64Builder ids(types::Int64());
  std::mt19937_64 random(7);
  for (int64_t i = 0; i < kKeys; ++i) {
    const int64_t file = (i % (kFiles / 10)) * 10;
    const int64_t id = file * kIdsPerFile + static_cast<int64_t>(random() % kIdsPerFile);
    const bool outside = (file / 10) % 2 == 1;
    customers.Append(outside ? "zz-customer-" + std::to_string(i)
                             : "customer-" + std::to_string(i % 10000));
    ids.Append(id);
  }
  const std::vector<ArrayPtr> keys = {*customers.Finish(), *ids.Finish()};
  const std::vector<Predicate> key_ranges = {
      {"customer", Predicate::Op::kGe, "customer-0"},
      {"customer", Predicate::Op::kLe, "zz-customer-99999"},
      {"id", Predicate::Op::kGe, "0"},
      {"id", Predicate::Op::kLe, std::to_string(kFiles * kIdsPerFile)}};
  int64_t candidates = 0;
  for (auto _ : state) {
    auto skipper =
        FileSkipper::Make(OrderSchema(), {}, ColumnMappingMode::kNone, key_ranges).ValueOrDie();
    MergeKeyIndex index =
        MergeKeyIndex::Make(*OrderSchema(), {}, ColumnMappingMode::kNone, {"customer", "id"}, keys);
    candidates = 0;
    for (const AddFile& file : files) {
      std::optional<FileStatistics> stats = FileStatistics::ParseForSkipping(file);
      const FileStatistics* file_stats = stats ? &*stats : nullptr;
      if (*skipper.CanSkip(file, file_stats)) continue;
      if (index.MayHoldAny(file, file_stats)) ++candidates;
    }
    benchmark::DoNotOptimize(candidates);
  }
  state.counters["candidate_files"] = static_cast<double>(candidates);
  state.counters["table_files"] = static_cast<double>(kFiles);
  state.counters["source_keys"] = static_cast<double>(kKeys);
  state.SetItemsProcessed(state.iterations() * kFiles);
  bench::ReportPeakRss(state);
}
BENCHMARK(BM_MergeCandidateSelection)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace arcflow::delta
