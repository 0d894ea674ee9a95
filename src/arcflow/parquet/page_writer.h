#pragma once

#include <cstdint>
#include <memory>
#include <span>

#include "arcflow/base/buffer.h"
#include "arcflow/base/result.h"
#include "arcflow/codec/codec.h"
#include "arcflow/parquet/page_header.h"

namespace arcflow::parquet {

// One framed page: its header and stored (compressed) body, ready to be written, and the size
// it would have uncompressed, header included, as ColumnMetaData totals them.
struct EncodedPage {
  std::shared_ptr<Buffer> bytes;
  int64_t uncompressed_size = 0;

  int64_t compressed_size() const { return bytes->size(); }
};

// Frames the pages of column chunks: compresses a page's body, computes its CRC-32 (over the
// bytes that follow the header, as stored), fills in the sizes of its header, encodes the header
// and returns header and body in one buffer of their exact size.
//
// The codec is borrowed and must outlive the writer. Scratch buffers are kept between pages so
// that steady-state writing does not allocate. Not thread-safe.
class PageWriter {
 public:
  PageWriter(const codec::Codec* codec, bool write_checksums)
      : codec_(codec), write_checksums_(write_checksums) {}

  // Appends a data page v1 whose uncompressed body is the concatenation of `body_parts`
  // (repetition levels, definition levels, values), compressed as a whole. Invalid when the
  // page is larger than the 2^31-1 bytes a page header can describe.
  Result<EncodedPage> WriteDataPageV1(DataPageHeader header,
                                      std::span<const std::span<const uint8_t>> body_parts);

  // Appends a data page v2: `repetition_levels` and `definition_levels` (RLE runs without
  // length prefixes) stay uncompressed and `values` is compressed. The level byte lengths and
  // is_compressed of `header` are filled in here.
  Result<EncodedPage> WriteDataPageV2(DataPageHeaderV2 header,
                                      std::span<const uint8_t> repetition_levels,
                                      std::span<const uint8_t> definition_levels,
                                      std::span<const uint8_t> values);

  // Appends a dictionary page holding `values` (the PLAIN-encoded entries).
  Result<EncodedPage> WriteDictionaryPage(DictionaryPageHeader header,
                                          std::span<const uint8_t> values);

 private:
  // Compresses `input` into compressed_ (or, without a codec, points at `input`) and returns
  // the stored bytes.
  Result<std::span<const uint8_t>> Compress(std::span<const uint8_t> input);
  // Encodes `header` (with the sizes and CRC set) and puts it and `stored` in one buffer.
  Result<EncodedPage> Frame(PageHeader header, int64_t uncompressed_size,
                            std::span<const std::span<const uint8_t>> stored);

  const codec::Codec* codec_;
  bool write_checksums_;
  BufferBuilder body_;        // The concatenated body of a v1 page.
  BufferBuilder compressed_;  // Sized to the largest compression bound seen.
  BufferBuilder header_;
};

}  // namespace arcflow::parquet
