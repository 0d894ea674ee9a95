#include "arcflow/base/allocator_policy.h"

// Any C library header defines __GLIBC__ under glibc; the compiler does not predefine it.
#include <cstdlib>
#include <fstream>
#include <iterator>

#if defined(__GLIBC__)
#include <malloc.h>
#include <sys/auxv.h>
#include <unistd.h>
#endif

namespace arcflow {

namespace {

constexpr std::string_view kHugePageTunable = "glibc.malloc.hugetlb";
constexpr std::string_view kArenaMaxTunable = "glibc.malloc.arena_max";

// Whether glibc knows glibc.malloc.hugetlb (2.35 and later). The headers' version suffices: a
// binary built against glibc 2.34 or later references symbols of that version, so it never
// runs on an older one.
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 35))
constexpr bool kGlibcHasHugePageTunable = true;
#else
constexpr bool kGlibcHasHugePageTunable = false;
#endif

// A sanitizer's allocator replaces glibc's, and a preloaded one (valgrind's, heaptrack's) would
// be lost or confused by the restart.
bool AllocatorIsInterposed() {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  return true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || \
    __has_feature(memory_sanitizer)
  return true;
#endif
#endif
  const char* preload = std::getenv("LD_PRELOAD");
  return preload != nullptr && preload[0] != '\0';
}

}  // namespace

void KeepFreedMemoryForReuse() {
#if defined(__GLIBC__)
  // glibc refuses a threshold above 32 MiB on 64-bit systems (HEAP_MAX_SIZE / 2).
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 512 << 20);
#endif
}

std::optional<std::string> TunablesForHugePageHeap(const char* current_tunables,
                                                   std::string_view transparent_hugepage_mode) {
  const std::string_view current = current_tunables == nullptr ? "" : current_tunables;
  if (current.find(kHugePageTunable) != std::string_view::npos) return std::nullopt;
  // "always [madvise] never": the brackets mark the kernel's setting. Under "always" the heap
  // gets huge pages without asking; under "never" asking does nothing.
  if (transparent_hugepage_mode.find("[madvise]") == std::string_view::npos) return std::nullopt;
  std::string tunables(current);
  if (!tunables.empty()) tunables.push_back(':');
  tunables.append(kHugePageTunable).append("=1");
  // glibc advises huge pages for the main arena's heap and for blocks it maps on their own,
  // not for the heaps of the arenas it gives other threads: their pages would fault one by
  // one again. So every thread allocates from the main arena, unless the user chose otherwise.
  // arcflow's threads allocate few, large blocks (a file's buffer, a batch's columns), so
  // sharing one arena's lock costs less than the page faults it saves.
  if (current.find(kArenaMaxTunable) == std::string_view::npos) {
    tunables.push_back(':');
    tunables.append(kArenaMaxTunable).append("=1");
  }
  return tunables;
}

void RestartWithHugePageHeap(char** argv) {
#if defined(__GLIBC__) && defined(__linux__)
  if (argv == nullptr || !kGlibcHasHugePageTunable || AllocatorIsInterposed()) return;
  // The kernel loaded no dynamic loader for this program: it is static, or it was started
  // through the loader itself (ld-linux.so ./arcflow ...). In the second case /proc/self/exe
  // is the loader, which would take the arguments for its own.
  if (getauxval(AT_BASE) == 0) return;
  std::ifstream mode_file("/sys/kernel/mm/transparent_hugepage/enabled");
  const std::string mode((std::istreambuf_iterator<char>(mode_file)),
                         std::istreambuf_iterator<char>());
  const char* current = std::getenv("GLIBC_TUNABLES");
  const std::optional<std::string> tunables = TunablesForHugePageHeap(current, mode);
  if (!tunables) return;
  // setenv may free the string `current` points at; kept for a failed exec.
  const std::optional<std::string> previous =
      current == nullptr ? std::nullopt : std::optional<std::string>(current);
  setenv("GLIBC_TUNABLES", tunables->c_str(), 1);
  execv("/proc/self/exe", argv);
  // Still here: exec failed (no /proc, say). Carry on as started.
  if (previous) {
    setenv("GLIBC_TUNABLES", previous->c_str(), 1);
  } else {
    unsetenv("GLIBC_TUNABLES");
  }
#else
  (void)argv;
#endif
}

void UseAllocatorPolicies(char** argv) {
  RestartWithHugePageHeap(argv);
  KeepFreedMemoryForReuse();
}

}  // namespace arcflow
