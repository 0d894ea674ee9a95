#include "arcflow/parquet/bloom_filter_header.h"

#include "arcflow/parquet/thrift_compact_reader.h"
#include "arcflow/parquet/thrift_compact_writer.h"

namespace arcflow::parquet {
namespace {

using FieldHeader = ThriftCompactReader::FieldHeader;

// Reads a union whose only known member is an empty struct with field id 1; `*known` tells
// whether that member was present.
Status DecodeSingleMemberUnion(ThriftCompactReader& reader, bool* known) {
  *known = false;
  return reader.ReadStruct([&](const FieldHeader& field) -> Status {
    if (field.id == 1 && field.type == ThriftWireType::kStruct) *known = true;
    return reader.Skip(field.type);
  });
}

void EncodeSingleMemberUnion(bool known, ThriftCompactWriter& writer) {
  writer.BeginStruct();
  if (known) {
    writer.WriteFieldHeader(1, ThriftWireType::kStruct);
    writer.BeginStruct();
    writer.EndStruct();
  }
  writer.EndStruct();
}

}  // namespace

Status Decode(ThriftCompactReader& reader, BloomFilterHeader* out) {
  bool has_num_bytes = false;
  bool has_algorithm = false;
  bool has_hash = false;
  bool has_compression = false;
  ARCFLOW_RETURN_NOT_OK(reader.ReadStruct([&](const FieldHeader& field) -> Status {
    if (field.id == 1) return reader.ReadField(field, &out->num_bytes, &has_num_bytes);
    if (field.id < 2 || field.id > 4 || field.type != ThriftWireType::kStruct) {
      return reader.Skip(field.type);
    }
    bool known = false;
    ARCFLOW_RETURN_NOT_OK(DecodeSingleMemberUnion(reader, &known));
    if (field.id == 2) {
      has_algorithm = true;
      out->algorithm = known ? BloomFilterHeader::Algorithm::kSplitBlock
                             : BloomFilterHeader::Algorithm::kUnknown;
    } else if (field.id == 3) {
      has_hash = true;
      out->hash = known ? BloomFilterHeader::Hash::kXxHash : BloomFilterHeader::Hash::kUnknown;
    } else {
      has_compression = true;
      out->compression = known ? BloomFilterHeader::Compression::kUncompressed
                               : BloomFilterHeader::Compression::kUnknown;
    }
    return Status::OK();
  }));
  ARCFLOW_RETURN_NOT_OK(reader.CheckRequired(has_num_bytes, "BloomFilterHeader", "numBytes"));
  ARCFLOW_RETURN_NOT_OK(reader.CheckRequired(has_algorithm, "BloomFilterHeader", "algorithm"));
  ARCFLOW_RETURN_NOT_OK(reader.CheckRequired(has_hash, "BloomFilterHeader", "hash"));
  return reader.CheckRequired(has_compression, "BloomFilterHeader", "compression");
}

void Encode(const BloomFilterHeader& value, ThriftCompactWriter& writer) {
  writer.BeginStruct();
  writer.WriteField(1, value.num_bytes);
  writer.WriteFieldHeader(2, ThriftWireType::kStruct);
  EncodeSingleMemberUnion(value.algorithm == BloomFilterHeader::Algorithm::kSplitBlock, writer);
  writer.WriteFieldHeader(3, ThriftWireType::kStruct);
  EncodeSingleMemberUnion(value.hash == BloomFilterHeader::Hash::kXxHash, writer);
  writer.WriteFieldHeader(4, ThriftWireType::kStruct);
  EncodeSingleMemberUnion(value.compression == BloomFilterHeader::Compression::kUncompressed,
                          writer);
  writer.EndStruct();
}

Result<BloomFilterHeader> DecodeBloomFilterHeader(std::span<const uint8_t> bytes,
                                                  int64_t base_offset, int64_t* header_length) {
  Result<BloomFilterHeader> header =
      DecodeThriftMessage<BloomFilterHeader>(bytes, base_offset, header_length);
  if (!header.ok()) return header.status().WithContext("while decoding a BloomFilterHeader");
  return header;
}

}  // namespace arcflow::parquet
