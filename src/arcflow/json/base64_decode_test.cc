#include "arcflow/json/base64_decode.h"

#include <gtest/gtest.h>

#include <string>

namespace arcflow::json {
namespace {

TEST(Base64DecodeTest, DecodesStandardBase64) {
  std::string out;
  EXPECT_TRUE(DecodeBase64("", &out));
  EXPECT_EQ(out, "");
  EXPECT_TRUE(DecodeBase64("aGk=", &out));
  EXPECT_EQ(out, "hi");
  out.clear();
  EXPECT_TRUE(DecodeBase64("AP9oaQ==", &out));
  EXPECT_EQ(out, std::string("\0\xFFhi", 4));
  out.clear();
  EXPECT_TRUE(DecodeBase64("YWJj", &out));
  EXPECT_EQ(out, "abc");
  for (std::string_view bad : {"a", "aGk", "aG=k", "====", "a===", "aGk*", "aGk=\n", "=aGk"}) {
    out.clear();
    EXPECT_FALSE(DecodeBase64(bad, &out)) << bad;
  }
}

}  // namespace
}  // namespace arcflow::json
