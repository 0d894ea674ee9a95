#include "arcflow/parquet/page_index.h"

#include "arcflow/parquet/thrift_compact_reader.h"
#include "arcflow/parquet/thrift_compact_writer.h"

namespace arcflow::parquet {

using FieldHeader = ThriftCompactReader::FieldHeader;

Status Decode(ThriftCompactReader& reader, PageLocation* out) {
  bool has_offset = false;
  bool has_size = false;
  bool has_first_row = false;
  ARCFLOW_RETURN_NOT_OK(reader.ReadStruct([&](const FieldHeader& field) -> Status {
    switch (field.id) {
      case 1:
        return reader.ReadField(field, &out->offset, &has_offset);
      case 2:
        return reader.ReadField(field, &out->compressed_page_size, &has_size);
      case 3:
        return reader.ReadField(field, &out->first_row_index, &has_first_row);
      default:
        return reader.Skip(field.type);
    }
  }));
  ARCFLOW_RETURN_NOT_OK(reader.CheckRequired(has_offset, "PageLocation", "offset"));
  ARCFLOW_RETURN_NOT_OK(reader.CheckRequired(has_size, "PageLocation", "compressed_page_size"));
  return reader.CheckRequired(has_first_row, "PageLocation", "first_row_index");
}

void Encode(const PageLocation& value, ThriftCompactWriter& writer) {
  writer.BeginStruct();
  writer.WriteField(1, value.offset);
  writer.WriteField(2, value.compressed_page_size);
  writer.WriteField(3, value.first_row_index);
  writer.EndStruct();
}

Status Decode(ThriftCompactReader& reader, OffsetIndex* out) {
  bool has_locations = false;
  ARCFLOW_RETURN_NOT_OK(reader.ReadStruct([&](const FieldHeader& field) -> Status {
    switch (field.id) {
      case 1:
        return reader.ReadField(field, &out->page_locations, &has_locations);
      case 2:
        return reader.ReadField(field, &out->unencoded_byte_array_data_bytes);
      default:
        return reader.Skip(field.type);
    }
  }));
  return reader.CheckRequired(has_locations, "OffsetIndex", "page_locations");
}

void Encode(const OffsetIndex& value, ThriftCompactWriter& writer) {
  writer.BeginStruct();
  writer.WriteField(1, value.page_locations);
  writer.WriteField(2, value.unencoded_byte_array_data_bytes);
  writer.EndStruct();
}

Status Decode(ThriftCompactReader& reader, ColumnIndex* out) {
  bool has_null_pages = false;
  bool has_min_values = false;
  bool has_max_values = false;
  bool has_boundary_order = false;
  ARCFLOW_RETURN_NOT_OK(reader.ReadStruct([&](const FieldHeader& field) -> Status {
    switch (field.id) {
      case 1:
        return reader.ReadField(field, &out->null_pages, &has_null_pages);
      case 2:
        return reader.ReadField(field, &out->min_values, &has_min_values);
      case 3:
        return reader.ReadField(field, &out->max_values, &has_max_values);
      case 4:
        return reader.ReadField(field, &out->boundary_order, &has_boundary_order);
      case 5:
        return reader.ReadField(field, &out->null_counts);
      case 6:
        return reader.ReadField(field, &out->repetition_level_histograms);
      case 7:
        return reader.ReadField(field, &out->definition_level_histograms);
      case 8:
        return reader.ReadField(field, &out->nan_counts);
      default:
        return reader.Skip(field.type);
    }
  }));
  ARCFLOW_RETURN_NOT_OK(reader.CheckRequired(has_null_pages, "ColumnIndex", "null_pages"));
  ARCFLOW_RETURN_NOT_OK(reader.CheckRequired(has_min_values, "ColumnIndex", "min_values"));
  ARCFLOW_RETURN_NOT_OK(reader.CheckRequired(has_max_values, "ColumnIndex", "max_values"));
  return reader.CheckRequired(has_boundary_order, "ColumnIndex", "boundary_order");
}

void Encode(const ColumnIndex& value, ThriftCompactWriter& writer) {
  writer.BeginStruct();
  writer.WriteField(1, value.null_pages);
  writer.WriteField(2, value.min_values);
  writer.WriteField(3, value.max_values);
  writer.WriteField(4, value.boundary_order);
  writer.WriteField(5, value.null_counts);
  writer.WriteField(6, value.repetition_level_histograms);
  writer.WriteField(7, value.definition_level_histograms);
  writer.WriteField(8, value.nan_counts);
  writer.EndStruct();
}

Result<OffsetIndex> DecodeOffsetIndex(std::span<const uint8_t> bytes, int64_t base_offset) {
  Result<OffsetIndex> index = DecodeThriftMessage<OffsetIndex>(bytes, base_offset);
  if (!index.ok()) return index.status().WithContext("while decoding an OffsetIndex");
  return index;
}

Result<ColumnIndex> DecodeColumnIndex(std::span<const uint8_t> bytes, int64_t base_offset) {
  Result<ColumnIndex> index = DecodeThriftMessage<ColumnIndex>(bytes, base_offset);
  if (!index.ok()) return index.status().WithContext("while decoding a ColumnIndex");
  return index;
}

}  // namespace arcflow::parquet
