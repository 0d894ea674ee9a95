#include "arcflow/parquet/schema_descriptor.h"

#include <algorithm>
#include <utility>

namespace arcflow::parquet {
namespace {

// Builds errors as Corruption for schemas read from files and Invalid for trees made by
// arcflow's own writers, so that the code says whose fault it is.
class SchemaErrors {
 public:
  explicit SchemaErrors(bool from_file) : from_file_(from_file) {}

  template <typename... Args>
  Status operator()(fmt::format_string<Args...> format, Args&&... args) const {
    std::string message = "parquet: " + fmt::format(format, std::forward<Args>(args)...);
    return Status(from_file_ ? StatusCode::kCorruption : StatusCode::kInvalid, std::move(message));
  }

 private:
  bool from_file_;
};

SchemaNode NodeFromElement(const SchemaElement& element, bool is_leaf) {
  SchemaNode node;
  node.name = element.name;
  node.repetition = element.repetition_type;
  if (is_leaf) node.physical_type = element.type;
  node.type_length = element.type_length;
  node.converted_type = element.converted_type;
  node.logical_type = element.logical_type;
  node.scale = element.scale;
  node.precision = element.precision;
  node.field_id = element.field_id;
  return node;
}

// Walks the tree, checking each node and collecting the leaf columns with their levels.
class ColumnCollector {
 public:
  ColumnCollector(const SchemaErrors& error, std::vector<ColumnDescriptor>* columns)
      : error_(error), columns_(columns) {}

  Status VisitRoot(const SchemaNode& root) {
    if (root.is_leaf()) {
      return error_("schema root '{}' is not a group (it has physical type {})", root.name,
                    PhysicalTypeName(*root.physical_type));
    }
    ancestors_.push_back(ColumnAncestor{&root, 0, 0});
    for (const SchemaNode& child : root.children) ARCFLOW_RETURN_NOT_OK(Visit(child));
    ancestors_.pop_back();
    return Status::OK();
  }

 private:
  Status Visit(const SchemaNode& node) {
    // The root sits at depth 0, so a node's depth is the number of its ancestors.
    if (static_cast<int>(ancestors_.size()) > SchemaDescriptor::kMaxDepth) {
      return error_("schema nests deeper than {} levels (at '{}')", SchemaDescriptor::kMaxDepth,
                    node.name);
    }
    const ColumnAncestor& parent = ancestors_.back();
    int16_t definition_level = parent.definition_level;
    int16_t repetition_level = parent.repetition_level;
    FieldRepetitionType repetition = node.repetition.value_or(FieldRepetitionType::kRequired);
    switch (repetition) {
      case FieldRepetitionType::kRequired:
        break;
      case FieldRepetitionType::kOptional:
        ++definition_level;
        break;
      case FieldRepetitionType::kRepeated:
        ++definition_level;
        ++repetition_level;
        break;
      case FieldRepetitionType::kVector:
        return Status::NotImplemented(
            "parquet: VECTOR repetition is not supported (schema node '{}')", node.name);
      default:
        return error_("schema node '{}' has unknown repetition type {}", node.name,
                      static_cast<int32_t>(repetition));
    }
    path_.push_back(node.name);
    if (node.is_leaf()) {
      ARCFLOW_RETURN_NOT_OK(AddLeaf(node, definition_level, repetition_level));
    } else {
      ancestors_.push_back(ColumnAncestor{&node, definition_level, repetition_level});
      for (const SchemaNode& child : node.children) ARCFLOW_RETURN_NOT_OK(Visit(child));
      ancestors_.pop_back();
    }
    path_.pop_back();
    return Status::OK();
  }

  Status AddLeaf(const SchemaNode& leaf, int16_t definition_level, int16_t repetition_level) {
    PhysicalType type = *leaf.physical_type;
    if (!IsKnownPhysicalType(type)) {
      return error_("schema leaf '{}' has unknown physical type {}", leaf.name,
                    static_cast<int32_t>(type));
    }
    if (!leaf.children.empty()) {
      return error_("schema leaf '{}' of type {} has children", leaf.name, PhysicalTypeName(type));
    }
    int32_t type_length = 0;
    if (type == PhysicalType::kFixedLenByteArray) {
      if (!leaf.type_length.has_value() || *leaf.type_length <= 0) {
        return error_("schema leaf '{}' is FIXED_LEN_BYTE_ARRAY without a positive type_length",
                      leaf.name);
      }
      type_length = *leaf.type_length;
    }
    ColumnDescriptor column;
    column.column_index = static_cast<int>(columns_->size());
    column.leaf = &leaf;
    column.ancestors = ancestors_;
    column.path = path_;
    for (size_t i = 0; i < path_.size(); ++i) {
      if (i > 0) column.dotted_path += '.';
      column.dotted_path += path_[i];
    }
    column.max_definition_level = definition_level;
    column.max_repetition_level = repetition_level;
    column.physical_type = type;
    column.type_length = type_length;
    columns_->push_back(std::move(column));
    return Status::OK();
  }

