#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace arcflow {

// An open-addressing hash table (linear probing, at most half full) from values to the int32
// indices under which their owner stores them. It keeps only a 32-bit hash and the index of
// each entry; the owner supplies the equality test, so entries such as byte strings or rows of
// a batch need no per-entry allocation here.
class HashIndex {
 public:
  HashIndex();

  // Returns the index of the entry equal to the probed value (`equals(index)` decides), or -1
  // with `*slot` set to where Insert() must record it. `hash` must be equal for equal values.
  template <typename Equals>
  int32_t Find(uint64_t hash, Equals&& equals, size_t* slot) const {
    const uint32_t short_hash = ShortHash(hash);
    size_t position = short_hash & mask_;
    // The table is never more than half full, so the probe reaches an empty slot.
    while (true) {
      const Slot& candidate = slots_[position];
      if (candidate.index < 0) {
        *slot = position;
        return -1;
      }
      if (candidate.hash == short_hash && equals(candidate.index)) return candidate.index;
      position = (position + 1) & mask_;
    }
  }
  // Starts loading the slot a Find() of `hash` begins at. Probing a large table misses the
  // cache on nearly every value; prefetching a few values ahead overlaps those misses.
  void Prefetch(uint64_t hash) const { __builtin_prefetch(&slots_[ShortHash(hash) & mask_]); }

  // Records `index` for the value just missed by Find(), which returned `slot`.
  // REQUIRES: the table has not changed since that Find().
  void Insert(size_t slot, uint64_t hash, int32_t index) {
    slots_[slot] = Slot{ShortHash(hash), index};
    if (++size_ * 2 > slots_.size()) Grow();
  }

  // Makes room for `entries` entries in all, so that inserting up to that many never grows
  // the table (one resize instead of one per doubling).
  void Reserve(size_t entries);

  void Clear();
  size_t size() const { return size_; }

 private:
  struct Slot {
    uint32_t hash;
    int32_t index;  // -1 when empty.
  };
  static uint32_t ShortHash(uint64_t hash) { return static_cast<uint32_t>(hash ^ (hash >> 32)); }
  void Grow() { Rehash(slots_.size() * 2); }
  void Rehash(size_t num_slots);

  std::vector<Slot> slots_;
  size_t mask_ = 0;
  size_t size_ = 0;
};

}  // namespace arcflow
