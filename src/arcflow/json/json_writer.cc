#include "arcflow/json/json_writer.h"

#include <strings.h>

#include <charconv>
#include <cmath>
#include <optional>

#include "arcflow/columnar/schema_ddl.h"
#include "arcflow/columnar/value_format.h"
#include "arcflow/columnar/value_parse.h"

namespace arcflow::json {

namespace {

constexpr size_t kFlushBytes = size_t{1} << 20;

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

// True when `a` and `b` lay out the same values: equal ids and parameters, children alike,
// names, nullability and metadata aside.
bool SameShape(const DataType& a, const DataType& b) {
  if (a.id() != b.id() || a.num_fields() != b.num_fields()) return false;
  if (a.id() == TypeId::kDecimal128 && (a.precision() != b.precision() || a.scale() != b.scale())) {
    return false;
  }
  if (a.id() == TypeId::kTimestamp && a.utc_adjusted() != b.utc_adjusted()) return false;
  for (int i = 0; i < a.num_fields(); ++i) {
    if (!SameShape(*a.field(i).type, *b.field(i).type)) return false;
  }
  return true;
}

template <typename T>
void AppendInteger(T value, std::string* out) {
  char digits[48];
  auto [end, error] = std::to_chars(digits, digits + sizeof(digits), value);
  (void)error;
  out->append(digits, static_cast<size_t>(end - digits));
}

struct Patterns {
  std::optional<DateTimePattern> date;
  std::optional<DateTimePattern> timestamp;
  std::optional<DateTimePattern> timestamp_ntz;
};

// Writes the values of one array, built once per batch so that the row loop does no type
// lookups or casts.
class ValueWriter {
 public:
  ValueWriter(ArrayPtr array, const Patterns& patterns, bool ignore_null_fields)
      : array_(std::move(array)),
        id_(array_->type_id()),
        patterns_(patterns),
        ignore_null_fields_(ignore_null_fields) {
    switch (id_) {
      case TypeId::kStruct: {
        const auto& struct_array = static_cast<const StructArray&>(*array_);
        for (int i = 0; i < struct_array.num_fields(); ++i) {
          children_.push_back(
              std::make_unique<ValueWriter>(struct_array.field(i), patterns, ignore_null_fields));
          prefixes_.push_back(MemberPrefix(array_->type()->field(i).name));
        }
        break;
      }
      case TypeId::kList:
        children_.push_back(std::make_unique<ValueWriter>(
            static_cast<const ListArray&>(*array_).values(), patterns, ignore_null_fields));
        break;
      case TypeId::kMap: {
        const auto& map_array = static_cast<const MapArray&>(*array_);
        children_.push_back(
            std::make_unique<ValueWriter>(map_array.keys(), patterns, ignore_null_fields));
        children_.push_back(
            std::make_unique<ValueWriter>(map_array.items(), patterns, ignore_null_fields));
        break;
      }
      default:
        break;
    }
  }

  // `"name":`, ready to append before a member's value.
  static std::string MemberPrefix(std::string_view name) {
    std::string prefix;
    AppendJsonString(name, &prefix);
    prefix.push_back(':');
    return prefix;
  }

  // Appends the members of struct row `row` between braces, or the columns of a batch row
  // when `members` are the batch's columns.
  static void AppendObject(const std::vector<std::unique_ptr<ValueWriter>>& members,
                           const std::vector<std::string>& prefixes, int64_t row,
                           bool ignore_null_fields, std::string* out) {
    out->push_back('{');
    bool first = true;
    for (size_t i = 0; i < members.size(); ++i) {
      const ValueWriter& member = *members[i];
      if (ignore_null_fields && member.array_->IsNull(row)) continue;
      if (!first) out->push_back(',');
      first = false;
      out->append(prefixes[i]);
      member.Append(row, out);
    }
    out->push_back('}');
  }

