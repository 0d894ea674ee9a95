#include "arcflow/io/fault_injecting_file_system.h"

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "arcflow/io/atomic_publish.h"
#include "arcflow/io/io_test_util.h"
#include "arcflow/io/memory_file_system.h"

namespace arcflow::io {
namespace {

Status WriteText(FileSystem& fs, const std::string& path, std::string_view contents,
                 bool sync = true) {
  ARCFLOW_ASSIGN_OR_RETURN(auto file, fs.OpenWritable(path));
  ARCFLOW_RETURN_NOT_OK(file->Append(contents));
  if (sync) ARCFLOW_RETURN_NOT_OK(file->Sync());
  return file->Close();
}

// The contents of `path`, or "<absent>".
std::string ReadText(FileSystem& fs, const std::string& path) {
  auto contents = fs.ReadFile(path);
  if (contents.status().IsNotFound()) return "<absent>";
  if (!contents.ok()) return "<" + contents.status().ToString() + ">";
  return std::string((*contents)->view());
}

std::vector<std::string> Names(FileSystem& fs, const std::string& directory) {
  std::vector<std::string> names;
  for (const FileInfo& entry : fs.ListDirectory(directory).ValueOrDie()) {
    names.emplace_back(BaseName(entry.path));
  }
  return names;
}

bool IsInjected(const Status& status, std::string_view kind) {
  return status.IsIOError() && status.message().rfind("io: injected " + std::string(kind), 0) == 0;
}

class FaultInjectingFileSystemTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(memory_->CreateDirectories("/t/_delta_log").ok());
    fs_ = FaultInjectingFileSystem::Make(memory_);
  }

  std::shared_ptr<MemoryFileSystem> memory_ = MemoryFileSystem::Make();
  std::shared_ptr<FaultInjectingFileSystem> fs_;
};

TEST_F(FaultInjectingFileSystemTest, CountsEveryMutationAndNoRead) {
  ASSERT_TRUE(PublishFile(fs_, "/t/a", "contents", PublishMode::kReplace).ok());
  std::vector<std::string> log = fs_->mutation_log();
  ASSERT_EQ(fs_->mutation_count(), 6) << ::testing::PrintToString(log);
  EXPECT_EQ(log[0].rfind("1 open_writable /t/.a.", 0), 0u) << log[0];
  EXPECT_EQ(log[1].rfind("2 append /t/.a.", 0), 0u) << log[1];
  EXPECT_EQ(log[2].rfind("3 sync /t/.a.", 0), 0u) << log[2];
  EXPECT_EQ(log[3].rfind("4 close /t/.a.", 0), 0u) << log[3];
  EXPECT_EQ(log[4].rfind("5 rename /t/.a.", 0), 0u) << log[4];
  EXPECT_NE(log[4].find(" -> /t/a"), std::string::npos) << log[4];
  EXPECT_EQ(log[5], "6 sync_directory /t");

  EXPECT_EQ(ReadText(*fs_, "/t/a"), "contents");
  ASSERT_TRUE(fs_->ListDirectory("/t").ok());
  ASSERT_TRUE(fs_->GetFileInfo("/t/a").ok());
  EXPECT_EQ(fs_->mutation_count(), 6);  // Reads are not mutations.

  ASSERT_TRUE(fs_->CreateDirectories("/t/x").ok());
  ASSERT_TRUE(fs_->LinkIfAbsent("/t/a", "/t/x/b").ok());
  ASSERT_TRUE(fs_->DeleteFile("/t/x/b").ok());
  ASSERT_TRUE(fs_->DeleteDirectoryRecursively("/t/x").ok());
  EXPECT_EQ(fs_->mutation_count(), 10);
  EXPECT_EQ(fs_->CountMutations("/t/x"), 4);
  EXPECT_EQ(fs_->CountMutations("/t/x/b"), 2);
  EXPECT_EQ(fs_->injected_failure_count(), 0);
  fs_->ResetCounters();
  EXPECT_EQ(fs_->mutation_count(), 0);
}

