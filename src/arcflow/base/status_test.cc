#include "arcflow/base/status.h"

#include <gtest/gtest.h>

#include "arcflow/base/result.h"

namespace arcflow {
namespace {

Result<int> ParsePositive(int value) {
  if (value <= 0) return Status::Invalid("not positive (value={})", value);
  return value;
}

Result<int> Doubled(int value) {
  ARCFLOW_ASSIGN_OR_RETURN(int parsed, ParsePositive(value));
  return parsed * 2;
}

Status CheckBoth(int a, int b) {
  ARCFLOW_RETURN_NOT_OK_CTX(ParsePositive(a).status(), "first");
  ARCFLOW_RETURN_NOT_OK(ParsePositive(b).status());
  return Status::OK();
}

TEST(StatusTest, OkHasNoMessage) {
  Status ok;
  EXPECT_TRUE(ok.ok());
  EXPECT_EQ(ok.ToString(), "OK");
  EXPECT_EQ(ok.message(), "");
}

TEST(StatusTest, FormatsMessageAndCode) {
  Status status = Status::Corruption("bad page (offset={})", 17);
  EXPECT_FALSE(status.ok());
  EXPECT_TRUE(status.IsCorruption());
  EXPECT_EQ(status.ToString(), "Corruption: bad page (offset=17)");
}

TEST(StatusTest, ContextAccumulates) {
  Status status = CheckBoth(-1, 1);
  EXPECT_EQ(status.message(), "not positive (value=-1); first");
  EXPECT_TRUE(CheckBoth(1, 1).ok());
  EXPECT_TRUE(CheckBoth(1, 0).IsInvalid());
}

TEST(StatusTest, CopiesAreIndependent) {
  Status a = Status::IOError("disk");
  Status b = a;
  a = Status::OK();
  EXPECT_TRUE(b.IsIOError());
  EXPECT_TRUE(a.ok());
}

TEST(ResultTest, PropagatesValueAndError) {
  Result<int> good = Doubled(21);
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(*good, 42);
  Result<int> bad = Doubled(0);
  ASSERT_FALSE(bad.ok());
  EXPECT_TRUE(bad.status().IsInvalid());
}

TEST(ResultTest, OkStatusWithoutValueIsInternalError) {
  Result<int> result{Status::OK()};
  EXPECT_TRUE(result.status().IsInternal());
}

}  // namespace
}  // namespace arcflow
