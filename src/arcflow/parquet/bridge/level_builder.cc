#include "arcflow/parquet/bridge/level_builder.h"

#include <algorithm>
#include <bit>
#include <utility>

#include "arcflow/base/bit_util.h"
#include "arcflow/parquet/bitmap_level_encoder.h"

namespace arcflow::parquet {
namespace {

// The definition level of an entry still on the path while shredding.
constexpr int16_t kLive = -1;

void CollectLeafPaths(const Field& field, bool force_required, LeafPath* prefix,
                      std::vector<LeafPath>* out) {
  LevelStep step;
  step.name = field.name;
  step.nullable = field.nullable && !force_required;
  const DataType& type = *field.type;
  switch (type.id()) {
    case TypeId::kStruct:
      step.kind = LevelStep::Kind::kStruct;
      for (int i = 0; i < type.num_fields(); ++i) {
        step.child = i;
        prefix->push_back(step);
        CollectLeafPaths(type.field(i), false, prefix, out);
        prefix->pop_back();
      }
      return;
    case TypeId::kList:
      step.kind = LevelStep::Kind::kList;
      prefix->push_back(step);
      CollectLeafPaths(type.element_field(), false, prefix, out);
      prefix->pop_back();
      return;
    case TypeId::kMap:
      step.kind = LevelStep::Kind::kMap;
      for (int i = 0; i < 2; ++i) {
        step.child = i;
        prefix->push_back(step);
        CollectLeafPaths(i == 0 ? type.key_field() : type.value_field(), i == 0, prefix, out);
        prefix->pop_back();
      }
      return;
    default:
      step.kind = LevelStep::Kind::kLeaf;
      prefix->push_back(step);
      out->push_back(*prefix);
      prefix->pop_back();
      return;
  }
}

bool HasNulls(const ArrayData& array) {
  return array.null_count != 0 && array.validity_bits() != nullptr;
}

Status CheckChildren(const ArrayData& array, size_t count, const LevelStep& step) {
  if (array.children.size() < count) {
    return Status::Invalid("parquet: array of field '{}' lacks child arrays ({} of {})", step.name,
                           array.children.size(), count);
  }
  for (size_t i = 0; i < count; ++i) {
    if (!array.children[i]) {
      return Status::Invalid("parquet: array of field '{}' has a missing child", step.name);
    }
  }
  return Status::OK();
}

// Checks that struct member `child` covers the struct's window, which it shares.
Status CheckMember(const ArrayData& array, size_t child, const LevelStep& step) {
  ARCFLOW_RETURN_NOT_OK(CheckChildren(array, child + 1, step));
  if (array.children[child]->length < array.offset + array.length) {
    return Status::Invalid(
        "parquet: member array of field '{}' is shorter ({}) than its struct's window ({})",
        step.name, array.children[child]->length, array.offset + array.length);
  }
  return Status::OK();
}

}  // namespace

std::vector<LeafPath> LeafPathsOf(const Field& field) {
  std::vector<LeafPath> paths;
  LeafPath prefix;
  CollectLeafPaths(field, false, &prefix, &paths);
  return paths;
}

LeafShredder::LeafShredder(LeafPath path) : path_(std::move(path)) {
  for (size_t i = 0; i < path_.size(); ++i) {
    const LevelStep& step = path_[i];
    if (step.nullable) ++max_definition_level_;
    if (step.kind == LevelStep::Kind::kList || step.kind == LevelStep::Kind::kMap) {
      ++max_definition_level_;
      ++max_repetition_level_;
      shared_steps_ = i + 1;
    }
  }
  for (size_t s = 0; s < shared_steps_; ++s)
    shared_key_.emplace_back(path_[s].kind, path_[s].child);
}

Status LeafShredder::Shred(const ArrayData& column, ShreddingCache* cache) {
  runs_.clear();
  num_values_ = 0;
  leaf_ = nullptr;
  levels_in_bitmap_ = false;
  repetition_levels_ = nullptr;
  if (path_.size() == 1) return ShredFlat(column);
  return ShredNested(column, cache);
}

void LeafShredder::AppendRun(int64_t position) {
  if (!runs_.empty() && runs_.back().offset + runs_.back().length == position) {
    ++runs_.back().length;
  } else {
    runs_.push_back({position, 1});
  }
}

void LeafShredder::AppendBitmapRuns(const uint8_t* bits, int64_t offset, int64_t length) {
  int64_t run_start = -1;
  const auto close_run = [&](int64_t end) {
    if (run_start >= 0) {
      runs_.push_back({run_start, end - run_start});
      num_values_ += end - run_start;
      run_start = -1;
    }
  };
  int64_t i = 0;
  while (i < length) {
    const int width = static_cast<int>(std::min<int64_t>(64, length - i));
    uint64_t word = width == 64 ? LoadBitmapWord(bits, offset + i) : 0;
    if (width < 64) {
      for (int k = 0; k < width; ++k) {
        word |= static_cast<uint64_t>(bit_util::GetBit(bits, offset + i + k)) << k;
      }
    }
    // Walk the word a run of equal bits at a time.
    int k = 0;
    while (k < width) {
      const uint64_t rest = word >> k;
      if (rest & 1) {
        if (run_start < 0) run_start = i + k;
        k += std::min(width - k, std::countr_one(rest));
      } else {
        close_run(i + k);
        k += rest == 0 ? width - k : std::min(width - k, std::countr_zero(rest));
      }
    }
    i += width;
  }
  close_run(length);
}

Status LeafShredder::ShredFlat(const ArrayData& column) {
  const LevelStep& step = path_[0];
  const int64_t length = column.length;
  leaf_ = &column;
  num_levels_ = length;
  levels_in_bitmap_ = step.nullable;
  validity_bits_ = nullptr;
  validity_offset_ = 0;
  if (!HasNulls(column)) {
    if (length > 0) runs_.push_back({0, length});
    num_values_ = length;
    return Status::OK();
  }
  if (!step.nullable) {
    return Status::Invalid("parquet: null value in non-nullable column '{}'", step.name);
  }
  validity_bits_ = column.validity_bits();
  validity_offset_ = column.offset;
  AppendBitmapRuns(validity_bits_, validity_offset_, length);
  return Status::OK();
}

Status LeafShredder::ApplyValidity(const ArrayData& array, const LevelStep& step,
                                   int16_t definition_level, ShreddingCache::Entry* state) {
  if (!HasNulls(array)) return Status::OK();
  const uint8_t* bits = array.validity_bits();
  const size_t count = state->positions.size();
  for (size_t i = 0; i < count; ++i) {
    if (state->definition_levels[i] != kLive) continue;
    if (bit_util::GetBit(bits, array.offset + state->positions[i])) continue;
    if (!step.nullable) {
      return Status::Invalid("parquet: null value in non-nullable field '{}'", step.name);
    }
    state->definition_levels[i] = definition_level;
  }
  return Status::OK();
}

Status LeafShredder::ExpandLists(const ArrayData& array, const LevelStep& step,
                                 int16_t definition_level, int16_t repetition_level,
                                 ShreddingCache::Entry* state) {
  ARCFLOW_RETURN_NOT_OK(CheckChildren(array, 1, step));
  if (array.buffers.size() < 2 || !array.buffers[1] ||
      array.buffers[1]->size() < (array.offset + array.length + 1) * 4) {
    return Status::Invalid("parquet: list array of field '{}' lacks its offsets", step.name);
  }
  const int32_t* offsets = array.buffers[1]->data_as<int32_t>() + array.offset;
  const int64_t child_length = array.children[0]->length;
  const std::vector<int64_t>& positions = state->positions;
  const std::vector<int16_t>& definition_levels = state->definition_levels;
  const std::vector<int16_t>& repetition_levels = state->repetition_levels;
  const size_t count = positions.size();
  next_positions_.clear();
  next_definition_levels_.clear();
  next_repetition_levels_.clear();
  next_positions_.reserve(count);
  next_definition_levels_.reserve(count);
  next_repetition_levels_.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    if (definition_levels[i] != kLive) {
      next_positions_.push_back(0);
      next_definition_levels_.push_back(definition_levels[i]);
      next_repetition_levels_.push_back(repetition_levels[i]);
      continue;
    }
    const int64_t begin = offsets[positions[i]];
    const int64_t end = offsets[positions[i] + 1];
    if (begin < 0 || end < begin || end > child_length) {
      return Status::Invalid(
          "parquet: list offsets [{}, {}) of field '{}' lie outside its {} elements", begin, end,
          step.name, child_length);
    }
    if (begin == end) {
      // An empty list: defined up to the list itself, no element below.
      next_positions_.push_back(0);
      next_definition_levels_.push_back(definition_level);
      next_repetition_levels_.push_back(repetition_levels[i]);
      continue;
    }
    next_positions_.push_back(begin);
    next_definition_levels_.push_back(kLive);
    next_repetition_levels_.push_back(repetition_levels[i]);
    for (int64_t k = begin + 1; k < end; ++k) {
      next_positions_.push_back(k);
      next_definition_levels_.push_back(kLive);
      next_repetition_levels_.push_back(repetition_level);
    }
  }
  state->positions.swap(next_positions_);
  state->definition_levels.swap(next_definition_levels_);
  state->repetition_levels.swap(next_repetition_levels_);
  return Status::OK();
}

