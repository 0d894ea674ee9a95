#pragma once

namespace arcflow {

// The library allocates with malloc and leaves allocator policy to the program that embeds it.
// This is the policy the arcflow binary and its benchmarks choose; a long-running program that
// embeds the library (a pipeline runner) may call it once at startup, before any threads.
//
// By default glibc hands freed blocks above an adaptive threshold back to the kernel, and trims
// the top of the heap once a few MiB there are free. A program that processes file after file,
// or merge after merge, allocates buffers of the same sizes each time, so every one of their
// pages faults in anew and is zeroed by the kernel: a tenth of the CPU time of `arcflow
// convert`, and most of the difference between a MERGE run once and run repeatedly. With this
// policy blocks up to 32 MiB (the most glibc allows) come from the heap, and the heap shrinks
// only past 512 MiB of free space at its top. Does nothing on other C libraries.
void KeepFreedMemoryForReuse();

}  // namespace arcflow
