#include <cmath>
#include <memory>
#include <string>

#include "arcflow/delta/vacuum.h"
#include "read_flags.h"
#include "table_commands.h"
#include "table_snapshot_flags.h"

namespace arcflow::cli {
namespace {

struct TableVacuumFlags {
  SnapshotFlags snapshot;
  double retain_hours = -1;
  bool dry_run = false;
  bool disable_retention_check = false;
};

Status RunTableVacuum(const TableVacuumFlags& flags) {
  delta::VacuumOptions options;
  if (flags.retain_hours >= 0) {
    options.retention_ms = static_cast<int64_t>(std::llround(flags.retain_hours * 3600 * 1000));
  }
  options.dry_run = flags.dry_run;
  options.disable_retention_check = flags.disable_retention_check;
  ARCFLOW_ASSIGN_OR_RETURN(auto snapshot, flags.snapshot.Load());
  ARCFLOW_ASSIGN_OR_RETURN(delta::VacuumResult result, delta::Vacuum(snapshot, options));
  std::string text;
  if (result.dry_run) {
    for (const std::string& file : result.files) text += file + "\n";
  }
  text += fmt::format("vacuum {}: {} {} files ({} bytes)\n", flags.snapshot.table,
                      result.dry_run ? "would delete" : "deleted", result.files.size(),
                      result.num_bytes);
  return WriteToStdout(text);
}

}  // namespace

CommandAction AddTableVacuumCommand(CLI::App& table) {
  CLI::App* command = table.add_subcommand(
      "vacuum", "Delete the files a Delta table no longer references, after a retention period");
  auto flags = std::make_shared<TableVacuumFlags>();
  flags->snapshot.AddTo(*command, /*with_time_travel=*/false);
  command
      ->add_option("--retain-hours", flags->retain_hours,
                   "Keep files removed less than this many hours ago (default: the table's "
                   "delta.deletedFileRetentionDuration, 7 days)")
      ->check(CLI::NonNegativeNumber);
  command->add_flag("--dry-run", flags->dry_run, "List the files that would be deleted");
  command->add_flag("--disable-retention-check", flags->disable_retention_check,
                    "Allow a retention shorter than the table's; readers of older versions and "
                    "uncommitted writers may lose files");
  return [flags] { return RunTableVacuum(*flags); };
}

}  // namespace arcflow::cli
