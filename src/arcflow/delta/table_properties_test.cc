#include "arcflow/delta/table_properties.h"

#include <gtest/gtest.h>

namespace arcflow::delta {
namespace {

constexpr int64_t kDayMs = int64_t{24} * 3600 * 1000;

TEST(TablePropertiesTest, ParsesIntervals) {
  EXPECT_EQ(*ParseIntervalMs("interval 30 days"), 30 * kDayMs);
  EXPECT_EQ(*ParseIntervalMs("1 hour"), 3600 * 1000);
  EXPECT_EQ(*ParseIntervalMs("INTERVAL 2 WEEKS"), 14 * kDayMs);
  EXPECT_EQ(*ParseIntervalMs("interval 5 seconds"), 5000);
  EXPECT_EQ(*ParseIntervalMs("interval 7 days 12 hours"), 7 * kDayMs + 12 * 3600 * 1000);
  EXPECT_EQ(*ParseIntervalMs("  interval 1 week  "), 7 * kDayMs);
  EXPECT_EQ(*ParseIntervalMs("interval 10 microseconds"), 0);
  EXPECT_TRUE(ParseIntervalMs("soon").status().IsInvalid());
  EXPECT_TRUE(ParseIntervalMs("interval").status().IsInvalid());
  EXPECT_TRUE(ParseIntervalMs("interval 3 fortnights").status().IsInvalid());
  EXPECT_TRUE(ParseIntervalMs("interval -1 days").status().IsInvalid());
  EXPECT_TRUE(ParseIntervalMs("interval 9999999999999 weeks").status().IsInvalid());
  EXPECT_TRUE(ParseIntervalMs("interval 999999999999 weeks").status().IsInvalid());
}

TEST(TablePropertiesTest, ReadsPropertiesWithDefaults) {
  Metadata metadata;
  EXPECT_EQ(*CheckpointInterval(metadata), 10);
  EXPECT_EQ(*DeletedFileRetentionMs(metadata), 7 * kDayMs);
  EXPECT_EQ(*LogRetentionMs(metadata), 30 * kDayMs);
  metadata.configuration = {{"delta.checkpointInterval", "25"},
                            {"delta.deletedFileRetentionDuration", "interval 2 days"},
                            {"delta.logRetentionDuration", "interval 12 hours"}};
  EXPECT_EQ(*CheckpointInterval(metadata), 25);
  EXPECT_EQ(*DeletedFileRetentionMs(metadata), 2 * kDayMs);
  EXPECT_EQ(*LogRetentionMs(metadata), 12 * 3600 * 1000);
}

TEST(TablePropertiesTest, BadValuesNameTheProperty) {
  Metadata metadata;
  metadata.configuration = {{"delta.checkpointInterval", "0"},
                            {"delta.logRetentionDuration", "a while"}};
  Result<int64_t> interval = CheckpointInterval(metadata);
  ASSERT_FALSE(interval.ok());
  EXPECT_NE(interval.status().message().find("delta.checkpointInterval"), std::string::npos);
  Result<int64_t> retention = LogRetentionMs(metadata);
  ASSERT_FALSE(retention.ok());
  EXPECT_NE(retention.status().ToString().find("delta.logRetentionDuration"), std::string::npos);
}

}  // namespace
}  // namespace arcflow::delta
