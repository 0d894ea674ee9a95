#include "arcflow/delta/file_stats.h"

#include <cmath>
#include <cstring>
#include <limits>

#include <fmt/format.h>
#include <simdjson.h>

#include "arcflow/base/ascii.h"
#include "arcflow/base/byte_compare.h"
#include "arcflow/base/utf8.h"
#include "arcflow/columnar/array.h"
#include "arcflow/columnar/schema_json.h"
#include "arcflow/columnar/value_format.h"

namespace arcflow::delta {

namespace {

constexpr uint32_t kMaxCodePoint = 0x10FFFF;

enum class BoundKind : uint8_t { kNone, kInteger, kFloating, kDecimal, kString };

BoundKind BoundKindOf(const DataType& type) {
  switch (type.id()) {
    case TypeId::kInt8:
    case TypeId::kInt16:
    case TypeId::kInt32:
    case TypeId::kInt64:
    case TypeId::kDate32:
    case TypeId::kTimestamp:
      return BoundKind::kInteger;
    case TypeId::kFloat32:
    case TypeId::kFloat64:
      return BoundKind::kFloating;
    case TypeId::kDecimal128:
      return BoundKind::kDecimal;
    case TypeId::kString:
      return BoundKind::kString;
    default:
      return BoundKind::kNone;
  }
}

// The name statistics use for `field`: its physical name under column mapping, when it has one.
std::string StatsName(const Field& field, bool use_physical_names) {
  if (use_physical_names) {
    if (auto raw = field.GetMetadata("delta.columnMapping.physicalName")) {
      if (auto name = UnquoteJsonString(*raw)) return *name;
    }
  }
  return field.name;
}

// Byte length of the first `count` code points of `text` (all of it when shorter). Bytes that
// are not well-formed UTF-8 count as one character each, so hostile data cannot stall this.
size_t PrefixBytes(std::string_view text, int64_t count) {
  size_t position = 0;
  for (int64_t i = 0; i < count && position < text.size(); ++i) {
    size_t length = utf8::SequenceLength(text, position);
    position += length == 0 ? 1 : length;
  }
  return position;
}

// Decodes the well-formed code point at `position` (length from utf8::SequenceLength), or
// returns nullopt for a malformed byte.
std::optional<uint32_t> CodePointAt(std::string_view text, size_t position, size_t* length) {
  *length = utf8::SequenceLength(text, position);
  if (*length == 0) {
    *length = 1;
    return std::nullopt;
  }
  auto byte = [&](size_t i) { return static_cast<uint32_t>(static_cast<uint8_t>(text[i])); };
  uint32_t lead = byte(position);
  if (*length == 1) return lead;
  uint32_t value = lead & (0xFFu >> (*length + 1));
  for (size_t i = 1; i < *length; ++i) value = (value << 6) | (byte(position + i) & 0x3F);
  return value;
}

void AppendMillisTimestamp(int64_t millis, bool utc_adjusted, std::string* out) {
  std::string text;
  AppendTimestamp(millis * 1000, utc_adjusted, &text);
  // AppendTimestamp prints six fractional digits; the last three are zero here.
  size_t dot = text.rfind('.');
  if (dot != std::string::npos && dot + 7 <= text.size()) text.erase(dot + 4, 3);
  out->append(text);
}

int64_t FloorDiv(int64_t value, int64_t divisor) {
  int64_t quotient = value / divisor;
  if (value % divisor != 0 && value < 0) --quotient;
  return quotient;
}

void AppendFloatingJson(double value, bool is_float32, std::string* out) {
  if (std::isnan(value) || std::isinf(value)) {
    out->push_back('"');
    AppendDouble(value, out);
    out->push_back('"');
  } else if (is_float32) {
    AppendFloat(static_cast<float>(value), out);
  } else {
    AppendDouble(value, out);
  }
}

}  // namespace

std::string TruncateMinString(std::string_view value, int32_t prefix_length) {
  return std::string(value.substr(0, PrefixBytes(value, prefix_length)));
}

std::string TruncateMaxString(std::string_view value, int32_t prefix_length) {
  size_t position = PrefixBytes(value, prefix_length);
  if (position >= value.size()) return std::string(value);
  // Extend the prefix over U+10FFFF code points: appending U+10FFFF after them would not be
  // greater than the value.
  while (position < value.size()) {
    size_t length = 0;
    std::optional<uint32_t> code_point = CodePointAt(value, position, &length);
    if (!code_point || *code_point < kMaxCodePoint) {
      std::string bound(value.substr(0, position));
      utf8::Append(kMaxCodePoint, &bound);
      return bound;
    }
    position += length;
  }
  return std::string(value);
}

// A column (or struct member) of the statistics tree and what has been seen in it.
struct FileStatsCollector::Node {
  std::string stats_name;
  DataTypePtr type;
  bool selected = false;  // This node or a descendant gets statistics.
  BoundKind bound_kind = BoundKind::kNone;
  std::vector<Node> children;  // Struct members only.
  // Set by MakeForParquetFile for a leaf whose statistics come from this Parquet leaf column
  // (SetParquetLeafStatistics) rather than from the batches; -1 otherwise.
  int parquet_leaf = -1;
  // Update reads this column's values: it, or a member of it, is selected and not from Parquet.
  bool reads_batches = false;

