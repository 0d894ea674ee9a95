#include "arcflow/delta/restore.h"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "arcflow/columnar/schema_json.h"
#include "arcflow/delta/deletion_vector.h"
#include "arcflow/delta/log_paths.h"

namespace arcflow::delta {

namespace {

std::string FileKey(const std::string& path,
                    const std::optional<DeletionVectorDescriptor>& vector) {
  return path + '\x1f' + (vector ? vector->UniqueId() : std::string());
}

// The features a legacy protocol version implies (PROTOCOL.md, "Table Features").
void AddImpliedFeatures(const Protocol& protocol, std::vector<std::string>* reader,
                        std::vector<std::string>* writer) {
  if (protocol.reader_features) {
    for (const std::string& feature : *protocol.reader_features) reader->push_back(feature);
  } else if (protocol.min_reader_version >= 2) {
    reader->push_back("columnMapping");
  }
  if (protocol.writer_features) {
    for (const std::string& feature : *protocol.writer_features) writer->push_back(feature);
    return;
  }
  int version = protocol.min_writer_version;
  if (version >= 2) {
    writer->push_back("appendOnly");
    writer->push_back("invariants");
  }
  if (version >= 3) writer->push_back("checkConstraints");
  if (version >= 4) {
    writer->push_back("changeDataFeed");
    writer->push_back("generatedColumns");
  }
  if (version >= 5) writer->push_back("columnMapping");
  if (version >= 6) writer->push_back("identityColumns");
}

void SortUnique(std::vector<std::string>* values) {
  std::sort(values->begin(), values->end());
  values->erase(std::unique(values->begin(), values->end()), values->end());
}

// A protocol at least as strong as each of `protocols`.
Protocol UnionProtocol(const std::vector<Protocol>& protocols) {
  Protocol result;
  result.min_reader_version = 1;
  result.min_writer_version = 1;
  bool reader_features = false;
  bool writer_features = false;
  for (const Protocol& protocol : protocols) {
    result.min_reader_version = std::max(result.min_reader_version, protocol.min_reader_version);
    result.min_writer_version = std::max(result.min_writer_version, protocol.min_writer_version);
    reader_features = reader_features || protocol.reader_features.has_value();
    writer_features = writer_features || protocol.writer_features.has_value();
  }
  if (!reader_features && !writer_features) return result;
  std::vector<std::string> reader;
  std::vector<std::string> writer;
  for (const Protocol& protocol : protocols) AddImpliedFeatures(protocol, &reader, &writer);
  SortUnique(&reader);
  SortUnique(&writer);
  if (result.min_reader_version >= 3) result.reader_features = std::move(reader);
  if (result.min_writer_version >= 7) result.writer_features = std::move(writer);
  return result;
}

}  // namespace

Result<RestoreResult> Restore(std::shared_ptr<const Snapshot> current,
                              const RestoreOptions& options,
                              TransactionOptions transaction_options) {
  if (!current) return Status::Invalid("delta: RESTORE needs a table snapshot");
  const std::string& table_root = current->table_root();
  if (options.version.has_value() == options.timestamp_ms.has_value()) {
    return Status::Invalid("delta: RESTORE of {} needs exactly one of a version and a timestamp",
                           table_root);
  }
  SnapshotOptions target_options;
  target_options.version = options.version;
  target_options.timestamp_ms = options.timestamp_ms;
  const std::shared_ptr<io::FileSystem>& fs = current->file_system();
  auto loaded = Snapshot::Load(fs, table_root, target_options);
  if (!loaded.ok()) return loaded.status().WithContext(fmt::format("RESTORE of {}", table_root));
  std::shared_ptr<const Snapshot> target = std::move(*loaded);
  if (target->version() > current->version()) {
    return Status::Invalid("delta: cannot RESTORE {} to version {}, newer than version {} read",
                           table_root, target->version(), current->version());
  }

  std::map<std::string, const AddFile*> current_files;
  for (const AddFile& file : current->files()) {
    current_files[FileKey(file.path, file.deletion_vector)] = &file;
  }
  std::map<std::string, const AddFile*> target_files;
  for (const AddFile& file : target->files()) {
    target_files[FileKey(file.path, file.deletion_vector)] = &file;
  }

  RestoreResult result;
  result.restored_version = target->version();
  std::vector<AddFile> adds;
  for (const auto& [key, file] : target_files) {
    result.num_files_after_restore += 1;
    result.table_size_after_restore += file->size;
    if (current_files.count(key) > 0) continue;
    std::string path = ResolveDataFilePath(table_root, file->path);
    if (!fs->Exists(path)) {
      return Status::NotFound(
          "delta: cannot RESTORE {} to version {}: its data file {} no longer exists (deleted "
          "by VACUUM?); restore a later version",
          table_root, target->version(), file->path);
    }
    if (file->deletion_vector && file->deletion_vector->storage_type != 'i') {
      ARCFLOW_ASSIGN_OR_RETURN(std::string vector_path,
                               DeletionVectorFilePath(table_root, *file->deletion_vector));
      if (!fs->Exists(vector_path)) {
        return Status::NotFound(
            "delta: cannot RESTORE {} to version {}: the deletion vector {} of data file {} no "
            "longer exists; restore a later version",
            table_root, target->version(), vector_path, file->path);
      }
    }
    AddFile add = *file;
    add.data_change = true;
    result.num_restored_files += 1;
    result.restored_files_size += add.size;
    adds.push_back(std::move(add));
  }

  ARCFLOW_ASSIGN_OR_RETURN(auto transaction,
                           OptimisticTransaction::Start(current, std::move(transaction_options)));
  transaction->ReadWholeTable();
  for (const auto& [key, file] : current_files) {
    if (target_files.count(key) > 0) continue;
    transaction->Remove(*file);
    result.num_removed_files += 1;
    result.removed_files_size += file->size;
  }
  if (!(target->metadata() == current->metadata())) {
    ARCFLOW_RETURN_NOT_OK_CTX(transaction->UpdateMetadata(target->metadata()),
                              fmt::format("RESTORE of {}", table_root));
  }
  Protocol protocol =
      UnionProtocol({current->protocol(), target->protocol(), transaction->protocol()});
  if (!(protocol == current->protocol())) transaction->SetProtocol(std::move(protocol));
  transaction->AddFiles(std::move(adds));

  StringMap parameters;
  if (options.version) {
    parameters.emplace_back("version", std::to_string(*options.version));
  } else {
    parameters.emplace_back("timestamp", QuoteJsonString(std::to_string(*options.timestamp_ms)));
  }
  transaction->SetOperation("RESTORE", std::move(parameters));
  transaction->AddOperationMetric("tableSizeAfterRestore", result.table_size_after_restore);
  transaction->AddOperationMetric("numOfFilesAfterRestore", result.num_files_after_restore);
  // The transaction reports numRemovedFiles itself when there are removes.
  if (result.num_removed_files == 0) transaction->AddOperationMetric("numRemovedFiles", 0);
  transaction->AddOperationMetric("numRestoredFiles", result.num_restored_files);
  transaction->AddOperationMetric("removedFilesSize", result.removed_files_size);
  transaction->AddOperationMetric("restoredFilesSize", result.restored_files_size);
  ARCFLOW_ASSIGN_OR_RETURN(result.commit, transaction->Commit());
  return result;
}

}  // namespace arcflow::delta
