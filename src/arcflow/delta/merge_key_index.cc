#include "arcflow/delta/merge_key_index.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <mutex>
#include <numeric>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "arcflow/base/ascii.h"
#include "arcflow/delta/data_file_writer.h"
#include "arcflow/delta/merge_key_table.h"

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

// CompareTypedValues, with the cases of key columns inline: the values of one column, and the
// bounds of a file for it, hold the same alternative (integers, strings) or fall back.
inline int CompareKeyValues(const TypedValue& a, const TypedValue& b) {
  if (a.value.index() == b.value.index()) {
    if (const int64_t* x = std::get_if<int64_t>(&a.value)) {
      const int64_t y = *std::get_if<int64_t>(&b.value);
      return *x < y ? -1 : (y < *x ? 1 : 0);
    }
    if (const std::string* x = std::get_if<std::string>(&a.value)) {
      const int c = x->compare(*std::get_if<std::string>(&b.value));
      return c < 0 ? -1 : (c > 0 ? 1 : 0);
    }
  }
  return CompareTypedValues(a, b);
}

template <typename T>
int ThreeWay(T a, T b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

bool IsNaN(const TypedValue& value) {
  const double* number = std::get_if<double>(&value.value);
  return number != nullptr && std::isnan(*number);
}

// The 8 bytes of `text` from `offset` as a big-endian integer, zero past its end: integers
// that differ order as the strings do; equal ones leave the strings undecided.
uint64_t EightBytesAt(std::string_view text, size_t offset) {
  uint64_t word = 0;
  for (size_t i = 0; i < 8; ++i) {
    const size_t at = offset + i;
    word = (word << 8) | (at < text.size() ? static_cast<unsigned char>(text[at]) : 0u);
  }
  return word;
}

// Orders `run`, indexes of `strings` that agree on their first `offset` bytes, bytewise (as
// statistics order strings). String keys often share a long prefix ("customer-00017",
// "2026-11-…"), where comparing whole strings is nearly all of a sort's cost; so the run is
// sorted as integers by the 8 bytes after the prefix it shares, and each group that ties there
// is ordered the same way from 8 bytes further on (most sort on their first word).
void SortStringRun(const std::vector<std::string_view>& strings, size_t offset,
                   std::span<uint32_t> run) {
  if (run.size() < 2) return;
  const std::string_view first = strings[run[0]];
  size_t shared = first.size();
  bool all_equal = true;
  for (const uint32_t key : run.subspan(1)) {
    const std::string_view text = strings[key];
    size_t same = offset;
    const size_t limit = std::min(shared, text.size());
    while (same < limit && text[same] == first[same]) ++same;
    shared = same;
    all_equal = all_equal && text.size() == first.size();
  }
  if (all_equal && shared == first.size()) return;
  std::vector<std::pair<uint64_t, uint32_t>> words(run.size());
  for (size_t i = 0; i < run.size(); ++i)
    words[i] = {EightBytesAt(strings[run[i]], shared), run[i]};
  std::sort(words.begin(), words.end());
  for (size_t i = 0; i < run.size(); ++i) run[i] = words[i].second;
  const size_t next = shared + 8;
  for (size_t begin = 0; begin < run.size();) {
    size_t end = begin + 1;
    while (end < run.size() && words[end].first == words[begin].first) ++end;
    if (end - begin > 1) {
      // The group agrees up to `next`, with zeros padding strings that end sooner; so one that
      // ends by `next` is a prefix of every longer one, and shorter ones come first.
      std::span<uint32_t> group = run.subspan(begin, end - begin);
      auto longer = std::partition(group.begin(), group.end(),
                                   [&](uint32_t key) { return strings[key].size() <= next; });
      std::sort(group.begin(), longer,
                [&](uint32_t a, uint32_t b) { return strings[a].size() < strings[b].size(); });
      SortStringRun(strings, next, std::span<uint32_t>(longer, group.end()));
    }
    begin = end;
  }
}

}  // namespace