  void Append(int64_t row, std::string* out) const {
    if (array_->IsNull(row)) {
      out->append("null");
      return;
    }
    switch (id_) {
      case TypeId::kBoolean:
        out->append(static_cast<const BooleanArray&>(*array_).Value(row) ? "true" : "false");
        return;
      case TypeId::kInt8:
        AppendInteger(static_cast<const Int8Array&>(*array_).Value(row), out);
        return;
      case TypeId::kInt16:
        AppendInteger(static_cast<const Int16Array&>(*array_).Value(row), out);
        return;
      case TypeId::kInt32:
        AppendInteger(static_cast<const Int32Array&>(*array_).Value(row), out);
        return;
      case TypeId::kInt64:
        AppendInteger(static_cast<const Int64Array&>(*array_).Value(row), out);
        return;
      case TypeId::kFloat32: {
        float value = static_cast<const Float32Array&>(*array_).Value(row);
        AppendFloating(
            std::isfinite(value), [&] { AppendFloat(value, out); }, out);
        return;
      }
      case TypeId::kFloat64: {
        double value = static_cast<const Float64Array&>(*array_).Value(row);
        AppendFloating(
            std::isfinite(value), [&] { AppendDouble(value, out); }, out);
        return;
      }
      case TypeId::kDecimal128:
        AppendDecimal(static_cast<const Decimal128Array&>(*array_).Value(row),
                      array_->type()->scale(), out);
        return;
      case TypeId::kString:
        AppendJsonString(static_cast<const StringArray&>(*array_).Value(row), out);
        return;
      case TypeId::kBinary:
      case TypeId::kDate32:
      case TypeId::kTimestamp:
        out->push_back('"');
        AppendText(row, out);
        out->push_back('"');
        return;
      case TypeId::kStruct:
        AppendObject(children_, prefixes_, row, ignore_null_fields_, out);
        return;
      case TypeId::kList: {
        const auto& list = static_cast<const ListArray&>(*array_);
        out->push_back('[');
        for (int32_t i = list.value_offset(row); i < list.value_offset(row + 1); ++i) {
          if (i != list.value_offset(row)) out->push_back(',');
          children_[0]->Append(i, out);
        }
        out->push_back(']');
        return;
      }
      case TypeId::kMap: {
        const auto& map = static_cast<const MapArray&>(*array_);
        out->push_back('{');
        for (int32_t i = map.value_offset(row); i < map.value_offset(row + 1); ++i) {
          if (i != map.value_offset(row)) out->push_back(',');
          const ValueWriter& key = *children_[0];
          if (key.id_ == TypeId::kString) {
            AppendJsonString(static_cast<const StringArray&>(*key.array_).Value(i), out);
          } else {
            key_text_.clear();
            key.AppendText(i, &key_text_);
            AppendJsonString(key_text_, out);
          }
          out->push_back(':');
          children_[1]->Append(i, out);
        }
        out->push_back('}');
        return;
      }
    }
  }

  // Appends the value as text without JSON quoting: what a map key or a quoted scalar holds.
  void AppendText(int64_t row, std::string* out) const {
    switch (id_) {
      case TypeId::kString:
        out->append(static_cast<const StringArray&>(*array_).Value(row));
        return;
      case TypeId::kBinary:
        AppendBase64(static_cast<const BinaryArray&>(*array_).Value(row), out);
        return;
      case TypeId::kDate32: {
        int32_t days = static_cast<const Date32Array&>(*array_).Value(row);
        if (patterns_.date) {
          out->append(patterns_.date->FormatDate(days));
        } else {
          AppendDate(days, out);
        }
        return;
      }
      case TypeId::kTimestamp: {
        int64_t micros = static_cast<const TimestampArray&>(*array_).Value(row);
        bool utc_adjusted = array_->type()->utc_adjusted();
        const auto& pattern = utc_adjusted ? patterns_.timestamp : patterns_.timestamp_ntz;
        if (pattern) {
          out->append(pattern->FormatTimestamp(micros, utc_adjusted));
        } else {
          AppendTimestamp(micros, utc_adjusted, out);
        }
        return;
      }
      case TypeId::kFloat32:
        AppendFloat(static_cast<const Float32Array&>(*array_).Value(row), out);
        return;
      case TypeId::kFloat64:
        AppendDouble(static_cast<const Float64Array&>(*array_).Value(row), out);
        return;
      default:
        // Integers, booleans and decimals are their JSON text; nested keys their JSON.
        Append(row, out);
        return;
    }
  }

 private:
  template <typename AppendFinite>
  static void AppendFloating(bool finite, AppendFinite append_finite, std::string* out) {
    // JSON has no NaN or Infinity: Spark writes them as strings.
    if (!finite) out->push_back('"');
    append_finite();
    if (!finite) out->push_back('"');
  }

