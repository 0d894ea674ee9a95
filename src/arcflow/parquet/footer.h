#pragma once

#include <cstdint>
#include <memory>
#include <span>

#include "arcflow/base/buffer.h"
#include "arcflow/base/result.h"
#include "arcflow/parquet/file_metadata.h"
#include "arcflow/parquet/schema_descriptor.h"

namespace arcflow::parquet {

// A Parquet file ends with its footer: the Thrift-serialized FileMetaData, its length as a
// 4-byte little-endian integer, and the magic "PAR1". The file also starts with "PAR1".
//
// Reading a footer takes the last bytes of the file, not a file handle, so this layer does not
// depend on how bytes are fetched. The usual dance is:
//   1. read the last FooterReadSize(file_size) bytes;
//   2. if AdditionalFooterBytes(tail, file_size) says more are needed, read that many more
//      bytes in front of the tail (one more read);
//   3. ParseFooter(tail, file_size).

inline constexpr std::string_view kParquetMagic = "PAR1";
// Files whose footer is encrypted end with this magic instead.
inline constexpr std::string_view kEncryptedFooterMagic = "PARE";
inline constexpr int64_t kParquetMagicSize = 4;
// The 4-byte metadata length and the trailing magic.
inline constexpr int64_t kFooterTrailerSize = 8;
// How much of the end of a file to read first: big enough for the footers of most files, so
// one read usually suffices.
inline constexpr int64_t kFooterTailSize = 64 * 1024;

// The number of bytes to read from the end of a file first: kFooterTailSize, or the whole file
// when it is smaller.
int64_t FooterReadSize(int64_t file_size);

// Where the serialized FileMetaData sits, from the trailer at the end of the file.
struct FooterTrailer {
  // File offset of the first metadata byte.
  int64_t metadata_offset = 0;
  int64_t metadata_length = 0;
  // metadata_length + kFooterTrailerSize: the bytes at the end of the file the footer spans.
  int64_t footer_size = 0;
};

// Reads the trailer from the last 8 bytes of `tail`, which must be the last tail.size() bytes
// of a file of `file_size` bytes. Fails with NotImplemented for encrypted footers ("PARE"),
// Corruption for a missing magic or a length that does not fit in the file, and Invalid when
// `tail` is shorter than 8 bytes of a longer file or longer than the file.
Result<FooterTrailer> ParseFooterTrailer(std::span<const uint8_t> tail, int64_t file_size);

// Returns how many bytes in front of `tail` must still be read to hold the whole footer; 0
// when `tail` already does. Fails as ParseFooterTrailer does.
Result<int64_t> AdditionalFooterBytes(std::span<const uint8_t> tail, int64_t file_size);

// A decoded and checked footer.
struct Footer {
  FileMetaData metadata;
  SchemaDescriptor schema;
  FooterTrailer trailer;
};

// Decodes and checks the footer in `tail`, the last tail.size() bytes of a file of `file_size`
// bytes; `tail` must hold the whole footer (see AdditionalFooterBytes) and may be the whole
// file, in which case the leading magic is checked as well.
//
// Beyond decoding, checks that row counts and sizes are non-negative, that every row group has
// one column chunk per schema leaf with metadata of the leaf's physical type, that column data
// and index offsets lie within the file before the footer, and that column_orders (when
// present) has one entry per leaf. Fails with Corruption for bad input, NotImplemented for
// encrypted files (either footer mode), and Invalid when `tail` is too short.
Result<Footer> ParseFooter(std::span<const uint8_t> tail, int64_t file_size);

// Serializes `metadata` as a footer: the Thrift bytes, their length, and "PAR1". Fails with
// Invalid when the serialized metadata does not fit the 4-byte length.
Result<std::shared_ptr<Buffer>> SerializeFooter(const FileMetaData& metadata);

}  // namespace arcflow::parquet
