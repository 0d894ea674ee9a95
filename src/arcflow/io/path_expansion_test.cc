#include "arcflow/io/path_expansion.h"

#include <gtest/gtest.h>

#include "arcflow/io/atomic_publish.h"
#include "arcflow/io/io_test_util.h"

namespace arcflow::io {
namespace {

class PathExpansionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* name : {"a.json", "b.json", "c.csv", "sub/d.json", "sub/deep/e.json",
                             "_delta_log/0.json", "sub/.hidden.json", "sub/_SUCCESS"}) {
      std::string path = scratch_.Join(name);
      ASSERT_TRUE(fs_->CreateDirectories(std::string(ParentPath(path))).ok());
      ASSERT_TRUE(PublishFile(fs_, path, "{}", PublishMode::kReplace).ok());
    }
  }

  std::vector<std::string> Expand(const std::vector<std::string>& inputs) {
    auto result = ExpandInputPaths(*fs_, inputs);
    EXPECT_TRUE(result.ok()) << result.status().ToString();
    std::vector<std::string> relative;
    for (const std::string& path : std::move(result).ValueOr({})) {
      relative.push_back(path.substr(scratch_.path().size() + 1));
    }
    return relative;
  }

  ScratchDirectory scratch_;
  std::shared_ptr<FileSystem> fs_ = LocalFileSystem();
};

TEST_F(PathExpansionTest, FileStandsForItself) {
  EXPECT_EQ(Expand({scratch_.Join("c.csv")}), std::vector<std::string>{"c.csv"});
}

TEST_F(PathExpansionTest, DirectoryRecursesSkippingHiddenAndUnderscoreNames) {
  EXPECT_EQ(Expand({scratch_.path()}), (std::vector<std::string>{"a.json", "b.json", "c.csv",
                                                                 "sub/d.json", "sub/deep/e.json"}));
}

TEST_F(PathExpansionTest, GlobsMatchWithinSegmentsAndAcrossWithDoubleStar) {
  EXPECT_EQ(Expand({scratch_.Join("*.json")}), (std::vector<std::string>{"a.json", "b.json"}));
  EXPECT_EQ(Expand({scratch_.Join("[ab].json")}), (std::vector<std::string>{"a.json", "b.json"}));
  EXPECT_EQ(Expand({scratch_.Join("**/*.json")}),
            (std::vector<std::string>{"a.json", "b.json", "sub/d.json", "sub/deep/e.json"}));
  EXPECT_EQ(Expand({scratch_.Join("s*/d.json")}), std::vector<std::string>{"sub/d.json"});
}

TEST_F(PathExpansionTest, NoMatchNamesTheInput) {
  auto missing = ExpandInputPaths(*fs_, {scratch_.Join("*.parquet")});
  ASSERT_FALSE(missing.ok());
  EXPECT_TRUE(missing.status().IsNotFound());
  EXPECT_NE(missing.status().message().find("*.parquet"), std::string::npos);
  EXPECT_TRUE(ExpandInputPaths(*fs_, {scratch_.Join("nope.json")}).status().IsNotFound());
}

TEST(PathTest, JoinParentBase) {
  EXPECT_EQ(JoinPath("a/", "/b"), "a/b");
  EXPECT_EQ(JoinPath("", "b"), "b");
  EXPECT_EQ(ParentPath("/a/b/c"), "/a/b");
  EXPECT_EQ(ParentPath("/c"), "/");
  EXPECT_EQ(ParentPath("c"), "");
  EXPECT_EQ(BaseName("/a/b/c.json"), "c.json");
}

}  // namespace
}  // namespace arcflow::io
