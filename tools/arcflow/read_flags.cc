#include "read_flags.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "arcflow/columnar/schema_ddl.h"
#include "arcflow/io/path_expansion.h"

namespace arcflow::cli {

void ReadFlags::AddTo(CLI::App& command, bool with_inputs) {
  if (with_inputs) {
    command.add_option("INPUT", inputs, "Input files, directories or glob patterns")->required();
  }
  command.add_option("--input-format", input_format,
                     "Input format: json, csv or parquet (default: from the extension)");
  command.add_option("--schema", schema_ddl,
                     "Schema as Spark DDL, e.g. 'id BIGINT, name STRING' (default: inferred)");
  command.add_option("--option", options,
                     "Reader option KEY=VALUE by Spark's name (header, sep, quote, escape, "
                     "nullValue, multiLine, mode, columnNameOfCorruptRecord, comment, "
                     "timestampFormat, dateFormat); repeatable");
}

Result<ReadFlags::Resolved> ReadFlags::Resolve(io::FileSystem& fs) const {
  Resolved resolved;
  ARCFLOW_ASSIGN_OR_RETURN(resolved.paths, io::ExpandInputPaths(fs, inputs));
  if (!input_format.empty()) {
    ARCFLOW_ASSIGN_OR_RETURN(resolved.spec.format, formats::ParseFileFormat(input_format));
  } else {
    ARCFLOW_ASSIGN_OR_RETURN(resolved.spec.format,
                             formats::FileFormatFromPath(resolved.paths.front()));
    for (const std::string& path : resolved.paths) {
      Result<formats::FileFormat> format = formats::FileFormatFromPath(path);
      if (!format.ok() || *format != resolved.spec.format) {
        return Status::Invalid(
            "inputs mix formats ('{}' is not {}); pass --input-format to read them all as one",
            path, formats::FileFormatName(resolved.spec.format));
      }
    }
  }
  if (!schema_ddl.empty()) {
    Result<SchemaPtr> schema = ParseDdlSchema(schema_ddl);
    if (!schema.ok()) return schema.status().WithContext("in --schema");
    resolved.spec.schema = *schema;
  }
  for (const std::string& option : options) {
    ARCFLOW_RETURN_NOT_OK(resolved.spec.options.SetFromAssignment(option));
  }
  return resolved;
}

Status WriteToStdout(std::string_view text) {
  if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size()) {
    if (errno == EPIPE) return Status::Cancelled("output closed");
    return Status::IOError("cannot write to standard output: {}", std::strerror(errno));
  }
  return Status::OK();
}

}  // namespace arcflow::cli
