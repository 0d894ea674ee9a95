#include "arcflow/base/byte_compare.h"

#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <string>
#include <vector>

namespace arcflow {
namespace {

TEST(BytesLessTest, OrdersAsStringViewDoes) {
  EXPECT_TRUE(BytesLess("", "a"));
  EXPECT_FALSE(BytesLess("a", ""));
  EXPECT_FALSE(BytesLess("", ""));
  EXPECT_TRUE(BytesLess("customer-1", "customer-10"));
  EXPECT_TRUE(BytesLess("customer-12345678", "customer-12345679"));
  // Bytes compare unsigned: 0xC3 (UTF-8 lead byte) sorts after 'z'.
  EXPECT_TRUE(BytesLess("z", "\xc3\xa9"));
  EXPECT_TRUE(BytesLess(std::string_view("a\0", 2), std::string_view("a\1", 2)));

  // Random strings over a small alphabet with high bytes, so that long common prefixes (past
  // the eight-byte words) and every length remainder occur.
  std::mt19937 random(42);
  const char alphabet[] = {'a', 'b', '\0', '\x7f', '\x80', '\xff'};
  std::vector<std::string> values;
  for (int i = 0; i < 400; ++i) {
    std::string value(random() % 3 == 0 ? "shared-prefix-of-17" : "");
    const size_t length = random() % 20;
    for (size_t c = 0; c < length; ++c) value.push_back(alphabet[random() % sizeof(alphabet)]);
    values.push_back(std::move(value));
  }
  for (const std::string& a : values) {
    for (const std::string& b : values) {
      ASSERT_EQ(BytesLess(a, b), std::string_view(a) < std::string_view(b)) << a << " " << b;
    }
  }
}

TEST(BytesEqualTest, AgreesWithMemcmpForEveryLength) {
  // Two buffers that differ in exactly one byte, compared at every length and offset: each
  // length class (under 4, 4 to 7, 8 to 16, longer) must see a difference anywhere in range
  // and nothing outside it.
  std::vector<uint8_t> a(64);
  for (size_t i = 0; i < a.size(); ++i) a[i] = static_cast<uint8_t>(i * 37 + 11);
  for (size_t length = 0; length <= 40; ++length) {
    ASSERT_TRUE(BytesEqual(a.data() + 3, a.data() + 3, length)) << length;
    for (size_t diff = 0; diff < 48; ++diff) {
      std::vector<uint8_t> b = a;
      b[3 + diff] ^= 0x80;
      const bool expected = std::memcmp(a.data() + 3, b.data() + 3, length) == 0;
      ASSERT_EQ(BytesEqual(a.data() + 3, b.data() + 3, length), expected)
          << "length " << length << " difference at " << diff;
    }
  }
}

}  // namespace
}  // namespace arcflow