  ArrayPtr array_;
  TypeId id_;
  const Patterns& patterns_;
  bool ignore_null_fields_;
  std::vector<std::unique_ptr<ValueWriter>> children_;
  std::vector<std::string> prefixes_;
  mutable std::string key_text_;
};

Status CompilePattern(const std::string& text, std::optional<DateTimePattern>* out) {
  if (text.empty()) return Status::OK();
  ARCFLOW_ASSIGN_OR_RETURN(*out, DateTimePattern::Compile(text));
  return Status::OK();
}

}  // namespace

Result<JsonWriteOptions> JsonWriteOptions::FromFormatOptions(const io::FormatOptions& options) {
  JsonWriteOptions result;
  ARCFLOW_ASSIGN_OR_RETURN(result.ignore_null_fields, options.GetBool("ignoreNullFields", true));
  result.date_format = options.GetString("dateFormat", "");
  result.timestamp_format = options.GetString("timestampFormat", "");
  result.timestamp_ntz_format = options.GetString("timestampNTZFormat", "");
  if (std::optional<std::string> line_sep = options.Get("lineSep")) {
    if (line_sep->empty()) return Status::Invalid("json: option lineSep must not be empty");
    result.line_separator = *line_sep;
    if (*line_sep == "\\n") result.line_separator = "\n";
    if (*line_sep == "\\r\\n") result.line_separator = "\r\n";
  }
  for (std::string_view key : {"encoding", "charset"}) {
    std::optional<std::string> encoding = options.Get(key);
    if (encoding && !EqualsIgnoreCase(*encoding, "UTF-8") && !EqualsIgnoreCase(*encoding, "UTF8")) {
      return Status::NotImplemented("json: only UTF-8 output is supported, option {} is '{}'", key,
                                    *encoding);
    }
  }
  if (std::optional<std::string> compression = options.Get("compression")) {
    if (!EqualsIgnoreCase(*compression, "none") &&
        !EqualsIgnoreCase(*compression, "uncompressed")) {
      return Status::NotImplemented("json: compressed output ('{}') is not supported yet",
                                    *compression);
    }
  }
  for (const auto& [key, text] :
       {std::pair<std::string_view, const std::string*>{"dateFormat", &result.date_format},
        {"timestampFormat", &result.timestamp_format},
        {"timestampNTZFormat", &result.timestamp_ntz_format}}) {
    if (text->empty()) continue;
    Result<DateTimePattern> compiled = DateTimePattern::Compile(*text);
    if (!compiled.ok()) {
      return Status::Invalid("json: option {} is not a valid datetime pattern: {}", key,
                             compiled.status().message());
    }
  }
  return result;
}

class JsonWriter::Impl {
 public:
  Patterns patterns;
  std::vector<std::string> prefixes;
};

Result<std::unique_ptr<JsonWriter>> JsonWriter::Open(std::unique_ptr<io::WritableFile> file,
                                                     SchemaPtr schema, JsonWriteOptions options) {
  auto impl = std::make_unique<Impl>();
  ARCFLOW_RETURN_NOT_OK(CompilePattern(options.date_format, &impl->patterns.date));
  ARCFLOW_RETURN_NOT_OK(CompilePattern(options.timestamp_format, &impl->patterns.timestamp));
  ARCFLOW_RETURN_NOT_OK(
      CompilePattern(options.timestamp_ntz_format, &impl->patterns.timestamp_ntz));
  for (const Field& field : schema->fields()) {
    impl->prefixes.push_back(ValueWriter::MemberPrefix(field.name));
  }
  return std::unique_ptr<JsonWriter>(
      new JsonWriter(std::move(file), std::move(schema), std::move(options), std::move(impl)));
}

JsonWriter::JsonWriter(std::unique_ptr<io::WritableFile> file, SchemaPtr schema,
                       JsonWriteOptions options, std::unique_ptr<Impl> impl)
    : file_(std::move(file)),
      path_(file_->path()),
      schema_(std::move(schema)),
      options_(std::move(options)),
      impl_(std::move(impl)) {}

JsonWriter::~JsonWriter() = default;

Status JsonWriter::Write(const RecordBatch& batch) {
  if (finished_) return Status::Invalid("json: write to {} after it was closed", path_);
  if (batch.num_columns() != schema_->num_fields()) {
    return Status::Invalid("json: batch has {} columns, the writer of {} expects {}",
                           batch.num_columns(), path_, schema_->num_fields());
  }
  std::vector<std::unique_ptr<ValueWriter>> columns;
  for (int i = 0; i < batch.num_columns(); ++i) {
    const Field& field = schema_->field(i);
    if (!SameShape(*batch.column(i)->type(), *field.type)) {
      return Status::Invalid("json: column '{}' of the batch is {}, the writer expects {}",
                             field.name, ToDdl(*batch.column(i)->type()), ToDdl(*field.type));
    }
    columns.push_back(std::make_unique<ValueWriter>(batch.column(i), impl_->patterns,
                                                    options_.ignore_null_fields));
  }
  for (int64_t row = 0; row < batch.num_rows(); ++row) {
    ValueWriter::AppendObject(columns, impl_->prefixes, row, options_.ignore_null_fields, &buffer_);
    buffer_.append(options_.line_separator);
    if (buffer_.size() >= kFlushBytes) ARCFLOW_RETURN_NOT_OK(Flush());
  }
  rows_written_ += batch.num_rows();
  return Status::OK();
}

Status JsonWriter::Flush() {
  if (buffer_.empty()) return Status::OK();
  ARCFLOW_RETURN_NOT_OK(file_->Append(buffer_));
  bytes_written_ += static_cast<int64_t>(buffer_.size());
  buffer_.clear();
  return Status::OK();
}

Status JsonWriter::Close() {
  if (finished_) return Status::OK();
  ARCFLOW_RETURN_NOT_OK(Flush());
  finished_ = true;
  return file_->Close();
}

Result<std::unique_ptr<io::WritableFile>> JsonWriter::Finish() {
  if (finished_ || !file_) {
    return Status::Invalid("json: the writer has already been closed");
  }
  ARCFLOW_RETURN_NOT_OK(Flush());
  finished_ = true;
  return std::move(file_);
}

Result<std::unique_ptr<RecordBatchWriter>> OpenJsonWriter(std::unique_ptr<io::WritableFile> file,
                                                          SchemaPtr schema,
                                                          JsonWriteOptions options) {
  ARCFLOW_ASSIGN_OR_RETURN(
      auto writer, JsonWriter::Open(std::move(file), std::move(schema), std::move(options)));
  return std::unique_ptr<RecordBatchWriter>(std::move(writer));
}

}  // namespace arcflow::json
