#include "arcflow/base/utf8.h"

#include <gtest/gtest.h>

#include "arcflow/base/ascii.h"

namespace arcflow {
namespace {

TEST(Utf8Test, AcceptsWellFormedAndRejectsMalformed) {
  EXPECT_EQ(utf8::FindInvalid("plain \xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"),
            std::string_view::npos);
  EXPECT_EQ(utf8::FindInvalid("ab\x80"), 2u);            // Stray continuation byte.
  EXPECT_EQ(utf8::FindInvalid("\xc0\xaf"), 0u);          // Overlong.
  EXPECT_EQ(utf8::FindInvalid("x\xed\xa0\x80"), 1u);     // Surrogate.
  EXPECT_EQ(utf8::FindInvalid("\xf4\x90\x80\x80"), 0u);  // Past U+10FFFF.
  EXPECT_EQ(utf8::FindInvalid("ok\xe2\x82"), 2u);        // Truncated.
}

TEST(Utf8Test, AppendEncodesEveryLength) {
  std::string out;
  for (uint32_t code_point : {0x41u, 0xE9u, 0x20ACu, 0x1F600u}) utf8::Append(code_point, &out);
  EXPECT_EQ(out, "A\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
}

TEST(AsciiTest, FoldsOnlyAsciiLetters) {
  EXPECT_EQ(ascii::ToLower("NullValue_\xc3\x89"), "nullvalue_\xc3\x89");
  EXPECT_TRUE(ascii::EqualsIgnoreCase("HEADER", "header"));
  EXPECT_FALSE(ascii::EqualsIgnoreCase("header", "headers"));
}

}  // namespace
}  // namespace arcflow
