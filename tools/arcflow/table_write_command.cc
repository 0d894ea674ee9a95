#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <fmt/ranges.h>

#include "arcflow/delta/delta_table.h"
#include "arcflow/delta/merge.h"
#include "arcflow/io/format_options.h"
#include "read_flags.h"
#include "table_commands.h"

namespace arcflow::cli {
namespace {

struct TableWriteFlags {
  std::string table;
  ReadFlags read;
  std::string mode = "append";
  std::vector<std::string> merge_keys;
  std::vector<std::string> partition_by;
  std::vector<std::string> properties;  // KEY=VALUE
  bool merge_schema = false;
};

// The --property flags as table properties, in the order given (a repeated key: the last wins).
Result<delta::StringMap> ParseProperties(const std::vector<std::string>& flags) {
  delta::StringMap properties;
  for (const std::string& flag : flags) {
    auto split = io::SplitAssignment(flag);
    if (!split) return Status::Invalid("--property must be KEY=VALUE, got '{}'", flag);
    std::string key(split->first);
    std::string value(split->second);
    auto same_key = [&](const auto& entry) { return entry.first == key; };
    properties.erase(std::remove_if(properties.begin(), properties.end(), same_key),
                     properties.end());
    properties.emplace_back(std::move(key), std::move(value));
  }
  return properties;
}

Status RunTableWrite(const TableWriteFlags& flags) {
  std::shared_ptr<io::FileSystem> fs = io::LocalFileSystem();
  ARCFLOW_ASSIGN_OR_RETURN(auto resolved, flags.read.Resolve(*fs));
  ARCFLOW_ASSIGN_OR_RETURN(resolved.spec.schema,
                           formats::ResolveSchema(fs, resolved.paths, resolved.spec));
  ARCFLOW_ASSIGN_OR_RETURN(auto reader,
                           formats::OpenMultiFileReader(fs, resolved.paths, resolved.spec));

  ARCFLOW_ASSIGN_OR_RETURN(delta::StringMap properties, ParseProperties(flags.properties));
  Result<std::unique_ptr<delta::DeltaTable>> opened = delta::DeltaTable::Open(fs, flags.table);
  std::unique_ptr<delta::DeltaTable> table;
  bool created = false;
  if (opened.ok()) {
    table = std::move(*opened);
    if (!flags.partition_by.empty() &&
        flags.partition_by != table->snapshot()->metadata().partition_columns) {
      return Status::Invalid(
          "table '{}' exists and is partitioned by [{}]; --partition-by applies only when "
          "creating a table",
          flags.table, fmt::join(table->snapshot()->metadata().partition_columns, ", "));
    }
    for (const auto& [key, value] : properties) {
      std::optional<std::string> current = table->snapshot()->metadata().Configuration(key);
      if (current != value) {
        return Status::Invalid(
            "table '{}' exists and its property {} is {}; --property applies only when creating "
            "a table",
            flags.table, key, current ? "'" + *current + "'" : std::string("unset"));
      }
    }
  } else if (opened.status().IsNotFound()) {
    delta::CreateTableOptions create;
    create.schema = reader->schema();
    create.partition_columns = flags.partition_by;
    create.configuration = std::move(properties);
    ARCFLOW_ASSIGN_OR_RETURN(table, delta::DeltaTable::Create(fs, flags.table, std::move(create)));
    created = true;
  } else {
    return opened.status();
  }

  if (flags.mode == "upsert") {
    if (flags.merge_keys.empty()) return Status::Invalid("--mode upsert needs --merge-keys");
    delta::MergeOptions merge;
    merge.key_columns = flags.merge_keys;
    merge.merge_schema = flags.merge_schema;
    ARCFLOW_ASSIGN_OR_RETURN(delta::MergeResult result,
                             delta::Merge(table->snapshot(), *reader, merge));
    const int64_t version = result.commit ? result.commit->version : table->snapshot()->version();
    std::string vectors;
    if (result.num_deletion_vectors_added > 0) {
      vectors = fmt::format(", {} kept with a deletion vector", result.num_deletion_vectors_added);
    }
    return WriteToStdout(fmt::format(
        "{} {}: version {}, {} rows inserted, {} updated, {} copied; {} files added, {} "
        "removed{} ({} candidate files read)\n",
        created ? "created" : "merged into", flags.table, version, result.num_rows_inserted,
        result.num_rows_updated, result.num_rows_copied, result.num_files_added,
        result.num_files_removed, vectors, result.num_candidate_files));
  }
  if (!flags.merge_keys.empty()) return Status::Invalid("--merge-keys goes with --mode upsert");
  delta::WriteOptions options;
  options.merge_schema = flags.merge_schema;
  delta::WriteResult result;
  if (flags.mode == "append") {
    ARCFLOW_ASSIGN_OR_RETURN(result, table->Append(*reader, options));
  } else if (flags.mode == "overwrite") {
    ARCFLOW_ASSIGN_OR_RETURN(result, table->Overwrite(*reader, options));
  } else {
    return Status::Invalid("--mode must be append, overwrite or upsert, got '{}'", flags.mode);
  }
  const int64_t version = result.commit ? result.commit->version : table->snapshot()->version();
  return WriteToStdout(fmt::format("{} {}: version {}, {} rows in {} files\n",
                                   created ? "created" : "wrote", flags.table, version,
                                   result.num_rows, result.num_files));
}

}  // namespace

CommandAction AddTableWriteCommand(CLI::App& table) {
  CLI::App* command = table.add_subcommand(
      "write", "Write JSON, CSV or Parquet files into a Delta table, creating it when absent");
  auto flags = std::make_shared<TableWriteFlags>();
  command->add_option("PATH", flags->table, "The table's directory")->required();
  flags->read.AddTo(*command, /*with_inputs=*/true);
  command
      ->add_option("--mode", flags->mode,
                   "append (default), overwrite, or upsert (MERGE by --merge-keys: matching rows "
                   "updated, others inserted)")
      ->check(CLI::IsMember({"append", "overwrite", "upsert"}));
  command
      ->add_option("--merge-keys", flags->merge_keys,
                   "Key columns of --mode upsert, comma-separated")
      ->delimiter(',');
  command
      ->add_option("--partition-by", flags->partition_by,
                   "Partition columns of a new table, comma-separated")
      ->delimiter(',');
  command->add_option("--property", flags->properties,
                      "Table property of a new table as KEY=VALUE, repeatable (e.g. "
                      "delta.enableChangeDataFeed=true, delta.columnMapping.mode=name)");
  command->add_flag("--merge-schema", flags->merge_schema,
                    "Add the inputs' new columns to the table's schema instead of failing");
  return [flags] { return RunTableWrite(*flags); };
}

}  // namespace arcflow::cli
