#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "arcflow/base/status.h"
#include "arcflow/columnar/array_data.h"
#include "arcflow/columnar/data_type.h"
#include "arcflow/parquet/column_chunk_writer.h"

namespace arcflow::parquet {

// One field on the way from a top-level column down to one of its leaf columns, as
// schema_to_parquet.h lays it out in Parquet: every nullable field adds a definition level, and
// every list or map adds one definition level (for a non-empty list) and one repetition level.
struct LevelStep {
  enum class Kind : uint8_t { kLeaf, kStruct, kList, kMap };

  Kind kind = Kind::kLeaf;
  bool nullable = true;
  // kStruct: the member the path goes on to; kMap: 0 for the key, 1 for the value.
  int child = 0;
  // The field's name, for error messages.
  std::string name;
};

// The steps from a top-level field (first) to a leaf field (last, of kind kLeaf).
using LeafPath = std::vector<LevelStep>;

// Returns the paths to the leaves of `field` in Parquet column order: depth-first, struct
// members in order, a map's key before its value. Map keys are non-nullable whatever the type
// says, as Parquet requires.
std::vector<LeafPath> LeafPathsOf(const Field& field);

// The levels of a column's rows down to a list or map, computed once for all the leaves below
// it. Expanding a list visits every element; a list of structs of a dozen members would
// otherwise be expanded a dozen times per batch. LeafShredder::Shred fills and reads it; clear it
// before shredding the leaves of another column or batch. Not thread-safe.
class ShreddingCache {
 public:
  void Clear() { used_ = 0; }

 private:
  friend class LeafShredder;
  struct Entry {
    // The steps to the list or map, which the leaves sharing the entry have in common.
    std::vector<std::pair<LevelStep::Kind, int>> steps;
    // One entry per level. An entry still on the path (definition level kLive in
    // level_builder.cc) is at positions[i] of `array`; the others ended at their level.
    std::vector<int64_t> positions;
    std::vector<int16_t> definition_levels;
    std::vector<int16_t> repetition_levels;
    const ArrayData* array = nullptr;  // The list's elements.
    int16_t definition_level = 0;      // Of an entry still on the path.
  };
  // Entries keep their storage from one Clear() to the next; the first used_ are current.
  std::vector<std::unique_ptr<Entry>> entries_;
  size_t used_ = 0;
};

// Shreds a top-level column into the definition levels, repetition levels and values of one of
// its leaf columns (the record shredding of the Dremel paper): for every record, the levels
// that say where each leaf value sits in the nesting, or where and how deep a null or empty
// list cuts the path short, and the leaf values themselves as runs of positions in the leaf
// array, so that they are encoded straight from the array without copying.
//
// Flat columns take a fast path: a required column has no levels and one run; an optional one
// keeps its definition levels in its validity bitmap (levels_in_bitmap()), which the column
// writer encodes directly, and has runs between its nulls.
//
// Arrays may be slices (any offset at any depth). A null where the path is not nullable, a null
// map entry, or list offsets outside the child array are Invalid. The levels and runs are
// reused between Shred calls. Not thread-safe.
class LeafShredder {
 public:
  explicit LeafShredder(LeafPath path);

  const LeafPath& path() const { return path_; }
  int16_t max_definition_level() const { return max_definition_level_; }
  int16_t max_repetition_level() const { return max_repetition_level_; }

  // Shreds all rows of `column`, a top-level array of the path's first field. The results
  // below stay valid until the next call (and, with a cache, until it is cleared); leaf()
  // points into `column`, which must outlive them. With `cache`, which the other leaves of the
  // same column filled with that same `column` since it was cleared, the levels down to this
  // leaf's innermost list or map are taken from it when a sibling leaf computed them.
  Status Shred(const ArrayData& column, ShreddingCache* cache = nullptr);

  int64_t num_levels() const { return num_levels_; }
  // Whether the definition levels are the bits of validity_bits() from validity_offset() (null
  // bits: all levels 1) rather than definition_levels(): true for flat optional columns.
  bool levels_in_bitmap() const { return levels_in_bitmap_; }
  const uint8_t* validity_bits() const { return validity_bits_; }
  int64_t validity_offset() const { return validity_offset_; }
  // One per level, or null when the maximum is 0 or the levels are in a bitmap.
  const int16_t* definition_levels() const {
    return max_definition_level_ > 0 && !levels_in_bitmap_ ? definition_levels_.data() : nullptr;
  }
  const int16_t* repetition_levels() const {
    return max_repetition_level_ > 0 ? repetition_levels_ : nullptr;
  }
  // The array holding the leaf values; runs() index it as Array::Value does (its offset not
  // included).
  const ArrayData& leaf() const { return *leaf_; }
  std::span<const ValueRun> runs() const { return runs_; }
  int64_t num_values() const { return num_values_; }

 private:
  Status ShredFlat(const ArrayData& column);
  Status ShredNested(const ArrayData& column, ShreddingCache* cache);
  // Runs path_[0, end) from the rows of `column` into `state`, which ends on the array below
  // step end - 1 with its levels.
  Status ExpandPrefix(const ArrayData& column, size_t end, ShreddingCache::Entry* state);
  // Walks the steps from path_[begin] (struct members and the leaf, no list) for every entry
  // of `state` still on the path, into this leaf's definition levels and runs.
  Status FinishPath(const ShreddingCache::Entry& state, size_t begin);
  // Marks live entries of `state` whose slot in `array` is null as ending at definition level
  // `definition_level`, or fails when `step` is not nullable.
  static Status ApplyValidity(const ArrayData& array, const LevelStep& step,
                              int16_t definition_level, ShreddingCache::Entry* state);
  // Replaces every live entry of `state` in a list or map by one entry per element; empty lists
  // end there.
  Status ExpandLists(const ArrayData& array, const LevelStep& step, int16_t definition_level,
                     int16_t repetition_level, ShreddingCache::Entry* state);
  void AppendRun(int64_t position);
  // Adds the runs of set bits in [0, length) of `bits` from `offset`.
  void AppendBitmapRuns(const uint8_t* bits, int64_t offset, int64_t length);

  LeafPath path_;
  int16_t max_definition_level_ = 0;
  int16_t max_repetition_level_ = 0;
  // The steps of path_ through its innermost list or map (0 when it has none): the part that
  // sibling leaves can share, and its (kind, child) key in a ShreddingCache.
  size_t shared_steps_ = 0;
  std::vector<std::pair<LevelStep::Kind, int>> shared_key_;

  int64_t num_levels_ = 0;
  int64_t num_values_ = 0;
  const ArrayData* leaf_ = nullptr;
  bool levels_in_bitmap_ = false;
  const uint8_t* validity_bits_ = nullptr;
  int64_t validity_offset_ = 0;
  // The levels down to shared_steps_ when no cache is given.
  ShreddingCache::Entry own_prefix_;
  // One entry per level; the repetition levels are those of the prefix (the steps after it
  // repeat nothing), owned by own_prefix_ or a cache entry.
  std::vector<int16_t> definition_levels_;
  const int16_t* repetition_levels_ = nullptr;
  std::vector<ValueRun> runs_;
  // Scratch for ExpandPrefix.
  std::vector<int64_t> next_positions_;
  std::vector<int16_t> next_definition_levels_;
  std::vector<int16_t> next_repetition_levels_;
};

}  // namespace arcflow::parquet