TEST_F(FaultInjectingFileSystemTest, FailMutationFailsOnlyTheNth) {
  fs_->FailMutation(2);
  auto file = fs_->OpenWritable("/t/f").ValueOrDie();  // 1
  Status second = file->Append("lost");                // 2
  EXPECT_TRUE(IsInjected(second, "fault")) << second.ToString();
  EXPECT_NE(second.message().find("operation=append"), std::string::npos) << second.ToString();
  EXPECT_NE(second.message().find("path=/t/f"), std::string::npos) << second.ToString();
  ASSERT_TRUE(file->Append("kept").ok());     // 3
  ASSERT_TRUE(file->Close().ok());            // 4
  EXPECT_EQ(ReadText(*fs_, "/t/f"), "kept");  // The failed append changed nothing.
  EXPECT_FALSE(fs_->crashed());
  EXPECT_EQ(fs_->injected_failure_count(), 1);
  EXPECT_NE(fs_->mutation_log()[1].find("(failed)"), std::string::npos);
}

TEST_F(FaultInjectingFileSystemTest, FailMutationCountsOnlyMatchingPaths) {
  fs_->FailMutation(2, "_delta_log/");
  ASSERT_TRUE(WriteText(*fs_, "/t/part-0.parquet", "data").ok());            // Not counted.
  ASSERT_TRUE(fs_->CreateDirectories("/t/_delta_log/").ok());                // Counted: 1.
  Status failed = fs_->Rename("/t/part-0.parquet", "/t/_delta_log/0.json");  // Counted: 2.
  EXPECT_TRUE(IsInjected(failed, "fault")) << failed.ToString();
  EXPECT_NE(failed.message().find("to=/t/_delta_log/0.json"), std::string::npos);
  EXPECT_TRUE(fs_->Exists("/t/part-0.parquet"));
  EXPECT_FALSE(fs_->Exists("/t/_delta_log/0.json"));
  ASSERT_TRUE(fs_->Rename("/t/part-0.parquet", "/t/_delta_log/0.json").ok());
  EXPECT_EQ(fs_->injected_failure_count(), 1);
}

TEST_F(FaultInjectingFileSystemTest, DirectoryPathsMatchAFilterEndingInSlash) {
  ASSERT_TRUE(PublishFile(fs_, "/t/_delta_log/0.json", "{}", PublishMode::kIfAbsent).ok());
  ASSERT_TRUE(PublishFile(fs_, "/t/part-0.parquet", "data", PublishMode::kReplace).ok());
  // Seven mutations publish the commit, the last of them the sync of the log directory.
  EXPECT_EQ(fs_->CountMutations("_delta_log/"), 7);
  fs_->CrashAtMutation(7, "_delta_log/");
  ASSERT_TRUE(fs_->CreateDirectories("/t/_delta_log_other").ok());  // Not selected.
  Status crash = PublishFile(fs_, "/t/_delta_log/1.json", "{}", PublishMode::kIfAbsent);
  EXPECT_TRUE(IsInjected(crash, "crash")) << crash.ToString();
  EXPECT_NE(crash.message().find("operation=sync_directory"), std::string::npos)
      << crash.ToString();
}

TEST_F(FaultInjectingFileSystemTest, CrashFailsEveryLaterMutationButNoRead) {
  ASSERT_TRUE(WriteText(*fs_, "/t/before", "safe").ok());
  fs_->CrashAtMutation(3);
  auto file = fs_->OpenWritable("/t/f").ValueOrDie();  // 1
  ASSERT_TRUE(file->Append("x").ok());                 // 2
  EXPECT_FALSE(fs_->crashed());
  Status crash = file->Sync();  // 3
  EXPECT_TRUE(IsInjected(crash, "crash")) << crash.ToString();
  EXPECT_TRUE(fs_->crashed());
  EXPECT_TRUE(IsInjected(file->Close(), "crash"));
  EXPECT_TRUE(IsInjected(fs_->DeleteFile("/t/before"), "crash"));
  EXPECT_TRUE(IsInjected(fs_->CreateDirectories("/elsewhere"), "crash"));
  EXPECT_TRUE(IsInjected(fs_->OpenWritable("/t/g").status(), "crash"));
  EXPECT_TRUE(IsInjected(fs_->SyncDirectory("/t"), "crash"));
  // Reads still work, so the test can look at what the crash left.
  EXPECT_EQ(ReadText(*fs_, "/t/before"), "safe");
  EXPECT_EQ(ReadText(*fs_, "/t/f"), "x");
  EXPECT_FALSE(fs_->Exists("/t/g"));
  EXPECT_EQ(fs_->injected_failure_count(), 6);

  fs_->Disarm();
  EXPECT_FALSE(fs_->crashed());
  EXPECT_TRUE(fs_->DeleteFile("/t/before").ok());
}

