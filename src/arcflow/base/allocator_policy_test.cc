#include "arcflow/base/allocator_policy.h"

#include <gtest/gtest.h>
#include <sys/resource.h>

#include <cstdlib>
#include <cstring>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ARCFLOW_CLANG_ASAN 1
#endif
#endif

namespace arcflow {
namespace {

// Whether malloc is glibc's, whose policy KeepFreedMemoryForReuse sets; a sanitizer brings its
// own allocator.
#if defined(__GLIBC__) && !defined(__SANITIZE_ADDRESS__) && !defined(ARCFLOW_CLANG_ASAN)
constexpr bool kGlibcMalloc = true;
#else
constexpr bool kGlibcMalloc = false;
#endif

// Keeps the compiler from eliding a malloc, memset and free whose memory nothing reads.
void* volatile escaped = nullptr;

long MinorFaults() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_minflt;
}

// A block freed and allocated again is reused, not handed back to the kernel and faulted in
// anew: writing every page of it the second time costs (almost) no page faults.
TEST(AllocatorPolicyTest, FreedBlocksAreReusedWithoutPageFaults) {
  if (!kGlibcMalloc) GTEST_SKIP() << "the policy is glibc malloc's, and malloc is not";
  KeepFreedMemoryForReuse();
  constexpr size_t kBytes = 8 << 20;  // Far above glibc's default mmap threshold (128 KiB).
  void* first = std::malloc(kBytes);
  ASSERT_NE(first, nullptr);
  std::memset(first, 1, kBytes);
  escaped = first;
  std::free(escaped);
  const long before = MinorFaults();
  void* second = std::malloc(kBytes);
  ASSERT_NE(second, nullptr);
  std::memset(second, 2, kBytes);
  escaped = second;
  const long faults = MinorFaults() - before;
  std::free(escaped);
  // 8 MiB of fresh pages would be 2,048 faults (fewer with fault-around or huge pages, but far
  // more than this).
  EXPECT_LT(faults, 64);
}

TEST(AllocatorPolicyTest, HugePageTunableIsAddedOnlyWhereItHelps) {
  const std::string madvise = "always [madvise] never\n";
  // Every thread then allocates from the main arena, the one glibc gives huge pages.
  const std::string both = "glibc.malloc.hugetlb=1:glibc.malloc.arena_max=1";
  EXPECT_EQ(TunablesForHugePageHeap(nullptr, madvise), both);
  EXPECT_EQ(TunablesForHugePageHeap("", madvise), both);
  // Other tunables the user set are kept, their arena_max included.
  EXPECT_EQ(TunablesForHugePageHeap("glibc.malloc.check=0", madvise),
            "glibc.malloc.check=0:" + both);
  EXPECT_EQ(TunablesForHugePageHeap("glibc.malloc.arena_max=2", madvise),
            "glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1");
  // Set already, by an earlier start or by the user (=0 opts out): no restart, so no loop.
  EXPECT_EQ(TunablesForHugePageHeap("glibc.malloc.hugetlb=1", madvise), std::nullopt);
  EXPECT_EQ(TunablesForHugePageHeap("glibc.malloc.arena_max=2:glibc.malloc.hugetlb=0", madvise),
            std::nullopt);
  // The kernel gives huge pages to every heap, or to none.
  EXPECT_EQ(TunablesForHugePageHeap(nullptr, "[always] madvise never\n"), std::nullopt);
  EXPECT_EQ(TunablesForHugePageHeap(nullptr, "always madvise [never]\n"), std::nullopt);
  EXPECT_EQ(TunablesForHugePageHeap(nullptr, ""), std::nullopt);  // No such file.
}

}  // namespace
}  // namespace arcflow