  int64_t null_count = 0;
  bool has_bounds = false;  // A non-null value (not NaN, for floats) was seen.
  bool saw_nan = false;
  int64_t min_integer = 0;
  int64_t max_integer = 0;
  double min_floating = 0;
  double max_floating = 0;
  int128_t min_decimal = 0;
  int128_t max_decimal = 0;
  std::string min_string;
  std::string max_string;
};

namespace {

using Node = FileStatsCollector::Node;

bool PathSelected(const std::vector<std::string>& path,
                  const std::vector<std::vector<std::string>>& stats_columns) {
  for (const auto& column : stats_columns) {
    if (column.size() > path.size()) continue;
    bool prefix = true;
    for (size_t i = 0; i < column.size() && prefix; ++i) {
      prefix = ascii::EqualsIgnoreCase(column[i], path[i]);
    }
    if (prefix) return true;
  }
  return false;
}

// How many Parquet leaf columns a column of `type` becomes.
int CountParquetLeaves(const DataType& type) {
  if (!type.is_nested()) return 1;
  int leaves = 0;
  for (const Field& member : type.fields()) leaves += CountParquetLeaves(*member.type);
  return leaves;
}

// Whether the Parquet writer's exact statistics of a leaf of `type` (outside lists and maps)
// give its Delta statistics: its null count counts values under null structs as Delta does,
// and its min/max are those Delta keeps (for floats with the NaN count, as NaN is outside
// them). Not for decimals, whose physical type depends on their precision.
bool ParquetGivesStatistics(const DataType& type, BoundKind bound_kind) {
  return bound_kind == BoundKind::kInteger || bound_kind == BoundKind::kString ||
         bound_kind == BoundKind::kFloating || type.id() == TypeId::kBoolean ||
         type.id() == TypeId::kBinary;
}

// The statistics tree for `field`. `next_parquet_leaf` counts the Parquet leaf columns of the
// fields before it; with `from_parquet`, selected leaves that Parquet's statistics describe
// take theirs from there.
Node BuildNode(const Field& field, const FileStatsOptions& options, bool from_parquet,
               std::vector<std::string>* path, int64_t* leaves_left, int* next_parquet_leaf) {
  Node node;
  node.stats_name = StatsName(field, options.use_physical_names);
  node.type = field.type;
  path->push_back(field.name);
  if (field.type->id() == TypeId::kStruct) {
    for (const Field& member : field.type->fields()) {
      node.children.push_back(
          BuildNode(member, options, from_parquet, path, leaves_left, next_parquet_leaf));
      node.selected = node.selected || node.children.back().selected;
      node.reads_batches = node.reads_batches || node.children.back().reads_batches;
    }
  } else {
    if (options.stats_columns) {
      node.selected = PathSelected(*path, *options.stats_columns);
    } else if (*leaves_left != 0) {
      node.selected = true;
      if (*leaves_left > 0) --*leaves_left;
    }
    node.bound_kind = BoundKindOf(*field.type);
    if (from_parquet && node.selected && !field.type->is_nested() &&
        ParquetGivesStatistics(*field.type, node.bound_kind)) {
      node.parquet_leaf = *next_parquet_leaf;
    }
    *next_parquet_leaf += CountParquetLeaves(*field.type);
    node.reads_batches = node.selected && node.parquet_leaf < 0;
  }
  path->pop_back();
  return node;
}

// A PLAIN-encoded Parquet bound of 4 bytes (`Narrow`) or 8 (`Wide`: int32/int64 or
// float/double), as `Wide`; nullopt when it has neither size or not the expected one.
template <typename Narrow, typename Wide>
std::optional<Wide> DecodeBound(const std::optional<std::string>& bound, size_t size) {
  static_assert(sizeof(Narrow) == 4 && sizeof(Wide) == 8);
  if (!bound || bound->size() != size) return std::nullopt;
  if (size == sizeof(Narrow)) {
    Narrow value = 0;
    std::memcpy(&value, bound->data(), sizeof(value));
    return value;
  }
  Wide value = 0;
  std::memcpy(&value, bound->data(), sizeof(value));
  return value;
}

// The min and max of `leaf`, bounds of `size` bytes (DecodeBound), into `min` and `max`;
// Internal, naming `node`'s column, when they are not `size`-byte `kind`.
template <typename Narrow, typename Wide>
Status DecodeBounds(const Node& node, const parquet::Statistics& leaf, size_t size,
                    std::string_view kind, Wide* min, Wide* max) {
  std::optional<Wide> low = DecodeBound<Narrow, Wide>(leaf.min_value, size);
  std::optional<Wide> high = DecodeBound<Narrow, Wide>(leaf.max_value, size);
  if (!low || !high) {
    return Status::Internal("delta stats: the Parquet bounds of column {} ({}) are not {}-byte {}",
                            node.stats_name, node.type->ToString(), size, kind);
  }
  *min = *low;
  *max = *high;
  return Status::OK();
}

Status SetFromParquet(Node* node, std::span<const parquet::Statistics> leaves) {
  for (Node& child : node->children) ARCFLOW_RETURN_NOT_OK(SetFromParquet(&child, leaves));
  if (node->parquet_leaf < 0) return Status::OK();
  const parquet::Statistics& leaf = leaves[static_cast<size_t>(node->parquet_leaf)];
  if (!leaf.null_count) {
    return Status::Internal("delta stats: the Parquet statistics of column {} have no null count",
                            node->stats_name);
  }
  node->null_count = *leaf.null_count;
  if (node->bound_kind == BoundKind::kFloating) {
    if (!leaf.nan_count) {
      return Status::Internal(
          "delta stats: the Parquet statistics of float column {} have no NaN count",
          node->stats_name);
    }
    node->saw_nan = *leaf.nan_count > 0;
  }
  // Booleans and binaries get a null count only.
  node->has_bounds = node->bound_kind != BoundKind::kNone && leaf.min_value.has_value() &&
                     leaf.max_value.has_value();
  if (!node->has_bounds) return Status::OK();
  if (node->bound_kind == BoundKind::kFloating) {
    const size_t size = node->type->id() == TypeId::kFloat32 ? sizeof(float) : sizeof(double);
    return DecodeBounds<float, double>(*node, leaf, size, "floats", &node->min_floating,
                                       &node->max_floating);
  }
  if (node->bound_kind == BoundKind::kString) {
    node->min_string = *leaf.min_value;
    node->max_string = *leaf.max_value;
    return Status::OK();
  }
  const TypeId id = node->type->id();
  const size_t size = id == TypeId::kInt64 || id == TypeId::kTimestamp ? 8 : 4;
  return DecodeBounds<int32_t, int64_t>(*node, leaf, size, "integers", &node->min_integer,
                                        &node->max_integer);
}

// Whether row `i` of the current array is null, given the validity of its ancestors.
inline bool IsNullAt(const Array& array, const std::vector<uint8_t>* parent_valid, int64_t i) {
  return (parent_valid != nullptr && !(*parent_valid)[static_cast<size_t>(i)]) || array.IsNull(i);
}

// Calls `visit(i)` for every entry of `array` that is neither null nor under a null parent,
// in order. With no nulls anywhere the loop has no test to make, so it vectorizes.
template <typename Visit>
void ForEachNonNull(const Array& array, const std::vector<uint8_t>* parent_valid, Visit&& visit) {
  const int64_t length = array.length();
  if (parent_valid == nullptr && array.null_count() == 0) {
    for (int64_t i = 0; i < length; ++i) visit(i);
    return;
  }
  for (int64_t i = 0; i < length; ++i) {
    if (!IsNullAt(array, parent_valid, i)) visit(i);
  }
}

// Widens a node's bounds to hold a batch's [min, max]; the first batch with values sets them.
// On ties (0.0 and -0.0) the bound already held stays, as when comparing value by value.
template <typename T>
void WidenBounds(Node* node, T min, T max, T* node_min, T* node_max) {
  *node_min = node->has_bounds ? std::min(*node_min, min) : min;
  *node_max = node->has_bounds ? std::max(*node_max, max) : max;
  node->has_bounds = true;
}

void UpdateStrings(Node* node, const Array& array, const std::vector<uint8_t>* parent_valid) {
  const auto& strings = static_cast<const BinaryArray&>(array);
  bool any = false;
  std::string_view min;
  std::string_view max;
  ForEachNonNull(array, parent_valid, [&](int64_t i) {
    const std::string_view value = strings.Value(i);
    if (!any) {
      min = max = value;
      any = true;
    } else if (BytesLess(value, min)) {
      min = value;
    } else if (BytesLess(max, value)) {
      max = value;
    }
  });
  if (!any) return;
  if (!node->has_bounds || BytesLess(min, node->min_string)) node->min_string.assign(min);
  if (!node->has_bounds || BytesLess(node->max_string, max)) node->max_string.assign(max);
  node->has_bounds = true;
}

template <typename T>
void UpdateIntegers(Node* node, const Array& array, const std::vector<uint8_t>* parent_valid) {
  const auto& values = static_cast<const NumericArray<T>&>(array);
  bool any = false;
  int64_t min = std::numeric_limits<int64_t>::max();
  int64_t max = std::numeric_limits<int64_t>::min();
  ForEachNonNull(array, parent_valid, [&](int64_t i) {
    const auto value = static_cast<int64_t>(values.Value(i));
    min = std::min(min, value);
    max = std::max(max, value);
    any = true;
  });
  if (any) WidenBounds(node, min, max, &node->min_integer, &node->max_integer);
}

template <typename T>
void UpdateFloating(Node* node, const Array& array, const std::vector<uint8_t>* parent_valid) {
  const auto& values = static_cast<const NumericArray<T>&>(array);
  bool any = false;
  double min = std::numeric_limits<double>::infinity();
  double max = -std::numeric_limits<double>::infinity();
  ForEachNonNull(array, parent_valid, [&](int64_t i) {
    const auto value = static_cast<double>(values.Value(i));
    if (std::isnan(value)) {
      node->saw_nan = true;
      return;
    }
    // On ties (0.0 and -0.0) the value seen first stays, as when comparing one by one.
    min = std::min(min, value);
    max = std::max(max, value);
    any = true;
  });
  if (any) WidenBounds(node, min, max, &node->min_floating, &node->max_floating);
}

void UpdateDecimals(Node* node, const Array& array, const std::vector<uint8_t>* parent_valid) {
  const auto& values = static_cast<const Decimal128Array&>(array);
  ForEachNonNull(array, parent_valid, [&](int64_t i) {
    const int128_t value = values.Value(i);
    if (!node->has_bounds) {
      node->min_decimal = node->max_decimal = value;
      node->has_bounds = true;
    } else {
      if (value < node->min_decimal) node->min_decimal = value;
      if (value > node->max_decimal) node->max_decimal = value;
    }
  });
}

Status UpdateNode(Node* node, const Array& array, const std::vector<uint8_t>* parent_valid) {
  if (!node->selected) return Status::OK();
  if (array.type_id() != node->type->id()) {
    return Status::Invalid("delta stats: column {} has type {} in the batch, {} in the schema",
                           node->stats_name, array.type()->ToString(), node->type->ToString());
  }
  if (!node->reads_batches) return Status::OK();
  const int64_t length = array.length();
  if (node->type->id() == TypeId::kStruct) {
    const auto& structs = static_cast<const StructArray&>(array);
    if (structs.num_fields() != static_cast<int>(node->children.size())) {
      return Status::Invalid("delta stats: struct column {} has {} members, the schema {}",
                             node->stats_name, structs.num_fields(), node->children.size());
    }
    std::vector<uint8_t> valid(static_cast<size_t>(length));
    for (int64_t i = 0; i < length; ++i) {
      valid[static_cast<size_t>(i)] = IsNullAt(array, parent_valid, i) ? 0 : 1;
    }
    for (size_t c = 0; c < node->children.size(); ++c) {
      ARCFLOW_RETURN_NOT_OK(
          UpdateNode(&node->children[c], *structs.field(static_cast<int>(c)), &valid));
    }
    return Status::OK();
  }
  if (parent_valid == nullptr) {
    node->null_count += array.null_count();
  } else {
    for (int64_t i = 0; i < length; ++i) node->null_count += IsNullAt(array, parent_valid, i);
  }
  switch (node->type->id()) {
    case TypeId::kInt8:
      UpdateIntegers<int8_t>(node, array, parent_valid);
      break;
    case TypeId::kInt16:
      UpdateIntegers<int16_t>(node, array, parent_valid);
      break;
    case TypeId::kInt32:
    case TypeId::kDate32:
      UpdateIntegers<int32_t>(node, array, parent_valid);
      break;
    case TypeId::kInt64:
    case TypeId::kTimestamp:
      UpdateIntegers<int64_t>(node, array, parent_valid);
      break;
    case TypeId::kFloat32:
      UpdateFloating<float>(node, array, parent_valid);
      break;
    case TypeId::kFloat64:
      UpdateFloating<double>(node, array, parent_valid);
      break;
    case TypeId::kDecimal128:
      UpdateDecimals(node, array, parent_valid);
      break;
    case TypeId::kString:
      UpdateStrings(node, array, parent_valid);
      break;
    default:
      break;  // Booleans, binaries, lists and maps have no bounds.
  }
  return Status::OK();
}

enum class Section { kMin, kMax, kNullCount };

// Appends `node`'s value for `section` as `"name":value`, preceded by a comma unless it is the
// first entry of its object. Returns whether anything was appended.
bool AppendNode(const Node& node, Section section, int32_t prefix_length, bool first,
                std::string* out) {
  if (!node.selected) return false;
  std::string value;
  if (node.type->id() == TypeId::kStruct) {
    bool empty = true;
    value.push_back('{');
    for (const Node& child : node.children) {
      if (AppendNode(child, section, prefix_length, empty, &value)) empty = false;
    }
    value.push_back('}');
    if (empty) return false;
  } else if (section == Section::kNullCount) {
    value = std::to_string(node.null_count);
  } else {
    bool is_min = section == Section::kMin;
    if (node.bound_kind == BoundKind::kNone) return false;
    if (node.bound_kind == BoundKind::kFloating) {
      if (!node.has_bounds && !node.saw_nan) return false;
      double bound = std::numeric_limits<double>::quiet_NaN();
      if (node.has_bounds && !(node.saw_nan && !is_min)) {
        bound = is_min ? node.min_floating : node.max_floating;
      }
      AppendFloatingJson(bound, node.type->id() == TypeId::kFloat32, &value);
    } else if (!node.has_bounds) {
      return false;
    } else if (node.bound_kind == BoundKind::kString) {
      std::string bound = is_min ? TruncateMinString(node.min_string, prefix_length)
                                 : TruncateMaxString(node.max_string, prefix_length);
      AppendJsonString(bound, &value);
    } else if (node.bound_kind == BoundKind::kDecimal) {
      AppendDecimal(is_min ? node.min_decimal : node.max_decimal, node.type->scale(), &value);
    } else {
      int64_t bound = is_min ? node.min_integer : node.max_integer;
      if (node.type->id() == TypeId::kDate32) {
        value.push_back('"');
        AppendDate(static_cast<int32_t>(bound), &value);
        value.push_back('"');
      } else if (node.type->id() == TypeId::kTimestamp) {
        int64_t millis = FloorDiv(bound, 1000);
        // Rounding the max up keeps it an upper bound when microseconds are dropped.
        if (!is_min && millis * 1000 != bound) ++millis;
        value.push_back('"');
        AppendMillisTimestamp(millis, node.type->utc_adjusted(), &value);
        value.push_back('"');
      } else {
        value = std::to_string(bound);
      }
    }
  }
  if (!first) out->push_back(',');
  AppendJsonString(node.stats_name, out);
  out->push_back(':');
  out->append(value);
  return true;
}

}  // namespace

Result<std::vector<std::vector<std::string>>> ParseStatsColumnList(std::string_view text) {
  std::vector<std::vector<std::string>> columns;
  std::vector<std::string> path;
  std::string name;
  bool quoted = false;      // Inside backticks.
  bool was_quoted = false;  // The current name was written in backticks.
  auto end_name = [&](size_t position) -> Status {
    std::string_view trimmed = name;
    if (!was_quoted) {
      while (!trimmed.empty() && trimmed.front() == ' ') trimmed.remove_prefix(1);
      while (!trimmed.empty() && trimmed.back() == ' ') trimmed.remove_suffix(1);
    }
    if (trimmed.empty()) {
      return Status::Invalid(
          "delta: empty column name in delta.dataSkippingStatsColumns at offset {} ('{}'); "
          "list column names separated by commas, nested names joined by '.'",
          position, text);
    }
    path.emplace_back(trimmed);
    name.clear();
    was_quoted = false;
    return Status::OK();
  };
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '`') {
        if (i + 1 < text.size() && text[i + 1] == '`') {
          name.push_back('`');
          ++i;
        } else {
          quoted = false;
        }
      } else {
        name.push_back(c);
      }
    } else if (c == '`') {
      quoted = true;
      was_quoted = true;
      // Spaces before an opening backtick are not part of the name.
      while (!name.empty() && name.back() == ' ') name.pop_back();
    } else if (c == '.') {
      ARCFLOW_RETURN_NOT_OK(end_name(i));
    } else if (c == ',') {
      ARCFLOW_RETURN_NOT_OK(end_name(i));
      columns.push_back(std::move(path));
      path.clear();
    } else if (was_quoted && c == ' ') {
      continue;  // Spaces after a closing backtick.
    } else {
      name.push_back(c);
    }
  }
  if (quoted) {
    return Status::Invalid("delta: unterminated backtick in delta.dataSkippingStatsColumns ('{}')",
                           text);
  }
  ARCFLOW_RETURN_NOT_OK(end_name(text.size()));
  columns.push_back(std::move(path));
  return columns;
}

