#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace arcflow {

// The library allocates with malloc and leaves allocator policy to the program that embeds it.
// These are the policies the arcflow binary and its benchmarks choose; a long-running program
// that embeds the library (a pipeline runner) may choose them too, at the start of main().

// By default glibc hands freed blocks above an adaptive threshold back to the kernel, and trims
// the top of the heap once a few MiB there are free. A program that processes file after file,
// or merge after merge, allocates buffers of the same sizes each time, so every one of their
// pages faults in anew and is zeroed by the kernel: a tenth of the CPU time of `arcflow
// convert`, and most of the difference between a MERGE run once and run repeatedly. With this
// policy blocks up to 32 MiB (the most glibc allows) come from the heap, and the heap shrinks
// only past 512 MiB of free space at its top. Does nothing on other C libraries. Call before
// any threads start.
void KeepFreedMemoryForReuse();

// Backs the heap with transparent huge pages where the kernel gives them only on request
// (/sys/kernel/mm/transparent_hugepage/enabled is "madvise", as on many kernels). Every 4 KiB
// page of a growing heap otherwise costs a page fault, about a third of the CPU time of
// `arcflow convert`, and TLB misses besides; with 2 MiB pages both nearly vanish and convert
// takes about half the time.
//
// glibc (2.35 and later) does this when the tunable glibc.malloc.hugetlb=1 is set, and reads
// tunables only when a process starts. So this adds it to GLIBC_TUNABLES, with
// glibc.malloc.arena_max=1 (see TunablesForHugePageHeap), and executes the program again
// (/proc/self/exe, same arguments and process id); it returns only when that is
// not needed or not possible: the tunable is set already (glibc.malloc.hugetlb=0 opts out),
// the kernel's setting is not "madvise", glibc is older or absent, a sanitizer or LD_PRELOAD
// (valgrind, heaptrack) owns the allocator, the program is static or was started through the
// dynamic loader (ld-linux.so PROGRAM), or exec fails. Call first thing in main(), before
// any threads, open files or locks.
void RestartWithHugePageHeap(char** argv);

// Both policies, in the order they must come: what the arcflow binary and its benchmarks call
// first thing in main(), so that the benchmarks measure what the binary does.
void UseAllocatorPolicies(char** argv);

// The GLIBC_TUNABLES value RestartWithHugePageHeap restarts with, given the current value
// (null when unset) and the contents of /sys/kernel/mm/transparent_hugepage/enabled; nullopt
// when it should not restart. Exposed for tests.
std::optional<std::string> TunablesForHugePageHeap(const char* current_tunables,
                                                   std::string_view transparent_hugepage_mode);

}  // namespace arcflow