TEST_F(FaultInjectingFileSystemTest, CrashCanWaitForAMatchingPath) {
  fs_->CrashAtMutation(1, "_delta_log/");
  ASSERT_TRUE(WriteText(*fs_, "/t/part-0.parquet", "data").ok());
  EXPECT_FALSE(fs_->crashed());
  EXPECT_TRUE(
      IsInjected(PublishFile(fs_, "/t/_delta_log/0.json", "{}", PublishMode::kIfAbsent), "crash"));
  // After the crash, paths outside the filter fail too: the whole process is gone.
  EXPECT_TRUE(IsInjected(fs_->DeleteFile("/t/part-0.parquet"), "crash"));
  EXPECT_EQ(ReadText(*fs_, "/t/part-0.parquet"), "data");
}

TEST_F(FaultInjectingFileSystemTest, CrashNowFailsTheNextMutation) {
  fs_->Crash();
  EXPECT_TRUE(fs_->crashed());
  EXPECT_TRUE(IsInjected(fs_->CreateDirectories("/t/x"), "crash"));
  fs_->Disarm();
  EXPECT_TRUE(fs_->CreateDirectories("/t/x").ok());
}

TEST_F(FaultInjectingFileSystemTest, RandomFailuresAreSeededAndFollowTheProbability) {
  auto pattern = [&](double probability, uint64_t seed) {
    fs_->Disarm();
    fs_->FailRandomly(probability, seed);
    std::string failures;
    for (int i = 0; i < 400; ++i) failures += fs_->CreateDirectories("/t").ok() ? '.' : 'x';
    return failures;
  };
  std::string none = pattern(0.0, 1);
  std::string all = pattern(1.0, 1);
  std::string half = pattern(0.5, 42);
  EXPECT_EQ(none, std::string(400, '.'));
  EXPECT_EQ(all, std::string(400, 'x'));
  EXPECT_EQ(pattern(0.5, 42), half);  // Replayable.
  EXPECT_NE(pattern(0.5, 43), half);
  auto failed = std::count(half.begin(), half.end(), 'x');
  EXPECT_GT(failed, 140);
  EXPECT_LT(failed, 260);
  EXPECT_FALSE(fs_->crashed());  // Random failures are not a crash.
  fs_->FailRandomly(1.0, 7, "_delta_log");
  EXPECT_TRUE(fs_->CreateDirectories("/t").ok());
  EXPECT_FALSE(fs_->CreateDirectories("/t/_delta_log").ok());
}

TEST_F(FaultInjectingFileSystemTest, DropUnsyncedDataCutsFilesToTheirLastSync) {
  ASSERT_TRUE(WriteText(*fs_, "/t/old", "durable").ok());
  ASSERT_TRUE(fs_->SyncDirectory("/t").ok());
  auto file = fs_->OpenWritable("/t/log").ValueOrDie();
  ASSERT_TRUE(fs_->SyncDirectory("/t").ok());  // The name is durable, the bytes not yet.
  ASSERT_TRUE(file->Append("synced,").ok());
  ASSERT_TRUE(file->Sync().ok());
  ASSERT_TRUE(file->Append("lost").ok());
  ASSERT_TRUE(WriteText(*fs_, "/t/old", "rewritten", /*sync=*/false).ok());
  EXPECT_EQ(ReadText(*fs_, "/t/log"), "synced,lost");
  int64_t mutations = fs_->mutation_count();

  ASSERT_TRUE(fs_->DropUnsyncedData().ok());
  EXPECT_EQ(ReadText(*fs_, "/t/log"), "synced,");
  EXPECT_EQ(ReadText(*fs_, "/t/old"), "");      // The truncation is kept, the new bytes are not.
  EXPECT_EQ(fs_->mutation_count(), mutations);  // Rolling back is not counted.
}

