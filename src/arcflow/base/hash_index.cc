#include "arcflow/base/hash_index.h"

namespace arcflow {
namespace {

constexpr size_t kInitialSlots = 1024;

}  // namespace

HashIndex::HashIndex() { Clear(); }

void HashIndex::Clear() {
  slots_.assign(kInitialSlots, Slot{0, -1});
  mask_ = kInitialSlots - 1;
  size_ = 0;
}

void HashIndex::Reserve(size_t entries) {
  size_t num_slots = slots_.size();
  while (entries * 2 > num_slots) num_slots *= 2;
  if (num_slots > slots_.size()) Rehash(num_slots);
}

void HashIndex::Rehash(size_t num_slots) {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(num_slots, Slot{0, -1});
  mask_ = slots_.size() - 1;
  for (const Slot& entry : old) {
    if (entry.index < 0) continue;
    size_t slot = entry.hash & mask_;
    while (slots_[slot].index >= 0) slot = (slot + 1) & mask_;
    slots_[slot] = entry;
  }
}

}  // namespace arcflow
