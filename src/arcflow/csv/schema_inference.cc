#include "arcflow/csv/schema_inference.h"

#include <algorithm>

#include "arcflow/csv/column_names.h"
#include "arcflow/csv/record_reader.h"

namespace arcflow::csv {
namespace {

using Kind = CsvSchemaInferrer::Kind;
using Inferred = CsvSchemaInferrer::Inferred;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Digits of an optionally signed integer literal without leading zeros ("-007" → 1), or 0 when
// `text` is not such a literal.
int32_t IntegerPrecision(std::string_view text) {
  if (!text.empty() && (text.front() == '+' || text.front() == '-')) text.remove_prefix(1);
  if (text.empty() || !std::all_of(text.begin(), text.end(), IsDigit)) return 0;
  size_t first = text.find_first_not_of('0');
  if (first == std::string_view::npos) return 1;
  return static_cast<int32_t>(std::min<size_t>(text.size() - first, 1000));
}

// Spark's default date format for inference, yyyy-MM-dd, is strict: four-digit year, two-digit
// month and day, nothing after.
bool IsIsoDateShape(std::string_view text) {
  return text.size() == 10 && IsDigit(text[0]) && IsDigit(text[1]) && IsDigit(text[2]) &&
         IsDigit(text[3]) && text[4] == '-' && IsDigit(text[5]) && IsDigit(text[6]) &&
         text[7] == '-' && IsDigit(text[8]) && IsDigit(text[9]);
}

bool IsIntegral(Kind kind) { return kind == Kind::kInt || kind == Kind::kLong; }

// Integer kinds as the decimal that holds them: INT is DECIMAL(10,0), BIGINT DECIMAL(20,0).
Inferred AsDecimal(const Inferred& type) {
  if (type.kind == Kind::kInt) return {Kind::kDecimal, 10, 0};
  if (type.kind == Kind::kLong) return {Kind::kDecimal, 20, 0};
  return type;
}

// Splitmix64: a fixed-seed generator, so that sampling is reproducible from run to run.
class Sampler {
 public:
  explicit Sampler(double ratio) : ratio_(ratio) {}
  bool Take() {
    if (ratio_ >= 1.0) return true;
    state_ += 0x9E3779B97F4A7C15ULL;
    uint64_t z = state_;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    z ^= z >> 31;
    return static_cast<double>(z >> 11) * 0x1.0p-53 < ratio_;
  }

