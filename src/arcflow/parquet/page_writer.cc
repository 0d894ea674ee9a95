#include "arcflow/parquet/page_writer.h"

#include <cstring>
#include <limits>

#include "arcflow/codec/crc32.h"
#include "arcflow/parquet/thrift_compact_writer.h"

namespace arcflow::parquet {
namespace {

constexpr int64_t kMaxPageSize = std::numeric_limits<int32_t>::max();

int64_t TotalSize(std::span<const std::span<const uint8_t>> parts) {
  int64_t total = 0;
  for (const auto& part : parts) total += static_cast<int64_t>(part.size());
  return total;
}

Status CheckPageSize(int64_t size, const char* what) {
  if (size > kMaxPageSize) {
    return Status::Invalid(
        "parquet: {} of {} bytes exceeds the 2^31-1 bytes a page header can describe; write "
        "smaller values or fewer values per row",
        what, size);
  }
  return Status::OK();
}

}  // namespace

Result<std::span<const uint8_t>> PageWriter::Compress(std::span<const uint8_t> input) {
  if (codec_->type() == codec::CodecType::kUncompressed) return input;
  const int64_t bound = codec_->MaxCompressedLength(static_cast<int64_t>(input.size()));
  // Growing zeroes the new bytes; keeping the size at the largest bound seen zeroes each byte
  // once rather than once per page.
  if (compressed_.size() < bound) compressed_.Resize(bound);
  ARCFLOW_ASSIGN_OR_RETURN(
      int64_t written,
      codec_->Compress(input, std::span<uint8_t>(compressed_.data(), static_cast<size_t>(bound))));
  return std::span<const uint8_t>(compressed_.data(), static_cast<size_t>(written));
}

Result<EncodedPage> PageWriter::Frame(PageHeader header, int64_t uncompressed_size,
                                      std::span<const std::span<const uint8_t>> stored) {
  const int64_t stored_size = TotalSize(stored);
  ARCFLOW_RETURN_NOT_OK(CheckPageSize(uncompressed_size, "an uncompressed page"));
  ARCFLOW_RETURN_NOT_OK(CheckPageSize(stored_size, "a compressed page"));
  header.uncompressed_page_size = static_cast<int32_t>(uncompressed_size);
  header.compressed_page_size = static_cast<int32_t>(stored_size);
  if (write_checksums_) {
    uint32_t crc = 0;
    for (const auto& part : stored) crc = codec::Crc32(part, crc);
    header.crc = static_cast<int32_t>(crc);
  }
  header_.Clear();
  EncodeThriftMessage(header, &header_);
  ARCFLOW_ASSIGN_OR_RETURN(std::shared_ptr<Buffer> page,
                           Buffer::Allocate(header_.size() + stored_size));
  uint8_t* out = page->mutable_data();
  std::memcpy(out, header_.data(), static_cast<size_t>(header_.size()));
  out += header_.size();
  for (const auto& part : stored) {
    if (part.empty()) continue;
    std::memcpy(out, part.data(), part.size());
    out += part.size();
  }
  return EncodedPage{std::move(page), header_.size() + uncompressed_size};
}

Result<EncodedPage> PageWriter::WriteDataPageV1(
    DataPageHeader header, std::span<const std::span<const uint8_t>> body_parts) {
  const int64_t body_size = TotalSize(body_parts);
  ARCFLOW_RETURN_NOT_OK(CheckPageSize(body_size, "an uncompressed page"));
  PageHeader page;
  page.type = PageType::kDataPage;
  page.data_page_header = std::move(header);
  // Without compression the parts go straight into the framed page.
  if (codec_->type() == codec::CodecType::kUncompressed) {
    return Frame(std::move(page), body_size, body_parts);
  }
  std::span<const uint8_t> body;
  if (body_parts.size() == 1) {
    body = body_parts[0];
  } else {
    body_.Clear();
    body_.Reserve(body_size);
    for (const auto& part : body_parts) {
      body_.Append(part.data(), static_cast<int64_t>(part.size()));
    }
    body = std::span<const uint8_t>(body_.data(), static_cast<size_t>(body_.size()));
  }
  ARCFLOW_ASSIGN_OR_RETURN(std::span<const uint8_t> stored, Compress(body));
  const std::span<const uint8_t> parts[] = {stored};
  return Frame(std::move(page), body_size, parts);
}

Result<EncodedPage> PageWriter::WriteDataPageV2(DataPageHeaderV2 header,
                                                std::span<const uint8_t> repetition_levels,
                                                std::span<const uint8_t> definition_levels,
                                                std::span<const uint8_t> values) {
  const int64_t levels_size =
      static_cast<int64_t>(repetition_levels.size() + definition_levels.size());
  ARCFLOW_RETURN_NOT_OK(CheckPageSize(levels_size, "the levels of a page"));
  header.repetition_levels_byte_length = static_cast<int32_t>(repetition_levels.size());
  header.definition_levels_byte_length = static_cast<int32_t>(definition_levels.size());
  header.is_compressed = codec_->type() != codec::CodecType::kUncompressed;
  ARCFLOW_ASSIGN_OR_RETURN(std::span<const uint8_t> stored_values, Compress(values));
  PageHeader page;
  page.type = PageType::kDataPageV2;
  page.data_page_header_v2 = std::move(header);
  const std::span<const uint8_t> parts[] = {repetition_levels, definition_levels, stored_values};
  return Frame(std::move(page), levels_size + static_cast<int64_t>(values.size()), parts);
}

Result<EncodedPage> PageWriter::WriteDictionaryPage(DictionaryPageHeader header,
                                                    std::span<const uint8_t> values) {
  ARCFLOW_RETURN_NOT_OK(CheckPageSize(static_cast<int64_t>(values.size()), "a dictionary page"));
  ARCFLOW_ASSIGN_OR_RETURN(std::span<const uint8_t> stored, Compress(values));
  PageHeader page;
  page.type = PageType::kDictionaryPage;
  page.dictionary_page_header = std::move(header);
  const std::span<const uint8_t> parts[] = {stored};
  return Frame(std::move(page), static_cast<int64_t>(values.size()), parts);
}

}  // namespace arcflow::parquet
