#include <algorithm>
#include <memory>
#include <thread>

#include "commands.h"
#include "read_flags.h"

namespace arcflow::cli {
namespace {

struct ConvertFlags {
  ReadFlags read;
  std::vector<std::string> paths;  // INPUT... OUTPUT
  std::string output_format;
  std::string compression;
  std::vector<std::string> output_options;
  // Input files decoded at once; the default is one per core.
  int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
};

Status RunConvert(ConvertFlags flags) {
  std::shared_ptr<io::FileSystem> fs = io::LocalFileSystem();
  std::string output = flags.paths.back();
  flags.paths.pop_back();
  flags.read.inputs = flags.paths;
  ARCFLOW_ASSIGN_OR_RETURN(auto resolved, flags.read.Resolve(*fs));
  formats::FileFormat output_format;
  if (!flags.output_format.empty()) {
    ARCFLOW_ASSIGN_OR_RETURN(output_format, formats::ParseFileFormat(flags.output_format));
  } else {
    Result<formats::FileFormat> from_extension = formats::FileFormatFromPath(output);
    if (!from_extension.ok()) {
      return from_extension.status().WithContext("pass --output-format for OUTPUT " + output);
    }
    output_format = *from_extension;
  }
  io::FormatOptions write_options;
  for (const std::string& option : flags.output_options) {
    ARCFLOW_RETURN_NOT_OK(write_options.SetFromAssignment(option));
  }
  if (!flags.compression.empty()) write_options.Set("compression", flags.compression);
  // The Parquet writer encodes the columns of each batch on as many threads as decode inputs.
  if (output_format == formats::FileFormat::kParquet && !write_options.Has("threads")) {
    write_options.Set("threads", std::to_string(flags.threads));
  }

  ARCFLOW_ASSIGN_OR_RETURN(resolved.spec.schema,
                           formats::ResolveSchema(fs, resolved.paths, resolved.spec));
  ARCFLOW_ASSIGN_OR_RETURN(
      auto reader, formats::OpenMultiFileReader(fs, resolved.paths, resolved.spec, flags.threads));
  ARCFLOW_ASSIGN_OR_RETURN(auto writer, formats::OpenFileWriter(fs, output, output_format,
                                                                reader->schema(), write_options));
  while (true) {
    ARCFLOW_ASSIGN_OR_RETURN(RecordBatchPtr batch, reader->Next());
    if (!batch) break;
    ARCFLOW_RETURN_NOT_OK(writer->Write(*batch));
  }
  return writer->Close();
}

}  // namespace

CommandAction AddConvertCommand(CLI::App& app) {
  CLI::App* command = app.add_subcommand(
      "convert", "Convert JSON, CSV or Parquet inputs into one output file (INPUT... OUTPUT)");
  auto flags = std::make_shared<ConvertFlags>();
  command
      ->add_option("INPUT... OUTPUT", flags->paths,
                   "Input files, directories or globs, then the output file")
      ->required()
      ->expected(2, -1);
  flags->read.AddTo(*command, /*with_inputs=*/false);
  command->add_option("--output-format", flags->output_format,
                      "Output format: json, csv or parquet (default: from OUTPUT's extension)");
  command->add_option("--compression", flags->compression,
                      "Output compression (parquet: zstd, snappy, gzip, lz4_raw, none)");
  command->add_option("--output-option", flags->output_options,
                      "Writer option KEY=VALUE by Spark's name (header, sep, ...); repeatable");
  command
      ->add_option("--threads", flags->threads,
                   "Input files decoded at the same time, and threads encoding Parquet "
                   "output's columns (default: one per core)")
      ->check(CLI::PositiveNumber);
  return [flags] { return RunConvert(*flags); };
}

}  // namespace arcflow::cli
