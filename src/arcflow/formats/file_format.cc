#include "arcflow/formats/file_format.h"

#include "arcflow/base/ascii.h"
#include "arcflow/csv/reader.h"
#include "arcflow/csv/schema_inference.h"
#include "arcflow/csv/writer.h"
#include "arcflow/io/atomic_publish.h"
#include "arcflow/json/json_reader.h"
#include "arcflow/json/json_schema_inference.h"
#include "arcflow/json/json_writer.h"

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

Result<SchemaPtr> ResolveSchema(const std::shared_ptr<io::FileSystem>& fs,
                                const std::vector<std::string>& paths, const ReadSpec& spec) {
  if (spec.schema) return spec.schema;
  switch (spec.format) {
    case FileFormat::kJson: {
      ARCFLOW_ASSIGN_OR_RETURN(auto options,
                               json::JsonReadOptions::FromFormatOptions(spec.options));
      return json::InferJsonSchema(*fs, paths, options);
    }
    case FileFormat::kCsv: {
      ARCFLOW_ASSIGN_OR_RETURN(auto options, csv::CsvReadOptions::FromFormatOptions(spec.options));
      return csv::InferCsvSchema(*fs, paths, options);
    }
    case FileFormat::kParquet:
      break;
  }
  return Status::NotImplemented("parquet: reading is not available in this build");
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
    case FileFormat::kParquet:
      break;
  }
  return Status::NotImplemented("parquet: reading is not available in this build");
}

namespace {

// Reads several files one after the other. Files must yield the resolved schema.
class MultiFileReader final : public RecordBatchReader {
 public:
  MultiFileReader(std::shared_ptr<io::FileSystem> fs, std::vector<std::string> paths, ReadSpec spec)
      : fs_(std::move(fs)), paths_(std::move(paths)), spec_(std::move(spec)) {}

  const SchemaPtr& schema() const override { return spec_.schema; }

  Result<RecordBatchPtr> Next() override {
    while (true) {
      if (!current_) {
        if (next_path_ >= paths_.size()) return RecordBatchPtr();
        const std::string& path = paths_[next_path_++];
        ARCFLOW_ASSIGN_OR_RETURN(
            current_, OpenFileReader(fs_, path, spec_.format, spec_.schema, spec_.options));
        if (!current_->schema()->Equals(*spec_.schema, /*check_metadata=*/false)) {
          return Status::Invalid("file '{}' has schema <{}>, expected <{}> like the other inputs",
                                 path, current_->schema()->ToString(), spec_.schema->ToString());
        }
      }
      ARCFLOW_ASSIGN_OR_RETURN(RecordBatchPtr batch, current_->Next());
      if (batch) {
        // Batches carry the resolved schema object so consumers see one schema throughout.
        return std::make_shared<const RecordBatch>(spec_.schema, batch->num_rows(),
                                                   batch->columns());
      }
      current_.reset();
    }
  }

 private:
  std::shared_ptr<io::FileSystem> fs_;
  std::vector<std::string> paths_;
  ReadSpec spec_;
  size_t next_path_ = 0;
  std::unique_ptr<RecordBatchReader> current_;
};

}  // namespace

Result<std::unique_ptr<RecordBatchReader>> OpenMultiFileReader(std::shared_ptr<io::FileSystem> fs,
                                                               std::vector<std::string> paths,
                                                               const ReadSpec& spec) {
  ReadSpec resolved = spec;
  ARCFLOW_ASSIGN_OR_RETURN(resolved.schema, ResolveSchema(fs, paths, spec));
  return std::unique_ptr<RecordBatchReader>(
      new MultiFileReader(std::move(fs), std::move(paths), std::move(resolved)));
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
    case FileFormat::kParquet:
      break;
  }
  return Status::NotImplemented("parquet: writing is not available in this build");
}

}  // namespace arcflow::formats
