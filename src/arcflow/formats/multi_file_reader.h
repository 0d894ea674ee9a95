#pragma once

#include <memory>
#include <string>
#include <vector>

#include "arcflow/columnar/record_batch_reader.h"
#include "arcflow/formats/file_format.h"
#include "arcflow/io/file_system.h"

namespace arcflow::formats {

struct MultiFileReadOptions {
  // Files read at the same time, each on its own thread; 1 reads them one after the other on
  // the caller's thread. Batches still come out in file order either way.
  int parallelism = 1;
  // Batches a file may have decoded ahead of the consumer. Memory stays bounded by
  // parallelism × batches_ahead batches, whatever the number or size of the files.
  int batches_ahead = 2;
};

// Reads `paths` as one stream of batches with `spec.schema`, in the order of `paths`. A file
// whose schema differs from it is an Invalid error naming the file; the first error (in file
// order) ends the stream. The returned reader is used by one thread; its worker threads stop
// when it is destroyed. REQUIRES: spec.schema != nullptr (see ResolveSchema).
std::unique_ptr<RecordBatchReader> NewMultiFileReader(std::shared_ptr<io::FileSystem> fs,
                                                      std::vector<std::string> paths, ReadSpec spec,
                                                      const MultiFileReadOptions& options = {});

}  // namespace arcflow::formats