Result<FileStatsOptions> FileStatsOptions::FromConfiguration(
    const std::vector<std::pair<std::string, std::string>>& configuration) {
  FileStatsOptions options;
  for (const auto& [key, value] : configuration) {
    if (key == "delta.dataSkippingNumIndexedCols") {
      int64_t count = 0;
      bool negative = !value.empty() && value[0] == '-';
      std::string_view digits = std::string_view(value).substr(negative ? 1 : 0);
      bool valid = !digits.empty() && digits.size() <= 9;
      for (char c : digits) valid = valid && c >= '0' && c <= '9';
      if (valid) {
        for (char c : digits) count = count * 10 + (c - '0');
        if (negative) count = -count;
      }
      if (!valid || count < -1) {
        return Status::Invalid(
            "delta: delta.dataSkippingNumIndexedCols must be an integer >= -1, got '{}'", value);
      }
      options.num_indexed_columns = count;
    } else if (key == "delta.dataSkippingStatsColumns") {
      ARCFLOW_ASSIGN_OR_RETURN(options.stats_columns, ParseStatsColumnList(value));
    } else if (key == "delta.columnMapping.mode") {
      options.use_physical_names = value == "name" || value == "id";
    }
  }
  return options;
}

FileStatsCollector::FileStatsCollector(SchemaPtr schema, FileStatsOptions options,
                                       std::vector<Node> columns, int num_parquet_leaves)
    : schema_(std::move(schema)),
      options_(std::move(options)),
      columns_(std::move(columns)),
      num_parquet_leaves_(num_parquet_leaves) {}
