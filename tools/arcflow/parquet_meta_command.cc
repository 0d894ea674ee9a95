#include <memory>

#include "arcflow/parquet/bridge/parquet_metadata_json.h"
#include "arcflow/parquet/bridge/parquet_reader.h"
#include "commands.h"
#include "read_flags.h"

namespace arcflow::cli {
namespace {

struct ParquetMetaFlags {
  std::string path;
  bool compact = false;
};

Status RunParquetMeta(const ParquetMetaFlags& flags) {
  ARCFLOW_ASSIGN_OR_RETURN(auto reader,
                           parquet::ParquetFileReader::Open(io::LocalFileSystem(), flags.path));
  std::string json = parquet::FileMetaDataToJson(
      reader->metadata(), reader->parquet_schema(),
      flags.compact ? parquet::JsonStyle::kCompact : parquet::JsonStyle::kPretty);
  json.push_back('\n');
  return WriteToStdout(json);
}

}  // namespace

CommandAction AddParquetMetaCommand(CLI::App& app) {
  CLI::App* command = app.add_subcommand(
      "parquet-meta",
      "Print a Parquet file's footer as JSON: schema, row groups, column chunks, codecs, "
      "encodings and statistics");
  auto flags = std::make_shared<ParquetMetaFlags>();
  command->add_option("FILE", flags->path, "Parquet file")->required();
  command->add_flag("--compact", flags->compact, "One line of JSON instead of indented");
  return [flags] { return RunParquetMeta(*flags); };
}

}  // namespace arcflow::cli