TEST(FaultInjectingLocalFileSystemTest, DropUnsyncedDataCutsALocalFile) {
  ScratchDirectory scratch;
  auto fs = FaultInjectingFileSystem::Make(LocalFileSystem());
  std::string path = scratch.Join("log");
  auto file = fs->OpenWritable(path).ValueOrDie();
  ASSERT_TRUE(fs->SyncDirectory(scratch.path()).ok());
  ASSERT_TRUE(file->Append(std::string(10000, 's')).ok());
  ASSERT_TRUE(file->Sync().ok());
  ASSERT_TRUE(file->Append(std::string(10000, 'u')).ok());
  ASSERT_TRUE(fs->DropUnsyncedData().ok());
  EXPECT_EQ(ReadText(*fs, path), std::string(10000, 's'));
}

TEST_F(FaultInjectingFileSystemTest, DropUnsyncedDataRemovesNamesNotSyncedInTheirDirectory) {
  ASSERT_TRUE(WriteText(*fs_, "/t/current", "old").ok());
  ASSERT_TRUE(fs_->SyncDirectory("/t").ok());

  ASSERT_TRUE(WriteText(*fs_, "/t/created", "new file").ok());             // Removed.
  ASSERT_TRUE(WriteText(*fs_, "/t/_delta_log/kept", "synced both").ok());  // Kept.
  ASSERT_TRUE(fs_->SyncDirectory("/t/_delta_log").ok());
  ASSERT_TRUE(WriteText(*fs_, "/t/.next", "new").ok());
  ASSERT_TRUE(fs_->Rename("/t/.next", "/t/current").ok());  // Moved back; old contents back.
  ASSERT_TRUE(fs_->LinkIfAbsent("/t/_delta_log/kept", "/t/link").ok());  // Removed.
  EXPECT_EQ(ReadText(*fs_, "/t/current"), "new");

  ASSERT_TRUE(fs_->DropUnsyncedData().ok());
  EXPECT_EQ(Names(*fs_, "/t"), (std::vector<std::string>{"_delta_log", "current"}));
  EXPECT_EQ(ReadText(*fs_, "/t/current"), "old");
  EXPECT_EQ(ReadText(*fs_, "/t/_delta_log/kept"), "synced both");
}

TEST_F(FaultInjectingFileSystemTest, SyncedDirectoryMakesRenamesAndLinksDurable) {
  ASSERT_TRUE(WriteText(*fs_, "/t/.next", "new").ok());
  ASSERT_TRUE(fs_->Rename("/t/.next", "/t/current").ok());
  ASSERT_TRUE(fs_->LinkIfAbsent("/t/current", "/t/link").ok());
  ASSERT_TRUE(fs_->SyncDirectory("/t/").ok());
  ASSERT_TRUE(fs_->DropUnsyncedData().ok());
  EXPECT_EQ(Names(*fs_, "/t"), (std::vector<std::string>{"_delta_log", "current", "link"}));
  EXPECT_EQ(ReadText(*fs_, "/t/link"), "new");
}

TEST_F(FaultInjectingFileSystemTest, FilesBelowARenamedDirectoryStayTracked) {
  ASSERT_TRUE(fs_->CreateDirectories("/t/staging").ok());
  auto file = fs_->OpenWritable("/t/staging/f").ValueOrDie();
  ASSERT_TRUE(fs_->SyncDirectory("/t/staging").ok());
  ASSERT_TRUE(file->Append("synced,").ok());
  ASSERT_TRUE(file->Sync().ok());
  ASSERT_TRUE(file->Append("lost").ok());
  ASSERT_TRUE(fs_->Rename("/t/staging", "/t/final").ok());
  ASSERT_TRUE(fs_->DropUnsyncedData().ok());
  EXPECT_EQ(ReadText(*fs_, "/t/final/f"), "synced,");
}

TEST_F(FaultInjectingFileSystemTest, MarkDurableKeepsEverythingSoFar) {
  auto file = fs_->OpenWritable("/t/f").ValueOrDie();
  ASSERT_TRUE(file->Append("before,").ok());
  fs_->MarkDurable();
  ASSERT_TRUE(file->Append("after").ok());
  ASSERT_TRUE(fs_->DropUnsyncedData().ok());
  EXPECT_EQ(ReadText(*fs_, "/t/f"), "before,");
}

