#include "arcflow/codec/decompression_sink.h"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

namespace arcflow::codec {
namespace {

// Writes `length` bytes of value `fill` through the sink, as a decoder would.
Status Write(DecompressionSink* sink, int64_t length, uint8_t fill) {
  while (length > 0) {
    ARCFLOW_ASSIGN_OR_RETURN(std::span<uint8_t> space, sink->FreeSpace());
    if (space.empty()) return sink->Exceeded();
    int64_t chunk = std::min<int64_t>(length, static_cast<int64_t>(space.size()));
    std::memset(space.data(), fill, static_cast<size_t>(chunk));
    sink->Commit(chunk);
    length -= chunk;
  }
  return Status::OK();
}

TEST(DecompressionSinkTest, FixedSinkFillsCallerSpan) {
  std::vector<uint8_t> output(10, 0);
  DecompressionSink sink("test", output);
  ASSERT_TRUE(Write(&sink, 10, 7).ok());
  EXPECT_TRUE(sink.CheckComplete().ok());
  EXPECT_EQ(output, std::vector<uint8_t>(10, 7));
}

TEST(DecompressionSinkTest, FixedSinkDetectsTooMuchAndTooLittle) {
  std::vector<uint8_t> output(10, 0);
  DecompressionSink over("test", output);
  ASSERT_TRUE(Write(&over, 10, 1).ok());
  // One byte past the span lands in the sink's own overflow byte, not the caller's memory.
  Result<std::span<uint8_t>> overflow = over.FreeSpace();
  ASSERT_TRUE(overflow.ok());
  ASSERT_EQ(overflow->size(), 1u);
  EXPECT_TRUE(overflow->data() < output.data() || overflow->data() >= output.data() + 10);
  over.Commit(1);
  EXPECT_TRUE(over.exceeded());
  EXPECT_TRUE(over.Exceeded().IsCorruption());
  EXPECT_TRUE(over.CheckComplete().IsCorruption());
  EXPECT_TRUE(over.FreeSpace()->empty());

  DecompressionSink under("test", output);
  ASSERT_TRUE(Write(&under, 9, 1).ok());
  Status incomplete = under.CheckComplete();
  EXPECT_TRUE(incomplete.IsCorruption());
  EXPECT_NE(incomplete.message().find("9 bytes but 10"), std::string::npos) << incomplete.message();
}

TEST(DecompressionSinkTest, GrowingSinkCollectsBytes) {
  DecompressionSink sink("test", 1 << 20, 0);
  ASSERT_TRUE(Write(&sink, 100000, 3).ok());
  ASSERT_TRUE(Write(&sink, 5, 4).ok());
  EXPECT_TRUE(sink.CheckComplete().ok());
  Result<std::shared_ptr<Buffer>> buffer = sink.Finish();
  ASSERT_TRUE(buffer.ok());
  ASSERT_EQ((*buffer)->size(), 100005);
  EXPECT_EQ((*buffer)->data()[99999], 3);
  EXPECT_EQ((*buffer)->data()[100004], 4);
}

TEST(DecompressionSinkTest, GrowingSinkStopsOneBytePastLimit) {
  DecompressionSink sink("test", 50000, 0);
  Status status = Write(&sink, 1 << 20, 1);
  EXPECT_TRUE(status.IsInvalid()) << status.ToString();
  EXPECT_EQ(sink.size(), 50001);
  EXPECT_NE(status.message().find("limit of 50000"), std::string::npos);
}

TEST(DecompressionSinkTest, GrowingSinkClampsUntrustedGuess) {
  // A guess of a terabyte must not be allocated for a 10-byte limit.
  DecompressionSink sink("test", 10, int64_t{1} << 40);
  Result<std::span<uint8_t>> space = sink.FreeSpace();
  ASSERT_TRUE(space.ok());
  EXPECT_EQ(space->size(), 11u);
}

TEST(DecompressionSinkTest, GrowingSinkAllowsExactLimitAndEmptyOutput) {
  DecompressionSink exact("test", 40000, 0);
  ASSERT_TRUE(Write(&exact, 40000, 9).ok());
  EXPECT_FALSE(exact.exceeded());
  Result<std::shared_ptr<Buffer>> buffer = exact.Finish();
  ASSERT_TRUE(buffer.ok());
  EXPECT_EQ((*buffer)->size(), 40000);

  DecompressionSink empty("test", 0, 0);
  Result<std::shared_ptr<Buffer>> none = empty.Finish();
  ASSERT_TRUE(none.ok());
  EXPECT_EQ((*none)->size(), 0);
}

}  // namespace
}  // namespace arcflow::codec
