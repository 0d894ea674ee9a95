#include "arcflow/parquet/statistics.h"

#include "arcflow/parquet/thrift_compact_reader.h"
#include "arcflow/parquet/thrift_compact_writer.h"

namespace arcflow::parquet {

using FieldHeader = ThriftCompactReader::FieldHeader;

Status Decode(ThriftCompactReader& reader, Statistics* out) {
  return reader.ReadStruct([&](const FieldHeader& field) -> Status {
    switch (field.id) {
      case 1:
        return reader.ReadField(field, &out->max);
      case 2:
        return reader.ReadField(field, &out->min);
      case 3:
        return reader.ReadField(field, &out->null_count);
      case 4:
        return reader.ReadField(field, &out->distinct_count);
      case 5:
        return reader.ReadField(field, &out->max_value);
      case 6:
        return reader.ReadField(field, &out->min_value);
      case 7:
        return reader.ReadField(field, &out->is_max_value_exact);
      case 8:
        return reader.ReadField(field, &out->is_min_value_exact);
      case 9:
        return reader.ReadField(field, &out->nan_count);
      default:
        return reader.Skip(field.type);
    }
  });
}

void Encode(const Statistics& value, ThriftCompactWriter& writer) {
  writer.BeginStruct();
  writer.WriteField(1, value.max);
  writer.WriteField(2, value.min);
  writer.WriteField(3, value.null_count);
  writer.WriteField(4, value.distinct_count);
  writer.WriteField(5, value.max_value);
  writer.WriteField(6, value.min_value);
  writer.WriteField(7, value.is_max_value_exact);
  writer.WriteField(8, value.is_min_value_exact);
  writer.WriteField(9, value.nan_count);
  writer.EndStruct();
}

Status Decode(ThriftCompactReader& reader, SizeStatistics* out) {
  return reader.ReadStruct([&](const FieldHeader& field) -> Status {
    switch (field.id) {
      case 1:
        return reader.ReadField(field, &out->unencoded_byte_array_data_bytes);
      case 2:
        return reader.ReadField(field, &out->repetition_level_histogram);
      case 3:
        return reader.ReadField(field, &out->definition_level_histogram);
      default:
        return reader.Skip(field.type);
    }
  });
}

void Encode(const SizeStatistics& value, ThriftCompactWriter& writer) {
  writer.BeginStruct();
  writer.WriteField(1, value.unencoded_byte_array_data_bytes);
  writer.WriteField(2, value.repetition_level_histogram);
  writer.WriteField(3, value.definition_level_histogram);
  writer.EndStruct();
}

Status Decode(ThriftCompactReader& reader, BoundingBox* out) {
  bool has_xmin = false;
  bool has_xmax = false;
  bool has_ymin = false;
  bool has_ymax = false;
  ARCFLOW_RETURN_NOT_OK(reader.ReadStruct([&](const FieldHeader& field) -> Status {
    switch (field.id) {
      case 1:
        return reader.ReadField(field, &out->xmin, &has_xmin);
      case 2:
        return reader.ReadField(field, &out->xmax, &has_xmax);
      case 3:
        return reader.ReadField(field, &out->ymin, &has_ymin);
      case 4:
        return reader.ReadField(field, &out->ymax, &has_ymax);
      case 5:
        return reader.ReadField(field, &out->zmin);
      case 6:
        return reader.ReadField(field, &out->zmax);
      case 7:
        return reader.ReadField(field, &out->mmin);
      case 8:
        return reader.ReadField(field, &out->mmax);
      default:
        return reader.Skip(field.type);
    }
  }));
  ARCFLOW_RETURN_NOT_OK(reader.CheckRequired(has_xmin, "BoundingBox", "xmin"));
  ARCFLOW_RETURN_NOT_OK(reader.CheckRequired(has_xmax, "BoundingBox", "xmax"));
  ARCFLOW_RETURN_NOT_OK(reader.CheckRequired(has_ymin, "BoundingBox", "ymin"));
  return reader.CheckRequired(has_ymax, "BoundingBox", "ymax");
}

void Encode(const BoundingBox& value, ThriftCompactWriter& writer) {
  writer.BeginStruct();
  writer.WriteField(1, value.xmin);
  writer.WriteField(2, value.xmax);
  writer.WriteField(3, value.ymin);
  writer.WriteField(4, value.ymax);
  writer.WriteField(5, value.zmin);
  writer.WriteField(6, value.zmax);
  writer.WriteField(7, value.mmin);
  writer.WriteField(8, value.mmax);
  writer.EndStruct();
}

Status Decode(ThriftCompactReader& reader, GeospatialStatistics* out) {
  return reader.ReadStruct([&](const FieldHeader& field) -> Status {
    switch (field.id) {
      case 1:
        return reader.ReadField(field, &out->bbox);
      case 2:
        return reader.ReadField(field, &out->geospatial_types);
      default:
        return reader.Skip(field.type);
    }
  });
}

void Encode(const GeospatialStatistics& value, ThriftCompactWriter& writer) {
  writer.BeginStruct();
  writer.WriteField(1, value.bbox);
  writer.WriteField(2, value.geospatial_types);
  writer.EndStruct();
}

}  // namespace arcflow::parquet
