#pragma once

#include <string>
#include <vector>

#include "arcflow/base/result.h"
#include "arcflow/columnar/record_batch.h"

namespace arcflow {

// Selects columns, and members of struct columns by dotted path ("address.city"), from
// batches of one schema. A selected struct member is null wherever a struct on its path is
// null. As in Spark, the output column is named after the last path segment. Names match
// exactly; a backticked segment ("`a.b`.c") may contain dots. Immutable; thread-safe.
class Projection {
 public:
  static Result<Projection> Make(const SchemaPtr& input, const std::vector<std::string>& paths);

  const SchemaPtr& output_schema() const { return output_schema_; }
  Result<RecordBatchPtr> Apply(const RecordBatch& batch) const;

 private:
  struct Path {
    int column = 0;
    std::vector<int> members;  // Struct member indexes below the column.
  };
  SchemaPtr output_schema_;
  std::vector<Path> paths_;
};

// Splits "a.`b.c`.d" into {"a", "b.c", "d"}; Invalid for an unclosed backtick or empty part.
Result<std::vector<std::string>> SplitColumnPath(std::string_view path);

// The path of the top-level column `name`, whatever it holds: "`name`", backticks doubled,
// which SplitColumnPath splits back into {name}.
std::string TopLevelColumnPath(std::string_view name);

}  // namespace arcflow
