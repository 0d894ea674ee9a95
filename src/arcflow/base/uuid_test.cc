#include "arcflow/base/uuid.h"

#include <sys/wait.h>
#include <unistd.h>

#include <set>

#include <gtest/gtest.h>

namespace arcflow {
namespace {

TEST(UuidTest, FormatsTheCanonicalText) {
  const UuidBytes bytes = {0x12, 0x3e, 0x45, 0x67, 0xe8, 0x9b, 0x42, 0xd3,
                           0xa4, 0x56, 0x42, 0x66, 0x14, 0x17, 0x40, 0x00};
  EXPECT_EQ(FormatUuid(bytes), "123e4567-e89b-42d3-a456-426614174000");
}

TEST(UuidTest, RandomUuidsAreVersion4AndDistinct) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const std::string uuid = RandomUuid();
    ASSERT_EQ(uuid.size(), 36u);
    EXPECT_EQ(uuid[14], '4') << uuid;
    EXPECT_NE(std::string("89ab").find(uuid[19]), std::string::npos) << uuid;
    seen.insert(uuid);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

// A forked child must not repeat its parent's UUIDs: it inherits the parent's generator.
TEST(UuidTest, ForkedChildrenDrawOtherUuids) {
  const std::string before = RandomUuid();  // The parent's generator is in use before the fork.
  int pipe_fds[2];
  ASSERT_EQ(pipe(pipe_fds), 0);
  std::set<std::string> seen;
  for (int child = 0; child < 2; ++child) {
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      const std::string uuid = RandomUuid();
      _exit(write(pipe_fds[1], uuid.data(), uuid.size()) == 36 ? 0 : 1);
    }
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    char text[36];
    ASSERT_EQ(read(pipe_fds[0], text, sizeof(text)), 36);
    seen.insert(std::string(text, sizeof(text)));
  }
  close(pipe_fds[0]);
  close(pipe_fds[1]);
  seen.insert(before);
  seen.insert(RandomUuid());
  EXPECT_EQ(seen.size(), 4u);
}

}  // namespace
}  // namespace arcflow
