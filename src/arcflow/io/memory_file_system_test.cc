#include "arcflow/io/memory_file_system.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "arcflow/io/io_test_util.h"

namespace arcflow::io {
namespace {

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Status WriteText(FileSystem& fs, const std::string& path, std::string_view contents) {
  ARCFLOW_ASSIGN_OR_RETURN(auto file, fs.OpenWritable(path));
  ARCFLOW_RETURN_NOT_OK(file->Append(contents));
  return file->Close();
}

std::string ReadText(FileSystem& fs, const std::string& path) {
  auto contents = fs.ReadFile(path);
  if (!contents.ok()) return "<" + contents.status().ToString() + ">";
  return std::string((*contents)->view());
}

// The file system under test and a directory in it that the test owns.
struct LocalBackend {
  ScratchDirectory scratch;
  std::shared_ptr<FileSystem> fs = LocalFileSystem();
  std::string root = scratch.path();
};

struct MemoryBackend {
  MemoryBackend() { EXPECT_TRUE(fs->CreateDirectories(root).ok()); }
  std::shared_ptr<FileSystem> fs = MemoryFileSystem::Make();
  std::string root = "/scratch";
};

// Behaviour every FileSystem must share; run against both so MemoryFileSystem cannot drift
// from the local one.
template <typename Backend>
class FileSystemBehaviourTest : public ::testing::Test {
 protected:
  FileSystem& fs() { return *backend_.fs; }
  std::string Path(std::string_view name) { return JoinPath(backend_.root, name); }

