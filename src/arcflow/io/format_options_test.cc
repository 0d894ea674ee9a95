#include "arcflow/io/format_options.h"

#include <gtest/gtest.h>

namespace arcflow::io {
namespace {

TEST(FormatOptionsTest, NamesIgnoreCaseAndValuesAreTyped) {
  FormatOptions options;
  ASSERT_TRUE(options.SetFromAssignment("nullValue=NA").ok());
  ASSERT_TRUE(options.SetFromAssignment("HEADER=True").ok());
  ASSERT_TRUE(options.SetFromAssignment("sep=\\t").ok());
  ASSERT_TRUE(options.SetFromAssignment("maxColumns=10").ok());
  EXPECT_EQ(options.Get("nullvalue"), "NA");
  EXPECT_EQ(*options.GetBool("header", false), true);
  EXPECT_EQ(*options.GetChar("sep", ','), '\t');
  EXPECT_EQ(*options.GetInt("maxcolumns", 0), 10);
  EXPECT_EQ(*options.GetBool("multiLine", false), false);
  EXPECT_FALSE(options.SetFromAssignment("novalue").ok());
  options.Set("header", "yes");
  EXPECT_NE(options.GetBool("header", false).status().message().find("true or false"),
            std::string::npos);
  options.Set("sep", "ab");
  EXPECT_FALSE(options.GetChar("sep", ',').ok());
}

}  // namespace
}  // namespace arcflow::io
