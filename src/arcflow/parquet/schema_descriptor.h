#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "arcflow/base/result.h"
#include "arcflow/parquet/file_metadata.h"
#include "arcflow/parquet/format_enums.h"
#include "arcflow/parquet/logical_type.h"
#include "arcflow/parquet/physical_type.h"

namespace arcflow::parquet {

// One node of a Parquet schema tree: a group (no physical type; zero or more children) or a
// leaf column (a physical type; no children). A plain value tree; writers build one and hand
// it to SchemaDescriptor::FromRoot or FlattenSchema.
struct SchemaNode {
  std::string name;
  // Absent on the root (which has no repetition of its own) and, in some files, on other
  // nodes, where it means REQUIRED.
  std::optional<FieldRepetitionType> repetition;
  // Set exactly on leaves.
  std::optional<PhysicalType> physical_type;
  // The byte width of FIXED_LEN_BYTE_ARRAY values; some writers set it on other leaves too.
  std::optional<int32_t> type_length;
  std::optional<ConvertedType> converted_type;
  std::optional<LogicalType> logical_type;
  // The legacy decimal parameters, kept beside the DECIMAL logical type.
  std::optional<int32_t> scale;
  std::optional<int32_t> precision;
  std::optional<int32_t> field_id;
  std::vector<SchemaNode> children;

  bool is_leaf() const { return physical_type.has_value(); }
  bool is_group() const { return !is_leaf(); }

  bool operator==(const SchemaNode&) const = default;
};

// A node on the path from the root to a leaf column, with the levels values reach there.
struct ColumnAncestor {
  const SchemaNode* node = nullptr;
  // The maximum definition and repetition levels at this node, counting the node itself.
  int16_t definition_level = 0;
  int16_t repetition_level = 0;
};

// What a reader needs to know about one leaf column. The pointers point into the tree of the
// SchemaDescriptor it came from and live as long as any copy of that descriptor.
struct ColumnDescriptor {
  // Position among the leaves, which is also the column chunk's position in each row group.
  int column_index = 0;
  const SchemaNode* leaf = nullptr;
  // The root first, then every group down to the leaf's parent.
  std::vector<ColumnAncestor> ancestors;
  // Names from the root's child down to the leaf (the root's own name is not part of a path),
  // matching ColumnMetaData::path_in_schema, and the same joined with '.'.
  std::vector<std::string> path;
  std::string dotted_path;
  int16_t max_definition_level = 0;
  int16_t max_repetition_level = 0;
  PhysicalType physical_type = PhysicalType::kBoolean;
  // The value width for FIXED_LEN_BYTE_ARRAY, 0 for other types.
  int32_t type_length = 0;
};

// A validated schema tree and its leaf columns, built from the flattened SchemaElement list of
// a file's footer or from a tree a writer made. Immutable and cheap to copy (the tree is
// shared); thread-safe.
class SchemaDescriptor {
 public:
  // Schema trees may nest this deep (the root is at depth 0). Real schemas stay far below it;
  // the limit keeps hostile schemas from building levels or recursion without bound.
  static constexpr int kMaxDepth = 128;

  // Rebuilds the tree from the depth-first list in FileMetaData::schema. Fails with
  // Corruption when a group's num_children runs past the end of the list, elements are left
  // over after the root's tree, the root is not a group, a group has a physical type, a leaf
  // lacks one (or has an unknown one, or FIXED_LEN_BYTE_ARRAY without a positive length), a
  // repetition is unknown, or nesting passes kMaxDepth; with NotImplemented for VECTOR
  // repetition.
  static Result<SchemaDescriptor> FromElements(std::span<const SchemaElement> elements);

  // Validates a tree built by a writer under the same rules, failing with Invalid instead.
  static Result<SchemaDescriptor> FromRoot(SchemaNode root);

  const SchemaNode& root() const { return *root_; }
  int num_columns() const { return static_cast<int>(columns_.size()); }
  // REQUIRES: 0 <= index < num_columns().
  const ColumnDescriptor& column(int index) const { return columns_[index]; }
  const std::vector<ColumnDescriptor>& columns() const { return columns_; }

  // Returns the index of the first leaf whose path equals `path`, if any.
  std::optional<int> FindColumn(std::span<const std::string> path) const;
  std::optional<int> FindColumn(std::string_view dotted_path) const;

 private:
  SchemaDescriptor() = default;
  static Result<SchemaDescriptor> Make(std::shared_ptr<const SchemaNode> root, bool from_file);

  std::shared_ptr<const SchemaNode> root_;
  std::vector<ColumnDescriptor> columns_;
};

// Flattens a tree into the depth-first SchemaElement list FileMetaData holds: groups get
// num_children, leaves get their type. Fails with Invalid when a node below the root has no
// repetition or the tree nests deeper than SchemaDescriptor::kMaxDepth.
Result<std::vector<SchemaElement>> FlattenSchema(const SchemaNode& root);

}  // namespace arcflow::parquet