// Checks the promise of AtomicFileWriter under a crash at every mutation it makes: the file
// under the final name is the old one (or absent) or the complete new one, before and after
// the unsynced data is dropped, and a publish that reported success survives the drop.
void CheckPublishSurvivesCrashAtEveryPoint(
    const std::function<std::shared_ptr<FileSystem>(std::string* directory)>& make_storage,
    PublishMode mode, bool target_exists) {
  constexpr std::string_view kOld = "old version of the file";
  constexpr std::string_view kNew = "the complete new version of the file, much longer";
  std::string_view expected_success =
      (mode == PublishMode::kIfAbsent && target_exists) ? kOld : kNew;
  std::string absent_or_old = target_exists ? std::string(kOld) : "<absent>";

  // Builds fresh storage holding the old file, durably, and wraps it.
  std::string directory;
  auto fresh = [&]() {
    std::shared_ptr<FileSystem> storage = make_storage(&directory);
    if (target_exists) {
      EXPECT_TRUE(
          PublishFile(storage, JoinPath(directory, "target"), kOld, PublishMode::kReplace).ok());
    }
    return FaultInjectingFileSystem::Make(storage);
  };

  auto counting = fresh();
  Status clean = PublishFile(counting, JoinPath(directory, "target"), kNew, mode);
  EXPECT_EQ(clean.ok(), expected_success == kNew) << clean.ToString();
  int64_t points = counting->mutation_count();
  ASSERT_GE(points, 6) << ::testing::PrintToString(counting->mutation_log());

  for (int64_t point = 1; point <= points + 1; ++point) {
    auto fs = fresh();
    std::string target = JoinPath(directory, "target");
    // Past the last point nothing crashes: the publish completes.
    if (point <= points) fs->CrashAtMutation(point);
    Status status = PublishFile(fs, target, kNew, mode);
    SCOPED_TRACE(::testing::Message() << "crash at mutation " << point << " of " << points << ": "
                                      << status.ToString() << "\n"
                                      << ::testing::PrintToString(fs->mutation_log()));
    EXPECT_EQ(fs->crashed(), point <= points);
    if (point <= points) {
      EXPECT_FALSE(status.ok());
    }

    std::string seen = ReadText(*fs, target);
    EXPECT_TRUE(seen == absent_or_old || seen == kNew) << seen;

    ASSERT_TRUE(fs->DropUnsyncedData().ok());
    fs->Disarm();
    seen = ReadText(*fs, target);
    EXPECT_TRUE(seen == absent_or_old || seen == kNew) << seen;
    if (status.ok()) {
      EXPECT_EQ(seen, expected_success);
    }
    // No temporary file outlives the power loss: its name was never made durable.
    std::vector<std::string> names = Names(*fs, directory);
    if (seen == "<absent>") {
      EXPECT_TRUE(names.empty()) << ::testing::PrintToString(names);
    } else {
      EXPECT_EQ(names, std::vector<std::string>{"target"});
    }
  }
}

std::shared_ptr<FileSystem> MemoryStorage(std::string* directory) {
  auto fs = MemoryFileSystem::Make();
  *directory = "/table/_delta_log";
  EXPECT_TRUE(fs->CreateDirectories(*directory).ok());
  return fs;
}

TEST(AtomicPublishCrashTest, ReplaceIsAllOrNothingAtEveryCrashPoint) {
  CheckPublishSurvivesCrashAtEveryPoint(MemoryStorage, PublishMode::kReplace, false);
  CheckPublishSurvivesCrashAtEveryPoint(MemoryStorage, PublishMode::kReplace, true);
}

TEST(AtomicPublishCrashTest, IfAbsentIsAllOrNothingAtEveryCrashPoint) {
  CheckPublishSurvivesCrashAtEveryPoint(MemoryStorage, PublishMode::kIfAbsent, false);
  CheckPublishSurvivesCrashAtEveryPoint(MemoryStorage, PublishMode::kIfAbsent, true);
}

