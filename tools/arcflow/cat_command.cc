#include <limits>
#include <memory>

#include "arcflow/columnar/projection.h"
#include "arcflow/columnar/row_printer.h"
#include "commands.h"
#include "read_flags.h"

namespace arcflow::cli {
namespace {

struct CatFlags {
  ReadFlags read;
  std::string format = "jsonl";
  int64_t limit = -1;
  std::vector<std::string> columns;
};

Status RunCat(const CatFlags& flags) {
  std::shared_ptr<io::FileSystem> fs = io::LocalFileSystem();
  ARCFLOW_ASSIGN_OR_RETURN(auto resolved, flags.read.Resolve(*fs));
  ARCFLOW_ASSIGN_OR_RETURN(RowFormat format, ParseRowFormat(flags.format));
  ARCFLOW_ASSIGN_OR_RETURN(resolved.spec.schema,
                           formats::ResolveSchema(fs, resolved.paths, resolved.spec));
  ARCFLOW_ASSIGN_OR_RETURN(auto reader,
                           formats::OpenMultiFileReader(fs, resolved.paths, resolved.spec));
  std::optional<Projection> projection;
  SchemaPtr output_schema = reader->schema();
  if (!flags.columns.empty()) {
    ARCFLOW_ASSIGN_OR_RETURN(projection, Projection::Make(reader->schema(), flags.columns));
    output_schema = projection->output_schema();
  }
  RowPrinter printer(format, output_schema, WriteToStdout);
  int64_t remaining = flags.limit < 0 ? std::numeric_limits<int64_t>::max() : flags.limit;
  while (remaining > 0) {
    ARCFLOW_ASSIGN_OR_RETURN(RecordBatchPtr batch, reader->Next());
    if (!batch) break;
    if (batch->num_rows() > remaining) batch = batch->Slice(0, remaining);
    remaining -= batch->num_rows();
    if (projection) {
      ARCFLOW_ASSIGN_OR_RETURN(batch, projection->Apply(*batch));
    }
    ARCFLOW_RETURN_NOT_OK(printer.Write(*batch));
  }
  return printer.Close();
}

}  // namespace

CommandAction AddCatCommand(CLI::App& app) {
  CLI::App* command = app.add_subcommand(
      "cat", "Print the rows of JSON, CSV or Parquet files in arcflow's canonical form");
  auto flags = std::make_shared<CatFlags>();
  flags->read.AddTo(*command, /*with_inputs=*/true);
  command->add_option("--format", flags->format, "Output: jsonl (default), csv or table")
      ->check(CLI::IsMember({"jsonl", "csv", "table"}));
  command->add_option("--limit", flags->limit, "Print at most N rows")
      ->check(CLI::NonNegativeNumber);
  command
      ->add_option("--columns", flags->columns,
                   "Columns to print, comma-separated; struct members by dotted path (a,b.c)")
      ->delimiter(',');
  return [flags] { return RunCat(*flags); };
}

}  // namespace arcflow::cli