FileStatsCollector::FileStatsCollector(FileStatsCollector&&) noexcept = default;
FileStatsCollector& FileStatsCollector::operator=(FileStatsCollector&&) noexcept = default;
FileStatsCollector::~FileStatsCollector() = default;

Result<FileStatsCollector> FileStatsCollector::MakeCollector(SchemaPtr schema,
                                                             FileStatsOptions options,
                                                             bool from_parquet) {
  if (options.string_prefix_length < 0) {
    return Status::Invalid("delta stats: string prefix length must not be negative, got {}",
                           options.string_prefix_length);
  }
  std::vector<Node> columns;
  std::vector<std::string> path;
  int64_t leaves_left = options.num_indexed_columns;
  int parquet_leaves = 0;
  for (const Field& field : schema->fields()) {
    columns.push_back(
        BuildNode(field, options, from_parquet, &path, &leaves_left, &parquet_leaves));
  }
  return FileStatsCollector(std::move(schema), std::move(options), std::move(columns),
                            parquet_leaves);
}

Result<FileStatsCollector> FileStatsCollector::Make(SchemaPtr schema, FileStatsOptions options) {
  return MakeCollector(std::move(schema), std::move(options), /*from_parquet=*/false);
}

Result<FileStatsCollector> FileStatsCollector::MakeForParquetFile(SchemaPtr schema,
                                                                  FileStatsOptions options) {
  return MakeCollector(std::move(schema), std::move(options), /*from_parquet=*/true);
}