// A single failed mutation (no crash) must leave the old file or the complete new one, and
// AtomicFileWriter must clean its temporary file up.
void CheckPublishSurvivesAFailureAtEveryPoint(PublishMode mode) {
  constexpr std::string_view kOld = "old";
  constexpr std::string_view kNew = "new and complete";
  auto make = [&]() {
    auto memory = MemoryFileSystem::Make();
    EXPECT_TRUE(memory->CreateDirectories("/d").ok());
    if (mode == PublishMode::kReplace) {
      EXPECT_TRUE(WriteText(*memory, "/d/target", kOld).ok());
    }
    return FaultInjectingFileSystem::Make(memory);
  };
  auto counting = make();
  ASSERT_TRUE(PublishFile(counting, "/d/target", kNew, mode).ok());
  int64_t points = counting->mutation_count();
  for (int64_t point = 1; point <= points; ++point) {
    auto fs = make();
    fs->FailMutation(point);
    Status status = PublishFile(fs, "/d/target", kNew, mode);
    SCOPED_TRACE(::testing::Message() << "failure at mutation " << point << ": "
                                      << ::testing::PrintToString(fs->mutation_log()));
    EXPECT_EQ(fs->injected_failure_count(), 1);
    // Once the link has published the file, removing the temporary name is best effort: the
    // publish succeeds (a caller told otherwise would publish again) and the hidden temporary
    // file stays behind.
    const std::string failed = fs->mutation_log()[static_cast<size_t>(point - 1)];
    const bool cleanup_failed = mode == PublishMode::kIfAbsent &&
                                failed.find("delete_file") != std::string::npos &&
                                failed.find("(failed)") != std::string::npos;
    if (cleanup_failed) {
      EXPECT_TRUE(status.ok()) << status.ToString();
      EXPECT_EQ(ReadText(*fs, "/d/target"), kNew);
      EXPECT_EQ(Names(*fs, "/d").size(), 2u);
      continue;
    }
    EXPECT_TRUE(IsInjected(status, "fault")) << status.ToString();
    // A failure of the final directory sync is reported although the new file is in place.
    std::string seen = ReadText(*fs, "/d/target");
    std::string before = mode == PublishMode::kReplace ? std::string(kOld) : "<absent>";
    EXPECT_TRUE(seen == before || seen == kNew) << seen;
    if (point == points) {
      EXPECT_EQ(seen, kNew);  // Only the final directory sync failed.
    }
    std::vector<std::string> names = Names(*fs, "/d");
    EXPECT_EQ(names.size(), seen == "<absent>" ? 0u : 1u) << ::testing::PrintToString(names);
  }
}

TEST(AtomicPublishCrashTest, EverySingleFailureLeavesOldOrNewAndNoTemporaryFile) {
  CheckPublishSurvivesAFailureAtEveryPoint(PublishMode::kReplace);
  CheckPublishSurvivesAFailureAtEveryPoint(PublishMode::kIfAbsent);
}

// Shows that the harness above can fail: writing in place leaves a torn file behind, both
// before the power loss and, once the first half is synced, after it.
TEST(AtomicPublishCrashTest, AWriteInPlaceIsCaughtHalfDone) {
  auto memory = MemoryFileSystem::Make();
  auto fs = FaultInjectingFileSystem::Make(memory);
  fs->CrashAtMutation(5);
  auto file = fs->OpenWritable("/target").ValueOrDie();  // 1
  ASSERT_TRUE(fs->SyncDirectory("/").ok());              // 2
  ASSERT_TRUE(file->Append("the complete").ok());        // 3
  ASSERT_TRUE(file->Sync().ok());                        // 4
  EXPECT_FALSE(file->Append(" new version").ok());       // 5: the crash.
  EXPECT_EQ(ReadText(*fs, "/target"), "the complete");
  ASSERT_TRUE(fs->DropUnsyncedData().ok());
  EXPECT_EQ(ReadText(*fs, "/target"), "the complete");
}

TEST(AtomicPublishCrashTest, HoldsOnTheLocalDiskToo) {
  std::vector<std::unique_ptr<ScratchDirectory>> scratches;
  auto local = [&](std::string* directory) {
    scratches.push_back(std::make_unique<ScratchDirectory>());
    *directory = scratches.back()->path();
    return LocalFileSystem();
  };
  CheckPublishSurvivesCrashAtEveryPoint(local, PublishMode::kReplace, true);
  CheckPublishSurvivesCrashAtEveryPoint(local, PublishMode::kIfAbsent, false);
}

}  // namespace
}  // namespace arcflow::io