  const SchemaErrors& error_;
  std::vector<ColumnDescriptor>* columns_;
  std::vector<ColumnAncestor> ancestors_;
  std::vector<std::string> path_;
};

Status FlattenNode(const SchemaNode& node, int depth, std::vector<SchemaElement>* out) {
  if (depth > SchemaDescriptor::kMaxDepth) {
    return Status::Invalid("parquet: schema nests deeper than {} levels (at '{}')",
                           SchemaDescriptor::kMaxDepth, node.name);
  }
  if (depth > 0 && !node.repetition.has_value()) {
    return Status::Invalid("parquet: schema node '{}' has no repetition", node.name);
  }
  if (node.is_leaf() && !node.children.empty()) {
    return Status::Invalid("parquet: schema leaf '{}' has children", node.name);
  }
  SchemaElement element;
  element.name = node.name;
  element.repetition_type = node.repetition;
  element.type = node.physical_type;
  element.type_length = node.type_length;
  element.converted_type = node.converted_type;
  element.logical_type = node.logical_type;
  element.scale = node.scale;
  element.precision = node.precision;
  element.field_id = node.field_id;
  if (node.is_group()) element.num_children = static_cast<int32_t>(node.children.size());
  out->push_back(std::move(element));
  for (const SchemaNode& child : node.children) {
    ARCFLOW_RETURN_NOT_OK(FlattenNode(child, depth + 1, out));
  }
  return Status::OK();
}

}  // namespace

Result<SchemaDescriptor> SchemaDescriptor::FromElements(std::span<const SchemaElement> elements) {
  SchemaErrors error(/*from_file=*/true);
  if (elements.empty()) return error("schema has no elements");
  const SchemaElement& root_element = elements[0];
  if (root_element.type.has_value()) {
    return error("schema root '{}' is not a group (it has physical type {})", root_element.name,
                 PhysicalTypeName(*root_element.type));
  }

  // The list is the tree in depth-first order, each group followed by its num_children
  // subtrees. Rebuild it with an explicit stack so that hostile nesting cannot exhaust the
  // call stack; `pending` counts the children each open group still expects.
  struct OpenGroup {
    SchemaNode* node;
    int64_t pending;
  };
  auto root = std::make_shared<SchemaNode>(NodeFromElement(root_element, /*is_leaf=*/false));
  std::vector<OpenGroup> open;
  size_t next = 1;
  // The children all open groups still expect. Keeping it within the elements left means every
  // expected child has an element, and the reservations below add up to at most one node per
  // element however the counts are forged.
  int64_t total_pending = 0;
  auto open_group = [&](SchemaNode* node, const SchemaElement& element) -> Status {
    int64_t children = element.num_children.value_or(0);
    if (children < 0) {
      return error("schema element {} ('{}') has negative num_children {}", next - 1, element.name,
                   children);
    }
    if (children > static_cast<int64_t>(elements.size() - next) - total_pending) {
      return error(
          "schema element {} ('{}') has num_children {}, which runs past the end of "
          "the {} schema elements",
          next - 1, element.name, children, elements.size());
    }
    if (static_cast<int>(open.size()) >= kMaxDepth) {
      return error("schema nests deeper than {} levels (at element {}, '{}')", kMaxDepth, next - 1,
                   element.name);
    }
    node->children.reserve(static_cast<size_t>(children));
    open.push_back(OpenGroup{node, children});
    total_pending += children;
    return Status::OK();
  };
  ARCFLOW_RETURN_NOT_OK(open_group(root.get(), root_element));

  while (!open.empty()) {
    OpenGroup& top = open.back();
    if (top.pending == 0) {
      open.pop_back();
      continue;
    }
    --top.pending;
    --total_pending;
    // open_group checked that every pending child has an element left.
    size_t index = next++;
    const SchemaElement& element = elements[index];
    if (element.num_children.has_value() && *element.num_children > 0) {
      if (element.type.has_value()) {
        return error(
            "schema element {} ('{}') is a group with {} children but has physical "
            "type {}",
            index, element.name, *element.num_children, PhysicalTypeName(*element.type));
      }
    } else if (!element.type.has_value() && !element.num_children.has_value()) {
      return error("schema element {} ('{}') is a leaf without a physical type", index,
                   element.name);
    }
    // num_children == 0 with a type is a leaf as some writers spell it; without a type it is
    // an empty group.
    bool is_leaf = element.type.has_value() && element.num_children.value_or(0) == 0;
    SchemaNode* parent = top.node;
    parent->children.push_back(NodeFromElement(element, is_leaf));
    // Children were reserved, so pointers to earlier siblings stay valid; `top` may not.
    if (!is_leaf) ARCFLOW_RETURN_NOT_OK(open_group(&parent->children.back(), element));
  }
  if (next != elements.size()) {
    return error("schema has {} elements but the root's tree covers only {}", elements.size(),
                 next);
  }
  return Make(std::move(root), /*from_file=*/true);
}

Result<SchemaDescriptor> SchemaDescriptor::FromRoot(SchemaNode root) {
  return Make(std::make_shared<const SchemaNode>(std::move(root)), /*from_file=*/false);
}

Result<SchemaDescriptor> SchemaDescriptor::Make(std::shared_ptr<const SchemaNode> root,
                                                bool from_file) {
  SchemaErrors error(from_file);
  SchemaDescriptor descriptor;
  ColumnCollector collector(error, &descriptor.columns_);
  ARCFLOW_RETURN_NOT_OK(collector.VisitRoot(*root));
  descriptor.root_ = std::move(root);
  return descriptor;
}

std::optional<int> SchemaDescriptor::FindColumn(std::span<const std::string> path) const {
  for (const ColumnDescriptor& column : columns_) {
    if (std::equal(column.path.begin(), column.path.end(), path.begin(), path.end())) {
      return column.column_index;
    }
  }
  return std::nullopt;
}

std::optional<int> SchemaDescriptor::FindColumn(std::string_view dotted_path) const {
  for (const ColumnDescriptor& column : columns_) {
    if (column.dotted_path == dotted_path) return column.column_index;
  }
  return std::nullopt;
}

Result<std::vector<SchemaElement>> FlattenSchema(const SchemaNode& root) {
  if (root.is_leaf()) {
    return Status::Invalid("parquet: schema root '{}' is not a group", root.name);
  }
  std::vector<SchemaElement> elements;
  ARCFLOW_RETURN_NOT_OK(FlattenNode(root, 0, &elements));
  return elements;
}

}  // namespace arcflow::parquet
