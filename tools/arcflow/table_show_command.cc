#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "arcflow/columnar/row_printer.h"
#include "arcflow/delta/table_scan.h"
#include "read_flags.h"
#include "table_commands.h"
#include "table_snapshot_flags.h"
#include "where_clause.h"

namespace arcflow::cli {
namespace {

struct TableShowFlags {
  SnapshotFlags snapshot;
  std::string where;
  std::vector<std::string> columns;
  std::string format = "jsonl";
  int64_t limit = -1;
};

Status RunTableShow(const TableShowFlags& flags) {
  ARCFLOW_ASSIGN_OR_RETURN(RowFormat format, ParseRowFormat(flags.format));
  delta::TableScanOptions options;
  options.columns = flags.columns;
  if (!flags.where.empty()) {
    ARCFLOW_ASSIGN_OR_RETURN(options.predicates, ParseWhereClause(flags.where));
    options.filter_rows = true;
  }
  ARCFLOW_ASSIGN_OR_RETURN(auto snapshot, flags.snapshot.Load());
  ARCFLOW_ASSIGN_OR_RETURN(auto scan, delta::TableScan::Make(snapshot, std::move(options)));
  ARCFLOW_ASSIGN_OR_RETURN(auto reader, scan->Execute());
  RowPrinter printer(format, scan->schema(), WriteToStdout);
  int64_t remaining = flags.limit < 0 ? std::numeric_limits<int64_t>::max() : flags.limit;
  while (remaining > 0) {
    ARCFLOW_ASSIGN_OR_RETURN(RecordBatchPtr batch, reader->Next());
    if (!batch) break;
    if (batch->num_rows() > remaining) batch = batch->Slice(0, remaining);
    remaining -= batch->num_rows();
    ARCFLOW_RETURN_NOT_OK(printer.Write(*batch));
  }
  return printer.Close();
}

}  // namespace

CommandAction AddTableShowCommand(CLI::App& table) {
  CLI::App* command =
      table.add_subcommand("show", "Print the rows of a Delta table in arcflow's canonical form");
  auto flags = std::make_shared<TableShowFlags>();
  flags->snapshot.AddTo(*command, /*with_time_travel=*/true);
  command->add_option("--where", flags->where,
                      "Keep rows where every comparison holds, e.g. \"country = 'NO' AND "
                      "amount >= 10\" (=, <, <=, >, >=, IS [NOT] NULL, joined by AND)");
  command
      ->add_option("--columns", flags->columns,
                   "Columns to print, comma-separated; struct members by dotted path (a,b.c)")
      ->delimiter(',');
  command->add_option("--format", flags->format, "Output: jsonl (default), csv or table")
      ->check(CLI::IsMember({"jsonl", "csv", "table"}));
  command->add_option("--limit", flags->limit, "Print at most N rows")
      ->check(CLI::NonNegativeNumber);
  return [flags] { return RunTableShow(*flags); };
}

}  // namespace arcflow::cli
