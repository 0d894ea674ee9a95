#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "arcflow/columnar/data_type.h"

namespace arcflow {

// The ordered, named columns of a RecordBatch or table, with optional schema-level metadata.
// Immutable once built and shared by `SchemaPtr`. Thread-safe.
class Schema {
 public:
  explicit Schema(std::vector<Field> fields, FieldMetadata metadata = {})
      : fields_(std::move(fields)), metadata_(std::move(metadata)) {}

  const std::vector<Field>& fields() const { return fields_; }
  int num_fields() const { return static_cast<int>(fields_.size()); }
  const Field& field(int i) const { return fields_[static_cast<size_t>(i)]; }
  const FieldMetadata& metadata() const { return metadata_; }

  // Index of the column named `name` (case-sensitive), or -1.
  int GetFieldIndex(std::string_view name) const;
  // Index of the column whose name equals `name` ignoring ASCII case, or -1; -2 when several
  // columns match (Spark's ambiguity error).
  int GetFieldIndexIgnoreCase(std::string_view name) const;

  // The schema as a struct type, for code that treats a row as a struct.
  DataTypePtr AsStruct() const { return types::Struct(fields_); }

  bool Equals(const Schema& other, bool check_metadata = true) const;

  // "a int, b struct<x:string>" (Spark simpleString of the members).
  std::string ToString() const;

 private:
  std::vector<Field> fields_;
  FieldMetadata metadata_;
};

using SchemaPtr = std::shared_ptr<const Schema>;

// `type` with every struct member, list element and map value nullable (map keys stay
// non-null): how Spark's file sources read any schema they are given.
DataTypePtr MakeNullableType(const DataTypePtr& type);
// `schema` with every column nullable in the sense of MakeNullableType.
SchemaPtr MakeNullableSchema(const Schema& schema);

}  // namespace arcflow
