#include "arcflow/delta/vacuum.h"

#include <algorithm>
#include <chrono>
#include <unordered_set>

#include <fmt/format.h>

#include "arcflow/delta/change_data_feed.h"
#include "arcflow/delta/checkpoint_writer.h"
#include "arcflow/delta/deletion_vector.h"
#include "arcflow/delta/log_paths.h"

namespace arcflow::delta {

namespace {

int64_t SystemNowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Whether VACUUM skips an entry, as Spark's hidden-file rule: names starting with '.' or '_'
// are hidden, except partition directories ("_col=value") and the change data directory.
bool IsHidden(std::string_view name, bool at_root) {
  if (name.empty()) return true;
  if (at_root && name == kLogDirectoryName) return true;
  if (name.front() != '.' && name.front() != '_') return false;
  if (name.front() == '_' && name.find('=') != std::string_view::npos) return false;
  return !(at_root && name == kChangeDataDirectory);
}

Status ListFiles(io::FileSystem& fs, const std::string& directory, bool at_root,
                 std::vector<io::FileInfo>* files) {
  ARCFLOW_ASSIGN_OR_RETURN(std::vector<io::FileInfo> entries, fs.ListDirectory(directory));
  for (io::FileInfo& entry : entries) {
    if (IsHidden(io::BaseName(entry.path), at_root)) continue;
    if (entry.is_directory) {
      ARCFLOW_RETURN_NOT_OK(ListFiles(fs, entry.path, /*at_root=*/false, files));
    } else {
      files->push_back(std::move(entry));
    }
  }
  return Status::OK();
}

// Adds the data file and the deletion vector file of an action to `valid`.
void AddValidPaths(const std::string& table_root, const std::string& path,
                   const std::optional<DeletionVectorDescriptor>& vector,
                   std::unordered_set<std::string>* valid) {
  valid->insert(ResolveDataFilePath(table_root, path));
  if (vector && vector->storage_type != 'i') {
    auto vector_path = DeletionVectorFilePath(table_root, *vector);
    if (vector_path.ok()) valid->insert(*vector_path);
  }
}

}  // namespace

Result<VacuumResult> Vacuum(std::shared_ptr<const Snapshot> snapshot, const VacuumOptions& options,
                            TransactionOptions transaction_options) {
  if (!snapshot) return Status::Invalid("delta: VACUUM needs a table snapshot");
  const std::string& table_root = snapshot->table_root();
  ARCFLOW_ASSIGN_OR_RETURN(int64_t table_retention_ms,
                           DeletedFileRetentionMs(snapshot->metadata()));
  int64_t retention_ms = options.retention_ms.value_or(table_retention_ms);
  if (retention_ms < 0) {
    return Status::Invalid("delta: VACUUM retention {} ms of {} is negative", retention_ms,
                           table_root);
  }
  if (retention_ms < table_retention_ms && !options.disable_retention_check) {
    return Status::Invalid(
        "delta: VACUUM retention of {} hours is shorter than the table's "
        "delta.deletedFileRetentionDuration ({} hours) for {}; files that readers of older "
        "versions or uncommitted writers still need could be deleted. Use a longer retention, "
        "or disable the retention check if no operation is running on the table",
        retention_ms / 3600000.0, table_retention_ms / 3600000.0, table_root);
  }
  int64_t now_ms = options.clock ? options.clock() : SystemNowMs();
  int64_t cutoff_ms = now_ms - retention_ms;

  std::unordered_set<std::string> valid;
  for (const AddFile& add : snapshot->files()) {
    AddValidPaths(table_root, add.path, add.deletion_vector, &valid);
  }
  for (const RemoveFile& remove : snapshot->tombstones()) {
    if (remove.deletion_timestamp.value_or(0) > cutoff_ms) {
      AddValidPaths(table_root, remove.path, remove.deletion_vector, &valid);
    }
  }

  const std::shared_ptr<io::FileSystem>& fs = snapshot->file_system();
  std::vector<io::FileInfo> listed;
  ARCFLOW_RETURN_NOT_OK_CTX(ListFiles(*fs, table_root, /*at_root=*/true, &listed),
                            fmt::format("listing the files of {} for VACUUM", table_root));
  VacuumResult result;
  result.dry_run = options.dry_run;
  for (const io::FileInfo& file : listed) {
    if (valid.count(file.path) > 0) continue;
    // Files this young may belong to a write that has not committed yet.
    if (file.modification_time_ms >= cutoff_ms) continue;
    result.files.push_back(file.path);
    result.num_bytes += file.size;
  }
  std::sort(result.files.begin(), result.files.end());
  if (options.dry_run) return result;

  std::shared_ptr<const Snapshot> latest = snapshot;
  if (options.record_in_history) {
    ARCFLOW_ASSIGN_OR_RETURN(auto start, OptimisticTransaction::Start(latest, transaction_options));
    start->SetOperation(
        "VACUUM START",
        {{"retentionCheckEnabled", options.disable_retention_check ? "false" : "true"},
         {"defaultRetentionMillis", std::to_string(table_retention_ms)},
         {"specifiedRetentionMillis", std::to_string(retention_ms)}});
    start->AddOperationMetric("numFilesToDelete", static_cast<int64_t>(result.files.size()));
    start->AddOperationMetric("sizeOfDataToDelete", result.num_bytes);
    ARCFLOW_ASSIGN_OR_RETURN(CommitResult committed, start->Commit());
    latest = committed.snapshot;
  }
  for (const std::string& path : result.files) {
    Status status = fs->DeleteFile(path);
    if (!status.ok() && !status.IsNotFound()) {
      return status.WithContext(fmt::format("VACUUM of {} deleting {}", table_root, path));
    }
  }
  if (options.record_in_history) {
    ARCFLOW_ASSIGN_OR_RETURN(auto end, OptimisticTransaction::Start(latest, transaction_options));
    end->SetOperation("VACUUM END", {{"status", "\"COMPLETED\""}});
    end->AddOperationMetric("numDeletedFiles", static_cast<int64_t>(result.files.size()));
    end->AddOperationMetric("numVacuumedDirectories", 0);
    ARCFLOW_RETURN_NOT_OK(end->Commit().status());
  }
  return result;
}

}  // namespace arcflow::delta
