#include "arcflow/io/corrupt_records.h"

#include <gtest/gtest.h>

namespace arcflow::io {
namespace {

TEST(CorruptRecordsTest, ReadsSparkModeNamesInAnyCase) {
  EXPECT_EQ(*ParseModeFromName("PERMISSIVE", "json"), ParseMode::kPermissive);
  EXPECT_EQ(*ParseModeFromName("dropMalformed", "json"), ParseMode::kDropMalformed);
  EXPECT_EQ(*ParseModeFromName("failfast", "csv"), ParseMode::kFailFast);
}

TEST(CorruptRecordsTest, NamesModesAsSparkDoes) {
  for (ParseMode mode : {ParseMode::kPermissive, ParseMode::kDropMalformed, ParseMode::kFailFast}) {
    EXPECT_EQ(*ParseModeFromName(ParseModeName(mode), "json"), mode);
  }
  EXPECT_EQ(ParseModeName(ParseMode::kDropMalformed), "DROPMALFORMED");
}

TEST(CorruptRecordsTest, RejectsUnknownModeNamingTheSource) {
  Result<ParseMode> mode = ParseModeFromName("lenient", "csv");
  ASSERT_FALSE(mode.ok());
  EXPECT_TRUE(mode.status().IsInvalid());
  EXPECT_EQ(mode.status().message(),
            "csv: option mode must be PERMISSIVE, DROPMALFORMED or FAILFAST, got 'lenient'");
}

}  // namespace
}  // namespace arcflow::io
