#include "arcflow/parquet/page_header.h"

#include "arcflow/parquet/thrift_compact_reader.h"
#include "arcflow/parquet/thrift_compact_writer.h"

namespace arcflow::parquet {

using FieldHeader = ThriftCompactReader::FieldHeader;

Status Decode(ThriftCompactReader& reader, DataPageHeader* out) {
  bool has_num_values = false;
  bool has_encoding = false;
  bool has_definition_encoding = false;
  bool has_repetition_encoding = false;
  ARCFLOW_RETURN_NOT_OK(reader.ReadStruct([&](const FieldHeader& field) -> Status {
    switch (field.id) {
      case 1:
        return reader.ReadField(field, &out->num_values, &has_num_values);
      case 2:
        return reader.ReadField(field, &out->encoding, &has_encoding);
      case 3:
        return reader.ReadField(field, &out->definition_level_encoding, &has_definition_encoding);
      case 4:
        return reader.ReadField(field, &out->repetition_level_encoding, &has_repetition_encoding);
      case 5:
        return reader.ReadField(field, &out->statistics);
      default:
        return reader.Skip(field.type);
    }
  }));
  ARCFLOW_RETURN_NOT_OK(reader.CheckRequired(has_num_values, "DataPageHeader", "num_values"));
  ARCFLOW_RETURN_NOT_OK(reader.CheckRequired(has_encoding, "DataPageHeader", "encoding"));
  ARCFLOW_RETURN_NOT_OK(
      reader.CheckRequired(has_definition_encoding, "DataPageHeader", "definition_level_encoding"));
  return reader.CheckRequired(has_repetition_encoding, "DataPageHeader",
                              "repetition_level_encoding");
}

void Encode(const DataPageHeader& value, ThriftCompactWriter& writer) {
  writer.BeginStruct();
  writer.WriteField(1, value.num_values);
  writer.WriteField(2, value.encoding);
  writer.WriteField(3, value.definition_level_encoding);
  writer.WriteField(4, value.repetition_level_encoding);
  writer.WriteField(5, value.statistics);
  writer.EndStruct();
}

Status Decode(ThriftCompactReader& reader, IndexPageHeader*) {
  return reader.ReadStruct([&](const FieldHeader& field) { return reader.Skip(field.type); });
}

void Encode(const IndexPageHeader&, ThriftCompactWriter& writer) {
  writer.BeginStruct();
  writer.EndStruct();
}

Status Decode(ThriftCompactReader& reader, DictionaryPageHeader* out) {
  bool has_num_values = false;
  bool has_encoding = false;
  ARCFLOW_RETURN_NOT_OK(reader.ReadStruct([&](const FieldHeader& field) -> Status {
    switch (field.id) {
      case 1:
        return reader.ReadField(field, &out->num_values, &has_num_values);
      case 2:
        return reader.ReadField(field, &out->encoding, &has_encoding);
      case 3:
        return reader.ReadField(field, &out->is_sorted);
      default:
        return reader.Skip(field.type);
    }
  }));
  ARCFLOW_RETURN_NOT_OK(reader.CheckRequired(has_num_values, "DictionaryPageHeader", "num_values"));
  return reader.CheckRequired(has_encoding, "DictionaryPageHeader", "encoding");
}

void Encode(const DictionaryPageHeader& value, ThriftCompactWriter& writer) {
  writer.BeginStruct();
  writer.WriteField(1, value.num_values);
  writer.WriteField(2, value.encoding);
  writer.WriteField(3, value.is_sorted);
  writer.EndStruct();
}

Status Decode(ThriftCompactReader& reader, DataPageHeaderV2* out) {
  bool has_num_values = false;
  bool has_num_nulls = false;
  bool has_num_rows = false;
  bool has_encoding = false;
  bool has_definition_length = false;
  bool has_repetition_length = false;
  ARCFLOW_RETURN_NOT_OK(reader.ReadStruct([&](const FieldHeader& field) -> Status {
    switch (field.id) {
      case 1:
        return reader.ReadField(field, &out->num_values, &has_num_values);
      case 2:
        return reader.ReadField(field, &out->num_nulls, &has_num_nulls);
      case 3:
        return reader.ReadField(field, &out->num_rows, &has_num_rows);
      case 4:
        return reader.ReadField(field, &out->encoding, &has_encoding);
      case 5:
        return reader.ReadField(field, &out->definition_levels_byte_length, &has_definition_length);
      case 6:
        return reader.ReadField(field, &out->repetition_levels_byte_length, &has_repetition_length);
      case 7:
        return reader.ReadField(field, &out->is_compressed);
      case 8:
        return reader.ReadField(field, &out->statistics);
      default:
        return reader.Skip(field.type);
    }
  }));
  ARCFLOW_RETURN_NOT_OK(reader.CheckRequired(has_num_values, "DataPageHeaderV2", "num_values"));
  ARCFLOW_RETURN_NOT_OK(reader.CheckRequired(has_num_nulls, "DataPageHeaderV2", "num_nulls"));
  ARCFLOW_RETURN_NOT_OK(reader.CheckRequired(has_num_rows, "DataPageHeaderV2", "num_rows"));
  ARCFLOW_RETURN_NOT_OK(reader.CheckRequired(has_encoding, "DataPageHeaderV2", "encoding"));
  ARCFLOW_RETURN_NOT_OK(reader.CheckRequired(has_definition_length, "DataPageHeaderV2",
                                             "definition_levels_byte_length"));
  return reader.CheckRequired(has_repetition_length, "DataPageHeaderV2",
                              "repetition_levels_byte_length");
}

void Encode(const DataPageHeaderV2& value, ThriftCompactWriter& writer) {
  writer.BeginStruct();
  writer.WriteField(1, value.num_values);
  writer.WriteField(2, value.num_nulls);
  writer.WriteField(3, value.num_rows);
  writer.WriteField(4, value.encoding);
  writer.WriteField(5, value.definition_levels_byte_length);
  writer.WriteField(6, value.repetition_levels_byte_length);
  writer.WriteField(7, value.is_compressed);
  writer.WriteField(8, value.statistics);
  writer.EndStruct();
}

Status Decode(ThriftCompactReader& reader, PageHeader* out) {
  bool has_type = false;
  bool has_uncompressed_size = false;
  bool has_compressed_size = false;
  ARCFLOW_RETURN_NOT_OK(reader.ReadStruct([&](const FieldHeader& field) -> Status {
    switch (field.id) {
      case 1:
        return reader.ReadField(field, &out->type, &has_type);
      case 2:
        return reader.ReadField(field, &out->uncompressed_page_size, &has_uncompressed_size);
      case 3:
        return reader.ReadField(field, &out->compressed_page_size, &has_compressed_size);
      case 4:
        return reader.ReadField(field, &out->crc);
      case 5:
        return reader.ReadField(field, &out->data_page_header);
      case 6:
        return reader.ReadField(field, &out->index_page_header);
      case 7:
        return reader.ReadField(field, &out->dictionary_page_header);
      case 8:
        return reader.ReadField(field, &out->data_page_header_v2);
      default:
        return reader.Skip(field.type);
    }
  }));
  ARCFLOW_RETURN_NOT_OK(reader.CheckRequired(has_type, "PageHeader", "type"));
  ARCFLOW_RETURN_NOT_OK(
      reader.CheckRequired(has_uncompressed_size, "PageHeader", "uncompressed_page_size"));
  return reader.CheckRequired(has_compressed_size, "PageHeader", "compressed_page_size");
}

void Encode(const PageHeader& value, ThriftCompactWriter& writer) {
  writer.BeginStruct();
  writer.WriteField(1, value.type);
  writer.WriteField(2, value.uncompressed_page_size);
  writer.WriteField(3, value.compressed_page_size);
  writer.WriteField(4, value.crc);
  writer.WriteField(5, value.data_page_header);
  writer.WriteField(6, value.index_page_header);
  writer.WriteField(7, value.dictionary_page_header);
  writer.WriteField(8, value.data_page_header_v2);
  writer.EndStruct();
}

Result<PageHeader> DecodePageHeader(std::span<const uint8_t> bytes, int64_t base_offset,
                                    int64_t* header_length) {
  Result<PageHeader> header = DecodeThriftMessage<PageHeader>(bytes, base_offset, header_length);
  if (!header.ok()) return header.status().WithContext("while decoding a page header");
  return header;
}

}  // namespace arcflow::parquet
