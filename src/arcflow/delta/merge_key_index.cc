#include "arcflow/delta/merge_key_index.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <utility>

#include "arcflow/base/ascii.h"
#include "arcflow/delta/data_file_writer.h"

namespace arcflow::delta {
namespace {

// Keys per leaf: scanning a few keys is cheaper than descending further.
constexpr uint32_t kLeafSize = 8;

// Whether statistics keep a min/max for a data column of this type.
bool HasMinMax(const DataType& type) {
  switch (type.id()) {
    case TypeId::kDate32:
    case TypeId::kTimestamp:
    case TypeId::kDecimal128:
    case TypeId::kString:
      return true;
    default:
      return type.is_integer() || type.is_floating();
  }
}

bool IsNaN(const TypedValue& value) {
  const double* number = std::get_if<double>(&value.value);
  return number != nullptr && std::isnan(*number);
}

}  // namespace

MergeKeyIndex MergeKeyIndex::Make(const Schema& table_schema,
                                  const std::vector<std::string>& partition_columns,
                                  ColumnMappingMode mode,
                                  const std::vector<std::string>& key_columns,
                                  std::vector<std::vector<TypedValue>> keys) {
  MergeKeyIndex index;
  index.mode_ = mode;
  index.num_keys_ = keys.empty() ? 0 : keys[0].size();
  for (size_t c = 0; c < key_columns.size() && c < keys.size(); ++c) {
    const int field_index = FindFieldIndex(table_schema.fields(), key_columns[c]);
    if (field_index < 0) continue;
    Column column;
    column.field = table_schema.field(field_index);
    const DataType& type = *column.field.type;
    if (type.is_nested()) continue;
    for (const std::string& name : partition_columns) {
      column.is_partition = column.is_partition || ascii::EqualsIgnoreCase(name, column.field.name);
    }
    if (!column.is_partition) {
      Result<std::string> physical = PhysicalName(column.field, mode);
      if (!physical.ok()) continue;
      column.stats_key = FileStatistics::PathKey({*physical});
    }
    std::vector<TypedValue>& values = keys[c];
    // Values compare with the file's only when both have the table's representation.
    bool comparable = !values.empty() && values[0].type != nullptr &&
                      ((type.is_integer() && values[0].type->is_integer()) ||
                       SameTypeParameters(type, *values[0].type));
    if (comparable && !column.is_partition) comparable = HasMinMax(type);
    if (comparable && type.is_floating()) {
      comparable = std::none_of(values.begin(), values.end(), IsNaN);
    }
    if (comparable) {
      column.dimension = static_cast<int>(index.values_.size());
      index.values_.push_back(std::move(values));
    }
    index.uses_stats_ = index.uses_stats_ || !column.is_partition;
    index.columns_.push_back(std::move(column));
  }
  if (index.num_keys_ > 0 && !index.values_.empty()) {
    index.order_.resize(index.num_keys_);
    std::iota(index.order_.begin(), index.order_.end(), uint32_t{0});
    index.nodes_.reserve(2 * (index.num_keys_ / kLeafSize + 1));
    index.extremes_.reserve(index.nodes_.capacity() * 2 * index.values_.size());
    index.BuildNode(0, static_cast<uint32_t>(index.num_keys_), 0);
  }
  return index;
}

int MergeKeyIndex::Compare(int dimension, uint32_t a, uint32_t b) const {
  const std::vector<TypedValue>& values = values_[static_cast<size_t>(dimension)];
  return CompareTypedValues(values[a], values[b]);
}

int32_t MergeKeyIndex::BuildNode(uint32_t begin, uint32_t end, int depth) {
  const int32_t id = static_cast<int32_t>(nodes_.size());
  nodes_.push_back(Node{begin, end, -1, -1});
  const size_t dimensions = values_.size();
  extremes_.resize(extremes_.size() + 2 * dimensions);
  uint32_t* extremes = &extremes_[static_cast<size_t>(id) * 2 * dimensions];
  for (size_t d = 0; d < dimensions; ++d) {
    uint32_t min = order_[begin];
    uint32_t max = min;
    for (uint32_t i = begin + 1; i < end; ++i) {
      if (Compare(static_cast<int>(d), order_[i], min) < 0) min = order_[i];
      if (Compare(static_cast<int>(d), order_[i], max) > 0) max = order_[i];
    }
    extremes[2 * d] = min;
    extremes[2 * d + 1] = max;
  }
  if (end - begin <= kLeafSize) return id;
  // Splits on the columns in turn, passing over those whose values are all equal here.
  int split = -1;
  for (size_t k = 0; k < dimensions && split < 0; ++k) {
    const size_t d = (static_cast<size_t>(depth) + k) % dimensions;
    if (Compare(static_cast<int>(d), extremes[2 * d], extremes[2 * d + 1]) != 0) {
      split = static_cast<int>(d);
    }
  }
  if (split < 0) return id;  // Every key here is the same tuple.
  const uint32_t middle = begin + (end - begin) / 2;
  std::nth_element(order_.begin() + begin, order_.begin() + middle, order_.begin() + end,
                   [&](uint32_t a, uint32_t b) { return Compare(split, a, b) < 0; });
  const int32_t left = BuildNode(begin, middle, depth + 1);
  const int32_t right = BuildNode(middle, end, depth + 1);
  nodes_[static_cast<size_t>(id)].left = left;
  nodes_[static_cast<size_t>(id)].right = right;
  return id;
}

bool MergeKeyIndex::Inside(uint32_t key, const std::vector<Bound>& low,
                           const std::vector<Bound>& high) const {
  for (size_t d = 0; d < values_.size(); ++d) {
    const TypedValue& value = values_[d][key];
    if (low[d] && CompareTypedValues(value, *low[d]) < 0) return false;
    if (high[d] && CompareTypedValues(value, *high[d]) > 0) return false;
  }
  return true;
}

bool MergeKeyIndex::Search(int32_t id, const std::vector<Bound>& low,
                           const std::vector<Bound>& high) const {
  const Node& node = nodes_[static_cast<size_t>(id)];
  const size_t dimensions = values_.size();
  const uint32_t* extremes = &extremes_[static_cast<size_t>(id) * 2 * dimensions];
  bool contained = true;
  for (size_t d = 0; d < dimensions; ++d) {
    const TypedValue& min = values_[d][extremes[2 * d]];
    const TypedValue& max = values_[d][extremes[2 * d + 1]];
    if (low[d]) {
      if (CompareTypedValues(max, *low[d]) < 0) return false;
      contained = contained && CompareTypedValues(min, *low[d]) >= 0;
    }
    if (high[d]) {
      if (CompareTypedValues(min, *high[d]) > 0) return false;
      contained = contained && CompareTypedValues(max, *high[d]) <= 0;
    }
  }
  if (contained) return true;  // Every key here is inside; there is at least one.
  if (node.left < 0) {
    for (uint32_t i = node.begin; i < node.end; ++i) {
      if (Inside(order_[i], low, high)) return true;
    }
    return false;
  }
  return Search(node.left, low, high) || Search(node.right, low, high);
}

bool MergeKeyIndex::MayHoldAny(const AddFile& file, const FileStatistics* stats) const {
  if (num_keys_ == 0) return false;
  std::vector<Bound> low(values_.size());
  std::vector<Bound> high(values_.size());
  for (const Column& column : columns_) {
    const size_t d = static_cast<size_t>(column.dimension);
    if (column.is_partition) {
      // A partition value that cannot be found or parsed narrows nothing here; reading the
      // file reports it.
      Result<std::optional<std::string>> text =
          FindPartitionValue(file.partition_values, column.field, mode_);
      if (!text.ok()) continue;
      Result<TypedValue> value = ParsePartitionValue(*text, column.field.type, column.field.name);
      if (!value.ok()) continue;
      if (value->is_null()) return false;  // Null keys never match.
      if (column.dimension >= 0) {
        low[d] = *value;
        high[d] = std::move(*value);
      }
      continue;
    }
    if (stats == nullptr) continue;
    ColumnBounds bounds = GetColumnBounds(*stats, column.stats_key, column.field);
    if (bounds.all_null) return false;  // Null keys never match.
    if (column.dimension >= 0) {
      low[d] = std::move(bounds.min);
      high[d] = std::move(bounds.max);
    }
  }
  if (nodes_.empty()) return true;
  return Search(0, low, high);
}

}  // namespace arcflow::delta
