#include "arcflow/delta/optimize.h"

#include <algorithm>
#include <map>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "arcflow/columnar/schema_json.h"
#include "arcflow/delta/data_file_writer.h"
#include "arcflow/delta/table_scan.h"

namespace arcflow::delta {

namespace {

// Groups files by partition: the partition values sorted by column name.
std::string PartitionKey(const PartitionValues& values) {
  PartitionValues sorted = values;
  std::sort(sorted.begin(), sorted.end());
  std::string key;
  for (const auto& [column, value] : sorted) {
    key += column;
    key += value ? "=" + *value : "\x1e";
    key += '\x1f';
  }
  return key;
}

}  // namespace

Result<OptimizeResult> Optimize(std::shared_ptr<const Snapshot> snapshot,
                                const OptimizeOptions& options,
                                TransactionOptions transaction_options) {
  if (!snapshot) return Status::Invalid("delta: OPTIMIZE needs a table snapshot");
  const std::string& table_root = snapshot->table_root();
  if (!snapshot->schema()) {
    return snapshot->schema_status().WithContext(fmt::format("OPTIMIZE of {}", table_root));
  }
  const Metadata& metadata = snapshot->metadata();
  const std::vector<std::string>& partition_columns = metadata.partition_columns;
  for (const Predicate& predicate : options.partition_filter) {
    if (std::find(partition_columns.begin(), partition_columns.end(), predicate.column) ==
        partition_columns.end()) {
      return Status::Invalid(
          "delta: OPTIMIZE of {} filters on column '{}', which is not a partition column ({})",
          table_root, predicate.column, fmt::join(partition_columns, ", "));
    }
  }
  ARCFLOW_ASSIGN_OR_RETURN(DataFileWriterOptions writer_options,
                           DataFileWriterOptions::FromMetadata(metadata));
  writer_options.threads = transaction_options.write_threads;
  if (options.target_file_size) {
    if (*options.target_file_size <= 0) {
      return Status::Invalid("delta: OPTIMIZE target file size {} of {} must be positive",
                             *options.target_file_size, table_root);
    }
    writer_options.target_file_size = *options.target_file_size;
  }
  const int64_t target_size = writer_options.target_file_size;
  writer_options.data_change = false;

  OptimizeResult result;
  std::map<std::string, std::vector<const AddFile*>> partitions;
  for (const AddFile& file : snapshot->files()) {
    if (!PartitionMatches(options.partition_filter, file.partition_values, *snapshot->schema(),
                          partition_columns)) {
      continue;
    }
    ++result.num_files_considered;
    if (file.size >= target_size && !file.deletion_vector) continue;
    partitions[PartitionKey(file.partition_values)].push_back(&file);
  }

  // Packs each partition's small files into bins, smallest first.
  std::vector<const AddFile*> to_rewrite;
  int64_t num_bins = 0;
  int64_t num_vectors = 0;
  for (auto& [unused, files] : partitions) {
    std::stable_sort(files.begin(), files.end(),
                     [](const AddFile* a, const AddFile* b) { return a->size < b->size; });
    std::vector<std::vector<const AddFile*>> bins;
    int64_t bin_size = 0;
    for (const AddFile* file : files) {
      if (bins.empty() || (bin_size + file->size > target_size && !bins.back().empty())) {
        bins.emplace_back();
        bin_size = 0;
      }
      bins.back().push_back(file);
      bin_size += file->size;
    }
    bool partition_optimized = false;
    for (const auto& bin : bins) {
      bool has_vector = std::any_of(bin.begin(), bin.end(),
                                    [](const AddFile* file) { return file->deletion_vector; });
      // A lone file without deleted rows is already as compact as it gets.
      if (bin.size() < 2 && !has_vector) continue;
      ++num_bins;
      partition_optimized = true;
      to_rewrite.insert(to_rewrite.end(), bin.begin(), bin.end());
    }
    if (partition_optimized) ++result.num_partitions_optimized;
  }
  if (to_rewrite.empty()) return result;

  ARCFLOW_ASSIGN_OR_RETURN(auto scan, TableScan::Make(snapshot));
  ARCFLOW_ASSIGN_OR_RETURN(auto writer, DataFileWriter::Open(snapshot->file_system(), table_root,
                                                             snapshot->schema(), writer_options));
  std::vector<AddFile> read;
  for (const AddFile* file : to_rewrite) {
    read.push_back(*file);
    if (file->deletion_vector) {
      ++num_vectors;
      result.num_deleted_rows_purged += file->deletion_vector->cardinality;
    }
    ARCFLOW_ASSIGN_OR_RETURN(auto reader, scan->ReadFile(*file));
    while (true) {
      ARCFLOW_ASSIGN_OR_RETURN(RecordBatchPtr batch, reader->Next());
      if (!batch) break;
      if (batch->num_rows() == 0) continue;
      ARCFLOW_RETURN_NOT_OK(writer->Write(*batch));
    }
  }
  ARCFLOW_ASSIGN_OR_RETURN(std::vector<AddFile> adds, writer->Finish());

  ARCFLOW_ASSIGN_OR_RETURN(auto transaction,
                           OptimisticTransaction::Start(snapshot, std::move(transaction_options)));
  transaction->ReadFiles(read);
  int64_t min_size = 0;
  int64_t max_size = 0;
  for (const AddFile& file : read) {
    transaction->Remove(file, /*data_change=*/false);
    result.num_bytes_removed += file.size;
  }
  for (size_t i = 0; i < adds.size(); ++i) {
    result.num_bytes_added += adds[i].size;
    min_size = i == 0 ? adds[i].size : std::min(min_size, adds[i].size);
    max_size = std::max(max_size, adds[i].size);
  }
  result.num_files_removed = static_cast<int64_t>(read.size());
  result.num_files_added = static_cast<int64_t>(adds.size());
  transaction->AddFiles(std::move(adds));

  std::string predicate = "[]";
  if (!options.partition_filter.empty()) {
    std::string text;
    for (const Predicate& filter : options.partition_filter) {
      static constexpr std::string_view kOps[] = {"=",  "<",       "<=",         ">",
                                                  ">=", "IS NULL", "IS NOT NULL"};
      if (!text.empty()) text += " AND ";
      text += fmt::format("({} {}", filter.column, kOps[static_cast<int>(filter.op)]);
      if (filter.op != Predicate::Op::kIsNull && filter.op != Predicate::Op::kIsNotNull) {
        text += fmt::format(" '{}'", filter.value);
      }
      text += ")";
    }
    predicate = "[" + QuoteJsonString(text) + "]";
  }
  transaction->SetOperation("OPTIMIZE", {{"predicate", QuoteJsonString(predicate)},
                                         {"zOrderBy", QuoteJsonString("[]")},
                                         {"auto", "false"}});
  transaction->AddOperationMetric("numAddedFiles", result.num_files_added);
  transaction->AddOperationMetric("numAddedBytes", result.num_bytes_added);
  transaction->AddOperationMetric("minFileSize", min_size);
  transaction->AddOperationMetric("maxFileSize", max_size);
  transaction->AddOperationMetric("numBatches", num_bins);
  transaction->AddOperationMetric("totalConsideredFiles", result.num_files_considered);
  transaction->AddOperationMetric("totalFilesSkipped",
                                  result.num_files_considered - result.num_files_removed);
  transaction->AddOperationMetric("numDeletionVectorsRemoved", num_vectors);
  transaction->AddOperationMetric("numPartitionsOptimized", result.num_partitions_optimized);
  ARCFLOW_ASSIGN_OR_RETURN(result.commit, transaction->Commit());
  return result;
}

}  // namespace arcflow::delta
