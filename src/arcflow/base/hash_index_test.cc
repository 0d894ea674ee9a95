#include "arcflow/base/hash_index.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

namespace arcflow {
namespace {

uint64_t SpreadHash(int64_t value) { return static_cast<uint64_t>(value) * 0x9E3779B97F4A7C15U; }
uint64_t ConstantHash(int64_t) { return 42; }

// Values owned outside the index, as its users keep them; Add inserts unless present.
struct Owner {
  HashIndex index;
  std::vector<int64_t> values;

  // `hash_of` lets tests force collisions.
  uint64_t (*hash_of)(int64_t) = SpreadHash;

  int32_t Find(int64_t value) const {
    size_t slot = 0;
    return index.Find(
        hash_of(value), [&](int32_t entry) { return values[static_cast<size_t>(entry)] == value; },
        &slot);
  }
  int32_t Add(int64_t value) {
    size_t slot = 0;
    const int32_t found = index.Find(
        hash_of(value), [&](int32_t entry) { return values[static_cast<size_t>(entry)] == value; },
        &slot);
    if (found >= 0) return found;
    values.push_back(value);
    index.Insert(slot, hash_of(value), static_cast<int32_t>(values.size() - 1));
    return static_cast<int32_t>(values.size() - 1);
  }
};

TEST(HashIndexTest, FindsWhatWasInsertedThroughManyGrowths) {
  Owner owner;
  for (int64_t i = 0; i < 100000; ++i) ASSERT_EQ(owner.Add(i * 31), i);
  EXPECT_EQ(owner.index.size(), 100000U);
  for (int64_t i = 0; i < 100000; ++i) ASSERT_EQ(owner.Find(i * 31), i);
  EXPECT_EQ(owner.Find(7), -1);
  EXPECT_EQ(owner.Add(31 * 5), 5);
  EXPECT_EQ(owner.index.size(), 100000U);
}

TEST(HashIndexTest, EqualHashesAreToldApartByTheOwnersTest) {
  Owner owner;
  owner.hash_of = ConstantHash;
  for (int64_t i = 0; i < 300; ++i) ASSERT_EQ(owner.Add(i), i);
  for (int64_t i = 0; i < 300; ++i) ASSERT_EQ(owner.Find(i), i);
  EXPECT_EQ(owner.Find(300), -1);
}

TEST(HashIndexTest, ReserveKeepsEntriesAndMakesRoom) {
  Owner owner;
  for (int64_t i = 0; i < 1000; ++i) owner.Add(i);
  owner.index.Reserve(50000);
  for (int64_t i = 0; i < 1000; ++i) ASSERT_EQ(owner.Find(i), i);
  for (int64_t i = 1000; i < 50000; ++i) ASSERT_EQ(owner.Add(i), i);
  // Reserving less than what is held changes nothing.
  owner.index.Reserve(10);
  for (int64_t i = 0; i < 50000; ++i) ASSERT_EQ(owner.Find(i), i);
  owner.index.Clear();
  EXPECT_EQ(owner.index.size(), 0U);
}

}  // namespace
}  // namespace arcflow
