#include "arcflow/parquet/file_metadata.h"

#include "arcflow/parquet/thrift_compact_reader.h"
#include "arcflow/parquet/thrift_compact_writer.h"

namespace arcflow::parquet {
namespace {

using FieldHeader = ThriftCompactReader::FieldHeader;

void EncodeEmptyStructField(int16_t id, ThriftCompactWriter& writer) {
  writer.WriteFieldHeader(id, ThriftWireType::kStruct);
  writer.BeginStruct();
  writer.EndStruct();
}

Status DecodeAesGcmParameters(ThriftCompactReader& reader, AesGcmParameters* out) {
  return reader.ReadStruct([&](const FieldHeader& field) -> Status {
    switch (field.id) {
      case 1:
        return reader.ReadField(field, &out->aad_prefix);
      case 2:
        return reader.ReadField(field, &out->aad_file_unique);
      case 3:
        return reader.ReadField(field, &out->supply_aad_prefix);
      default:
        return reader.Skip(field.type);
    }
  });
}

void EncodeAesGcmParameters(const AesGcmParameters& value, ThriftCompactWriter& writer) {
  writer.BeginStruct();
  writer.WriteField(1, value.aad_prefix);
  writer.WriteField(2, value.aad_file_unique);
  writer.WriteField(3, value.supply_aad_prefix);
  writer.EndStruct();
}

Status DecodeColumnKeyEncryption(ThriftCompactReader& reader, ColumnCryptoMetaData* out) {
  bool has_path = false;
  ARCFLOW_RETURN_NOT_OK(reader.ReadStruct([&](const FieldHeader& field) -> Status {
    switch (field.id) {
      case 1:
        return reader.ReadField(field, &out->path_in_schema, &has_path);
      case 2:
        return reader.ReadField(field, &out->key_metadata);
      default:
        return reader.Skip(field.type);
    }
  }));
  return reader.CheckRequired(has_path, "EncryptionWithColumnKey", "path_in_schema");
}

// Counts the known members of a union as they are read and rejects a second one.
Status CountUnionMember(ThriftCompactReader& reader, std::string_view union_name, int* members) {
  if (++*members > 1) {
    return reader.Corrupt(fmt::format("thrift union {} has more than one member", union_name));
  }
  return Status::OK();
}

}  // namespace

Status Decode(ThriftCompactReader& reader, KeyValue* out) {
  bool has_key = false;
  ARCFLOW_RETURN_NOT_OK(reader.ReadStruct([&](const FieldHeader& field) -> Status {
    switch (field.id) {
      case 1:
        return reader.ReadField(field, &out->key, &has_key);
      case 2:
        return reader.ReadField(field, &out->value);
      default:
        return reader.Skip(field.type);
    }
  }));
  return reader.CheckRequired(has_key, "KeyValue", "key");
}

void Encode(const KeyValue& value, ThriftCompactWriter& writer) {
  writer.BeginStruct();
  writer.WriteField(1, value.key);
  writer.WriteField(2, value.value);
  writer.EndStruct();
}

Status Decode(ThriftCompactReader& reader, SortingColumn* out) {
  bool has_column = false;
  bool has_descending = false;
  bool has_nulls_first = false;
  ARCFLOW_RETURN_NOT_OK(reader.ReadStruct([&](const FieldHeader& field) -> Status {
    switch (field.id) {
      case 1:
        return reader.ReadField(field, &out->column_idx, &has_column);
      case 2:
        return reader.ReadField(field, &out->descending, &has_descending);
      case 3:
        return reader.ReadField(field, &out->nulls_first, &has_nulls_first);
      default:
        return reader.Skip(field.type);
    }
  }));
  ARCFLOW_RETURN_NOT_OK(reader.CheckRequired(has_column, "SortingColumn", "column_idx"));
  ARCFLOW_RETURN_NOT_OK(reader.CheckRequired(has_descending, "SortingColumn", "descending"));
  return reader.CheckRequired(has_nulls_first, "SortingColumn", "nulls_first");
}

void Encode(const SortingColumn& value, ThriftCompactWriter& writer) {
  writer.BeginStruct();
  writer.WriteField(1, value.column_idx);
  writer.WriteField(2, value.descending);
  writer.WriteField(3, value.nulls_first);
  writer.EndStruct();
}

Status Decode(ThriftCompactReader& reader, PageEncodingStats* out) {
  bool has_page_type = false;
  bool has_encoding = false;
  bool has_count = false;
  ARCFLOW_RETURN_NOT_OK(reader.ReadStruct([&](const FieldHeader& field) -> Status {
    switch (field.id) {
      case 1:
        return reader.ReadField(field, &out->page_type, &has_page_type);
      case 2:
        return reader.ReadField(field, &out->encoding, &has_encoding);
      case 3:
        return reader.ReadField(field, &out->count, &has_count);
      default:
        return reader.Skip(field.type);
    }
  }));
  ARCFLOW_RETURN_NOT_OK(reader.CheckRequired(has_page_type, "PageEncodingStats", "page_type"));
  ARCFLOW_RETURN_NOT_OK(reader.CheckRequired(has_encoding, "PageEncodingStats", "encoding"));
  return reader.CheckRequired(has_count, "PageEncodingStats", "count");
}

void Encode(const PageEncodingStats& value, ThriftCompactWriter& writer) {
  writer.BeginStruct();
  writer.WriteField(1, value.page_type);
  writer.WriteField(2, value.encoding);
  writer.WriteField(3, value.count);
  writer.EndStruct();
}

Status Decode(ThriftCompactReader& reader, ColumnOrder* out) {
  int members = 0;
  out->kind = ColumnOrder::Kind::kUnknown;
  return reader.ReadStruct([&](const FieldHeader& field) -> Status {
    ColumnOrder::Kind kind = ColumnOrder::Kind::kUnknown;
    if (field.type == ThriftWireType::kStruct) {
      if (field.id == 1) kind = ColumnOrder::Kind::kTypeDefined;
      if (field.id == 2) kind = ColumnOrder::Kind::kIeee754TotalOrder;
      if (field.id == 3) kind = ColumnOrder::Kind::kInt96Timestamp;
    }
    // Every member is an empty struct; skipping also passes over fields added to them later.
    ARCFLOW_RETURN_NOT_OK(reader.Skip(field.type));
    if (kind == ColumnOrder::Kind::kUnknown) return Status::OK();
    ARCFLOW_RETURN_NOT_OK(CountUnionMember(reader, "ColumnOrder", &members));
    out->kind = kind;
    return Status::OK();
  });
}

void Encode(const ColumnOrder& value, ThriftCompactWriter& writer) {
  writer.BeginStruct();
  switch (value.kind) {
    case ColumnOrder::Kind::kTypeDefined:
      EncodeEmptyStructField(1, writer);
      break;
    case ColumnOrder::Kind::kIeee754TotalOrder:
      EncodeEmptyStructField(2, writer);
      break;
    case ColumnOrder::Kind::kInt96Timestamp:
      EncodeEmptyStructField(3, writer);
      break;
    case ColumnOrder::Kind::kUnknown:
      break;
  }
  writer.EndStruct();
}

Status Decode(ThriftCompactReader& reader, EncryptionAlgorithm* out) {
  int members = 0;
  out->kind = EncryptionAlgorithm::Kind::kUnknown;
  return reader.ReadStruct([&](const FieldHeader& field) -> Status {
    if (field.type != ThriftWireType::kStruct || (field.id != 1 && field.id != 2)) {
      return reader.Skip(field.type);
    }
    ARCFLOW_RETURN_NOT_OK(CountUnionMember(reader, "EncryptionAlgorithm", &members));
    out->kind = field.id == 1 ? EncryptionAlgorithm::Kind::kAesGcmV1
                              : EncryptionAlgorithm::Kind::kAesGcmCtrV1;
    return DecodeAesGcmParameters(reader, &out->parameters);
  });
}

void Encode(const EncryptionAlgorithm& value, ThriftCompactWriter& writer) {
  writer.BeginStruct();
  if (value.kind != EncryptionAlgorithm::Kind::kUnknown) {
    int16_t id = value.kind == EncryptionAlgorithm::Kind::kAesGcmV1 ? 1 : 2;
    writer.WriteFieldHeader(id, ThriftWireType::kStruct);
    EncodeAesGcmParameters(value.parameters, writer);
  }
  writer.EndStruct();
}

Status Decode(ThriftCompactReader& reader, ColumnCryptoMetaData* out) {
  int members = 0;
  out->kind = ColumnCryptoMetaData::Kind::kUnknown;
  return reader.ReadStruct([&](const FieldHeader& field) -> Status {
    if (field.type != ThriftWireType::kStruct || (field.id != 1 && field.id != 2)) {
      return reader.Skip(field.type);
    }
    ARCFLOW_RETURN_NOT_OK(CountUnionMember(reader, "ColumnCryptoMetaData", &members));
    if (field.id == 1) {
      out->kind = ColumnCryptoMetaData::Kind::kEncryptionWithFooterKey;
      return reader.Skip(field.type);
    }
    out->kind = ColumnCryptoMetaData::Kind::kEncryptionWithColumnKey;
    return DecodeColumnKeyEncryption(reader, out);
  });
}

void Encode(const ColumnCryptoMetaData& value, ThriftCompactWriter& writer) {
  writer.BeginStruct();
  switch (value.kind) {
    case ColumnCryptoMetaData::Kind::kEncryptionWithFooterKey:
      EncodeEmptyStructField(1, writer);
      break;
    case ColumnCryptoMetaData::Kind::kEncryptionWithColumnKey:
      writer.WriteFieldHeader(2, ThriftWireType::kStruct);
      writer.BeginStruct();
      writer.WriteField(1, value.path_in_schema);
      writer.WriteField(2, value.key_metadata);
      writer.EndStruct();
      break;
    case ColumnCryptoMetaData::Kind::kUnknown:
      break;
  }
  writer.EndStruct();
}

Status Decode(ThriftCompactReader& reader, ColumnMetaData* out) {
  bool has_type = false;
  bool has_encodings = false;
  bool has_path = false;
  bool has_codec = false;
  bool has_num_values = false;
  bool has_uncompressed_size = false;
  bool has_compressed_size = false;
  bool has_data_page_offset = false;
  ARCFLOW_RETURN_NOT_OK(reader.ReadStruct([&](const FieldHeader& field) -> Status {
    switch (field.id) {
      case 1:
        return reader.ReadField(field, &out->type, &has_type);
      case 2:
        return reader.ReadField(field, &out->encodings, &has_encodings);
      case 3:
        return reader.ReadField(field, &out->path_in_schema, &has_path);
      case 4:
        return reader.ReadField(field, &out->codec, &has_codec);
      case 5:
        return reader.ReadField(field, &out->num_values, &has_num_values);
      case 6:
        return reader.ReadField(field, &out->total_uncompressed_size, &has_uncompressed_size);
      case 7:
        return reader.ReadField(field, &out->total_compressed_size, &has_compressed_size);
      case 8:
        return reader.ReadField(field, &out->key_value_metadata);
      case 9:
        return reader.ReadField(field, &out->data_page_offset, &has_data_page_offset);
      case 10:
        return reader.ReadField(field, &out->index_page_offset);
      case 11:
        return reader.ReadField(field, &out->dictionary_page_offset);
      case 12:
        return reader.ReadField(field, &out->statistics);
      case 13:
        return reader.ReadField(field, &out->encoding_stats);
      case 14:
        return reader.ReadField(field, &out->bloom_filter_offset);
      case 15:
        return reader.ReadField(field, &out->bloom_filter_length);
      case 16:
        return reader.ReadField(field, &out->size_statistics);
      case 17:
        return reader.ReadField(field, &out->geospatial_statistics);
      default:
        return reader.Skip(field.type);
    }
  }));
  constexpr std::string_view kName = "ColumnMetaData";
  ARCFLOW_RETURN_NOT_OK(reader.CheckRequired(has_type, kName, "type"));
  ARCFLOW_RETURN_NOT_OK(reader.CheckRequired(has_encodings, kName, "encodings"));
  ARCFLOW_RETURN_NOT_OK(reader.CheckRequired(has_path, kName, "path_in_schema"));
  ARCFLOW_RETURN_NOT_OK(reader.CheckRequired(has_codec, kName, "codec"));
  ARCFLOW_RETURN_NOT_OK(reader.CheckRequired(has_num_values, kName, "num_values"));
  ARCFLOW_RETURN_NOT_OK(
      reader.CheckRequired(has_uncompressed_size, kName, "total_uncompressed_size"));
  ARCFLOW_RETURN_NOT_OK(reader.CheckRequired(has_compressed_size, kName, "total_compressed_size"));
  return reader.CheckRequired(has_data_page_offset, kName, "data_page_offset");
}

void Encode(const ColumnMetaData& value, ThriftCompactWriter& writer) {
  writer.BeginStruct();
  writer.WriteField(1, value.type);
  writer.WriteField(2, value.encodings);
  writer.WriteField(3, value.path_in_schema);
  writer.WriteField(4, value.codec);
  writer.WriteField(5, value.num_values);
  writer.WriteField(6, value.total_uncompressed_size);
  writer.WriteField(7, value.total_compressed_size);
  writer.WriteField(8, value.key_value_metadata);
  writer.WriteField(9, value.data_page_offset);
  writer.WriteField(10, value.index_page_offset);
  writer.WriteField(11, value.dictionary_page_offset);
  writer.WriteField(12, value.statistics);
  writer.WriteField(13, value.encoding_stats);
  writer.WriteField(14, value.bloom_filter_offset);
  writer.WriteField(15, value.bloom_filter_length);
  writer.WriteField(16, value.size_statistics);
  writer.WriteField(17, value.geospatial_statistics);
  writer.EndStruct();
}

Status Decode(ThriftCompactReader& reader, ColumnChunk* out) {
  bool has_file_offset = false;
  ARCFLOW_RETURN_NOT_OK(reader.ReadStruct([&](const FieldHeader& field) -> Status {
    switch (field.id) {
      case 1:
        return reader.ReadField(field, &out->file_path);
      case 2:
        return reader.ReadField(field, &out->file_offset, &has_file_offset);
      case 3:
        return reader.ReadField(field, &out->meta_data);
      case 4:
        return reader.ReadField(field, &out->offset_index_offset);
      case 5:
        return reader.ReadField(field, &out->offset_index_length);
      case 6:
        return reader.ReadField(field, &out->column_index_offset);
      case 7:
        return reader.ReadField(field, &out->column_index_length);
      case 8:
        return reader.ReadField(field, &out->crypto_metadata);
      case 9:
        return reader.ReadField(field, &out->encrypted_column_metadata);
      default:
        return reader.Skip(field.type);
    }
  }));
  return reader.CheckRequired(has_file_offset, "ColumnChunk", "file_offset");
}

void Encode(const ColumnChunk& value, ThriftCompactWriter& writer) {
  writer.BeginStruct();
  writer.WriteField(1, value.file_path);
  writer.WriteField(2, value.file_offset);
  writer.WriteField(3, value.meta_data);
  writer.WriteField(4, value.offset_index_offset);
  writer.WriteField(5, value.offset_index_length);
  writer.WriteField(6, value.column_index_offset);
  writer.WriteField(7, value.column_index_length);
  writer.WriteField(8, value.crypto_metadata);
  writer.WriteField(9, value.encrypted_column_metadata);
  writer.EndStruct();
}

Status Decode(ThriftCompactReader& reader, RowGroup* out) {
  bool has_columns = false;
  bool has_total_byte_size = false;
  bool has_num_rows = false;
  ARCFLOW_RETURN_NOT_OK(reader.ReadStruct([&](const FieldHeader& field) -> Status {
    switch (field.id) {
      case 1:
        return reader.ReadField(field, &out->columns, &has_columns);
      case 2:
        return reader.ReadField(field, &out->total_byte_size, &has_total_byte_size);
      case 3:
        return reader.ReadField(field, &out->num_rows, &has_num_rows);
      case 4:
        return reader.ReadField(field, &out->sorting_columns);
      case 5:
        return reader.ReadField(field, &out->file_offset);
      case 6:
        return reader.ReadField(field, &out->total_compressed_size);
      case 7:
        return reader.ReadField(field, &out->ordinal);
      default:
        return reader.Skip(field.type);
    }
  }));
  ARCFLOW_RETURN_NOT_OK(reader.CheckRequired(has_columns, "RowGroup", "columns"));
  ARCFLOW_RETURN_NOT_OK(reader.CheckRequired(has_total_byte_size, "RowGroup", "total_byte_size"));
  return reader.CheckRequired(has_num_rows, "RowGroup", "num_rows");
}

void Encode(const RowGroup& value, ThriftCompactWriter& writer) {
  writer.BeginStruct();
  writer.WriteField(1, value.columns);
  writer.WriteField(2, value.total_byte_size);
  writer.WriteField(3, value.num_rows);
  writer.WriteField(4, value.sorting_columns);
  writer.WriteField(5, value.file_offset);
  writer.WriteField(6, value.total_compressed_size);
  writer.WriteField(7, value.ordinal);
  writer.EndStruct();
}

Status Decode(ThriftCompactReader& reader, SchemaElement* out) {
  bool has_name = false;
  ARCFLOW_RETURN_NOT_OK(reader.ReadStruct([&](const FieldHeader& field) -> Status {
    switch (field.id) {
      case 1:
        return reader.ReadField(field, &out->type);
      case 2:
        return reader.ReadField(field, &out->type_length);
      case 3:
        return reader.ReadField(field, &out->repetition_type);
      case 4:
        return reader.ReadField(field, &out->name, &has_name);
      case 5:
        return reader.ReadField(field, &out->num_children);
      case 6:
        return reader.ReadField(field, &out->converted_type);
      case 7:
        return reader.ReadField(field, &out->scale);
      case 8:
        return reader.ReadField(field, &out->precision);
      case 9:
        return reader.ReadField(field, &out->field_id);
      case 10:
        return reader.ReadField(field, &out->logical_type);
      case 11:
        return reader.ReadField(field, &out->vector_length);
      default:
        return reader.Skip(field.type);
    }
  }));
  return reader.CheckRequired(has_name, "SchemaElement", "name");
}

void Encode(const SchemaElement& value, ThriftCompactWriter& writer) {
  writer.BeginStruct();
  writer.WriteField(1, value.type);
  writer.WriteField(2, value.type_length);
  writer.WriteField(3, value.repetition_type);
  writer.WriteField(4, value.name);
  writer.WriteField(5, value.num_children);
  writer.WriteField(6, value.converted_type);
  writer.WriteField(7, value.scale);
  writer.WriteField(8, value.precision);
  writer.WriteField(9, value.field_id);
  // An undefined logical type came from a newer writer and cannot be written back; leaving the
  // field out says the same thing to every reader.
  if (value.logical_type.has_value() && value.logical_type->IsDefined()) {
    writer.WriteField(10, *value.logical_type);
  }
  writer.WriteField(11, value.vector_length);
  writer.EndStruct();
}

Status Decode(ThriftCompactReader& reader, FileMetaData* out) {
  bool has_version = false;
  bool has_schema = false;
  bool has_num_rows = false;
  bool has_row_groups = false;
  ARCFLOW_RETURN_NOT_OK(reader.ReadStruct([&](const FieldHeader& field) -> Status {
    switch (field.id) {
      case 1:
        return reader.ReadField(field, &out->version, &has_version);
      case 2:
        return reader.ReadField(field, &out->schema, &has_schema);
      case 3:
        return reader.ReadField(field, &out->num_rows, &has_num_rows);
      case 4:
        return reader.ReadField(field, &out->row_groups, &has_row_groups);
      case 5:
        return reader.ReadField(field, &out->key_value_metadata);
      case 6:
        return reader.ReadField(field, &out->created_by);
      case 7:
        return reader.ReadField(field, &out->column_orders);
      case 8:
        return reader.ReadField(field, &out->encryption_algorithm);
      case 9:
        return reader.ReadField(field, &out->footer_signing_key_metadata);
      default:
        return reader.Skip(field.type);
    }
  }));
  ARCFLOW_RETURN_NOT_OK(reader.CheckRequired(has_version, "FileMetaData", "version"));
  ARCFLOW_RETURN_NOT_OK(reader.CheckRequired(has_schema, "FileMetaData", "schema"));
  ARCFLOW_RETURN_NOT_OK(reader.CheckRequired(has_num_rows, "FileMetaData", "num_rows"));
  return reader.CheckRequired(has_row_groups, "FileMetaData", "row_groups");
}

void Encode(const FileMetaData& value, ThriftCompactWriter& writer) {
  writer.BeginStruct();
  writer.WriteField(1, value.version);
  writer.WriteField(2, value.schema);
  writer.WriteField(3, value.num_rows);
  writer.WriteField(4, value.row_groups);
  writer.WriteField(5, value.key_value_metadata);
  writer.WriteField(6, value.created_by);
  writer.WriteField(7, value.column_orders);
  writer.WriteField(8, value.encryption_algorithm);
  writer.WriteField(9, value.footer_signing_key_metadata);
  writer.EndStruct();
}

Result<FileMetaData> DecodeFileMetaData(std::span<const uint8_t> bytes, int64_t base_offset) {
  Result<FileMetaData> metadata = DecodeThriftMessage<FileMetaData>(bytes, base_offset);
  if (!metadata.ok()) return metadata.status().WithContext("while decoding FileMetaData");
  return metadata;
}

void EncodeFileMetaData(const FileMetaData& metadata, BufferBuilder* out) {
  EncodeThriftMessage(metadata, out);
}

}  // namespace arcflow::parquet
