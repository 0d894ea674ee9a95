#include "table_snapshot_flags.h"

#include "arcflow/columnar/value_format.h"
#include "arcflow/columnar/value_parse.h"

namespace arcflow::cli {

void SnapshotFlags::AddTo(CLI::App& command, bool with_time_travel) {
  command.add_option("PATH", table, "The table's directory")->required();
  if (!with_time_travel) return;
  CLI::Option* version_option =
      command.add_option("--version", version, "Read this version of the table")
          ->check(CLI::NonNegativeNumber);
  command
      .add_option("--timestamp", timestamp,
                  "Read the latest version committed at or before this time (ISO-8601, UTC "
                  "unless it has a zone)")
      ->excludes(version_option);
}

Result<std::shared_ptr<const delta::Snapshot>> SnapshotFlags::Load() const {
  delta::SnapshotOptions options;
  options.version = version;
  if (!timestamp.empty()) {
    std::optional<int64_t> micros = ParseTimestamp(timestamp, /*utc_adjusted=*/true);
    if (!micros) {
      return Status::Invalid("--timestamp '{}' is not a timestamp (e.g. 2024-05-01T12:00:00Z)",
                             timestamp);
    }
    // Floor division, so that a time before 1970 still selects the commit at or before it.
    options.timestamp_ms = *micros >= 0 ? *micros / 1000 : -((-*micros + 999) / 1000);
  }
  return delta::Snapshot::Load(io::LocalFileSystem(), table, options);
}

std::string CommitTimestampText(int64_t milliseconds) {
  std::string text;
  AppendTimestamp(milliseconds * 1000, /*utc_adjusted=*/true, &text);
  return text;
}

}  // namespace arcflow::cli
