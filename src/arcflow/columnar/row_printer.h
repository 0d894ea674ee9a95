#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "arcflow/base/result.h"
#include "arcflow/columnar/record_batch.h"
#include "arcflow/columnar/record_batch_reader.h"

namespace arcflow {

// The forms in which rows are shown to people and compared by tests.
enum class RowFormat {
  // One JSON object per row, the canonical form of DESIGN.md: fields in schema order, int64
  // exact, shortest round-trip floats with NaN/±Infinity as strings, decimals as strings with
  // exactly `scale` digits, binary as base64, dates "YYYY-MM-DD", timestamps
  // "YYYY-MM-DDTHH:MM:SS.ffffff" plus "Z" when UTC-adjusted, maps as [{"key":k,"value":v}].
  kJsonLines,
  // RFC 4180 CSV with a header; scalars as in the canonical form without JSON quoting, nested
  // values as their canonical JSON text, null as an empty field.
  kCsv,
  // An aligned, boxed table for terminals; null shown as NULL.
  kTable,
};

Result<RowFormat> ParseRowFormat(std::string_view name);

// Appends the canonical JSON rendering of `array[row]` to `out`.
void AppendCanonicalJson(const Array& array, int64_t row, std::string* out);
// Appends the text of `array[row]` as a CSV or table cell shows it (strings unquoted).
void AppendCellText(const Array& array, int64_t row, std::string* out);
// Appends one canonical JSON object for `row` of `batch` (no newline).
void AppendCanonicalRow(const RecordBatch& batch, int64_t row, std::string* out);
// Appends every row of `batch` to `rows`, one canonical JSON object each; how tests and tools
// compare tables.
void AppendCanonicalRows(const RecordBatch& batch, std::vector<std::string>* rows);

// Writes batches as rows in a RowFormat to `sink`, which receives chunks of text. The table
// format buffers rows until Close() to align the columns. Not thread-safe.
class RowPrinter final : public RecordBatchWriter {
 public:
  using Sink = std::function<Status(std::string_view)>;
  RowPrinter(RowFormat format, SchemaPtr schema, Sink sink);

  Status Write(const RecordBatch& batch) override;
  Status Close() override;

 private:
  Status Flush();

  RowFormat format_;
  SchemaPtr schema_;
  Sink sink_;
  std::string pending_;
  bool header_written_ = false;
  std::vector<std::vector<std::string>> table_rows_;  // kTable only.
};

}  // namespace arcflow
