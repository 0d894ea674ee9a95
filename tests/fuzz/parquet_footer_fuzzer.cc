// libFuzzer target for the Parquet footer: the trailer, the Thrift compact decoder of
// FileMetaData, the schema descriptor and the footer consistency checks. Every input must end in
// a Status, never a crash, a sanitizer report or unbounded memory.
//
// The input is used two ways: as a whole file (so the footer length, the magics and the checks
// against the file size are exercised) and as a bare serialized FileMetaData (so the fuzzer
// need not discover the trailer to reach the decoder). A FileMetaData that decodes is also
// re-encoded and decoded again, which must give the same value.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "arcflow/base/buffer.h"
#include "arcflow/parquet/file_metadata.h"
#include "arcflow/parquet/footer.h"
#include "arcflow/parquet/page_header.h"
#include "arcflow/parquet/schema_descriptor.h"

namespace {

using arcflow::parquet::FileMetaData;
using arcflow::parquet::SchemaDescriptor;

void CheckReencoding(const FileMetaData& metadata) {
  arcflow::BufferBuilder builder;
  arcflow::parquet::EncodeFileMetaData(metadata, &builder);
  auto again = arcflow::parquet::DecodeFileMetaData(
      std::span<const uint8_t>(builder.data(), static_cast<size_t>(builder.size())));
  // Doubles (bounding boxes) may hold NaN, which never compares equal; only a failure to
  // decode what was just encoded is a bug.
  if (!again.ok()) std::abort();
}

void FuzzSchema(const FileMetaData& metadata) {
  auto schema = SchemaDescriptor::FromElements(metadata.schema);
  if (!schema.ok()) return;
  // A schema that validates flattens back to elements that validate again.
  auto elements = arcflow::parquet::FlattenSchema(schema->root());
  if (!elements.ok()) return;  // A node without repetition is legal in files, not for writers.
  auto reread = SchemaDescriptor::FromElements(*elements);
  if (!reread.ok() || reread->num_columns() != schema->num_columns()) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::span<const uint8_t> bytes(data, size);

  auto footer = arcflow::parquet::ParseFooter(bytes, static_cast<int64_t>(size));
  if (footer.ok()) {
    for (const auto& row_group : footer->metadata.row_groups) {
      if (row_group.columns.size() != static_cast<size_t>(footer->schema.num_columns())) {
        std::abort();
      }
    }
  }
  (void)arcflow::parquet::AdditionalFooterBytes(bytes, static_cast<int64_t>(size));

  auto metadata = arcflow::parquet::DecodeFileMetaData(bytes);
  if (metadata.ok()) {
    CheckReencoding(*metadata);
    FuzzSchema(*metadata);
  }

  int64_t header_length = 0;
  (void)arcflow::parquet::DecodePageHeader(bytes, 0, &header_length);
  return 0;
}
