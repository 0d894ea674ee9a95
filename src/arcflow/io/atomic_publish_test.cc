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

TEST(AtomicPublishTest, UnpublishedFilesArePublishedByTheirOwner) {
  ScratchDirectory scratch;
  auto fs = LocalFileSystem();
  std::string path = scratch.Join("part-0.parquet");
  std::shared_ptr<UnpublishedFile> unpublished;
  auto writer = AtomicFileWriter::OpenUnpublished(fs, path, PublishMode::kIfAbsent, &unpublished)
                    .ValueOrDie();
  ASSERT_TRUE(writer->Append("data").ok());
  EXPECT_TRUE(unpublished->Publish().IsInvalid());  // Still being written.
  ASSERT_TRUE(writer->Close().ok());
  writer.reset();
  EXPECT_FALSE(fs->Exists(path));
  EXPECT_EQ(fs->GetFileInfo(unpublished->temporary_path()).ValueOrDie().size, 4);
  ASSERT_TRUE(unpublished->Publish().ok());
  EXPECT_TRUE(unpublished->published());
  EXPECT_EQ(ReadText(*fs, path), "data");
  EXPECT_TRUE(unpublished->Publish().ok());  // Once is enough.
  unpublished.reset();
  EXPECT_EQ(ReadText(*fs, path), "data");
  EXPECT_EQ(CountEntries(*fs, scratch.path()), 1u);

  // Dropped unpublished: nothing left.
  writer = AtomicFileWriter::OpenUnpublished(fs, scratch.Join("part-1.parquet"),
                                             PublishMode::kIfAbsent, &unpublished)
               .ValueOrDie();
  ASSERT_TRUE(writer->Append("more").ok());
  ASSERT_TRUE(writer->Close().ok());
  EXPECT_FALSE(writer->Append("late").ok());
  writer.reset();
  EXPECT_EQ(CountEntries(*fs, scratch.path()), 2u);
  unpublished.reset();
  EXPECT_EQ(CountEntries(*fs, scratch.path()), 1u);

  // Put-if-absent still refuses a taken name, and discards the file.
  writer = AtomicFileWriter::OpenUnpublished(fs, path, PublishMode::kIfAbsent, &unpublished)
               .ValueOrDie();
  ASSERT_TRUE(writer->Close().ok());
  EXPECT_TRUE(unpublished->Publish().IsAlreadyExists());
  EXPECT_EQ(CountEntries(*fs, scratch.path()), 1u);
  EXPECT_EQ(ReadText(*fs, path), "data");
}

TEST(AtomicPublishTest, TemporaryNamesAreHiddenAndUnique) {
  std::string a = TemporaryPathFor("/x/y/part-0.parquet");
  std::string b = TemporaryPathFor("/x/y/part-0.parquet");
  EXPECT_NE(a, b);
  EXPECT_EQ(a.rfind("/x/y/.part-0.parquet.", 0), 0u) << a;
}

}  // namespace
}  // namespace arcflow::io
