#include <memory>
#include <string>

#include "arcflow/delta/optimize.h"
#include "read_flags.h"
#include "table_commands.h"
#include "table_snapshot_flags.h"
#include "where_clause.h"

namespace arcflow::cli {
namespace {

struct TableOptimizeFlags {
  SnapshotFlags snapshot;
  std::string where;
  int64_t target_size = 0;
};

Status RunTableOptimize(const TableOptimizeFlags& flags) {
  delta::OptimizeOptions options;
  if (!flags.where.empty()) {
    ARCFLOW_ASSIGN_OR_RETURN(options.partition_filter, ParseWhereClause(flags.where));
  }
  if (flags.target_size > 0) options.target_file_size = flags.target_size;
  ARCFLOW_ASSIGN_OR_RETURN(auto snapshot, flags.snapshot.Load());
  ARCFLOW_ASSIGN_OR_RETURN(delta::OptimizeResult result, delta::Optimize(snapshot, options));
  if (!result.commit) {
    return WriteToStdout(fmt::format("optimize {}: nothing to compact ({} files considered)\n",
                                     flags.snapshot.table, result.num_files_considered));
  }
  return WriteToStdout(fmt::format(
      "optimize {}: version {}, {} files ({} bytes) compacted into {} files ({} bytes) in {} "
      "partitions\n",
      flags.snapshot.table, result.commit->version, result.num_files_removed,
      result.num_bytes_removed, result.num_files_added, result.num_bytes_added,
      result.num_partitions_optimized));
}

}  // namespace

CommandAction AddTableOptimizeCommand(CLI::App& table) {
  CLI::App* command = table.add_subcommand(
      "optimize", "Compact a Delta table's small files into files near the target size");
  auto flags = std::make_shared<TableOptimizeFlags>();
  flags->snapshot.AddTo(*command, /*with_time_travel=*/false);
  command->add_option("--where", flags->where,
                      "Only partitions where every comparison on partition columns holds");
  command
      ->add_option("--target-size", flags->target_size,
                   "Target file size in bytes (default: delta.targetFileSize or 128 MiB)")
      ->check(CLI::PositiveNumber);
  return [flags] { return RunTableOptimize(*flags); };
}

}  // namespace arcflow::cli
