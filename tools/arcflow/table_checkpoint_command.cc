#include <memory>

#include "arcflow/delta/checkpoint_writer.h"
#include "read_flags.h"
#include "table_commands.h"
#include "table_snapshot_flags.h"

namespace arcflow::cli {
namespace {

Status RunTableCheckpoint(const SnapshotFlags& flags) {
  ARCFLOW_ASSIGN_OR_RETURN(auto snapshot, flags.Load());
  ARCFLOW_ASSIGN_OR_RETURN(delta::LastCheckpointInfo info, delta::WriteCheckpoint(*snapshot));
  return WriteToStdout(
      fmt::format("checkpoint of {} at version {}: {} actions, {} add files, {} bytes\n",
                  flags.table, info.version, info.size, info.num_of_add_files, info.size_in_bytes));
}

}  // namespace

CommandAction AddTableCheckpointCommand(CLI::App& table) {
  CLI::App* command = table.add_subcommand(
      "checkpoint", "Write a checkpoint of a Delta table's latest version (and _last_checkpoint)");
  auto flags = std::make_shared<SnapshotFlags>();
  flags->AddTo(*command, /*with_time_travel=*/false);
  return [flags] { return RunTableCheckpoint(*flags); };
}

}  // namespace arcflow::cli
