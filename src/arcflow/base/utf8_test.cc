#include "arcflow/base/utf8.h"

#include <gtest/gtest.h>

#include <string>

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

TEST(Utf8Test, RepairReturnsValidTextItself) {
  std::string scratch;
  for (std::string_view text : {std::string_view(""), std::string_view("plain ascii text, long"),
                                std::string_view("caf\xC3\xA9 \xF0\x9F\x98\x80 \xE6\x97\xA5")}) {
    std::string_view repaired = utf8::Repair(text, &scratch);
    EXPECT_EQ(repaired.data(), text.data());
    EXPECT_EQ(repaired.size(), text.size());
  }
  EXPECT_TRUE(scratch.empty());
}

TEST(Utf8Test, RepairReplacesEachBadByte) {
  std::string scratch;
  EXPECT_EQ(utf8::Repair("abcdefgh\xFFz", &scratch), "abcdefgh\xEF\xBF\xBDz");
  // A truncated sequence, a stray continuation byte and a surrogate.
  EXPECT_EQ(utf8::Repair("\xE2\x82x\x80\xED\xA0\x80", &scratch),
            "\xEF\xBF\xBD\xEF\xBF\xBDx\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(utf8::Repair("\xC3\xA9\xC3", &scratch), "\xC3\xA9\xEF\xBF\xBD");
}

}  // namespace
}  // namespace arcflow