Status FileStatsCollector::SetParquetLeafStatistics(std::span<const parquet::Statistics> leaves) {
  if (leaves.size() != static_cast<size_t>(num_parquet_leaves_)) {
    return Status::Internal("delta stats: {} Parquet leaf columns for a schema with {} ({})",
                            leaves.size(), num_parquet_leaves_, schema_->ToString());
  }
  for (Node& column : columns_) ARCFLOW_RETURN_NOT_OK(SetFromParquet(&column, leaves));
  return Status::OK();
}

Status FileStatsCollector::Update(const RecordBatch& batch) {
  if (batch.num_columns() != static_cast<int>(columns_.size())) {
    return Status::Invalid("delta stats: batch has {} columns, the file's schema {} ({})",
                           batch.num_columns(), columns_.size(), schema_->ToString());
  }
  for (size_t i = 0; i < columns_.size(); ++i) {
    ARCFLOW_RETURN_NOT_OK(UpdateNode(&columns_[i], *batch.column(static_cast<int>(i)), nullptr));
  }
  num_records_ += batch.num_rows();
  return Status::OK();
}

std::string FileStatsCollector::ToJson() const {
  std::string out = fmt::format("{{\"numRecords\":{}", num_records_);
  const std::pair<const char*, Section> sections[] = {{"minValues", Section::kMin},
                                                      {"maxValues", Section::kMax},
                                                      {"nullCount", Section::kNullCount}};
  for (const auto& [key, section] : sections) {
    out += fmt::format(",\"{}\":{{", key);
    bool first = true;
    for (const Node& column : columns_) {
      if (AppendNode(column, section, options_.string_prefix_length, first, &out)) first = false;
    }
    out.push_back('}');
  }
  out.push_back('}');
  return out;
}

