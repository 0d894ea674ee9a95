#include "arcflow/delta/data_skipping.h"

#include <cmath>

#include <simdjson.h>

#include "arcflow/base/ascii.h"
#include "arcflow/base/utf8.h"
#include "arcflow/columnar/projection.h"
#include "arcflow/columnar/value_parse.h"

namespace arcflow::delta {
namespace {

constexpr char kPathSeparator = '\x1f';
// Spark's Delta writer keeps the first 32 characters of string min/max statistics; a max of
// that length or more may be a truncated prefix and is not an upper bound.
constexpr int64_t kStringStatsPrefixLength = 32;
constexpr int64_t kMicrosPerMilli = 1000;
// Field metadata Delta's type widening records on a column whose type changed.
constexpr std::string_view kTypeChangesKey = "delta.typeChanges";

std::string_view TrimWhitespace(std::string_view text) {
  while (!text.empty() && (text.back() == ' ' || text.back() == '\n' || text.back() == '\r' ||
                           text.back() == '\t')) {
    text.remove_suffix(1);
  }
  return text;
}

template <typename T>
int Compare3(const T& a, const T& b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

double AsDouble(const TypedValue::Storage& value) {
  if (const auto* d = std::get_if<double>(&value)) return *d;
  if (const auto* i = std::get_if<int64_t>(&value)) return static_cast<double>(*i);
  return 0;
}

// Walks one stats object ("minValues", "maxValues" or "nullCount") and records its leaves.
simdjson::error_code CollectLeaves(simdjson::ondemand::object object, std::string* path,
                                   std::map<std::string, std::string>* text_leaves,
                                   std::map<std::string, int64_t>* count_leaves, int depth) {
  if (depth > 64) return simdjson::DEPTH_ERROR;
  for (auto field : object) {
    std::string_view key;
    if (auto error = field.unescaped_key().get(key)) return error;
    size_t previous_length = path->size();
    if (!path->empty()) path->push_back(kPathSeparator);
    path->append(key);
    simdjson::ondemand::value value;
    if (auto error = field.value().get(value)) return error;
    simdjson::ondemand::json_type type;
    if (auto error = value.type().get(type)) return error;
    switch (type) {
      case simdjson::ondemand::json_type::object: {
        simdjson::ondemand::object child;
        if (auto error = value.get_object().get(child)) return error;
        if (auto error = CollectLeaves(child, path, text_leaves, count_leaves, depth + 1)) {
          return error;
        }
        break;
      }
      case simdjson::ondemand::json_type::string: {
        std::string_view text;
        if (auto error = value.get_string().get(text)) return error;
        if (text_leaves != nullptr) text_leaves->emplace(*path, std::string(text));
        break;
      }
      case simdjson::ondemand::json_type::number: {
        if (count_leaves != nullptr) {
          int64_t count;
          if (value.get_int64().get(count) == simdjson::SUCCESS)
            count_leaves->emplace(*path, count);
        } else if (text_leaves != nullptr) {
          text_leaves->emplace(*path, std::string(TrimWhitespace(value.raw_json_token())));
        }
        break;
      }
      default:
        // Booleans, nulls and arrays carry no bound arcflow uses.
        break;
    }
    path->resize(previous_length);
  }
  return simdjson::SUCCESS;
}

}  // namespace

int CompareTypedValues(const TypedValue& left, const TypedValue& right) {
  const auto& a = left.value;
  const auto& b = right.value;
  if (std::holds_alternative<double>(a) || std::holds_alternative<double>(b)) {
    double x = AsDouble(a);
    double y = AsDouble(b);
    bool x_nan = std::isnan(x);
    bool y_nan = std::isnan(y);
    if (x_nan || y_nan) return x_nan == y_nan ? 0 : (x_nan ? 1 : -1);
    return Compare3(x, y);
  }
  if (a.index() != b.index()) return Compare3(a.index(), b.index());
  if (const auto* x = std::get_if<bool>(&a)) return Compare3(*x, std::get<bool>(b));
  if (const auto* x = std::get_if<int64_t>(&a)) return Compare3(*x, std::get<int64_t>(b));
  if (const auto* x = std::get_if<int128_t>(&a)) return Compare3(*x, std::get<int128_t>(b));
  if (const auto* x = std::get_if<std::string>(&a)) {
    int c = x->compare(std::get<std::string>(b));
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
  }
  return 0;
}

Result<TypedValue> ParsePredicateValue(std::string_view text, const DataTypePtr& type,
                                       std::string_view column) {
  if (type->is_binary_like()) return TypedValue{type, std::string(text)};
  if (type->id() == TypeId::kTimestamp) {
    auto parsed = ParseTimestamp(text, type->utc_adjusted());
    if (!parsed && !type->utc_adjusted() && !text.empty() && text.back() == 'Z') {
      parsed = ParseTimestamp(text.substr(0, text.size() - 1), false);
    }
    if (!parsed) {
      return Status::Invalid("delta: predicate value \"{}\" is not a {} (column={})", text,
                             type->ToString(), column);
    }
    return TypedValue{type, *parsed};
  }
  if (text.empty()) {
    return Status::Invalid("delta: predicate value is empty for {} column {}", type->ToString(),
                           column);
  }
  auto parsed = ParsePartitionValue(std::string(text), type, column);
  if (!parsed.ok()) {
    return Status::Invalid("delta: predicate value \"{}\" is not a {} (column={})", text,
                           type->ToString(), column);
  }
  return parsed;
}

bool EvaluatePredicate(const TypedValue& value, Predicate::Op op, const TypedValue& operand) {
  switch (op) {
    case Predicate::Op::kIsNull:
      return value.is_null();
    case Predicate::Op::kIsNotNull:
      return !value.is_null();
    default:
      break;
  }
  if (value.is_null() || operand.is_null()) return false;
  int c = CompareTypedValues(value, operand);
  // A comparison involving NaN: Spark orders NaN above everything and NaN = NaN, which
  // CompareTypedValues already implements.
  switch (op) {
    case Predicate::Op::kEq:
      return c == 0;
    case Predicate::Op::kLt:
      return c < 0;
    case Predicate::Op::kLe:
      return c <= 0;
    case Predicate::Op::kGt:
      return c > 0;
    case Predicate::Op::kGe:
      return c >= 0;
    default:
      return false;
  }
}

std::string FileStatistics::PathKey(const std::vector<std::string>& path) {
  std::string key;
  for (const auto& part : path) {
    if (!key.empty()) key.push_back(kPathSeparator);
    key.append(part);
  }
  return key;
}

Result<FileStatistics> FileStatistics::Parse(std::string_view json, std::string_view where) {
  FileStatistics stats;
  simdjson::ondemand::parser parser;
  simdjson::padded_string padded(json);
  auto fail = [&](simdjson::error_code error) {
    return Status::Corruption("delta: add.stats is not valid statistics JSON ({}; {})",
                              simdjson::error_message(error), where);
  };
  simdjson::ondemand::document document;
  if (auto error = parser.iterate(padded).get(document)) return fail(error);
  simdjson::ondemand::object root;
  if (auto error = document.get_object().get(root)) return fail(error);
  for (auto field : root) {
    std::string_view key;
    if (auto error = field.unescaped_key().get(key)) return fail(error);
    simdjson::ondemand::value value;
    if (auto error = field.value().get(value)) return fail(error);
    if (key == "numRecords") {
      int64_t count;
      if (auto error = value.get_int64().get(count)) return fail(error);
      stats.num_records = count;
    } else if (key == "tightBounds") {
      bool tight;
      if (auto error = value.get_bool().get(tight)) return fail(error);
      stats.tight_bounds = tight;
    } else if (key == "minValues" || key == "maxValues" || key == "nullCount") {
      simdjson::ondemand::object object;
      if (auto error = value.get_object().get(object)) return fail(error);
      std::string path;
      auto* text_leaves = key == "minValues"   ? &stats.min_values
                          : key == "maxValues" ? &stats.max_values
                                               : nullptr;
      auto* count_leaves = key == "nullCount" ? &stats.null_counts : nullptr;
      if (auto error = CollectLeaves(object, &path, text_leaves, count_leaves, 0)) {
        return fail(error);
      }
    }
  }
  return stats;
}

std::optional<FileStatistics> FileStatistics::ParseForSkipping(const AddFile& add) {
  if (!add.stats.has_value()) return std::nullopt;
  Result<FileStatistics> parsed = Parse(*add.stats, add.path);
  if (!parsed.ok()) return std::nullopt;
  return parsed.MoveValueUnsafe();
}

ColumnBounds GetColumnBounds(const FileStatistics& stats, const std::string& stats_key,
                             const Field& field) {
  ColumnBounds bounds;
  if (stats.tight_bounds && stats.num_records.has_value()) {
    if (auto it = stats.null_counts.find(stats_key); it != stats.null_counts.end()) {
      bounds.all_null = it->second == *stats.num_records;
      bounds.no_null = it->second == 0;
    }
  }
  const DataTypePtr& type = field.type;
  if (type->is_nested() || type->id() == TypeId::kBoolean || type->id() == TypeId::kBinary) {
    return bounds;  // Spark keeps no min/max for these.
  }
  if (type->is_floating() && field.GetMetadata(kTypeChangesKey).has_value()) return bounds;
  auto parse_bound = [&](const std::map<std::string, std::string>& values,
                         bool is_max) -> std::optional<TypedValue> {
    auto it = values.find(stats_key);
    if (it == values.end()) return std::nullopt;
    if (type->id() == TypeId::kString) {
      if (is_max && static_cast<int64_t>(it->second.size()) >= kStringStatsPrefixLength) {
        // Possibly truncated: only a bound when shorter than the prefix length, counted in
        // bytes here, which is at least the count in characters.
        return std::nullopt;
      }
      return TypedValue{type, it->second};
    }
    auto parsed = ParsePredicateValue(it->second, type, stats_key);
    if (!parsed.ok()) return std::nullopt;
    if (std::holds_alternative<double>(parsed->value) &&
        std::isnan(std::get<double>(parsed->value))) {
      return std::nullopt;  // NaN bounds prove nothing.
    }
    if (is_max && type->id() == TypeId::kTimestamp) {
      // Statistics keep milliseconds; the true maximum may be up to 999 µs larger.
      std::get<int64_t>(parsed->value) += kMicrosPerMilli;
    }
    return parsed.MoveValueUnsafe();
  };
  bounds.min = parse_bound(stats.min_values, false);
  bounds.max = parse_bound(stats.max_values, true);
  return bounds;
}

Result<FileSkipper> FileSkipper::Make(SchemaPtr logical_schema,
                                      std::vector<std::string> partition_columns,
                                      ColumnMappingMode mode, std::vector<Predicate> predicates) {
  FileSkipper skipper;
  skipper.schema_ = std::move(logical_schema);
  skipper.mode_ = mode;
  for (const Predicate& predicate : predicates) {
    ARCFLOW_ASSIGN_OR_RETURN(std::vector<std::string> path, SplitColumnPath(predicate.column));
    const std::vector<Field>* fields = &skipper.schema_->fields();
    const Field* field = nullptr;
    std::vector<std::string> physical_path;
    for (size_t i = 0; i < path.size(); ++i) {
      int index = fields == nullptr ? -1 : FindFieldIndex(*fields, path[i]);
      if (index < 0) {
        return Status::Invalid("delta: predicate column \"{}\" is not in the table schema ({})",
                               predicate.column, skipper.schema_->ToString());
      }
      field = &(*fields)[static_cast<size_t>(index)];
      ARCFLOW_ASSIGN_OR_RETURN(std::string physical, PhysicalName(*field, mode));
      physical_path.push_back(std::move(physical));
      fields = field->type->id() == TypeId::kStruct ? &field->type->fields() : nullptr;
    }
    Resolved resolved;
    resolved.op = predicate.op;
    resolved.type = field->type;
    if (field->type->is_nested() && predicate.op != Predicate::Op::kIsNull &&
        predicate.op != Predicate::Op::kIsNotNull) {
      return Status::Invalid(
          "delta: predicate column \"{}\" has nested type {}; only primitive "
          "columns can be compared",
          predicate.column, field->type->ToString());
    }
    if (predicate.op == Predicate::Op::kIsNull || predicate.op == Predicate::Op::kIsNotNull) {
      resolved.operand = TypedValue::Null(field->type);
    } else {
      ARCFLOW_ASSIGN_OR_RETURN(resolved.operand,
                               ParsePredicateValue(predicate.value, field->type, predicate.column));
    }
    bool is_partition = false;
    if (path.size() == 1) {
      for (const auto& name : partition_columns) {
        is_partition = is_partition || ascii::EqualsIgnoreCase(name, field->name);
      }
    }
    resolved.is_partition = is_partition;
    resolved.field = field;
    resolved.stats_key = FileStatistics::PathKey(physical_path);
    skipper.uses_stats_ = skipper.uses_stats_ || !is_partition;
    if (!is_partition && path.size() == 1 && !field->type->is_nested()) {
      Predicate physical = predicate;
      physical.column = physical_path[0];
      skipper.physical_data_predicates_.push_back(std::move(physical));
    }
    skipper.resolved_.push_back(std::move(resolved));
  }
  return skipper;
}

Result<bool> FileSkipper::CanSkip(const AddFile& add) const {
  ARCFLOW_ASSIGN_OR_RETURN(bool skip, CanSkipByPartitionValues(add));
  if (skip || !uses_stats_) return skip;
  std::optional<FileStatistics> stats = FileStatistics::ParseForSkipping(add);
  return stats.has_value() && CanSkipByStats(*stats);
}

Result<bool> FileSkipper::CanSkip(const AddFile& add, const FileStatistics* stats) const {
  ARCFLOW_ASSIGN_OR_RETURN(bool skip, CanSkipByPartitionValues(add));
  if (skip || !uses_stats_) return skip;
  return stats != nullptr && CanSkipByStats(*stats);
}

Result<bool> FileSkipper::CanSkipByPartitionValues(const AddFile& add) const {
  for (const Resolved& predicate : resolved_) {
    if (!predicate.is_partition) continue;
    ARCFLOW_ASSIGN_OR_RETURN(std::optional<std::string> text,
                             FindPartitionValue(add.partition_values, *predicate.field, mode_));
    auto value = ParsePartitionValue(text, predicate.type, predicate.field->name);
    if (!value.ok()) {
      return Status::Corruption("{}", value.status().message())
          .WithContext("in add action of " + add.path);
    }
    if (!EvaluatePredicate(*value, predicate.op, predicate.operand)) return true;
  }
  return false;
}

bool FileSkipper::CanSkipByStats(const FileStatistics& stats) const {
  for (const Resolved& predicate : resolved_) {
    if (predicate.is_partition) continue;
    const ColumnBounds bounds = GetColumnBounds(stats, predicate.stats_key, *predicate.field);
    switch (predicate.op) {
      case Predicate::Op::kIsNull:
        if (bounds.no_null) return true;
        continue;
      case Predicate::Op::kIsNotNull:
        if (bounds.all_null) return true;
        continue;
      default:
        break;
    }
    if (bounds.all_null) return true;  // No comparison holds on null.
    const TypedValue& operand = predicate.operand;
    if (operand.is_null()) continue;
    if (std::holds_alternative<double>(operand.value) &&
        std::isnan(std::get<double>(operand.value))) {
      continue;
    }
    const std::optional<TypedValue>& min = bounds.min;
    const std::optional<TypedValue>& max = bounds.max;
    switch (predicate.op) {
      case Predicate::Op::kEq:
        if ((min && CompareTypedValues(operand, *min) < 0) ||
            (max && CompareTypedValues(operand, *max) > 0)) {
          return true;
        }
        break;
      case Predicate::Op::kLt:
        if (min && CompareTypedValues(*min, operand) >= 0) return true;
        break;
      case Predicate::Op::kLe:
        if (min && CompareTypedValues(*min, operand) > 0) return true;
        break;
      case Predicate::Op::kGt:
        if (max && CompareTypedValues(*max, operand) <= 0) return true;
        break;
      case Predicate::Op::kGe:
        if (max && CompareTypedValues(*max, operand) < 0) return true;
        break;
      default:
        break;
    }
  }
  return false;
}

}  // namespace arcflow::delta
