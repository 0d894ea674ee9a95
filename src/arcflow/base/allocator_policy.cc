#include "arcflow/base/allocator_policy.h"

// Any C library header defines __GLIBC__ under glibc; it is not predefined by the compiler.
#include <cstdlib>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace arcflow {

void KeepFreedMemoryForReuse() {
#if defined(__GLIBC__)
  // glibc refuses a threshold above 32 MiB on 64-bit systems (HEAP_MAX_SIZE / 2).
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 512 << 20);
#endif
}

}  // namespace arcflow
