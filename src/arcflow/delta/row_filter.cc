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

// Copies the runs of rows of a fixed-width column: whole runs at once where they hold no null.
template <typename T>
Result<ArrayPtr> FilterNumeric(const Array& column, const std::vector<Run>& runs, int64_t kept) {
  const auto& array = static_cast<const NumericArray<T>&>(column);
  NumericBuilder<T> builder(column.type());
  builder.Reserve(kept);
  for (const Run& run : runs) {
    if (column.null_count() == 0) {
      builder.AppendValues(array.raw_values() + run.start, run.length);
      continue;
    }
    AppendRun(array, run, &builder);
  }
  return builder.Finish();
}

Result<ArrayPtr> FilterBinary(const Array& column, const std::vector<Run>& runs, int64_t kept) {
  const auto& array = static_cast<const BinaryArray&>(column);
  BinaryBuilder builder(column.type());
  builder.Reserve(kept);
  int64_t bytes = 0;
  for (const Run& run : runs) {
    bytes += array.raw_offsets()[run.start + run.length] - array.raw_offsets()[run.start];
  }
  builder.ReserveBytes(bytes);
  for (const Run& run : runs) {
    AppendRun(array, run, &builder);
  }
  return builder.Finish();
}

Result<ArrayPtr> FilterColumn(const Array& column, const std::vector<Run>& runs, int64_t kept) {
  std::optional<Result<ArrayPtr>> numeric;
  VisitNumericValueType(column.type_id(), [&](auto zero) {
    numeric = FilterNumeric<decltype(zero)>(column, runs, kept);
  });
  if (numeric) return std::move(*numeric);
  if (column.type()->is_binary_like()) return FilterBinary(column, runs, kept);
  // Booleans and nested values, value by value.
  std::unique_ptr<ArrayBuilder> builder = MakeBuilder(column.type());
  builder->Reserve(kept);
  for (const Run& run : runs) {
    for (int64_t row = run.start; row < run.start + run.length; ++row) {
      AppendArrayValue(column, row, builder.get());
    }
  }
  return builder->Finish();
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
  std::vector<Run> runs;
  for (int64_t row = 0; row < batch->num_rows(); ++row) {
    if (keep[static_cast<size_t>(row)] == 0) continue;
    ++kept;
    if (!runs.empty() && runs.back().start + runs.back().length == row) {
      ++runs.back().length;
    } else {
      runs.push_back(Run{row, 1});
    }
  }
  if (kept == batch->num_rows()) return batch;
  std::vector<ArrayPtr> columns;
  columns.reserve(static_cast<size_t>(batch->num_columns()));
  for (const ArrayPtr& column : batch->columns()) {
    ARCFLOW_ASSIGN_OR_RETURN(ArrayPtr filtered, FilterColumn(*column, runs, kept));
    columns.push_back(std::move(filtered));
  }
  return RecordBatch::Make(batch->schema(), kept, std::move(columns));
}

Result<RecordBatchPtr> GatherRows(const SchemaPtr& schema,
                                  const std::vector<RecordBatchPtr>& batches,
                                  std::span<const std::pair<int, int64_t>> rows) {
  const auto num_rows = static_cast<int64_t>(rows.size());
  std::vector<ArrayPtr> columns;
  for (int column = 0; column < schema->num_fields(); ++column) {
    const DataTypePtr& type = schema->field(column).type;
    const auto array_of = [&](const std::pair<int, int64_t>& row) -> const Array& {
      return *batches[static_cast<size_t>(row.first)]->column(column);
    };
    std::unique_ptr<ArrayBuilder> builder = MakeBuilder(type);
    builder->Reserve(num_rows);
    // Typed loops for the common flat types; others value by value.
    const bool numeric = VisitNumericValueType(type->id(), [&](auto zero) {
      using T = decltype(zero);
      auto* typed = static_cast<NumericBuilder<T>*>(builder.get());
      for (const auto& row : rows) {
        const auto& array = static_cast<const NumericArray<T>&>(array_of(row));
        AppendRun(array, Run{row.second, 1}, typed);
      }
    });
    if (!numeric && type->is_binary_like()) {
      auto* typed = static_cast<BinaryBuilder*>(builder.get());
      for (const auto& row : rows) {
        AppendRun(static_cast<const BinaryArray&>(array_of(row)), Run{row.second, 1}, typed);
      }
    } else if (!numeric) {
      for (const auto& row : rows) AppendArrayValue(array_of(row), row.second, builder.get());
    }
    ARCFLOW_ASSIGN_OR_RETURN(ArrayPtr gathered, builder->Finish());
    columns.push_back(std::move(gathered));
  }
  return RecordBatch::Make(schema, num_rows, std::move(columns));
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
