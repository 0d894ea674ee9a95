#include <memory>
#include <string>

#include <fmt/ranges.h>

#include "arcflow/columnar/schema_ddl.h"
#include "arcflow/delta/data_skipping.h"
#include "read_flags.h"
#include "table_commands.h"
#include "table_snapshot_flags.h"

namespace arcflow::cli {
namespace {

Status RunTableDescribe(const SnapshotFlags& flags) {
  ARCFLOW_ASSIGN_OR_RETURN(auto snapshot, flags.Load());
  const delta::Metadata& metadata = snapshot->metadata();
  const delta::Protocol& protocol = snapshot->protocol();
  int64_t bytes = 0;
  int64_t rows = 0;
  int64_t files_without_counts = 0;
  for (const delta::AddFile& add : snapshot->files()) {
    bytes += add.size;
    std::optional<int64_t> count;
    if (add.stats) {
      Result<delta::FileStatistics> stats = delta::FileStatistics::Parse(*add.stats, add.path);
      if (stats.ok()) count = stats->num_records;
    }
    if (count) {
      rows += *count - (add.deletion_vector ? add.deletion_vector->cardinality : 0);
    } else {
      ++files_without_counts;
    }
  }

  std::string text;
  auto line = [&text](std::string_view key, const std::string& value) {
    text += fmt::format("{:<15}{}\n", key, value);
  };
  line("table", snapshot->table_root());
  line("id", metadata.id);
  if (metadata.name) line("name", *metadata.name);
  if (metadata.description) line("description", *metadata.description);
  line("version", fmt::format("{} (committed {})", snapshot->version(),
                              CommitTimestampText(snapshot->timestamp_ms())));
  line("schema", ToDdl(*snapshot->schema()));
  line("partitioned by", metadata.partition_columns.empty()
                             ? std::string("(not partitioned)")
                             : fmt::format("{}", fmt::join(metadata.partition_columns, ", ")));
  std::string protocol_text =
      fmt::format("reader {}, writer {}", protocol.min_reader_version, protocol.min_writer_version);
  if (protocol.reader_features) {
    protocol_text +=
        fmt::format("; reader features: {}", fmt::join(*protocol.reader_features, ", "));
  }
  if (protocol.writer_features) {
    protocol_text +=
        fmt::format("; writer features: {}", fmt::join(*protocol.writer_features, ", "));
  }
  line("protocol", protocol_text);
  if (metadata.configuration.empty()) {
    line("properties", "(none)");
  } else {
    for (size_t i = 0; i < metadata.configuration.size(); ++i) {
      const auto& [key, value] = metadata.configuration[i];
      line(i == 0 ? "properties" : "", key + "=" + value);
    }
  }
  line("files", std::to_string(snapshot->files().size()));
  line("rows", files_without_counts == 0
                   ? std::to_string(rows)
                   : fmt::format("at least {} ({} files have no row count in their stats)", rows,
                                 files_without_counts));
  line("bytes", std::to_string(bytes));
  if (snapshot->log_segment().checkpoint_version) {
    line("checkpoint", std::to_string(*snapshot->log_segment().checkpoint_version));
  }
  return WriteToStdout(text);
}

}  // namespace

CommandAction AddTableDescribeCommand(CLI::App& table) {
  CLI::App* command = table.add_subcommand(
      "describe",
      "Print a Delta table's schema, partitioning, protocol, properties, files, rows and bytes");
  auto flags = std::make_shared<SnapshotFlags>();
  flags->AddTo(*command, /*with_time_travel=*/true);
  return [flags] { return RunTableDescribe(*flags); };
}

}  // namespace arcflow::cli
