#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "arcflow/columnar/record_batch_reader.h"
#include "arcflow/columnar/schema.h"
#include "arcflow/io/file_system.h"
#include "arcflow/io/format_options.h"

namespace arcflow::formats {

// The file formats arcflow reads and writes, chosen by name or by a file's extension. This
// layer is the one place that knows them all; the CLI and the pipeline go through it.
enum class FileFormat { kJson, kCsv, kParquet };

std::string_view FileFormatName(FileFormat format);
// "json" (also "jsonl", "ndjson"), "csv", "parquet"; any case.
Result<FileFormat> ParseFileFormat(std::string_view name);
// From the extension: .json .jsonl .ndjson → json, .csv → csv, .parquet → parquet.
Result<FileFormat> FileFormatFromPath(std::string_view path);

// What to read: the format, reader options by Spark's names, and the schema (null to infer
// it from the data, or to take it from the files for Parquet).
struct ReadSpec {
  FileFormat format = FileFormat::kJson;
  SchemaPtr schema;
  io::FormatOptions options;
};

// The schema that reading `paths` with `spec` yields: the given schema, else the one inferred
// over all files (JSON, CSV) or read from the files' footers (Parquet; files must agree).
Result<SchemaPtr> ResolveSchema(const std::shared_ptr<io::FileSystem>& fs,
                                const std::vector<std::string>& paths, const ReadSpec& spec);

// Opens one file for reading with a resolved schema.
// REQUIRES: schema != nullptr (see ResolveSchema).
Result<std::unique_ptr<RecordBatchReader>> OpenFileReader(const std::shared_ptr<io::FileSystem>& fs,
                                                          const std::string& path,
                                                          FileFormat format,
                                                          const SchemaPtr& schema,
                                                          const io::FormatOptions& options);

// Reads `paths` as one stream with the resolved schema (ResolveSchema when spec.schema is
// null), `parallelism` files at a time on worker threads, batches in file order (see
// multi_file_reader.h).
Result<std::unique_ptr<RecordBatchReader>> OpenMultiFileReader(std::shared_ptr<io::FileSystem> fs,
                                                               std::vector<std::string> paths,
                                                               const ReadSpec& spec,
                                                               int parallelism = 1);

// Opens `path` for writing in `format`. The file appears atomically when the writer is closed
// successfully; a writer destroyed without Close() leaves nothing behind. Writer options use
// Spark's names (header, sep, compression, ...).
Result<std::unique_ptr<RecordBatchWriter>> OpenFileWriter(const std::shared_ptr<io::FileSystem>& fs,
                                                          const std::string& path,
                                                          FileFormat format,
                                                          const SchemaPtr& schema,
                                                          const io::FormatOptions& options);

}  // namespace arcflow::formats
