#include <memory>

#include "arcflow/delta/restore.h"
#include "read_flags.h"
#include "table_commands.h"
#include "table_snapshot_flags.h"

namespace arcflow::cli {
namespace {

Status RunTableRestore(const SnapshotFlags& flags) {
  if (!flags.version && flags.timestamp.empty()) {
    return Status::Invalid("table restore needs --version or --timestamp");
  }
  // The target version is resolved by loading it, which also checks that it exists.
  ARCFLOW_ASSIGN_OR_RETURN(auto target, flags.Load());
  ARCFLOW_ASSIGN_OR_RETURN(auto current, delta::Snapshot::Load(io::LocalFileSystem(), flags.table));
  delta::RestoreOptions options;
  options.version = target->version();
  ARCFLOW_ASSIGN_OR_RETURN(delta::RestoreResult result, delta::Restore(current, options));
  return WriteToStdout(fmt::format(
      "restore {}: version {} now has the data of version {} ({} files removed, {} restored; "
      "{} files, {} bytes)\n",
      flags.table, result.commit.version, result.restored_version, result.num_removed_files,
      result.num_restored_files, result.num_files_after_restore, result.table_size_after_restore));
}

}  // namespace

CommandAction AddTableRestoreCommand(CLI::App& table) {
  CLI::App* command = table.add_subcommand(
      "restore", "Bring a Delta table back to an earlier version (as a new commit)");
  auto flags = std::make_shared<SnapshotFlags>();
  flags->AddTo(*command, /*with_time_travel=*/true);
  return [flags] { return RunTableRestore(*flags); };
}

}  // namespace arcflow::cli
