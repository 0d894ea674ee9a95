#include "arcflow/columnar/projection.h"

#include "arcflow/base/bit_util.h"

namespace arcflow {

std::string TopLevelColumnPath(std::string_view name) {
  std::string path = "`";
  for (char c : name) {
    path.push_back(c);
    if (c == '`') path.push_back('`');
  }
  path.push_back('`');
  return path;
}

Result<std::vector<std::string>> SplitColumnPath(std::string_view path) {
  std::vector<std::string> parts;
  std::string current;
  bool quoted = false;
  bool part_was_quoted = false;
  for (size_t i = 0; i < path.size(); ++i) {
    char c = path[i];
    if (quoted) {
      if (c == '`') {
        if (i + 1 < path.size() && path[i + 1] == '`') {
          current.push_back('`');
          ++i;
        } else {
          quoted = false;
        }
      } else {
        current.push_back(c);
      }
    } else if (c == '`') {
      quoted = true;
      part_was_quoted = true;
    } else if (c == '.') {
      if (current.empty() && !part_was_quoted) {
        return Status::Invalid("column path '{}' has an empty part", path);
      }
      parts.push_back(std::move(current));
      current.clear();
      part_was_quoted = false;
    } else {
      current.push_back(c);
    }
  }
  if (quoted) return Status::Invalid("column path '{}' has an unclosed backtick", path);
  if (current.empty() && !part_was_quoted) {
    return Status::Invalid("column path '{}' has an empty part", path);
  }
  parts.push_back(std::move(current));
  return parts;
}

Result<Projection> Projection::Make(const SchemaPtr& input, const std::vector<std::string>& paths) {
  Projection projection;
  std::vector<Field> fields;
  for (const std::string& text : paths) {
    ARCFLOW_ASSIGN_OR_RETURN(std::vector<std::string> parts, SplitColumnPath(text));
    Path path;
    path.column = input->GetFieldIndex(parts[0]);
    if (path.column < 0) {
      return Status::Invalid("column '{}' not found; available: {}", parts[0], input->ToString());
    }
    Field field = input->field(path.column);
    for (size_t i = 1; i < parts.size(); ++i) {
      if (field.type->id() != TypeId::kStruct) {
        return Status::Invalid("column path '{}': '{}' is {}, not a struct", text, field.name,
                               field.type->ToString());
      }
      int member = field.type->GetFieldIndex(parts[i]);
      if (member < 0) {
        return Status::Invalid("column path '{}': struct '{}' has no member '{}' (type {})", text,
                               field.name, parts[i], field.type->ToString());
      }
      path.members.push_back(member);
      bool parent_nullable = field.nullable;
      field = field.type->field(member);
      field.nullable = field.nullable || parent_nullable;
    }
    fields.push_back(std::move(field));
    projection.paths_.push_back(std::move(path));
  }
  projection.output_schema_ = std::make_shared<Schema>(std::move(fields));
  return projection;
}

namespace {

// `child` with nulls wherever `parent` (a struct over the same rows) is null. The new bitmap is
// placed at the child's offset so that its other buffers stay shared untouched.
Result<std::shared_ptr<const ArrayData>> MaskWithParent(const Array& parent,
                                                        const ArrayPtr& child) {
  if (parent.null_count() == 0) return child->data();
  auto masked = std::make_shared<ArrayData>(*child->data());
  const int64_t length = child->length();
  ARCFLOW_ASSIGN_OR_RETURN(
      auto bits, Buffer::Allocate(bit_util::BytesForBits(masked->offset + length), /*zero=*/true));
  int64_t nulls = 0;
  for (int64_t i = 0; i < length; ++i) {
    if (parent.IsValid(i) && child->IsValid(i)) {
      bit_util::SetBit(bits->mutable_data(), masked->offset + i);
    } else {
      ++nulls;
    }
  }
  masked->buffers[0] = std::move(bits);
  masked->null_count = nulls;
  return std::shared_ptr<const ArrayData>(std::move(masked));
}

}  // namespace

Result<RecordBatchPtr> Projection::Apply(const RecordBatch& batch) const {
  std::vector<ArrayPtr> columns;
  columns.reserve(paths_.size());
  for (const Path& path : paths_) {
    ArrayPtr current = batch.column(path.column);
    for (int member : path.members) {
      const auto& record = static_cast<const StructArray&>(*current);
      ARCFLOW_ASSIGN_OR_RETURN(auto masked, MaskWithParent(record, record.field(member)));
      current = MakeArray(std::move(masked));
    }
    columns.push_back(std::move(current));
  }
  return RecordBatch::Make(output_schema_, batch.num_rows(), std::move(columns));
}

}  // namespace arcflow
