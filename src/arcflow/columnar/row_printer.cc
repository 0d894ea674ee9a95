#include "arcflow/columnar/row_printer.h"

#include <algorithm>
#include <cmath>

#include "arcflow/columnar/value_format.h"

namespace arcflow {

Result<RowFormat> ParseRowFormat(std::string_view name) {
  if (name == "jsonl" || name == "json") return RowFormat::kJsonLines;
  if (name == "csv") return RowFormat::kCsv;
  if (name == "table") return RowFormat::kTable;
  return Status::Invalid("unknown output format '{}'; expected jsonl, csv or table", name);
}

namespace {

// Appends a scalar's canonical text; `quote_strings` selects JSON (quoted) or cell (raw) form.
void AppendValue(const Array& array, int64_t row, bool quote_strings, std::string* out) {
  if (array.IsNull(row)) {
    if (quote_strings) out->append("null");
    return;
  }
  auto quoted = [&](auto&& append_body) {
    if (quote_strings) {
      std::string body;
      append_body(&body);
      AppendJsonString(body, out);
    } else {
      append_body(out);
    }
  };
  const DataType& type = *array.type();
  switch (type.id()) {
    case TypeId::kBoolean:
      out->append(static_cast<const BooleanArray&>(array).Value(row) ? "true" : "false");
      return;
    case TypeId::kInt8:
      out->append(std::to_string(static_cast<const Int8Array&>(array).Value(row)));
      return;
    case TypeId::kInt16:
      out->append(std::to_string(static_cast<const Int16Array&>(array).Value(row)));
      return;
    case TypeId::kInt32:
      out->append(std::to_string(static_cast<const Int32Array&>(array).Value(row)));
      return;
    case TypeId::kInt64:
      out->append(std::to_string(static_cast<const Int64Array&>(array).Value(row)));
      return;
    case TypeId::kFloat32: {
      float value = static_cast<const Float32Array&>(array).Value(row);
      if (std::isfinite(value)) {
        AppendFloat(value, out);
      } else {
        quoted([&](std::string* target) { AppendFloat(value, target); });
      }
      return;
    }
    case TypeId::kFloat64: {
      double value = static_cast<const Float64Array&>(array).Value(row);
      if (std::isfinite(value)) {
        AppendDouble(value, out);
      } else {
        quoted([&](std::string* target) { AppendDouble(value, target); });
      }
      return;
    }
    case TypeId::kDecimal128:
      quoted([&](std::string* target) {
        AppendDecimal(static_cast<const Decimal128Array&>(array).Value(row), type.scale(), target);
      });
      return;
    case TypeId::kString: {
      std::string_view value = static_cast<const StringArray&>(array).Value(row);
      if (quote_strings) {
        AppendJsonString(value, out);
      } else {
        out->append(value);
      }
      return;
    }
    case TypeId::kBinary:
      quoted([&](std::string* target) {
        AppendBase64(static_cast<const BinaryArray&>(array).Value(row), target);
      });
      return;
    case TypeId::kDate32:
      quoted([&](std::string* target) {
        AppendDate(static_cast<const Date32Array&>(array).Value(row), target);
      });
      return;
    case TypeId::kTimestamp:
      quoted([&](std::string* target) {
        AppendTimestamp(static_cast<const TimestampArray&>(array).Value(row), type.utc_adjusted(),
                        target);
      });
      return;
    case TypeId::kStruct: {
      const auto& record = static_cast<const StructArray&>(array);
      out->push_back('{');
      for (int i = 0; i < record.num_fields(); ++i) {
        if (i > 0) out->push_back(',');
        AppendJsonString(type.field(i).name, out);
        out->push_back(':');
        AppendCanonicalJson(*record.field(i), row, out);
      }
      out->push_back('}');
      return;
    }
    case TypeId::kList: {
      const auto& list = static_cast<const ListArray&>(array);
      out->push_back('[');
      for (int32_t i = list.value_offset(row); i < list.value_offset(row + 1); ++i) {
        if (i > list.value_offset(row)) out->push_back(',');
        AppendCanonicalJson(*list.values(), i, out);
      }
      out->push_back(']');
      return;
    }
    case TypeId::kMap: {
      const auto& map = static_cast<const MapArray&>(array);
      out->push_back('[');
      for (int32_t i = map.value_offset(row); i < map.value_offset(row + 1); ++i) {
        if (i > map.value_offset(row)) out->push_back(',');
        out->append("{\"key\":");
        AppendCanonicalJson(*map.keys(), i, out);
        out->append(",\"value\":");
        AppendCanonicalJson(*map.items(), i, out);
        out->push_back('}');
      }
      out->push_back(']');
      return;
    }
  }
}

void AppendCsvField(std::string_view text, bool is_null, std::string* out) {
  if (is_null) return;
  bool needs_quotes = text.empty() || text.find_first_of(",\"\r\n") != std::string_view::npos;
  if (!needs_quotes) {
    out->append(text);
    return;
  }
  out->push_back('"');
  for (char c : text) {
    if (c == '"') out->push_back('"');
    out->push_back(c);
  }
  out->push_back('"');
}

// Display width of UTF-8 text in code points (good enough for alignment of most data).
size_t DisplayWidth(std::string_view text) {
  size_t width = 0;
  for (char c : text) width += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return width;
}

constexpr size_t kFlushThreshold = 1 << 20;

}  // namespace

void AppendCanonicalJson(const Array& array, int64_t row, std::string* out) {
  AppendValue(array, row, /*quote_strings=*/true, out);
}

void AppendCellText(const Array& array, int64_t row, std::string* out) {
  AppendValue(array, row, /*quote_strings=*/false, out);
}

void AppendCanonicalRow(const RecordBatch& batch, int64_t row, std::string* out) {
  out->push_back('{');
  for (int i = 0; i < batch.num_columns(); ++i) {
    if (i > 0) out->push_back(',');
    AppendJsonString(batch.schema()->field(i).name, out);
    out->push_back(':');
    AppendCanonicalJson(*batch.column(i), row, out);
  }
  out->push_back('}');
}

void AppendCanonicalRows(const RecordBatch& batch, std::vector<std::string>* rows) {
  rows->reserve(rows->size() + static_cast<size_t>(batch.num_rows()));
  for (int64_t row = 0; row < batch.num_rows(); ++row) {
    rows->emplace_back();
    AppendCanonicalRow(batch, row, &rows->back());
  }
}

RowPrinter::RowPrinter(RowFormat format, SchemaPtr schema, Sink sink)
    : format_(format), schema_(std::move(schema)), sink_(std::move(sink)) {}

Status RowPrinter::Write(const RecordBatch& batch) {
  switch (format_) {
    case RowFormat::kJsonLines:
      for (int64_t row = 0; row < batch.num_rows(); ++row) {
        AppendCanonicalRow(batch, row, &pending_);
        pending_.push_back('\n');
        if (pending_.size() >= kFlushThreshold) ARCFLOW_RETURN_NOT_OK(Flush());
      }
      break;
    case RowFormat::kCsv:
      if (!header_written_) {
        for (int i = 0; i < schema_->num_fields(); ++i) {
          if (i > 0) pending_.push_back(',');
          AppendCsvField(schema_->field(i).name, false, &pending_);
        }
        pending_.append("\r\n");
        header_written_ = true;
      }
      for (int64_t row = 0; row < batch.num_rows(); ++row) {
        std::string cell;
        for (int i = 0; i < batch.num_columns(); ++i) {
          if (i > 0) pending_.push_back(',');
          const Array& column = *batch.column(i);
          cell.clear();
          AppendCellText(column, row, &cell);
          AppendCsvField(cell, column.IsNull(row), &pending_);
        }
        pending_.append("\r\n");
        if (pending_.size() >= kFlushThreshold) ARCFLOW_RETURN_NOT_OK(Flush());
      }
      break;
    case RowFormat::kTable:
      for (int64_t row = 0; row < batch.num_rows(); ++row) {
        std::vector<std::string> cells;
        cells.reserve(static_cast<size_t>(batch.num_columns()));
        for (int i = 0; i < batch.num_columns(); ++i) {
          const Array& column = *batch.column(i);
          std::string cell;
          if (column.IsNull(row)) {
            cell = "NULL";
          } else {
            AppendCellText(column, row, &cell);
          }
          // Keep each cell on one line.
          std::replace(cell.begin(), cell.end(), '\n', ' ');
          cells.push_back(std::move(cell));
        }
        table_rows_.push_back(std::move(cells));
      }
      break;
  }
  return Status::OK();
}

Status RowPrinter::Flush() {
  if (pending_.empty()) return Status::OK();
  Status status = sink_(pending_);
  pending_.clear();
  return status;
}

Status RowPrinter::Close() {
  if (format_ == RowFormat::kCsv && !header_written_) {
    RecordBatchBuilder empty(schema_);
    ARCFLOW_ASSIGN_OR_RETURN(auto batch, empty.Finish());
    ARCFLOW_RETURN_NOT_OK(Write(*batch));
  }
  if (format_ == RowFormat::kTable) {
    size_t columns = static_cast<size_t>(schema_->num_fields());
    std::vector<size_t> widths(columns);
    for (size_t i = 0; i < columns; ++i) {
      widths[i] = DisplayWidth(schema_->field(static_cast<int>(i)).name);
    }
    for (const auto& cells : table_rows_) {
      for (size_t i = 0; i < columns; ++i) widths[i] = std::max(widths[i], DisplayWidth(cells[i]));
    }
    auto rule = [&] {
      pending_.push_back('+');
      for (size_t width : widths) {
        pending_.append(width + 2, '-');
        pending_.push_back('+');
      }
      pending_.push_back('\n');
    };
    auto line = [&](const std::vector<std::string>& cells) {
      pending_.push_back('|');
      for (size_t i = 0; i < columns; ++i) {
        pending_.push_back(' ');
        pending_.append(cells[i]);
        pending_.append(widths[i] - DisplayWidth(cells[i]) + 1, ' ');
        pending_.push_back('|');
      }
      pending_.push_back('\n');
    };
    std::vector<std::string> header;
    for (const Field& field : schema_->fields()) header.push_back(field.name);
    rule();
    line(header);
    rule();
    for (const auto& cells : table_rows_) {
      line(cells);
      if (pending_.size() >= kFlushThreshold) ARCFLOW_RETURN_NOT_OK(Flush());
    }
    rule();
    pending_.append(std::to_string(table_rows_.size()));
    pending_.append(table_rows_.size() == 1 ? " row\n" : " rows\n");
    table_rows_.clear();
  }
  return Flush();
}

}  // namespace arcflow
