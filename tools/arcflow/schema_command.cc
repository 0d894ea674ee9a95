#include <memory>

#include "arcflow/columnar/schema_ddl.h"
#include "arcflow/columnar/schema_json.h"
#include "commands.h"
#include "read_flags.h"

namespace arcflow::cli {
namespace {

struct SchemaFlags {
  ReadFlags read;
  bool json = false;
};

Status RunSchema(const SchemaFlags& flags) {
  std::shared_ptr<io::FileSystem> fs = io::LocalFileSystem();
  ARCFLOW_ASSIGN_OR_RETURN(auto resolved, flags.read.Resolve(*fs));
  ARCFLOW_ASSIGN_OR_RETURN(SchemaPtr schema,
                           formats::ResolveSchema(fs, resolved.paths, resolved.spec));
  std::string text = flags.json ? ToStructTypeJson(*schema) : ToDdl(*schema);
  text.push_back('\n');
  return WriteToStdout(text);
}

}  // namespace

CommandAction AddSchemaCommand(CLI::App& app) {
  CLI::App* command = app.add_subcommand(
      "schema", "Print the schema of files as Spark DDL (given, inferred, or from Parquet)");
  auto flags = std::make_shared<SchemaFlags>();
  flags->read.AddTo(*command, /*with_inputs=*/true);
  command->add_flag("--json", flags->json,
                    "Print Spark StructType JSON (as Delta stores it) instead of DDL");
  return [flags] { return RunSchema(*flags); };
}

}  // namespace arcflow::cli
