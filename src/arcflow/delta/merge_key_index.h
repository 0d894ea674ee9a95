#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "arcflow/columnar/array.h"
#include "arcflow/columnar/schema.h"
#include "arcflow/delta/actions.h"
#include "arcflow/delta/column_mapping.h"
#include "arcflow/delta/data_skipping.h"
#include "arcflow/delta/partition_value.h"

namespace arcflow::delta {

// The distinct keys of a MERGE source, indexed to tell which files of the target table can hold
// a row whose key equals one of them. A file can, unless its partition values or statistics
// prove that every source key has some column outside what the file holds. Conservative: what
// is unknown never excludes a file.
//
// What a key column contributes, per file:
//  - a partition column: its partition value, which is exact (a null one means the file holds
//    only null keys, which never match);
//  - a data column of a type statistics keep a min/max for (integers, date, timestamp, decimal,
//    string, float, double): the interval [min, max] GetColumnBounds reads, each end unbounded
//    when unknown (missing statistics, a possibly truncated string max, a NaN bound, ...);
//  - any data column: a null count equal to the number of records (only null keys);
//  - nothing for a float/double column when a source key is NaN (data skipping never decides
//    NaN), or when the source's type differs from the table's other than as integers (the
//    values would not compare as the table's).
//
// So each file is a box with one interval per narrowing column, and the question is whether a
// source key tuple lies inside the box: orthogonal range emptiness, answered exactly, in three
// steps that each stop as soon as they decide:
//  1. per column, binary search of the keys sorted by that column for the slice within the
//     file's interval: an empty slice excludes the file (one column: a non-empty one keeps it);
//  2. the first max(64, 2√n) keys of the shortest slice are scanned for a key whose other
//     columns are within the file's intervals too: one found keeps the file (a file that
//     holds keys usually shows one at once), and a slice no longer than that is settled.
//     Steps 1 and 2 are taken for the integer columns first, then for the others, whose keys
//     are sorted only on the first query that gets that far (comparing strings is what costs);
//  3. otherwise a k-d tree of the keys (median splits cycling through the columns, each node
//     with its bounding box), built on the first query that gets here, is searched,
//     descending only into nodes whose box meets the file's and stopping at the first key
//     inside or at a node whose box lies inside.
// A file thus costs O(d log n) when one of its columns is selective (the usual case: ids,
// dates) and at worst O(√n) tree nodes for two columns (O(n^(1-1/d)) for d), never a scan of
// every key (bench/delta_bench.cc, BM_MergeCandidateSelection: 10^5 keys against 10^4 files
// in about 24 ms of CPU). Why not simpler: sorting the tuples
// by the first column and scanning the slice in its range is linear per file when that
// column is not selective (a region, a tenant), and per-column sorted sets on their own only
// show that each column has some key value in range, not that one key has all of them, so
// they read files no key fits.
//
// Thread-safe after Make (the tree is built once, on first need). Movable.
class MergeKeyIndex {
 public:
  // `key_columns` name columns of `table_schema` (exactly, else ignoring ASCII case).
  // Row i of `keys[c]` is key i's value in key column c, typed as the source's key column
  // after it is conformed to the table: the arrays have the same length, and no value is null
  // (null keys never match, so they are not source keys). Columns not found, or without a
  // usable type, are left out (they narrow nothing). `scan_limit` overrides how many keys of a
  // slice step 2 scans (tests pass 0 to send every undecided query to the tree).
  static MergeKeyIndex Make(const Schema& table_schema,
                            const std::vector<std::string>& partition_columns,
                            ColumnMappingMode mode, const std::vector<std::string>& key_columns,
                            const std::vector<ArrayPtr>& keys,
                            std::optional<size_t> scan_limit = std::nullopt);

  // False when `file` cannot hold a row whose key equals a source key. `stats` are the file's
  // parsed add.stats (FileStatistics::ParseForSkipping), null when it has none.
  bool MayHoldAny(const AddFile& file, const FileStatistics* stats) const;

  // Whether MayHoldAny looks at statistics (a data column narrows), so callers parse them.
  bool uses_stats() const { return uses_stats_; }
  size_t num_keys() const { return num_keys_; }
  // The key columns compared by value (dimensions of the tree).
  int num_dimensions() const { return static_cast<int>(dimensions_.size()); }

 private:
  struct Column {
    Field field;  // The table's field.
    bool is_partition = false;
    std::string stats_key;
    int dimension = -1;  // Index into values_, or -1 when only null counts narrow.
  };
  // The keys' values in one column compared by value.
  struct Dimension {
    // Move-only: `integers` may view `widened`, which a move keeps in place.
    Dimension() = default;
    Dimension(Dimension&&) = default;
    Dimension& operator=(Dimension&&) = default;
    Dimension(const Dimension&) = delete;
    Dimension& operator=(const Dimension&) = delete;

    DataTypePtr type;
    // Integers, dates and timestamps are kept as plain integers, and strings are read from
    // their array: most keys are one or the other, and a comparison then reads one array
    // rather than a TypedValue each (whose making and freeing cost more than the queries of
    // a small table).
    bool integer = false;
    // IntegerKeyValues of `keys` (kept alive here), or of `widened`.
    std::span<const int64_t> integers;
    const BinaryArray* strings = nullptr;  // `keys`, when its values are strings.
    ArrayPtr keys;
    std::vector<int64_t> widened;
    std::vector<TypedValue> values;  // Other types.
  };
  struct Node {
    uint32_t begin = 0;  // Range of Tree::order.
    uint32_t end = 0;
    int32_t left = -1;  // Children; -1 for a leaf.
    int32_t right = -1;
  };
  using Bound = std::optional<TypedValue>;
  // The k-d tree, built on the first query that needs it.
  struct Tree {
    std::vector<uint32_t> order;  // Keys in tree order.
    std::vector<Node> nodes;      // nodes[0] is the root.
    // Per node and dimension, the keys holding the node's smallest and largest value.
    std::vector<uint32_t> extremes;
  };

  int Compare(int dimension, uint32_t a, uint32_t b) const;
  // Compares key `key`'s value in dimension `dimension` with a value of the file's bounds.
  int CompareWithBound(size_t dimension, uint32_t key, const TypedValue& bound) const;
  // The keys ordered by their values in dimension `d`.
  const std::vector<uint32_t>& SortedKeys(size_t d) const;
  const Tree& GetTree() const;
  int32_t BuildNode(Tree* tree, uint32_t begin, uint32_t end, int depth) const;
  bool Inside(uint32_t key, const std::vector<Bound>& low, const std::vector<Bound>& high) const;
  bool Search(const Tree& tree, int32_t node, const std::vector<Bound>& low,
              const std::vector<Bound>& high) const;

  ColumnMappingMode mode_ = ColumnMappingMode::kNone;
  std::vector<Column> columns_;
  size_t num_keys_ = 0;
  bool uses_stats_ = false;
  std::vector<Dimension> dimensions_;
  // Per dimension, the keys by value: sorted by Make for integers, else on first need.
  mutable std::vector<std::vector<uint32_t>> sorted_;
  mutable std::unique_ptr<std::once_flag[]> sorted_once_;
  size_t scan_limit_ = 0;  // Keys of a slice scanned before the tree is searched.
  mutable std::unique_ptr<std::once_flag> tree_built_ = std::make_unique<std::once_flag>();
  mutable Tree tree_;
};

}  // namespace arcflow::delta
