#pragma once

#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "arcflow/base/result.h"
#include "arcflow/columnar/array.h"
#include "arcflow/columnar/builder.h"
#include "arcflow/columnar/record_batch.h"
#include "arcflow/delta/data_skipping.h"

namespace arcflow::delta {

// Row-level selection on batches: keeping the rows a mask selects (used to drop the rows a
// deletion vector removes) and evaluating a conjunction of simple predicates exactly (the
// CLI's --where). All functions are thread-safe; batches are immutable.

// Appends `array[row]` to `builder`, nested values included. REQUIRES: the builder was made
// for a type with the same layout as the array's (MakeBuilder(array.type())).
void AppendArrayValue(const Array& array, int64_t row, ArrayBuilder* builder);

// The rows of `batch` whose `keep` entry is non-zero, in order. Returns `batch` itself when
// every row is kept. REQUIRES: keep.size() == batch->num_rows().
Result<RecordBatchPtr> FilterRecordBatch(const RecordBatchPtr& batch,
                                         std::span<const uint8_t> keep);

// The rows `rows` ((index into `batches`, row) pairs) of `batches`, which all have the layout
// of `schema`, as one batch of `schema`, in that order.
Result<RecordBatchPtr> GatherRows(const SchemaPtr& schema,
                                  const std::vector<RecordBatchPtr>& batches,
                                  std::span<const std::pair<int, int64_t>> rows);
// GatherRows for column `column` alone, of type `type`.
Result<ArrayPtr> GatherColumn(const DataTypePtr& type, const std::vector<RecordBatchPtr>& batches,
                              int column, std::span<const std::pair<int, int64_t>> rows);

// A conjunction of predicates bound to one batch schema: columns resolved (exact, then
// ignoring ASCII case; dotted paths reach struct members, null where a parent is null) and
// values parsed once. Immutable.
class RowFilter {
 public:
  // Invalid for an unknown column, a comparison on a nested column, or a value that does not
  // parse as the column's type.
  static Result<RowFilter> Make(const SchemaPtr& schema, std::vector<Predicate> predicates);

  // One entry per row: 1 when every predicate holds (SQL semantics: comparisons with null
  // fail), else 0. REQUIRES: the batch has the schema given to Make.
  std::vector<uint8_t> Evaluate(const RecordBatch& batch) const;
  // The rows of `batch` for which every predicate holds.
  Result<RecordBatchPtr> Apply(const RecordBatchPtr& batch) const;

 private:
  struct Bound {
    int column = 0;
    std::vector<int> members;  // Struct member indexes below the column.
    Predicate::Op op = Predicate::Op::kEq;
    TypedValue operand;
  };
  std::vector<Bound> bound_;
};

}  // namespace arcflow::delta