MergeKeyIndex MergeKeyIndex::Make(const Schema& table_schema,
                                  const std::vector<std::string>& partition_columns,
                                  ColumnMappingMode mode,
                                  const std::vector<std::string>& key_columns,
                                  const std::vector<ArrayPtr>& keys,
                                  std::optional<size_t> scan_limit) {
  MergeKeyIndex index;
  index.mode_ = mode;
  index.num_keys_ = keys.empty() ? 0 : static_cast<size_t>(keys[0]->length());
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
    const Array& array = *keys[c];
    const DataType& key_type = *array.type();
    // Values compare with the file's only when both have the table's representation.
    bool comparable = array.length() > 0 && ((type.is_integer() && key_type.is_integer()) ||
                                             SameTypeParameters(type, key_type));
    if (comparable && !column.is_partition) comparable = HasMinMax(type);
    Dimension dimension;
    dimension.type = array.type();
    if (comparable && IsIntegerKeyType(key_type)) {
      dimension.integer = true;
      dimension.keys = keys[c];
      dimension.integers = IntegerKeyValues(array, &dimension.widened);
    } else if (comparable && key_type.id() == TypeId::kString) {
      dimension.keys = keys[c];
      dimension.strings = &static_cast<const BinaryArray&>(*dimension.keys);
    } else if (comparable) {
      dimension.values.reserve(static_cast<size_t>(array.length()));
      for (int64_t row = 0; row < array.length(); ++row) {
        dimension.values.push_back(TypedValueAt(array, row));
      }
      if (type.is_floating()) {
        comparable = std::none_of(dimension.values.begin(), dimension.values.end(), IsNaN);
      }
    }
    if (comparable) {
      column.dimension = static_cast<int>(index.dimensions_.size());
      index.dimensions_.push_back(std::move(dimension));
    }
    index.uses_stats_ = index.uses_stats_ || !column.is_partition;
    index.columns_.push_back(std::move(column));
  }
  if (index.num_keys_ > 0 && !index.dimensions_.empty()) {
    index.sorted_.resize(index.dimensions_.size());
    index.sorted_once_ = std::make_unique<std::once_flag[]>(index.dimensions_.size());
    // Integer columns are sorted now, cheaply; the others on the first query that needs them,
    // which a query an integer column settles never is.
    for (size_t d = 0; d < index.dimensions_.size(); ++d) {
      if (index.dimensions_[d].integer) index.SortedKeys(d);
    }
    index.scan_limit_ = scan_limit.value_or(std::max<size_t>(
        64, 2 * static_cast<size_t>(std::sqrt(static_cast<double>(index.num_keys_)))));
  }
  return index;
}

const std::vector<uint32_t>& MergeKeyIndex::SortedKeys(size_t d) const {
  std::call_once(sorted_once_[d], [this, d] {
    const uint32_t n = static_cast<uint32_t>(num_keys_);
    std::vector<uint32_t>& sorted = sorted_[d];
    const Dimension& dimension = dimensions_[d];
    sorted.resize(n);
    std::iota(sorted.begin(), sorted.end(), uint32_t{0});
    if (dimension.integer) {
      // Sources often arrive in key order; checking costs one pass.
      if (std::is_sorted(dimension.integers.begin(), dimension.integers.end())) return;
      // Sorting (value, key) pairs keeps the comparisons in one contiguous array.
      std::vector<std::pair<int64_t, uint32_t>> pairs(n);
      for (uint32_t i = 0; i < n; ++i) pairs[i] = {dimension.integers[i], i};
      std::sort(pairs.begin(), pairs.end());
      for (uint32_t i = 0; i < n; ++i) sorted[i] = pairs[i].second;
      return;
    }
    if (dimension.strings != nullptr) {
      std::vector<std::string_view> strings(n);
      for (uint32_t i = 0; i < n; ++i) strings[i] = dimension.strings->Value(i);
      SortStringRun(strings, 0, sorted);
      return;
    }
    std::sort(sorted.begin(), sorted.end(),
              [&](uint32_t a, uint32_t b) { return Compare(static_cast<int>(d), a, b) < 0; });
  });
  return sorted_[d];
}

int MergeKeyIndex::Compare(int dimension, uint32_t a, uint32_t b) const {
  const Dimension& values = dimensions_[static_cast<size_t>(dimension)];
  if (values.integer) return ThreeWay(values.integers[a], values.integers[b]);
  if (values.strings != nullptr) {
    return ThreeWay(values.strings->Value(a).compare(values.strings->Value(b)), 0);
  }
  return CompareKeyValues(values.values[a], values.values[b]);
}