 private:
  double ratio_;
  uint64_t state_ = 0x5EED5EED5EED5EEDULL;
};

}  // namespace

Result<CsvSchemaInferrer> CsvSchemaInferrer::Make(const CsvReadOptions& options) {
  CsvSchemaInferrer inferrer;
  inferrer.null_value_ = options.null_value;
  inferrer.nan_value_ = options.nan_value;
  inferrer.positive_inf_ = options.positive_inf;
  inferrer.negative_inf_ = options.negative_inf;
  inferrer.has_timestamp_format_ = !options.timestamp_format.empty();
  if (!options.date_format.empty()) {
    ARCFLOW_ASSIGN_OR_RETURN(inferrer.date_pattern_, DateTimePattern::Compile(options.date_format));
  }
  if (!options.timestamp_format.empty()) {
    ARCFLOW_ASSIGN_OR_RETURN(inferrer.timestamp_pattern_,
                             DateTimePattern::Compile(options.timestamp_format));
  }
  return inferrer;
}

void CsvSchemaInferrer::SetColumnCount(size_t count) { columns_.resize(count); }

void CsvSchemaInferrer::AddRecord(const std::vector<CsvField>& fields) {
  size_t count = std::min(fields.size(), columns_.size());
  for (size_t i = 0; i < count; ++i) AddValue(i, fields[i].text);
}

void CsvSchemaInferrer::AddValue(size_t column, std::string_view text) {
  if (column >= columns_.size() || text.empty() || text == null_value_) return;
  Inferred& so_far = columns_[column];
  if (so_far.kind == Kind::kString) return;
  so_far = Merge(so_far, InferValue(so_far.kind, text));
}

CsvSchemaInferrer::Inferred CsvSchemaInferrer::InferValue(Kind start, std::string_view text) const {
  switch (start) {
    case Kind::kNull:
    case Kind::kInt:
      if (ParseInt32(text)) return {Kind::kInt};
      [[fallthrough]];
    case Kind::kLong:
      if (ParseInt64(text)) return {Kind::kLong};
      [[fallthrough]];
    case Kind::kDecimal: {
      // Spark keeps integers too long for BIGINT exact as decimals; fractions go to DOUBLE.
      int32_t precision = IntegerPrecision(text);
      if (precision > 0 && precision <= kMaxDecimalPrecision) {
        return {Kind::kDecimal, std::max(precision, 1), 0};
      }
      [[fallthrough]];
    }
    case Kind::kDouble:
      if (text == nan_value_ || text == positive_inf_ || text == negative_inf_ ||
          ParseDouble(text)) {
        return {Kind::kDouble};
      }
      [[fallthrough]];
    case Kind::kDate:
      if (date_pattern_ ? date_pattern_->ParseDate(text).has_value()
                        : IsIsoDateShape(text) && ParseDate(text).has_value()) {
        return {Kind::kDate};
      }
      [[fallthrough]];
    case Kind::kTimestamp:
      if (timestamp_pattern_ ? timestamp_pattern_->ParseTimestamp(text, true).has_value()
                             : ParseTimestamp(text, true).has_value()) {
        return {Kind::kTimestamp};
      }
      [[fallthrough]];
    case Kind::kBoolean:
      if (ParseBoolean(text)) return {Kind::kBoolean};
      [[fallthrough]];
    case Kind::kString:
      break;
  }
  return {Kind::kString};
}

CsvSchemaInferrer::Inferred CsvSchemaInferrer::Merge(const Inferred& a, const Inferred& b) const {
  if (a.kind == b.kind && a.precision == b.precision && a.scale == b.scale) return a;
  if (a.kind == Kind::kNull) return b;
  if (b.kind == Kind::kNull) return a;
  if (IsIntegral(a.kind) && IsIntegral(b.kind)) return {Kind::kLong};
  bool a_exact = IsIntegral(a.kind) || a.kind == Kind::kDecimal;
  bool b_exact = IsIntegral(b.kind) || b.kind == Kind::kDecimal;
  if (a_exact && b_exact) {
    Inferred x = AsDecimal(a);
    Inferred y = AsDecimal(b);
    int32_t scale = std::max(x.scale, y.scale);
    int32_t range = std::max(x.precision - x.scale, y.precision - y.scale);
    if (range + scale > kMaxDecimalPrecision) return {Kind::kDouble};
    return {Kind::kDecimal, range + scale, scale};
  }
  if ((a_exact || a.kind == Kind::kDouble) && (b_exact || b.kind == Kind::kDouble)) {
    return {Kind::kDouble};
  }
  if ((a.kind == Kind::kDate && b.kind == Kind::kTimestamp) ||
      (a.kind == Kind::kTimestamp && b.kind == Kind::kDate)) {
    // Without a timestamp format the lenient parser reads dates as timestamps; with one, a
    // date does not match it, so Spark falls back to STRING.
    return has_timestamp_format_ ? Inferred{Kind::kString} : Inferred{Kind::kTimestamp};
  }
  return {Kind::kString};
}

DataTypePtr CsvSchemaInferrer::ColumnType(size_t i) const {
  const Inferred& type = columns_[i];
  switch (type.kind) {
    case Kind::kInt:
      return types::Int32();
    case Kind::kLong:
      return types::Int64();
    case Kind::kDecimal:
      return types::Decimal(type.precision, type.scale);
    case Kind::kDouble:
      return types::Float64();
    case Kind::kDate:
      return types::Date32();
    case Kind::kTimestamp:
      return types::Timestamp();
    case Kind::kBoolean:
      return types::Boolean();
    case Kind::kNull:
    case Kind::kString:
      break;
  }
  return types::String();
}

Result<SchemaPtr> InferCsvSchema(io::FileSystem& fs, const std::vector<std::string>& paths,
                                 const CsvReadOptions& options) {
  ARCFLOW_RETURN_NOT_OK(options.Validate());
  ARCFLOW_ASSIGN_OR_RETURN(CsvSchemaInferrer inferrer, CsvSchemaInferrer::Make(options));
  TokenizerOptions tokenizer_options = options.ToTokenizerOptions();
  std::optional<std::vector<std::string>> names;
  Sampler sampler(options.sampling_ratio);
  ParsedRecord record;
  for (const std::string& path : paths) {
    std::string context = "while inferring the schema of " + path;
    auto file = fs.OpenSequential(path);
    if (!file.ok()) return file.status().WithContext(context);
    CsvRecordReader reader(std::move(file).MoveValueUnsafe(), tokenizer_options,
                           options.chunk_bytes, options.max_record_bytes);
    bool first = true;
    while (true) {
      Result<bool> more = reader.Next(&record);
      if (!more.ok()) return more.status().WithContext(context);
      if (!*more) break;
      if (first) {
        first = false;
        if (!names) {
          names = options.header ? MakeHeaderColumnNames(record.fields, options.null_value)
                                 : MakeDefaultColumnNames(record.fields.size());
          inferrer.SetColumnCount(names->size());
        }
        if (options.header) continue;
      }
      if (!sampler.Take()) continue;
      inferrer.AddRecord(record.fields);
    }
  }
  std::vector<Field> fields;
  if (names) {
    for (size_t i = 0; i < names->size(); ++i) {
      fields.emplace_back((*names)[i], inferrer.ColumnType(i));
    }
  }
  return std::make_shared<const Schema>(std::move(fields));
}

}  // namespace arcflow::csv
