#include "arcflow/delta/row_filter.h"

#include <optional>
#include <vector>

#include "arcflow/base/ascii.h"
#include "arcflow/columnar/projection.h"

namespace arcflow::delta {
namespace {

struct Run {
  int64_t start;
  int64_t length;
};

// Consecutive rows of one array: the unit filtering and gathering copy.
struct Segment {
  const Array* array;
  Run rows;
};

// Appends the rows of `run` of `array` (numeric or binary) to `builder` one by one.
template <typename ArrayType, typename Builder>
void AppendRun(const ArrayType& array, const Run& run, Builder* builder) {
  for (int64_t row = run.start; row < run.start + run.length; ++row) {
    if (array.IsNull(row)) {
      builder->AppendNull();
    } else {
      builder->Append(array.Value(row));
    }
  }
}

// Concatenates segments of fixed-width arrays: whole segments at once where they hold no null.
template <typename T>
Result<ArrayPtr> ConcatenateNumeric(const DataTypePtr& type, const std::vector<Segment>& segments,
                                    int64_t num_rows) {
  NumericBuilder<T> builder(type);
  builder.Reserve(num_rows);
  for (const Segment& segment : segments) {
    const auto& array = static_cast<const NumericArray<T>&>(*segment.array);
    if (array.null_count() == 0) {
      builder.AppendValues(array.raw_values() + segment.rows.start, segment.rows.length);
    } else {
      AppendRun(array, segment.rows, &builder);
    }
  }
  return builder.Finish();
}

Result<ArrayPtr> ConcatenateBinary(const DataTypePtr& type, const std::vector<Segment>& segments,
                                   int64_t num_rows) {
  BinaryBuilder builder(type);
  builder.Reserve(num_rows);
  int64_t bytes = 0;
  for (const Segment& segment : segments) {
    const int32_t* offsets = static_cast<const BinaryArray&>(*segment.array).raw_offsets();
    bytes += offsets[segment.rows.start + segment.rows.length] - offsets[segment.rows.start];
  }
  builder.ReserveBytes(bytes);
  for (const Segment& segment : segments) {
    AppendRun(static_cast<const BinaryArray&>(*segment.array), segment.rows, &builder);
  }
  return builder.Finish();
}

// One array of `type` holding the rows of `segments` in order, `num_rows` in all. REQUIRES:
// every segment's array has the layout of `type`.
Result<ArrayPtr> ConcatenateSegments(const DataTypePtr& type, const std::vector<Segment>& segments,
                                     int64_t num_rows) {
  // One segment of an array of exactly `type` is a view of it, not a copy.
  if (segments.size() == 1 && segments[0].array->type()->Equals(*type)) {
    return segments[0].array->Slice(segments[0].rows.start, num_rows);
  }
  std::optional<Result<ArrayPtr>> numeric;
  VisitNumericValueType(type->id(), [&](auto zero) {
    numeric = ConcatenateNumeric<decltype(zero)>(type, segments, num_rows);
  });
  if (numeric) return std::move(*numeric);
  if (type->is_binary_like()) return ConcatenateBinary(type, segments, num_rows);
  // Booleans and nested values, value by value.
  std::unique_ptr<ArrayBuilder> builder = MakeBuilder(type);
  builder->Reserve(num_rows);
  for (const Segment& segment : segments) {
    for (int64_t row = segment.rows.start; row < segment.rows.start + segment.rows.length; ++row) {
      AppendArrayValue(*segment.array, row, builder.get());
    }
  }
  return builder->Finish();
}

// Rows of `batches` as runs of consecutive rows of one batch: (index into `batches`, run).
using BatchRuns = std::vector<std::pair<size_t, Run>>;

// One batch of `schema` holding `runs` of `batches` in order, `num_rows` in all.
Result<RecordBatchPtr> ConcatenateRuns(const SchemaPtr& schema,
                                       const std::vector<RecordBatchPtr>& batches,
                                       const BatchRuns& runs, int64_t num_rows) {
  std::vector<ArrayPtr> columns;
  columns.reserve(static_cast<size_t>(schema->num_fields()));
  std::vector<Segment> segments(runs.size());
  for (int column = 0; column < schema->num_fields(); ++column) {
    for (size_t i = 0; i < runs.size(); ++i) {
      segments[i] = Segment{batches[runs[i].first]->column(column).get(), runs[i].second};
    }
    ARCFLOW_ASSIGN_OR_RETURN(ArrayPtr array,
                             ConcatenateSegments(schema->field(column).type, segments, num_rows));
    columns.push_back(std::move(array));
  }
  return RecordBatch::Make(schema, num_rows, std::move(columns));
}

// Appends row `row` of batch `batch` to `runs`, extending the last run when it is the next row.
void ExtendRuns(size_t batch, int64_t row, BatchRuns* runs) {
  if (!runs->empty() && runs->back().first == batch &&
      runs->back().second.start + runs->back().second.length == row) {
    ++runs->back().second.length;
  } else {
    runs->emplace_back(batch, Run{row, 1});
  }
}

}  // namespace

void AppendArrayValue(const Array& array, int64_t row, ArrayBuilder* builder) {
  if (array.IsNull(row)) {
    builder->AppendNull();
    return;
  }
  if (VisitNumericValueType(array.type_id(), [&](auto zero) {
        using T = decltype(zero);
        static_cast<NumericBuilder<T>*>(builder)->Append(
            static_cast<const NumericArray<T>&>(array).Value(row));
      })) {
    return;
  }
  switch (array.type_id()) {
    case TypeId::kBoolean:
      static_cast<BooleanBuilder*>(builder)->Append(
          static_cast<const BooleanArray&>(array).Value(row));
      return;
    case TypeId::kString:
    case TypeId::kBinary:
      static_cast<BinaryBuilder*>(builder)->Append(
          static_cast<const BinaryArray&>(array).Value(row));
      return;
    case TypeId::kStruct: {
      const auto& struct_array = static_cast<const StructArray&>(array);
      auto* struct_builder = static_cast<StructBuilder*>(builder);
      for (int i = 0; i < struct_array.num_fields(); ++i) {
        AppendArrayValue(*struct_array.field(i), row, struct_builder->field_builder(i));
      }
      struct_builder->Append();
      return;
    }
    case TypeId::kList:
    case TypeId::kMap: {
      const auto& list_array = static_cast<const ListArray&>(array);
      auto* list_builder = static_cast<ListBuilder*>(builder);
      const Array& values = *list_array.values();
      for (int32_t i = list_array.value_offset(row); i < list_array.value_offset(row + 1); ++i) {
        AppendArrayValue(values, i, list_builder->value_builder());
      }
      list_builder->Append();
      return;
    }
    default:
      return;  // Fixed-width types, appended above.
  }
}

Result<RecordBatchPtr> FilterRecordBatch(const RecordBatchPtr& batch,
                                         std::span<const uint8_t> keep) {
  int64_t kept = 0;
  BatchRuns runs;
  for (int64_t row = 0; row < batch->num_rows(); ++row) {
    if (keep[static_cast<size_t>(row)] == 0) continue;
    ++kept;
    ExtendRuns(0, row, &runs);
  }
  if (kept == batch->num_rows()) return batch;
  return ConcatenateRuns(batch->schema(), {batch}, runs, kept);
}

// Rows often come in runs (a source sorted by key updating a file sorted by key), which are
// then copied whole.
BatchRuns RunsOf(std::span<const std::pair<int, int64_t>> rows) {
  BatchRuns runs;
  for (const auto& [batch, row] : rows) ExtendRuns(static_cast<size_t>(batch), row, &runs);
  return runs;
}

Result<RecordBatchPtr> GatherRows(const SchemaPtr& schema,
                                  const std::vector<RecordBatchPtr>& batches,
                                  std::span<const std::pair<int, int64_t>> rows) {
  return ConcatenateRuns(schema, batches, RunsOf(rows), static_cast<int64_t>(rows.size()));
}

Result<ArrayPtr> GatherColumn(const DataTypePtr& type, const std::vector<RecordBatchPtr>& batches,
                              int column, std::span<const std::pair<int, int64_t>> rows) {
  const BatchRuns runs = RunsOf(rows);
  std::vector<Segment> segments;
  segments.reserve(runs.size());
  for (const auto& [batch, run] : runs) {
    segments.push_back(Segment{batches[batch]->column(column).get(), run});
  }
  return ConcatenateSegments(type, segments, static_cast<int64_t>(rows.size()));
}

Result<RowFilter> RowFilter::Make(const SchemaPtr& schema, std::vector<Predicate> predicates) {
  RowFilter filter;
  for (const Predicate& predicate : predicates) {
    ARCFLOW_ASSIGN_OR_RETURN(std::vector<std::string> path, SplitColumnPath(predicate.column));
    Bound bound;
    bound.op = predicate.op;
    const std::vector<Field>* fields = &schema->fields();
    const Field* field = nullptr;
    for (size_t i = 0; i < path.size(); ++i) {
      int index = fields == nullptr ? -1 : FindFieldIndex(*fields, path[i]);
      if (index < 0) {
        return Status::Invalid("delta: filter column \"{}\" is not in the schema ({})",
                               predicate.column, schema->ToString());
      }
      if (i == 0) {
        bound.column = index;
      } else {
        bound.members.push_back(index);
      }
      field = &(*fields)[static_cast<size_t>(index)];
      fields = field->type->id() == TypeId::kStruct ? &field->type->fields() : nullptr;
    }
    bool null_test =
        predicate.op == Predicate::Op::kIsNull || predicate.op == Predicate::Op::kIsNotNull;
    if (null_test) {
      bound.operand = TypedValue::Null(field->type);
    } else {
      if (field->type->is_nested()) {
        return Status::Invalid(
            "delta: filter column \"{}\" has nested type {}; only primitive "
            "columns can be compared",
            predicate.column, field->type->ToString());
      }
      ARCFLOW_ASSIGN_OR_RETURN(bound.operand,
                               ParsePredicateValue(predicate.value, field->type, predicate.column));
    }
    filter.bound_.push_back(std::move(bound));
  }
  return filter;
}

std::vector<uint8_t> RowFilter::Evaluate(const RecordBatch& batch) const {
  std::vector<uint8_t> keep(static_cast<size_t>(batch.num_rows()), 1);
  for (const Bound& bound : bound_) {
    // Walk down the struct path; a null parent makes the member null.
    std::vector<ArrayPtr> chain = {batch.column(bound.column)};
    for (int member : bound.members) {
      chain.push_back(static_cast<const StructArray&>(*chain.back()).field(member));
    }
    const Array& leaf = *chain.back();
    bool primitive = !leaf.type()->is_nested();
    for (int64_t row = 0; row < batch.num_rows(); ++row) {
      if (keep[static_cast<size_t>(row)] == 0) continue;
      bool is_null = false;
      for (const ArrayPtr& level : chain) is_null = is_null || level->IsNull(row);
      TypedValue value =
          is_null || !primitive ? TypedValue::Null(leaf.type()) : TypedValueAt(leaf, row);
      if (!is_null && !primitive) {
        // A non-null nested value: only the null tests apply.
        keep[static_cast<size_t>(row)] = bound.op == Predicate::Op::kIsNotNull ? 1 : 0;
        continue;
      }
      if (!EvaluatePredicate(value, bound.op, bound.operand)) keep[static_cast<size_t>(row)] = 0;
    }
  }
  return keep;
}

Result<RecordBatchPtr> RowFilter::Apply(const RecordBatchPtr& batch) const {
  if (bound_.empty()) return batch;
  std::vector<uint8_t> keep = Evaluate(*batch);
  return FilterRecordBatch(batch, keep);
}

}  // namespace arcflow::delta
