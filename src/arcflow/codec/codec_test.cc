#include "arcflow/codec/codec.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace arcflow::codec {
namespace {

using Bytes = std::vector<uint8_t>;

// Bytes no codec can shrink.
Bytes RandomBytes(size_t size, uint32_t seed) {
  std::mt19937 generator(seed);
  Bytes bytes(size);
  for (uint8_t& byte : bytes) byte = static_cast<uint8_t>(generator());
  return bytes;
}

// Text-like bytes: words from a small vocabulary, which every codec shrinks well.
Bytes CompressibleBytes(size_t size, uint32_t seed) {
  static const char* const kWords[] = {"lakehouse ", "bronze ",  "silver ", "gold ",  "delta ",
                                       "parquet ",   "{\"id\":", "42,",     "null, ", "\n"};
  std::mt19937 generator(seed);
  Bytes bytes;
  bytes.reserve(size + 16);
  while (bytes.size() < size) {
    const char* word = kWords[generator() % std::size(kWords)];
    bytes.insert(bytes.end(), word, word + std::strlen(word));
  }
  bytes.resize(size);
  return bytes;
}

Bytes Zeros(size_t size) { return Bytes(size, 0); }

std::unique_ptr<Codec> Make(CodecType type, int level = kDefaultCompressionLevel) {
  Result<std::unique_ptr<Codec>> codec = MakeCodec(type, level);
  EXPECT_TRUE(codec.ok()) << codec.status().ToString();
  return std::move(codec).ValueOrDie();
}

Bytes CompressToVector(const Codec& codec, const Bytes& input) {
  Bytes output(static_cast<size_t>(codec.MaxCompressedLength(static_cast<int64_t>(input.size()))));
  Result<int64_t> written = codec.Compress(input, output);
  EXPECT_TRUE(written.ok()) << codec.name() << ": " << written.status().ToString();
  if (!written.ok()) return {};
  EXPECT_LE(*written, static_cast<int64_t>(output.size()));
  output.resize(static_cast<size_t>(*written));
  return output;
}

// Decompresses into a buffer of exactly `size` bytes, so that AddressSanitizer catches any
// write past it.
Result<Bytes> DecompressToVector(const Codec& codec, std::span<const uint8_t> input, size_t size) {
  Bytes output(size);
  ARCFLOW_ASSIGN_OR_RETURN(int64_t written, codec.Decompress(input, output));
  EXPECT_EQ(written, static_cast<int64_t>(size));
  return output;
}

Bytes ToVector(const Buffer& buffer) { return Bytes(buffer.data(), buffer.data() + buffer.size()); }

const CodecType kAllSupported[] = {
    CodecType::kUncompressed, CodecType::kSnappy, CodecType::kGzip,  CodecType::kBrotli,
    CodecType::kLz4Hadoop,    CodecType::kZstd,   CodecType::kLz4Raw};

struct CodecCase {
  CodecType type;
  int level;
  // Whether to include multi-megabyte inputs; the slowest levels skip them.
  bool large_inputs;
};

std::string CaseName(const ::testing::TestParamInfo<CodecCase>& info) {
  std::string name(CodecTypeName(info.param.type));
  if (info.param.level == kDefaultCompressionLevel) return name + "_default";
  return name + "_level" + (info.param.level < 0 ? "_minus" : "") +
         std::to_string(std::abs(info.param.level));
}

std::vector<CodecCase> RoundTripCases() {
  std::vector<CodecCase> cases;
  for (CodecType type : kAllSupported) {
    cases.push_back({type, kDefaultCompressionLevel, true});
    if (std::optional<CompressionLevelRange> levels = CompressionLevels(type)) {
      // zstd's minimum is a huge negative "fast" level; -5 exercises that mode.
      int low = type == CodecType::kZstd ? -5 : levels->min_level;
      cases.push_back({type, low, true});
      cases.push_back({type, levels->max_level, false});
    }
  }
  return cases;
}

class CodecRoundTripTest : public ::testing::TestWithParam<CodecCase> {};

TEST_P(CodecRoundTripTest, RoundTripsEveryKindAndSize) {
  const CodecCase& param = GetParam();
  std::unique_ptr<Codec> codec = Make(param.type, param.level);
  ASSERT_NE(codec, nullptr);
  std::vector<size_t> sizes = {0, 1, 3, 17, 1000, 65536, 65537, 300000};
  if (param.large_inputs) sizes.push_back(3 * 1024 * 1024 + 5);
  uint32_t seed = 1;
  for (size_t size : sizes) {
    for (int kind = 0; kind < 3; ++kind) {
      Bytes input = kind == 0   ? RandomBytes(size, seed++)
                    : kind == 1 ? CompressibleBytes(size, seed++)
                                : Zeros(size);
      SCOPED_TRACE(::testing::Message() << "size=" << size << " kind=" << kind);
      Bytes compressed = CompressToVector(*codec, input);
      // Gzip level 0 only stores.
      bool compresses = param.type != CodecType::kUncompressed &&
                        !(param.type == CodecType::kGzip && param.level == 0);
      if (kind > 0 && size >= 1000 && compresses) {
        EXPECT_LT(compressed.size(), size / 2);
      }

      Result<Bytes> decompressed = DecompressToVector(*codec, compressed, size);
      ASSERT_TRUE(decompressed.ok()) << decompressed.status().ToString();
      EXPECT_TRUE(*decompressed == input);

      // An exact limit is enough.
      Result<std::shared_ptr<Buffer>> unknown =
          codec->DecompressUnknownSize(compressed, static_cast<int64_t>(size));
      ASSERT_TRUE(unknown.ok()) << unknown.status().ToString();
      EXPECT_TRUE(ToVector(**unknown) == input);
    }
  }
}

TEST_P(CodecRoundTripTest, AppendsToBufferBuilder) {
  std::unique_ptr<Codec> codec = Make(GetParam().type, GetParam().level);
  ASSERT_NE(codec, nullptr);
  Bytes first = CompressibleBytes(5000, 7);
  Bytes second = RandomBytes(3000, 8);
  BufferBuilder builder;
  builder.Append("head");
  ASSERT_TRUE(codec->Compress(first, &builder).ok());
  int64_t first_end = builder.size();
  ASSERT_TRUE(codec->Compress(second, &builder).ok());
  std::shared_ptr<Buffer> all = builder.Finish();
  ASSERT_EQ(all->view().substr(0, 4), "head");

  std::span<const uint8_t> bytes = all->span();
  Result<Bytes> first_out = DecompressToVector(*codec, bytes.subspan(4, first_end - 4), 5000);
  ASSERT_TRUE(first_out.ok()) << first_out.status().ToString();
  EXPECT_TRUE(*first_out == first);
  Result<Bytes> second_out = DecompressToVector(*codec, bytes.subspan(first_end), 3000);
  ASSERT_TRUE(second_out.ok()) << second_out.status().ToString();
  EXPECT_TRUE(*second_out == second);
}

INSTANTIATE_TEST_SUITE_P(AllCodecs, CodecRoundTripTest, ::testing::ValuesIn(RoundTripCases()),
                         CaseName);

// Hostile-input tests, run at each codec's default level.
class CodecHostileInputTest : public ::testing::TestWithParam<CodecType> {};

std::string TypeName(const ::testing::TestParamInfo<CodecType>& info) {
  return std::string(CodecTypeName(info.param));
}

bool IsPrefixOf(const Bytes& prefix, const Bytes& whole) {
  return prefix.size() <= whole.size() && std::equal(prefix.begin(), prefix.end(), whole.begin());
}

TEST_P(CodecHostileInputTest, RejectsTruncatedData) {
  std::unique_ptr<Codec> codec = Make(GetParam());
  for (const Bytes& input : {CompressibleBytes(20000, 3), RandomBytes(3000, 4)}) {
    Bytes compressed = CompressToVector(*codec, input);
    std::vector<size_t> lengths;
    for (size_t length = 0; length < compressed.size(); length += length < 64 ? 1 : 97) {
      lengths.push_back(length);
    }
    lengths.push_back(compressed.size() - 1);
    for (size_t length : lengths) {
      SCOPED_TRACE(::testing::Message() << "length=" << length << " of " << compressed.size());
      std::span<const uint8_t> truncated(compressed.data(), length);
      EXPECT_FALSE(DecompressToVector(*codec, truncated, input.size()).ok());
      // Without a known size, a format without an end marker may decode a prefix; it must
      // never decode anything else.
      Result<std::shared_ptr<Buffer>> unknown =
          codec->DecompressUnknownSize(truncated, 2 * static_cast<int64_t>(input.size()));
      if (unknown.ok() && length > 0) {
        EXPECT_TRUE(IsPrefixOf(ToVector(**unknown), input));
        EXPECT_TRUE(GetParam() == CodecType::kUncompressed || GetParam() == CodecType::kLz4Raw ||
                    GetParam() == CodecType::kLz4Hadoop);
      }
    }
  }
}

TEST_P(CodecHostileInputTest, SurvivesBitFlips) {
  std::unique_ptr<Codec> codec = Make(GetParam());
  Bytes input = CompressibleBytes(20000, 5);
  Bytes compressed = CompressToVector(*codec, input);
  std::mt19937 generator(6);
  for (size_t position = 0; position < compressed.size();
       position += position < 128 ? 1 : 1 + generator() % 61) {
    Bytes flipped = compressed;
    flipped[position] ^= static_cast<uint8_t>(1u << (generator() % 8));
    SCOPED_TRACE(::testing::Message() << "position=" << position);
    Result<Bytes> exact = DecompressToVector(*codec, flipped, input.size());
    if (exact.ok() && GetParam() == CodecType::kGzip && position >= 10) {
      // Past the header, the gzip trailer's CRC catches any change in the output.
      EXPECT_TRUE(*exact == input);
    }
    Result<std::shared_ptr<Buffer>> unknown =
        codec->DecompressUnknownSize(flipped, 2 * static_cast<int64_t>(input.size()));
    if (unknown.ok()) {
      EXPECT_LE((*unknown)->size(), 2 * static_cast<int64_t>(input.size()));
    }
  }
}

TEST_P(CodecHostileInputTest, SurvivesRandomGarbage) {
  std::unique_ptr<Codec> codec = Make(GetParam());
  for (uint32_t seed = 0; seed < 300; ++seed) {
    Bytes garbage = RandomBytes(1 + seed % 97 * 7, seed);
    // Results do not matter here, only that hostile bytes neither crash nor overrun.
    (void)DecompressToVector(*codec, garbage, 1000);
    Result<std::shared_ptr<Buffer>> unknown = codec->DecompressUnknownSize(garbage, 1 << 20);
    if (unknown.ok()) {
      EXPECT_LE((*unknown)->size(), 1 << 20);
    }
  }
}

TEST_P(CodecHostileInputTest, RejectsWrongExpectedSize) {
  std::unique_ptr<Codec> codec = Make(GetParam());
  for (size_t size : {0, 1, 1000, 70000}) {
    Bytes input = CompressibleBytes(size, 9);
    Bytes compressed = CompressToVector(*codec, input);
    SCOPED_TRACE(::testing::Message() << "size=" << size);
    Result<Bytes> larger = DecompressToVector(*codec, compressed, size + 1);
    ASSERT_FALSE(larger.ok());
    EXPECT_TRUE(larger.status().IsCorruption()) << larger.status().ToString();
    if (size > 0) {
      Result<Bytes> smaller = DecompressToVector(*codec, compressed, size - 1);
      ASSERT_FALSE(smaller.ok());
      EXPECT_TRUE(smaller.status().IsCorruption()) << smaller.status().ToString();
    }
  }
}

TEST_P(CodecHostileInputTest, AcceptsEmptyInputForEmptyOutputOnly) {
  std::unique_ptr<Codec> codec = Make(GetParam());
  Result<int64_t> empty = codec->Decompress({}, {});
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(*empty, 0);
  Bytes output(10);
  EXPECT_TRUE(codec->Decompress({}, output).status().IsCorruption());
  Result<std::shared_ptr<Buffer>> unknown = codec->DecompressUnknownSize({}, 100);
  ASSERT_TRUE(unknown.ok());
  EXPECT_EQ((*unknown)->size(), 0);
}

TEST_P(CodecHostileInputTest, RejectsTooSmallCompressionOutput) {
  std::unique_ptr<Codec> codec = Make(GetParam());
  Bytes input = RandomBytes(10000, 10);
  Bytes output(5000);
  Result<int64_t> written = codec->Compress(input, output);
  ASSERT_FALSE(written.ok());
  EXPECT_TRUE(written.status().IsInvalid()) << written.status().ToString();
}

TEST_P(CodecHostileInputTest, BoundsDecompressionBombs) {
  std::unique_ptr<Codec> codec = Make(GetParam());
  const int64_t size = 8 << 20;
  Bytes input = Zeros(static_cast<size_t>(size));
  Bytes compressed = CompressToVector(*codec, input);

  for (int64_t limit : {int64_t{0}, int64_t{1} << 20, size - 1}) {
    Result<std::shared_ptr<Buffer>> bounded = codec->DecompressUnknownSize(compressed, limit);
    ASSERT_FALSE(bounded.ok()) << "limit=" << limit;
    EXPECT_TRUE(bounded.status().IsInvalid()) << bounded.status().ToString();
    EXPECT_NE(bounded.status().message().find("limit"), std::string::npos);
  }
  Result<std::shared_ptr<Buffer>> exact = codec->DecompressUnknownSize(compressed, size);
  ASSERT_TRUE(exact.ok()) << exact.status().ToString();
  EXPECT_EQ((*exact)->size(), size);
  EXPECT_TRUE(codec->DecompressUnknownSize(compressed, -1).status().IsInvalid());
}

TEST_P(CodecHostileInputTest, SharesOneCodecAcrossThreads) {
  std::unique_ptr<Codec> codec = Make(GetParam());
  constexpr int kThreads = 4;
  constexpr int kRounds = 20;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int thread = 0; thread < kThreads; ++thread) {
    threads.emplace_back([&, thread] {
      for (int round = 0; round < kRounds; ++round) {
        uint32_t seed = static_cast<uint32_t>(thread * 1000 + round);
        Bytes input = round % 2 == 0 ? CompressibleBytes(1000 + seed % 50000, seed)
                                     : RandomBytes(1 + seed % 20000, seed);
        Bytes compressed(static_cast<size_t>(codec->MaxCompressedLength(input.size())));
        Result<int64_t> written = codec->Compress(input, compressed);
        if (!written.ok()) {
          ++failures;
          continue;
        }
        compressed.resize(static_cast<size_t>(*written));
        Bytes output(input.size());
        Result<int64_t> read = codec->Decompress(compressed, output);
        if (!read.ok() || output != input) ++failures;
        Result<std::shared_ptr<Buffer>> unknown =
            codec->DecompressUnknownSize(compressed, static_cast<int64_t>(input.size()));
        if (!unknown.ok() || ToVector(**unknown) != input) ++failures;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
}

INSTANTIATE_TEST_SUITE_P(AllCodecs, CodecHostileInputTest, ::testing::ValuesIn(kAllSupported),
                         TypeName);

TEST(CodecTest, MakeCodecResolvesLevels) {
  EXPECT_EQ(Make(CodecType::kZstd)->level(), 1);
  EXPECT_EQ(Make(CodecType::kGzip)->level(), 6);
  EXPECT_EQ(Make(CodecType::kZstd, 7)->level(), 7);
  EXPECT_EQ(Make(CodecType::kSnappy)->level(), 0);
  EXPECT_EQ(Make(CodecType::kLz4Raw)->type(), CodecType::kLz4Raw);
  EXPECT_EQ(Make(CodecType::kLz4Hadoop)->name(), "lz4");
}

TEST(CodecTest, MakeCodecRejectsBadLevelsAndLzo) {
  Result<std::unique_ptr<Codec>> lzo = MakeCodec(CodecType::kLzo);
  ASSERT_FALSE(lzo.ok());
  EXPECT_TRUE(lzo.status().IsNotImplemented());
  EXPECT_NE(lzo.status().message().find("LZO"), std::string::npos);
  EXPECT_TRUE(MakeCodec(CodecType::kGzip, 10).status().IsInvalid());
  EXPECT_TRUE(MakeCodec(CodecType::kBrotli, -1).status().IsInvalid());
  EXPECT_TRUE(MakeCodec(CodecType::kLz4Raw, 13).status().IsInvalid());
  EXPECT_TRUE(MakeCodec(CodecType::kSnappy, 3).status().IsInvalid());
  EXPECT_TRUE(MakeCodec(static_cast<CodecType>(42)).status().IsInvalid());
}

// Regression: per-thread library state is reused across calls, so codecs at different
// levels alternating on one thread must not see each other's settings.
TEST(CodecTest, AlternatesLevelsOnOneThread) {
  Bytes input = CompressibleBytes(200000, 11);
  for (CodecType type : {CodecType::kGzip, CodecType::kZstd, CodecType::kLz4Raw}) {
    std::unique_ptr<Codec> fast = Make(type, 1);
    std::unique_ptr<Codec> strong = Make(type, 9);
    for (int round = 0; round < 3; ++round) {
      Bytes fast_bytes = CompressToVector(*fast, input);
      Bytes strong_bytes = CompressToVector(*strong, input);
      EXPECT_LT(strong_bytes.size(), fast_bytes.size()) << CodecTypeName(type);
      Result<Bytes> a = DecompressToVector(*fast, strong_bytes, input.size());
      Result<Bytes> b = DecompressToVector(*strong, fast_bytes, input.size());
      ASSERT_TRUE(a.ok() && b.ok());
      EXPECT_TRUE(*a == input && *b == input);
    }
  }
}

}  // namespace
}  // namespace arcflow::codec