int MergeKeyIndex::CompareWithBound(size_t dimension, uint32_t key, const TypedValue& bound) const {
  const Dimension& values = dimensions_[dimension];
  // The bounds of an integer or string column are integers or strings too; anything else
  // compares as a TypedValue.
  if (values.integer) {
    if (const int64_t* integer = std::get_if<int64_t>(&bound.value)) {
      return ThreeWay(values.integers[key], *integer);
    }
    return CompareTypedValues(TypedValue{values.type, values.integers[key]}, bound);
  }
  if (values.strings != nullptr) {
    if (const std::string* text = std::get_if<std::string>(&bound.value)) {
      return ThreeWay(values.strings->Value(key).compare(*text), 0);
    }
    return CompareTypedValues(TypedValueAt(*values.keys, key), bound);
  }
  return CompareKeyValues(values.values[key], bound);
}

const MergeKeyIndex::Tree& MergeKeyIndex::GetTree() const {
  std::call_once(*tree_built_, [this] {
    const uint32_t n = static_cast<uint32_t>(num_keys_);
    tree_.order.resize(n);
    std::iota(tree_.order.begin(), tree_.order.end(), uint32_t{0});
    // Leaves hold at least kLeafSize / 2 keys, so there are at most 4n / kLeafSize nodes.
    tree_.nodes.reserve(4 * num_keys_ / kLeafSize + 1);
    tree_.extremes.reserve(tree_.nodes.capacity() * 2 * dimensions_.size());
    BuildNode(&tree_, 0, n, 0);
  });
  return tree_;
}

int32_t MergeKeyIndex::BuildNode(Tree* tree, uint32_t begin, uint32_t end, int depth) const {
  const int32_t id = static_cast<int32_t>(tree->nodes.size());
  tree->nodes.push_back(Node{begin, end, -1, -1});
  const size_t dimensions = dimensions_.size();
  tree->extremes.resize(tree->extremes.size() + 2 * dimensions);
  auto extremes = [&](int32_t node) {
    return &tree->extremes[static_cast<size_t>(node) * 2 * dimensions];
  };
  if (end - begin <= kLeafSize) {
    uint32_t* own = extremes(id);
    for (size_t d = 0; d < dimensions; ++d) {
      uint32_t min = tree->order[begin];
      uint32_t max = min;
      for (uint32_t i = begin + 1; i < end; ++i) {
        if (Compare(static_cast<int>(d), tree->order[i], min) < 0) min = tree->order[i];
        if (Compare(static_cast<int>(d), tree->order[i], max) > 0) max = tree->order[i];
      }
      own[2 * d] = min;
      own[2 * d + 1] = max;
    }
    return id;
  }
  // Splits at the median of the columns in turn; the bounding box is the children's union.
  const int split = static_cast<int>(static_cast<size_t>(depth) % dimensions);
  const uint32_t middle = begin + (end - begin) / 2;
  std::nth_element(tree->order.begin() + begin, tree->order.begin() + middle,
                   tree->order.begin() + end,
                   [&](uint32_t a, uint32_t b) { return Compare(split, a, b) < 0; });
  const int32_t left = BuildNode(tree, begin, middle, depth + 1);
  const int32_t right = BuildNode(tree, middle, end, depth + 1);
  tree->nodes[static_cast<size_t>(id)].left = left;
  tree->nodes[static_cast<size_t>(id)].right = right;
  uint32_t* own = extremes(id);
  const uint32_t* low = extremes(left);
  const uint32_t* high = extremes(right);
  for (size_t d = 0; d < dimensions; ++d) {
    const int dimension = static_cast<int>(d);
    own[2 * d] = Compare(dimension, low[2 * d], high[2 * d]) <= 0 ? low[2 * d] : high[2 * d];
    own[2 * d + 1] =
        Compare(dimension, low[2 * d + 1], high[2 * d + 1]) >= 0 ? low[2 * d + 1] : high[2 * d + 1];
  }
  return id;
}

