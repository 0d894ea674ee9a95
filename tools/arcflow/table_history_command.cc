#include <memory>
#include <string>

#include "arcflow/columnar/value_format.h"
#include "arcflow/delta/snapshot.h"
#include "read_flags.h"
#include "table_commands.h"
#include "table_snapshot_flags.h"

namespace arcflow::cli {
namespace {

struct TableHistoryFlags {
  std::string table;
  bool json = false;
  int64_t limit = -1;
};

// {"a": 1, "b": "x"} from name → JSON text pairs.
std::string JsonObject(const delta::StringMap& members) {
  std::string text = "{";
  for (const auto& [name, value] : members) {
    if (text.size() > 1) text += ",";
    AppendJsonString(name, &text);
    text += ":" + value;
  }
  return text + "}";
}

Status RunTableHistory(const TableHistoryFlags& flags) {
  std::optional<int64_t> limit;
  if (flags.limit >= 0) limit = flags.limit;
  ARCFLOW_ASSIGN_OR_RETURN(auto history,
                           delta::ReadHistory(io::LocalFileSystem(), flags.table, limit));
  std::string text;
  if (!flags.json) {
    text += fmt::format("{:<8} {:<28} {:<20} {}\n", "VERSION", "TIMESTAMP", "OPERATION",
                        "PARAMETERS / METRICS");
  }
  for (const delta::HistoryEntry& entry : history) {
    std::string timestamp = CommitTimestampText(entry.timestamp_ms);
    const delta::CommitInfo& info = entry.commit_info;
    if (flags.json) {
      std::string line = fmt::format(R"({{"version":{},"timestamp":)", entry.version);
      AppendJsonString(timestamp, &line);
      line += ",\"commitInfo\":" + (info.json.empty() ? std::string("null") : info.json) + "}\n";
      text += line;
      continue;
    }
    text += fmt::format("{:<8} {:<28} {:<20} {} {}\n", entry.version, timestamp,
                        info.operation.value_or("-"), JsonObject(info.operation_parameters),
                        JsonObject(info.operation_metrics));
  }
  return WriteToStdout(text);
}

}  // namespace

CommandAction AddTableHistoryCommand(CLI::App& table) {
  CLI::App* command =
      table.add_subcommand("history", "Print a Delta table's commits, newest first");
  auto flags = std::make_shared<TableHistoryFlags>();
  command->add_option("PATH", flags->table, "The table's directory")->required();
  command->add_flag("--json", flags->json,
                    "One JSON object per commit: version, timestamp and the whole commitInfo");
  command->add_option("--limit", flags->limit, "Print at most N commits")
      ->check(CLI::NonNegativeNumber);
  return [flags] { return RunTableHistory(*flags); };
}

}  // namespace arcflow::cli
