#include "arcflow/formats/file_format.h"

#include "arcflow/base/ascii.h"
#include "arcflow/csv/reader.h"
#include "arcflow/csv/schema_inference.h"
#include "arcflow/csv/writer.h"
#include "arcflow/formats/multi_file_reader.h"
#include "arcflow/io/atomic_publish.h"
#include "arcflow/json/json_reader.h"
#include "arcflow/json/json_schema_inference.h"
#include "arcflow/json/json_writer.h"
#include "arcflow/parquet/bridge/parquet_reader.h"
#include "arcflow/parquet/bridge/parquet_writer.h"

namespace arcflow::formats {

std::string_view FileFormatName(FileFormat format) {
  switch (format) {
    case FileFormat::kJson:
      return "json";
    case FileFormat::kCsv:
      return "csv";
    case FileFormat::kParquet:
      return "parquet";
  }
  return "unknown";
}

Result<FileFormat> ParseFileFormat(std::string_view name) {
  std::string lower = ascii::ToLower(name);
  if (lower == "json" || lower == "jsonl" || lower == "ndjson") return FileFormat::kJson;
  if (lower == "csv") return FileFormat::kCsv;
  if (lower == "parquet") return FileFormat::kParquet;
  return Status::Invalid("unknown file format '{}'; expected json, csv or parquet", name);
}

Result<FileFormat> FileFormatFromPath(std::string_view path) {
  std::string_view name = io::BaseName(path);
  size_t dot = name.rfind('.');
  if (dot != std::string_view::npos && dot > 0) {
    Result<FileFormat> format = ParseFileFormat(name.substr(dot + 1));
    if (format.ok()) return format;
  }
  return Status::Invalid(
      "cannot tell the format of '{}' from its extension (.json, .jsonl, .ndjson, .csv, "
      ".parquet); name it with --input-format/--output-format",
      path);
}

namespace {

// The schema stored in the footers of Parquet files; every file must have the same one.
Result<SchemaPtr> ParquetSchemaOfFiles(const std::shared_ptr<io::FileSystem>& fs,
                                       const std::vector<std::string>& paths) {
  SchemaPtr schema;
  std::string first_path;
  for (const std::string& path : paths) {
    ARCFLOW_ASSIGN_OR_RETURN(auto reader, parquet::ParquetFileReader::Open(fs, path));
    if (!schema) {
      schema = reader->schema();
      first_path = path;
    } else if (!reader->schema()->Equals(*schema, /*check_metadata=*/false)) {
      return Status::Invalid(
          "parquet files disagree on the schema: '{}' has <{}>, '{}' has <{}>; pass --schema "
          "to read the columns they share",
          first_path, schema->ToString(), path, reader->schema()->ToString());
    }
  }
  return schema;
}

// The top-level columns of a Parquet file that give `wanted`, matched by name; every wanted
// column must exist with the same type.
Result<std::vector<int>> ParquetColumnsFor(const Schema& file_schema, const Schema& wanted,
                                           const std::string& path) {
  std::vector<int> columns;
  for (const Field& field : wanted.fields()) {
    int index = file_schema.GetFieldIndex(field.name);
    if (index < 0) {
      return Status::Invalid("parquet: column '{}' is not in '{}' (its columns: {})", field.name,
                             path, file_schema.ToString());
    }
    // Nullability may differ: the file's is the truth, the given schema only picks and checks.
    const DataTypePtr& actual = file_schema.field(index).type;
    if (!MakeNullableType(actual)->Equals(*MakeNullableType(field.type),
                                          /*check_metadata=*/false)) {
      return Status::Invalid("parquet: column '{}' of '{}' is {}, not {}", field.name, path,
                             actual->ToString(), field.type->ToString());
    }
    columns.push_back(index);
  }
  return columns;
}

}  // namespace

Result<SchemaPtr> ResolveSchema(const std::shared_ptr<io::FileSystem>& fs,
                                const std::vector<std::string>& paths, const ReadSpec& spec) {
  if (spec.schema) {
    // Text sources read any given schema as nullable, as Spark's do; Parquet keeps the
    // nullability of the files, which ParquetColumnsFor checks the given schema against.
    if (spec.format != FileFormat::kParquet) return MakeNullableSchema(*spec.schema);
    // For Parquet the given schema selects columns by name; their types and nullability come
    // from the files.
    ARCFLOW_ASSIGN_OR_RETURN(SchemaPtr file_schema, ParquetSchemaOfFiles(fs, {paths.front()}));
    ARCFLOW_ASSIGN_OR_RETURN(std::vector<int> columns,
                             ParquetColumnsFor(*file_schema, *spec.schema, paths.front()));
    std::vector<Field> fields;
    for (int column : columns) fields.push_back(file_schema->field(column));
    return std::make_shared<Schema>(std::move(fields));
  }
  switch (spec.format) {
    case FileFormat::kJson: {
      ARCFLOW_ASSIGN_OR_RETURN(auto options,
                               json::JsonReadOptions::FromFormatOptions(spec.options));
      return json::InferJsonSchema(*fs, paths, options);
    }
    case FileFormat::kCsv: {
      ARCFLOW_ASSIGN_OR_RETURN(auto options, csv::CsvReadOptions::FromFormatOptions(spec.options));
      if (options.infer_schema) return csv::InferCsvSchema(*fs, paths, options);
      // Without inferSchema every column is a STRING named by the first file's header (or
      // _c0, _c1, ...), as in Spark; the reader works that out when given no schema.
      ARCFLOW_ASSIGN_OR_RETURN(auto reader, csv::OpenCsvReader(fs, paths.front(), options));
      return reader->schema();
    }
    case FileFormat::kParquet:
      return ParquetSchemaOfFiles(fs, paths);
  }
  return Status::Internal("unknown file format");
}

Result<std::unique_ptr<RecordBatchReader>> OpenFileReader(const std::shared_ptr<io::FileSystem>& fs,
                                                          const std::string& path,
                                                          FileFormat format,
                                                          const SchemaPtr& schema,
                                                          const io::FormatOptions& options) {
  switch (format) {
    case FileFormat::kJson: {
      ARCFLOW_ASSIGN_OR_RETURN(auto read_options,
                               json::JsonReadOptions::FromFormatOptions(options));
      read_options.schema = schema;
      return json::OpenJsonReader(fs, path, std::move(read_options));
    }
    case FileFormat::kCsv: {
      ARCFLOW_ASSIGN_OR_RETURN(auto read_options, csv::CsvReadOptions::FromFormatOptions(options));
      read_options.schema = schema;
      return csv::OpenCsvReader(fs, path, std::move(read_options));
    }
    case FileFormat::kParquet: {
      ARCFLOW_ASSIGN_OR_RETURN(auto reader, parquet::ParquetFileReader::Open(fs, path));
      ARCFLOW_ASSIGN_OR_RETURN(std::vector<int> columns,
                               ParquetColumnsFor(*reader->schema(), *schema, path));
      return reader->GetRecordBatchReader(columns);
    }
  }
  return Status::Internal("unknown file format");
}

Result<std::unique_ptr<RecordBatchReader>> OpenMultiFileReader(std::shared_ptr<io::FileSystem> fs,
                                                               std::vector<std::string> paths,
                                                               const ReadSpec& spec,
                                                               int parallelism) {
  ReadSpec resolved = spec;
  ARCFLOW_ASSIGN_OR_RETURN(resolved.schema, ResolveSchema(fs, paths, spec));
  MultiFileReadOptions options;
  options.parallelism = parallelism;
  return NewMultiFileReader(std::move(fs), std::move(paths), std::move(resolved), options);
}

Result<std::unique_ptr<RecordBatchWriter>> OpenFileWriter(const std::shared_ptr<io::FileSystem>& fs,
                                                          const std::string& path,
                                                          FileFormat format,
                                                          const SchemaPtr& schema,
                                                          const io::FormatOptions& options) {
  ARCFLOW_ASSIGN_OR_RETURN(auto file,
                           io::AtomicFileWriter::Open(fs, path, io::PublishMode::kReplace));
  switch (format) {
    case FileFormat::kJson: {
      ARCFLOW_ASSIGN_OR_RETURN(auto write_options,
                               json::JsonWriteOptions::FromFormatOptions(options));
      return json::OpenJsonWriter(std::move(file), schema, std::move(write_options));
    }
    case FileFormat::kCsv: {
      ARCFLOW_ASSIGN_OR_RETURN(auto write_options,
                               csv::CsvWriteOptions::FromFormatOptions(options));
      return csv::OpenCsvWriter(std::move(file), schema, std::move(write_options));
    }
    case FileFormat::kParquet: {
      ARCFLOW_ASSIGN_OR_RETURN(auto write_options,
                               parquet::ParquetWriteOptions::FromFormatOptions(options));
      return parquet::OpenParquetWriter(std::move(file), schema, std::move(write_options));
    }
  }
  return Status::Internal("unknown file format");
}

}  // namespace arcflow::formats