bool MergeKeyIndex::Inside(uint32_t key, const std::vector<Bound>& low,
                           const std::vector<Bound>& high) const {
  for (size_t d = 0; d < dimensions_.size(); ++d) {
    if (low[d] && CompareWithBound(d, key, *low[d]) < 0) return false;
    if (high[d] && CompareWithBound(d, key, *high[d]) > 0) return false;
  }
  return true;
}

bool MergeKeyIndex::Search(const Tree& tree, int32_t id, const std::vector<Bound>& low,
                           const std::vector<Bound>& high) const {
  const Node& node = tree.nodes[static_cast<size_t>(id)];
  const size_t dimensions = dimensions_.size();
  const uint32_t* extremes = &tree.extremes[static_cast<size_t>(id) * 2 * dimensions];
  bool contained = true;
  for (size_t d = 0; d < dimensions; ++d) {
    const uint32_t min = extremes[2 * d];
    const uint32_t max = extremes[2 * d + 1];
    if (low[d]) {
      if (CompareWithBound(d, max, *low[d]) < 0) return false;
      contained = contained && CompareWithBound(d, min, *low[d]) >= 0;
    }
    if (high[d]) {
      if (CompareWithBound(d, min, *high[d]) > 0) return false;
      contained = contained && CompareWithBound(d, max, *high[d]) <= 0;
    }
  }
  if (contained) return true;  // Every key here is inside; there is at least one.
  if (node.left < 0) {
    for (uint32_t i = node.begin; i < node.end; ++i) {
      if (Inside(tree.order[i], low, high)) return true;
    }
    return false;
  }
  return Search(tree, node.left, low, high) || Search(tree, node.right, low, high);
}

bool MergeKeyIndex::MayHoldAny(const AddFile& file, const FileStatistics* stats) const {
  if (num_keys_ == 0) return false;
  std::vector<Bound> low(dimensions_.size());
  std::vector<Bound> high(dimensions_.size());
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
  if (dimensions_.empty()) return true;
  // The keys within the file's range in each column are a slice of that column's sorted keys.
  // An empty slice settles it; so does a key inside the file's box among the first keys of the
  // shortest slice, or the whole of a short slice scanned; otherwise the tree is searched.
  // Integer columns are looked at first, so that a file they settle never sorts the others.
  const std::vector<uint32_t>* best = nullptr;
  size_t best_begin = 0;
  size_t best_end = 0;
  for (const bool integers : {true, false}) {
    const std::vector<uint32_t>* best_before = best;
    for (size_t d = 0; d < dimensions_.size(); ++d) {
      if (dimensions_[d].integer != integers || (!low[d] && !high[d])) continue;
      const std::vector<uint32_t>& sorted = SortedKeys(d);
      size_t begin = 0;
      size_t end = sorted.size();
      if (low[d]) {
        begin =
            static_cast<size_t>(std::partition_point(sorted.begin(), sorted.end(),
                                                     [&](uint32_t key) {
                                                       return CompareWithBound(d, key, *low[d]) < 0;
                                                     }) -
                                sorted.begin());
      }
      if (high[d]) {
        end = static_cast<size_t>(
            std::partition_point(
                sorted.begin() + static_cast<std::ptrdiff_t>(begin), sorted.end(),
                [&](uint32_t key) { return CompareWithBound(d, key, *high[d]) <= 0; }) -
            sorted.begin());
      }
      if (begin >= end) return false;
      if (best == nullptr || end - begin < best_end - best_begin) {
        best = &sorted;
        best_begin = begin;
        best_end = end;
      }
    }
    if (best == nullptr || best == best_before) continue;  // Nothing new to scan.
    if (dimensions_.size() == 1) return true;
    // A file that holds keys usually has one among the first few of the slice, so the scan
    // comes first even when the slice is long.
    const size_t scan_end = std::min(best_end, best_begin + scan_limit_);
    for (size_t i = best_begin; i < scan_end; ++i) {
      if (Inside((*best)[i], low, high)) return true;
    }
    if (scan_end == best_end) return false;
  }
  if (best == nullptr) return true;  // Unbounded in every column.
  return Search(GetTree(), 0, low, high);
}

}  // namespace arcflow::delta