Status LeafShredder::ExpandPrefix(const ArrayData& column, size_t end,
                                  ShreddingCache::Entry* state) {
  const size_t length = static_cast<size_t>(column.length);
  state->positions.resize(length);
  for (size_t i = 0; i < length; ++i) state->positions[i] = static_cast<int64_t>(i);
  state->definition_levels.assign(length, kLive);
  state->repetition_levels.assign(length, 0);

  const ArrayData* array = &column;
  int16_t definition_level = 0;
  int16_t repetition_level = 0;
  for (size_t s = 0; s < end; ++s) {
    const LevelStep& step = path_[s];
    ARCFLOW_RETURN_NOT_OK(ApplyValidity(*array, step, definition_level, state));
    if (step.nullable) ++definition_level;
    switch (step.kind) {
      case LevelStep::Kind::kLeaf:
        return Status::Internal("parquet: leaf path of '{}' has a leaf before its end",
                                path_[0].name);
      case LevelStep::Kind::kStruct: {
        ARCFLOW_RETURN_NOT_OK(CheckMember(*array, static_cast<size_t>(step.child), step));
        // A struct's members are indexed like the struct's own buffers, offset included.
        for (int64_t& position : state->positions) position += array->offset;
        array = array->children[static_cast<size_t>(step.child)].get();
        break;
      }
      case LevelStep::Kind::kList:
      case LevelStep::Kind::kMap: {
        // The repeated group below a list or map: defined when the list has an element, and
        // every element after the first repeats at this level.
        ARCFLOW_RETURN_NOT_OK(ExpandLists(*array, step, definition_level,
                                          static_cast<int16_t>(repetition_level + 1), state));
        ++definition_level;
        ++repetition_level;
        array = array->children[0].get();
        if (step.kind == LevelStep::Kind::kMap) {
          // Map entries are a struct of key and value that is never null itself.
          LevelStep entries{LevelStep::Kind::kStruct, false, step.child, step.name};
          ARCFLOW_RETURN_NOT_OK(ApplyValidity(*array, entries, definition_level, state));
          ARCFLOW_RETURN_NOT_OK(CheckMember(*array, 0, entries));
          ARCFLOW_RETURN_NOT_OK(CheckMember(*array, 1, entries));
          for (int64_t& position : state->positions) position += array->offset;
          array = array->children[static_cast<size_t>(step.child)].get();
        }
        break;
      }
    }
  }
  state->array = array;
  state->definition_level = definition_level;
  return Status::OK();
}