  Backend backend_;
};

using Backends = ::testing::Types<LocalBackend, MemoryBackend>;
TYPED_TEST_SUITE(FileSystemBehaviourTest, Backends);

TYPED_TEST(FileSystemBehaviourTest, WritesAndReadsBackEveryWay) {
  std::string path = this->Path("data.bin");
  ASSERT_TRUE(WriteText(this->fs(), path, "hello, world").ok());
  EXPECT_EQ(ReadText(this->fs(), path), "hello, world");

  auto file = this->fs().OpenRandomAccess(path).ValueOrDie();
  EXPECT_EQ(file->path(), path);
  EXPECT_EQ(file->Size().ValueOrDie(), 12);
  std::string out(5, '\0');
  auto span = std::span<uint8_t>(reinterpret_cast<uint8_t*>(out.data()), out.size());
  EXPECT_EQ(file->ReadAt(7, span).ValueOrDie(), 5);
  EXPECT_EQ(out, "world");
  EXPECT_EQ(file->ReadAt(10, span).ValueOrDie(), 2);  // Short only at the end.
  EXPECT_EQ(file->ReadAt(50, span).ValueOrDie(), 0);
  EXPECT_TRUE(file->ReadAt(-1, span).status().IsIOError());
  EXPECT_EQ(file->ReadExactly(0, 5).ValueOrDie()->view(), "hello");
  EXPECT_EQ(file->ReadExactly(12, 0).ValueOrDie()->size(), 0);
  Status past_end = file->ReadExactly(10, 5).status();
  EXPECT_TRUE(past_end.IsIOError()) << past_end.ToString();
  EXPECT_NE(past_end.message().find("available=2"), std::string::npos) << past_end.ToString();
  EXPECT_TRUE(file->ReadExactly(-1, 2).status().IsInvalid());

  auto sequential = this->fs().OpenSequential(path).ValueOrDie();
  std::string collected;
  std::string chunk(5, '\0');
  auto chunk_span = std::span<uint8_t>(reinterpret_cast<uint8_t*>(chunk.data()), chunk.size());
  while (true) {
    int64_t n = sequential->Read(chunk_span).ValueOrDie();
    if (n == 0) break;
    collected.append(chunk.data(), static_cast<size_t>(n));
  }
  EXPECT_EQ(collected, "hello, world");
}

TYPED_TEST(FileSystemBehaviourTest, AppendsAreVisibleBeforeClose) {
  std::string path = this->Path("growing.log");
  auto writer = this->fs().OpenWritable(path).ValueOrDie();
  EXPECT_EQ(ReadText(this->fs(), path), "");
  ASSERT_TRUE(writer->Append("first ").ok());
  EXPECT_EQ(ReadText(this->fs(), path), "first ");
  ASSERT_TRUE(writer->Append("second").ok());
  ASSERT_TRUE(writer->Sync().ok());
  EXPECT_EQ(this->fs().GetFileInfo(path).ValueOrDie().size, 12);
  ASSERT_TRUE(writer->Close().ok());
  EXPECT_TRUE(writer->Close().ok());  // Closing twice is harmless.
  EXPECT_TRUE(writer->Sync().ok());
  Status late = writer->Append("x");
  EXPECT_TRUE(late.IsInvalid()) << late.ToString();
  EXPECT_EQ(ReadText(this->fs(), path), "first second");
}

TYPED_TEST(FileSystemBehaviourTest, OpenWritableTruncates) {
  std::string path = this->Path("f");
  ASSERT_TRUE(WriteText(this->fs(), path, "a long first version").ok());
  ASSERT_TRUE(WriteText(this->fs(), path, "short").ok());
  EXPECT_EQ(ReadText(this->fs(), path), "short");
}

TYPED_TEST(FileSystemBehaviourTest, MissingPathsAreNotFound) {
  std::string missing = this->Path("missing");
  std::vector<Status> statuses = {
      this->fs().OpenRandomAccess(missing).status(),
      this->fs().OpenSequential(missing).status(),
      this->fs().GetFileInfo(missing).status(),
      this->fs().ListDirectory(missing).status(),
      this->fs().DeleteFile(missing),
      this->fs().DeleteDirectoryRecursively(missing),
      this->fs().SyncDirectory(missing),
      this->fs().Rename(missing, this->Path("other")),
      this->fs().LinkIfAbsent(missing, this->Path("other")),
      this->fs().OpenWritable(JoinPath(missing, "child")).status(),
  };
  for (const Status& status : statuses) {
    EXPECT_TRUE(status.IsNotFound()) << status.ToString();
    EXPECT_NE(status.message().find("no such file or directory"), std::string::npos);
    // LinkIfAbsent names the link it could not make, as link(2) errors are about it.
    EXPECT_NE(status.message().find(this->backend_.root), std::string::npos) << status.ToString();
  }
  EXPECT_FALSE(this->fs().Exists(missing));
  EXPECT_FALSE(this->fs().Exists(""));
}

TYPED_TEST(FileSystemBehaviourTest, DirectoriesAreExplicitAndNested) {
  std::string deep = this->Path("a/b/c");
  ASSERT_TRUE(this->fs().CreateDirectories(deep).ok());
  ASSERT_TRUE(this->fs().CreateDirectories(deep).ok());  // Already there is fine.
  FileInfo info = this->fs().GetFileInfo(this->Path("a/b")).ValueOrDie();
  EXPECT_TRUE(info.is_directory);
  EXPECT_EQ(info.path, this->Path("a/b"));
  ASSERT_TRUE(WriteText(this->fs(), JoinPath(deep, "file"), "x").ok());
  EXPECT_EQ(ReadText(this->fs(), this->Path("a/./b/../b/c/file")), "x");

  Status in_the_way = this->fs().CreateDirectories(JoinPath(deep, "file/d"));
  EXPECT_TRUE(in_the_way.IsAlreadyExists()) << in_the_way.ToString();
  EXPECT_NE(in_the_way.message().find(JoinPath(deep, "file")), std::string::npos);

  Status directory_as_file = this->fs().OpenRandomAccess(deep).status();
  EXPECT_TRUE(directory_as_file.IsInvalid()) << directory_as_file.ToString();
  EXPECT_TRUE(this->fs().OpenWritable(deep).status().IsIOError());
  EXPECT_TRUE(this->fs().DeleteFile(deep).IsIOError());
  EXPECT_TRUE(this->fs().ListDirectory(JoinPath(deep, "file")).status().IsIOError());
  EXPECT_TRUE(this->fs().GetFileInfo(JoinPath(deep, "file/x")).status().IsIOError());
}

TYPED_TEST(FileSystemBehaviourTest, ListsEntriesSortedByName) {
  ASSERT_TRUE(WriteText(this->fs(), this->Path("b.txt"), "bb").ok());
  ASSERT_TRUE(WriteText(this->fs(), this->Path("a.txt"), "a").ok());
  ASSERT_TRUE(this->fs().CreateDirectories(this->Path("_delta_log")).ok());
  ASSERT_TRUE(WriteText(this->fs(), this->Path("_delta_log/0.json"), "{}").ok());
  ASSERT_TRUE(WriteText(this->fs(), this->Path("a"), "").ok());

  auto entries = this->fs().ListDirectory(this->backend_.root).ValueOrDie();
  ASSERT_EQ(entries.size(), 4u);
  EXPECT_EQ(entries[0].path, this->Path("_delta_log"));
  EXPECT_TRUE(entries[0].is_directory);
  EXPECT_EQ(entries[1].path, this->Path("a"));
  EXPECT_EQ(entries[1].size, 0);
  EXPECT_EQ(entries[2].path, this->Path("a.txt"));
  EXPECT_EQ(entries[3].path, this->Path("b.txt"));
  EXPECT_EQ(entries[3].size, 2);
  EXPECT_FALSE(entries[3].is_directory);
  EXPECT_TRUE(this->fs().ListDirectory(this->Path("_delta_log")).ValueOrDie().size() == 1);
}

TYPED_TEST(FileSystemBehaviourTest, ModificationTimesFollowTheClock) {
  int64_t before = NowMs();
  ASSERT_TRUE(WriteText(this->fs(), this->Path("t"), "x").ok());
  int64_t after = NowMs();
  int64_t written = this->fs().GetFileInfo(this->Path("t")).ValueOrDie().modification_time_ms;
  // The kernel's file clock may lag the system clock by a tick.
  EXPECT_GE(written, before - 50);
  EXPECT_LE(written, after + 50);
}

TYPED_TEST(FileSystemBehaviourTest, RenameReplacesAndMovesDirectories) {
  std::string from = this->Path("new");
  std::string to = this->Path("current");
  ASSERT_TRUE(WriteText(this->fs(), to, "old").ok());
  ASSERT_TRUE(WriteText(this->fs(), from, "new").ok());
  auto reader = this->fs().OpenRandomAccess(to).ValueOrDie();
  ASSERT_TRUE(this->fs().Rename(from, to).ok());
  EXPECT_EQ(ReadText(this->fs(), to), "new");
  EXPECT_FALSE(this->fs().Exists(from));
  // A reader opened before keeps the file it opened.
  EXPECT_EQ(reader->ReadExactly(0, 3).ValueOrDie()->view(), "old");

  ASSERT_TRUE(this->fs().CreateDirectories(this->Path("d1/sub")).ok());
  ASSERT_TRUE(WriteText(this->fs(), this->Path("d1/sub/f"), "f").ok());
  ASSERT_TRUE(this->fs().Rename(this->Path("d1"), this->Path("d2")).ok());
  EXPECT_EQ(ReadText(this->fs(), this->Path("d2/sub/f")), "f");
  EXPECT_FALSE(this->fs().Exists(this->Path("d1")));

  EXPECT_TRUE(this->fs().Rename(to, this->Path("d2")).IsIOError());  // File onto directory.
  EXPECT_TRUE(this->fs().Rename(this->Path("d2"), to).IsIOError());  // Directory onto file.
  EXPECT_TRUE(this->fs().Rename(this->Path("d2"), this->Path("d2/sub/x")).IsIOError());
}

TYPED_TEST(FileSystemBehaviourTest, LinkIfAbsentIsPutIfAbsent) {
  std::string source = this->Path(".commit.tmp");
  std::string target = this->Path("00000000000000000000.json");
  ASSERT_TRUE(WriteText(this->fs(), source, "first").ok());
  ASSERT_TRUE(this->fs().LinkIfAbsent(source, target).ok());
  EXPECT_EQ(ReadText(this->fs(), target), "first");
  EXPECT_EQ(ReadText(this->fs(), source), "first");  // The source stays.

  std::string second = this->Path(".second.tmp");
  ASSERT_TRUE(WriteText(this->fs(), second, "second").ok());
  Status taken = this->fs().LinkIfAbsent(second, target);
  EXPECT_TRUE(taken.IsAlreadyExists()) << taken.ToString();
  EXPECT_NE(taken.message().find(target), std::string::npos);
  EXPECT_EQ(ReadText(this->fs(), target), "first");

  // Both names are one file: rewriting one rewrites the other, as with hard links.
  ASSERT_TRUE(WriteText(this->fs(), source, "rewritten").ok());
  EXPECT_EQ(ReadText(this->fs(), target), "rewritten");
  ASSERT_TRUE(this->fs().DeleteFile(source).ok());
  EXPECT_EQ(ReadText(this->fs(), target), "rewritten");
}

TYPED_TEST(FileSystemBehaviourTest, DeletesFilesAndTrees) {
  ASSERT_TRUE(this->fs().CreateDirectories(this->Path("tree/a/b")).ok());
  ASSERT_TRUE(WriteText(this->fs(), this->Path("tree/a/b/f"), "x").ok());
  ASSERT_TRUE(WriteText(this->fs(), this->Path("tree/g"), "y").ok());
  auto reader = this->fs().OpenRandomAccess(this->Path("tree/g")).ValueOrDie();
  ASSERT_TRUE(this->fs().DeleteFile(this->Path("tree/g")).ok());
  EXPECT_FALSE(this->fs().Exists(this->Path("tree/g")));
  EXPECT_EQ(reader->ReadExactly(0, 1).ValueOrDie()->view(), "y");  // Open files outlive names.
  ASSERT_TRUE(this->fs().DeleteDirectoryRecursively(this->Path("tree")).ok());
  EXPECT_FALSE(this->fs().Exists(this->Path("tree")));
  EXPECT_TRUE(this->fs().ListDirectory(this->backend_.root).ValueOrDie().empty());
}

TYPED_TEST(FileSystemBehaviourTest, SyncsFilesAndDirectories) {
  ASSERT_TRUE(WriteText(this->fs(), this->Path("f"), "x").ok());
  EXPECT_TRUE(this->fs().SyncDirectory(this->backend_.root).ok());
  Status not_directory = this->fs().SyncDirectory(this->Path("f"));
  EXPECT_TRUE(not_directory.IsIOError()) << not_directory.ToString();
}

// Runs one script of operations, most of them failing in some way, and describes every
// outcome with the root replaced by "<root>", so that two file systems can be compared line
// by line.
std::vector<std::string> RunScript(FileSystem& fs, const std::string& root) {
  std::vector<std::string> lines;
  auto path = [&](std::string_view name) { return JoinPath(root, name); };
  auto describe = [&](std::string text) {
    for (size_t at = text.find(root); at != std::string::npos; at = text.find(root, at)) {
      text.replace(at, root.size(), "<root>");
    }
    return text;
  };
  auto record = [&](std::string_view label, const Status& status) {
    lines.push_back(std::string(label) + ": " + describe(status.ToString()));
  };
  auto write = [&](std::string_view name, std::string_view contents) {
    return WriteText(fs, path(name), contents);
  };
  // Lists the whole tree: kind, name and, for files, size and contents.
  std::function<void(const std::string&)> dump = [&](const std::string& directory) {
    auto entries = fs.ListDirectory(directory);
    if (!entries.ok()) {
      record("dump", entries.status());
      return;
    }
    for (const FileInfo& entry : *entries) {
      if (entry.is_directory) {
        lines.push_back("dir " + describe(entry.path));
        dump(entry.path);
      } else {
        lines.push_back("file " + describe(entry.path) + " size=" + std::to_string(entry.size) +
                        " contents=" + ReadText(fs, entry.path));
      }
    }
  };

  record("mkdir a/b", fs.CreateDirectories(path("a/b")));
  record("mkdir a/b again", fs.CreateDirectories(path("a/b")));
  record("write a/b/f", write("a/b/f", "hello"));
  record("write in a missing directory", write("missing/f", "x"));
  record("write onto a directory", write("a/b", "x"));
  record("write below a file", write("a/b/f/g", "x"));
  record("stat a missing file", fs.GetFileInfo(path("nope")).status());
  record("stat below a file", fs.GetFileInfo(path("a/b/f/g")).status());
  record("stat a file with a slash", fs.GetFileInfo(path("a/b/f/")).status());
  record("stat through dot-dot", fs.GetFileInfo(path("a/./b/../b/f")).status());
  record("stat through a missing dot-dot", fs.GetFileInfo(path("a/nope/../b/f")).status());
  record("stat the empty path", fs.GetFileInfo("").status());
  record("open a directory", fs.OpenRandomAccess(path("a")).status());
  record("open a missing file", fs.OpenRandomAccess(path("nope")).status());
  record("open a missing file sequentially", fs.OpenSequential(path("nope")).status());
  {
    auto directory = fs.OpenSequential(path("a"));
    record("open a directory sequentially", directory.status());
    if (directory.ok()) {
      uint8_t byte;
      record("read a directory", (*directory)->Read(std::span<uint8_t>(&byte, 1)).status());
    }
  }
  record("list a missing directory", fs.ListDirectory(path("nope")).status());
  record("list a file", fs.ListDirectory(path("a/b/f")).status());
  record("mkdir over a file", fs.CreateDirectories(path("a/b/f")));
  record("mkdir below a file", fs.CreateDirectories(path("a/b/f/g/h")));
  record("delete a directory", fs.DeleteFile(path("a/b")));
  record("delete a missing file", fs.DeleteFile(path("nope")));
  record("delete below a file", fs.DeleteFile(path("a/b/f/g")));
  record("delete a missing tree", fs.DeleteDirectoryRecursively(path("nope")));
  record("delete a file as a tree", fs.DeleteDirectoryRecursively(path("a/b/f")));
  record("sync a missing directory", fs.SyncDirectory(path("nope")));
  record("sync a file as a directory", fs.SyncDirectory(path("a/b/f")));
  record("sync a directory", fs.SyncDirectory(path("a")));
  record("link a missing source", fs.LinkIfAbsent(path("nope"), path("a/l")));
  record("link", fs.LinkIfAbsent(path("a/b/f"), path("a/l")));
  record("link onto an existing name", fs.LinkIfAbsent(path("a/b/f"), path("a/l")));
  record("link into a missing directory", fs.LinkIfAbsent(path("a/b/f"), path("zz/l")));
  record("link below a file", fs.LinkIfAbsent(path("a/b/f"), path("a/l/x")));
  record("link a directory", fs.LinkIfAbsent(path("a/b"), path("a/dl")));
  record("link a directory onto an existing name", fs.LinkIfAbsent(path("a/b"), path("a/l")));
  record("rename a missing file", fs.Rename(path("nope"), path("a/x")));
  record("rename into a missing directory", fs.Rename(path("a/l"), path("zz/x")));
  record("mkdir c/d", fs.CreateDirectories(path("c/d")));
  record("write c/d/e", write("c/d/e", "e"));
  record("mkdir empty", fs.CreateDirectories(path("empty")));
  record("rename a file onto a directory", fs.Rename(path("a/l"), path("c")));
  record("rename a directory onto a file", fs.Rename(path("c"), path("a/l")));
  record("rename a directory onto a full one", fs.Rename(path("a"), path("c")));
  record("rename a directory into itself", fs.Rename(path("c"), path("c/d/x")));
  record("rename a directory onto its parent", fs.Rename(path("c/d"), path("c")));
  record("rename a directory onto an empty one", fs.Rename(path("c/d"), path("empty")));
  record("rename a name onto its hard link", fs.Rename(path("a/l"), path("a/b/f")));
  record("rename a file onto itself", fs.Rename(path("a/l"), path("a/l")));
  record("write a/b/g", write("a/b/g", "replaced"));
  record("rename replacing a file", fs.Rename(path("a/l"), path("a/b/g")));
  record("write through a hard link", write("a/b/g", "through the link"));
  dump(root);
  record("delete the tree a", fs.DeleteDirectoryRecursively(path("a")));
  dump(root);
  return lines;
}

TEST(MemoryFileSystemTest, MatchesLocalFileSystemOperationByOperation) {
  ScratchDirectory scratch;
  std::vector<std::string> local = RunScript(*LocalFileSystem(), scratch.path());

  auto memory = MemoryFileSystem::Make();
  ASSERT_TRUE(memory->CreateDirectories("/tmp/scratch").ok());
  std::vector<std::string> in_memory = RunScript(*memory, "/tmp/scratch");

  ASSERT_EQ(local.size(), in_memory.size());
  for (size_t i = 0; i < local.size(); ++i) EXPECT_EQ(in_memory[i], local[i]) << "line " << i;
  // The script must exercise errors of every kind, or the comparison proves little.
  std::string all;
  for (const std::string& line : local) all += line + "\n";
  for (std::string_view expected :
       {"NotFound", "AlreadyExists", "IOError", "Invalid", "Not a directory", "Is a directory",
        "Directory not empty", "Invalid argument", "Operation not permitted"}) {
    EXPECT_NE(all.find(expected), std::string::npos) << expected << " missing from:\n" << all;
  }
}

TEST(MemoryFileSystemTest, RelativePathsResolveAgainstTheRoot) {
  auto fs = MemoryFileSystem::Make();
  ASSERT_TRUE(fs->CreateDirectories("table/_delta_log").ok());
  ASSERT_TRUE(WriteText(*fs, "table/_delta_log/0.json", "{}").ok());
  EXPECT_EQ(ReadText(*fs, "/table/_delta_log/0.json"), "{}");
  EXPECT_TRUE(fs->SyncDirectory("").ok());
  EXPECT_TRUE(fs->SyncDirectory(".").ok());
  EXPECT_EQ(fs->ListDirectory(".").ValueOrDie().size(), 1u);
  EXPECT_EQ(fs->ListDirectory("/").ValueOrDie()[0].path, "/table");
  EXPECT_TRUE(fs->DeleteDirectoryRecursively("/").IsIOError());
  EXPECT_TRUE(fs->Exists("/table"));
}

TEST(MemoryFileSystemTest, ClockIsSettable) {
  auto fs = MemoryFileSystem::Make();
  fs->SetTimeMs(1'000'000);
  ASSERT_TRUE(fs->CreateDirectories("/d").ok());
  ASSERT_TRUE(WriteText(*fs, "/d/f", "x").ok());
  EXPECT_EQ(fs->GetFileInfo("/d/f").ValueOrDie().modification_time_ms, 1'000'000);
  EXPECT_EQ(fs->GetFileInfo("/d").ValueOrDie().modification_time_ms, 1'000'000);

  fs->AdvanceTimeMs(250);
  auto writer = fs->OpenWritable("/d/g").ValueOrDie();
  EXPECT_EQ(fs->GetFileInfo("/d").ValueOrDie().modification_time_ms, 1'000'250);
  fs->AdvanceTimeMs(250);
  ASSERT_TRUE(writer->Append("more").ok());
  EXPECT_EQ(fs->GetFileInfo("/d/g").ValueOrDie().modification_time_ms, 1'000'500);
  // Renaming moves the entry without touching the file, but stamps the directory.
  fs->AdvanceTimeMs(500);
  ASSERT_TRUE(fs->Rename("/d/f", "/d/h").ok());
  EXPECT_EQ(fs->GetFileInfo("/d/h").ValueOrDie().modification_time_ms, 1'000'000);
  EXPECT_EQ(fs->GetFileInfo("/d").ValueOrDie().modification_time_ms, 1'001'000);
  EXPECT_EQ(fs->GetFileInfo("/d").ValueOrDie().size, 0);
}

TEST(MemoryFileSystemTest, ReadExactlyDoesNotCopy) {
  auto fs = MemoryFileSystem::Make();
  ASSERT_TRUE(WriteText(*fs, "/f", "0123456789").ok());
  auto file = fs->OpenRandomAccess("/f").ValueOrDie();
  auto whole = file->ReadExactly(0, 10).ValueOrDie();
  auto part = file->ReadExactly(4, 3).ValueOrDie();
  EXPECT_EQ(part->view(), "456");
  EXPECT_EQ(part->data(), whole->data() + 4);  // Both view the file's own storage.
  EXPECT_EQ(fs->ReadFile("/f").ValueOrDie()->data(), whole->data());
}

TEST(MemoryFileSystemTest, ViewsSurviveLaterWrites) {
  auto fs = MemoryFileSystem::Make();
  auto writer = fs->OpenWritable("/f").ValueOrDie();
  ASSERT_TRUE(writer->Append("abc").ok());
  auto view = fs->ReadFile("/f").ValueOrDie();
  // Growing past the storage moves the file; truncating swaps in new storage.
  ASSERT_TRUE(writer->Append(std::string(10000, 'x')).ok());
  EXPECT_EQ(view->view(), "abc");
  auto reader = fs->OpenRandomAccess("/f").ValueOrDie();
  auto big = reader->ReadExactly(0, 10003).ValueOrDie();
  ASSERT_TRUE(WriteText(*fs, "/f", "new").ok());
  EXPECT_EQ(view->view(), "abc");
  EXPECT_EQ(big->view().substr(0, 4), "abcx");
  EXPECT_EQ(big->size(), 10003);
  // The reader still reports the size it opened with, and now reads short, as on disk.
  EXPECT_EQ(reader->Size().ValueOrDie(), 10003);
  EXPECT_TRUE(reader->ReadExactly(0, 10).status().IsIOError());
  EXPECT_EQ(reader->ReadExactly(0, 3).ValueOrDie()->view(), "new");
}

TEST(MemoryFileSystemTest, OpenFilesOutliveTheFileSystem) {
  std::unique_ptr<WritableFile> writer;
  std::unique_ptr<RandomAccessFile> reader;
  {
    auto fs = MemoryFileSystem::Make();
    writer = fs->OpenWritable("/f").ValueOrDie();
    ASSERT_TRUE(writer->Append("kept").ok());
    reader = fs->OpenRandomAccess("/f").ValueOrDie();
  }
  ASSERT_TRUE(writer->Append(" alive").ok());
  EXPECT_EQ(reader->ReadExactly(0, 4).ValueOrDie()->view(), "kept");
}

TEST(MemoryFileSystemTest, ConcurrentLinkIfAbsentHasOneWinner) {
  auto fs = MemoryFileSystem::Make();
  constexpr int kThreads = 8;
  constexpr int kRounds = 50;
  for (int round = 0; round < kRounds; ++round) {
    std::string target = "/commit-" + std::to_string(round);
    std::atomic<int> winners{0};
    std::atomic<int> losers{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        std::string source = target + ".tmp" + std::to_string(t);
        if (!WriteText(*fs, source, std::to_string(t)).ok()) return;
        Status status = fs->LinkIfAbsent(source, target);
        if (status.ok()) ++winners;
        if (status.IsAlreadyExists()) ++losers;
        (void)fs->DeleteFile(source);
      });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(winners.load(), 1);
    EXPECT_EQ(losers.load(), kThreads - 1);
    std::string winner = ReadText(*fs, target);
    EXPECT_EQ(winner.size(), 1u);
  }
  EXPECT_EQ(fs->ListDirectory("/").ValueOrDie().size(), static_cast<size_t>(kRounds));
}

TEST(MemoryFileSystemTest, ConcurrentReadersNeverSeeARenameHalfDone) {
  auto fs = MemoryFileSystem::Make();
  ASSERT_TRUE(WriteText(*fs, "/state", std::string(1000, 'a')).ok());
  std::atomic<bool> done{false};
  std::atomic<int> bad_reads{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 3; ++t) {
    readers.emplace_back([&] {
      while (!done.load()) {
        std::string contents = ReadText(*fs, "/state");
        // Every version is 1000 copies of one letter.
        if (contents.size() != 1000 ||
            contents.find_first_not_of(contents[0]) != std::string::npos) {
          ++bad_reads;
        }
      }
    });
  }
  for (int version = 0; version < 200; ++version) {
    std::string temp = "/.state." + std::to_string(version) + ".tmp";
    char letter = static_cast<char>('a' + version % 26);
    ASSERT_TRUE(WriteText(*fs, temp, std::string(1000, letter)).ok());
    ASSERT_TRUE(fs->Rename(temp, "/state").ok());
  }
  done = true;
  for (auto& reader : readers) reader.join();
  EXPECT_EQ(bad_reads.load(), 0);
  EXPECT_EQ(fs->ListDirectory("/").ValueOrDie().size(), 1u);
}

}  // namespace
}  // namespace arcflow::io
