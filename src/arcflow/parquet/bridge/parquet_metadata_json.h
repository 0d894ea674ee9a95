#pragma once

#include <string>

#include "arcflow/parquet/file_metadata.h"
#include "arcflow/parquet/schema_descriptor.h"

namespace arcflow::parquet {

enum class JsonStyle : uint8_t { kPretty, kCompact };

// Renders a file's footer as one JSON document, for people and tools (the CLI's
// `parquet-meta`): version, num_rows, created_by, key_value_metadata, the schema elements with
// their physical, converted and logical types, and per row group its columns with path,
// physical type, codec, encodings, value count, sizes, page offsets and statistics. Statistics
// min/max values are decoded by the column's type where possible (integers as JSON numbers,
// dates, timestamps, decimals and strings as text, floating point as numbers or "NaN"/
// "Infinity"), else shown as hex ("0x…"). Keys follow parquet.thrift's field names. The output
// is always valid JSON (invalid UTF-8 in names is replaced). Thread-safe.
std::string FileMetaDataToJson(const FileMetaData& metadata, const SchemaDescriptor& schema,
                               JsonStyle style = JsonStyle::kPretty);

}  // namespace arcflow::parquet
