#include "arcflow/base/buffer.h"

#include <gtest/gtest.h>

#include "arcflow/base/bit_util.h"

namespace arcflow {
namespace {

TEST(BufferBuilderTest, AppendsAndFinishesAligned) {
  BufferBuilder builder;
  for (int32_t i = 0; i < 1000; ++i) builder.AppendValue(i);
  EXPECT_EQ(builder.size(), 4000);
  std::shared_ptr<Buffer> buffer = builder.Finish();
  EXPECT_EQ(builder.size(), 0);
  ASSERT_EQ(buffer->size(), 4000);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(buffer->data()) % kBufferAlignment, 0u);
  EXPECT_EQ(buffer->data_as<int32_t>()[999], 999);
}

TEST(BufferTest, SliceSharesParentMemory) {
  std::shared_ptr<Buffer> parent = Buffer::CopyOf(std::string_view("hello world"));
  std::shared_ptr<Buffer> slice = Buffer::Slice(parent, 6, 5);
  EXPECT_EQ(slice->view(), "world");
  EXPECT_EQ(slice->data(), parent->data() + 6);
  parent.reset();
  EXPECT_EQ(slice->view(), "world");  // The slice keeps the parent's bytes alive.
}

TEST(BufferTest, RejectsNegativeSize) { EXPECT_FALSE(Buffer::Allocate(-1).ok()); }

TEST(BitUtilTest, CountsAndCopiesUnalignedRuns) {
  uint8_t bits[32] = {};
  for (int i = 0; i < 256; i += 3) bit_util::SetBit(bits, i);
  EXPECT_EQ(bit_util::CountSetBits(bits, 0, 256), 86);
  EXPECT_EQ(bit_util::CountSetBits(bits, 1, 200), 66);
  uint8_t copy[32] = {};
  bit_util::CopyBits(bits, 5, 150, copy, 3);
  for (int i = 0; i < 150; ++i) {
    EXPECT_EQ(bit_util::GetBit(copy, 3 + i), bit_util::GetBit(bits, 5 + i)) << i;
  }
}

}  // namespace
}  // namespace arcflow