Status LeafShredder::FinishPath(const ShreddingCache::Entry& state, size_t begin) {
  // The arrays along the remaining steps, checked before any row is: where a live entry's slot
  // is null, and how far its position moves into a struct's member.
  struct Hop {
    const ArrayData* array;
    const uint8_t* null_bits;  // Null when the array has no nulls.
    const LevelStep* step;
    int16_t level_when_null;
    int64_t member_offset;
  };
  std::vector<Hop> hops;
  const ArrayData* array = state.array;
  int16_t definition_level = state.definition_level;
  int64_t total_offset = 0;
  bool any_nulls = false;
  for (size_t s = begin; s < path_.size(); ++s) {
    const LevelStep& step = path_[s];
    Hop hop{array, HasNulls(*array) ? array->validity_bits() : nullptr, &step, definition_level, 0};
    any_nulls = any_nulls || hop.null_bits != nullptr;
    if (step.nullable) ++definition_level;
    if (step.kind == LevelStep::Kind::kStruct) {
      ARCFLOW_RETURN_NOT_OK(CheckMember(*array, static_cast<size_t>(step.child), step));
      hop.member_offset = array->offset;
      total_offset += array->offset;
      array = array->children[static_cast<size_t>(step.child)].get();
    } else if (step.kind == LevelStep::Kind::kLeaf) {
      leaf_ = array;
    } else {
      return Status::Internal("parquet: leaf path of '{}' repeats below its shared levels",
                              path_[0].name);
    }
    hops.push_back(hop);
  }
  if (leaf_ == nullptr) {
    return Status::Internal("parquet: leaf path of '{}' does not end at a leaf", path_[0].name);
  }

  const size_t count = state.positions.size();
  num_levels_ = static_cast<int64_t>(count);
  repetition_levels_ = state.repetition_levels.data();
  definition_levels_.resize(count);
  for (size_t i = 0; i < count; ++i) {
    const int16_t level = state.definition_levels[i];
    if (level != kLive) {
      definition_levels_[i] = level;
      continue;
    }
    int64_t position = state.positions[i];
    if (!any_nulls) {
      definition_levels_[i] = definition_level;
      AppendRun(position + total_offset);
      ++num_values_;
      continue;
    }
    bool live = true;
    for (const Hop& hop : hops) {
      if (hop.null_bits != nullptr &&
          !bit_util::GetBit(hop.null_bits, hop.array->offset + position)) {
        if (!hop.step->nullable) {
          return Status::Invalid("parquet: null value in non-nullable field '{}'", hop.step->name);
        }
        definition_levels_[i] = hop.level_when_null;
        live = false;
        break;
      }
      position += hop.member_offset;
    }
    if (live) {
      definition_levels_[i] = definition_level;
      AppendRun(position);
      ++num_values_;
    }
  }
  return Status::OK();
}

Status LeafShredder::ShredNested(const ArrayData& column, ShreddingCache* cache) {
  if (cache == nullptr) {
    ARCFLOW_RETURN_NOT_OK(ExpandPrefix(column, shared_steps_, &own_prefix_));
    return FinishPath(own_prefix_, shared_steps_);
  }
  for (size_t e = 0; e < cache->used_; ++e) {
    if (cache->entries_[e]->steps == shared_key_) {
      return FinishPath(*cache->entries_[e], shared_steps_);
    }
  }
  if (cache->used_ == cache->entries_.size()) {
    cache->entries_.push_back(std::make_unique<ShreddingCache::Entry>());
  }
  ShreddingCache::Entry& entry = *cache->entries_[cache->used_];
  ARCFLOW_RETURN_NOT_OK(ExpandPrefix(column, shared_steps_, &entry));
  entry.steps = shared_key_;
  ++cache->used_;
  return FinishPath(entry, shared_steps_);
}

}  // namespace arcflow::parquet
