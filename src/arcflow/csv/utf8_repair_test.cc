#include "arcflow/csv/utf8_repair.h"

#include <gtest/gtest.h>

#include <string>

namespace arcflow::csv {
namespace {

TEST(RepairUtf8Test, ReturnsValidTextItself) {
  std::string scratch;
  for (std::string_view text : {std::string_view(""), std::string_view("plain ascii text, long"),
                                std::string_view("caf\xC3\xA9 \xF0\x9F\x98\x80 \xE6\x97\xA5")}) {
    std::string_view repaired = RepairUtf8(text, &scratch);
    EXPECT_EQ(repaired.data(), text.data());
    EXPECT_EQ(repaired.size(), text.size());
  }
  EXPECT_TRUE(scratch.empty());
}

TEST(RepairUtf8Test, ReplacesEachBadByte) {
  std::string scratch;
  EXPECT_EQ(RepairUtf8("abcdefgh\xFFz", &scratch), "abcdefgh\xEF\xBF\xBDz");
  // A truncated sequence, a stray continuation byte and a surrogate.
  EXPECT_EQ(RepairUtf8("\xE2\x82x\x80\xED\xA0\x80", &scratch),
            "\xEF\xBF\xBD\xEF\xBF\xBDx\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(RepairUtf8("\xC3\xA9\xC3", &scratch), "\xC3\xA9\xEF\xBF\xBD");
}

}  // namespace
}  // namespace arcflow::csv