std::optional<std::string> StatsWithWideBounds(std::string_view stats) {
  simdjson::padded_string padded(stats);
  {
    // The whole text must be one JSON object (the on-demand pass below reads only as far as
    // it needs).
    simdjson::dom::parser validator;
    simdjson::dom::object whole;
    if (validator.parse(padded).get(whole) != simdjson::SUCCESS) return std::nullopt;
  }
  namespace ondemand = simdjson::ondemand;
  ondemand::parser parser;
  ondemand::document document;
  ondemand::object object;
  if (parser.iterate(padded).get(document) != simdjson::SUCCESS ||
      document.get_object().get(object) != simdjson::SUCCESS) {
    return std::nullopt;
  }
  std::string out = "{";
  for (auto field_result : object) {
    ondemand::field field;
    std::string_view key;
    ondemand::json_type type;
    if (std::move(field_result).get(field) != simdjson::SUCCESS ||
        field.unescaped_key().get(key) != simdjson::SUCCESS) {
      return std::nullopt;
    }
    const std::string quoted_key = QuoteJsonString(key);
    ondemand::value value = field.value();
    if (value.type().get(type) != simdjson::SUCCESS) return std::nullopt;
    // Members are copied as their JSON text, so numbers too wide for a double (decimal
    // bounds) keep every digit.
    std::string_view text;
    simdjson::error_code error = simdjson::SUCCESS;
    if (type == ondemand::json_type::object) {
      ondemand::object member;
      error = value.get_object().get(member);
      if (error == simdjson::SUCCESS) error = member.raw_json().get(text);
    } else if (type == ondemand::json_type::array) {
      ondemand::array member;
      error = value.get_array().get(member);
      if (error == simdjson::SUCCESS) error = member.raw_json().get(text);
    } else {
      text = value.raw_json_token();
    }
    if (error != simdjson::SUCCESS) return std::nullopt;
    // A scalar's raw token ends with the whitespace after it.
    while (!text.empty() && (text.back() == ' ' || text.back() == '\n' || text.back() == '\r' ||
                             text.back() == '\t')) {
      text.remove_suffix(1);
    }
    if (key == "tightBounds") continue;
    out += quoted_key;
    out += ':';
    out += text;
    out += ',';
  }
  out += "\"tightBounds\":false}";
  return out;
}

}  // namespace arcflow::delta
