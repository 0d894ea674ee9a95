#include "arcflow/io/atomic_publish.h"

#include <gtest/gtest.h>

#include "arcflow/io/io_test_util.h"

namespace arcflow::io {
namespace {

std::string ReadText(FileSystem& fs, const std::string& path) {
  return std::string(fs.ReadFile(path).ValueOrDie()->view());
}

size_t CountEntries(FileSystem& fs, const std::string& directory) {
  return fs.ListDirectory(directory).ValueOrDie().size();
}

TEST(AtomicPublishTest, ReplaceOverwritesAndLeavesNoTemporaryFile) {
  ScratchDirectory scratch;
  auto fs = LocalFileSystem();
  std::string path = scratch.Join("state.json");
  ASSERT_TRUE(PublishFile(fs, path, "one", PublishMode::kReplace).ok());
  ASSERT_TRUE(PublishFile(fs, path, "two", PublishMode::kReplace).ok());
  EXPECT_EQ(ReadText(*fs, path), "two");
  EXPECT_EQ(CountEntries(*fs, scratch.path()), 1u);
}

TEST(AtomicPublishTest, IfAbsentRefusesAnExistingFile) {
  ScratchDirectory scratch;
  auto fs = LocalFileSystem();
  std::string path = scratch.Join("00000000000000000000.json");
  ASSERT_TRUE(PublishFile(fs, path, "first", PublishMode::kIfAbsent).ok());
  Status second = PublishFile(fs, path, "second", PublishMode::kIfAbsent);
  EXPECT_TRUE(second.IsAlreadyExists()) << second.ToString();
  EXPECT_EQ(ReadText(*fs, path), "first");
  EXPECT_EQ(CountEntries(*fs, scratch.path()), 1u);
}

TEST(AtomicPublishTest, NothingVisibleBeforeCloseAndNothingLeftAfterAbandon) {
  ScratchDirectory scratch;
  auto fs = LocalFileSystem();
  std::string path = scratch.Join("out.csv");
  {
    auto writer = AtomicFileWriter::Open(fs, path, PublishMode::kReplace).ValueOrDie();
    ASSERT_TRUE(writer->Append("partial").ok());
    EXPECT_FALSE(fs->Exists(path));
  }  // Destroyed without Close().
  EXPECT_FALSE(fs->Exists(path));
  EXPECT_EQ(CountEntries(*fs, scratch.path()), 0u);

  auto writer = AtomicFileWriter::Open(fs, path, PublishMode::kReplace).ValueOrDie();
  ASSERT_TRUE(writer->Append("complete").ok());
  ASSERT_TRUE(writer->Close().ok());
  EXPECT_EQ(ReadText(*fs, path), "complete");
  EXPECT_FALSE(writer->Close().ok());
}

TEST(AtomicPublishTest, TemporaryNamesAreHiddenAndUnique) {
  std::string a = TemporaryPathFor("/x/y/part-0.parquet");
  std::string b = TemporaryPathFor("/x/y/part-0.parquet");
  EXPECT_NE(a, b);
  EXPECT_EQ(a.rfind("/x/y/.part-0.parquet.", 0), 0u) << a;
}

}  // namespace
}  // namespace arcflow::io
