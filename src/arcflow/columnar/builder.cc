#include "arcflow/columnar/builder.h"

#include <limits>

namespace arcflow {

Result<ArrayPtr> ArrayBuilder::Finish() {
  ARCFLOW_ASSIGN_OR_RETURN(auto data, FinishData());
  return MakeArray(std::move(data));
}

void ArrayBuilder::MaterializeValidity() {
  // Every entry so far was valid: start the bitmap with that many set bits.
  validity_.Resize(bit_util::BytesForBits(length_));
  if (length_ > 0) {
    std::memset(validity_.data(), 0xFF, static_cast<size_t>(length_ >> 3));
    for (int64_t i = (length_ >> 3) << 3; i < length_; ++i) bit_util::SetBit(validity_.data(), i);
  }
  // A builder with no rows yet still needs a non-empty marker that the bitmap is live.
  if (validity_.size() == 0) validity_.Reserve(8);
}

void ArrayBuilder::AppendValidRun(int64_t count) {
  if (null_count_ == 0) {
    length_ += count;
    return;
  }
  validity_.Resize(bit_util::BytesForBits(length_ + count));
  for (int64_t i = 0; i < count; ++i) bit_util::SetBit(validity_.data(), length_ + i);
  length_ += count;
}

std::shared_ptr<const Buffer> ArrayBuilder::FinishValidity() {
  std::shared_ptr<const Buffer> bitmap;
  if (null_count_ > 0) {
    validity_.Resize(bit_util::BytesForBits(length_));
    bitmap = validity_.Finish();
  } else {
    validity_ = BufferBuilder();
  }
  length_ = 0;
  null_count_ = 0;
  return bitmap;
}

Result<std::shared_ptr<const ArrayData>> BooleanBuilder::FinishData() {
  auto data = std::make_shared<ArrayData>();
  data->type = type_;
  data->length = length_;
  data->null_count = null_count_;
  bits_.Resize(bit_util::BytesForBits(length_));
  data->buffers = {FinishValidity(), bits_.Finish()};
  return std::shared_ptr<const ArrayData>(std::move(data));
}

Result<std::shared_ptr<const ArrayData>> BinaryBuilder::FinishData() {
  if (bytes_.size() > std::numeric_limits<int32_t>::max()) {
    return Status::Invalid(
        "array: {} column holds {} bytes in one batch, over the 2 GiB limit of int32 offsets; "
        "use smaller batches",
        type_->ToString(), bytes_.size());
  }
  auto data = std::make_shared<ArrayData>();
  data->type = type_;
  data->length = length_;
  data->null_count = null_count_;
  data->buffers = {FinishValidity(), offsets_.Finish(), bytes_.Finish()};
  offsets_.AppendValue<int32_t>(0);
  return std::shared_ptr<const ArrayData>(std::move(data));
}

void StructBuilder::AppendNull() {
  for (auto& child : field_builders_) child->AppendNull();
  AppendValidity(false);
}

void StructBuilder::AppendEmptyValue() {
  for (auto& child : field_builders_) child->AppendNull();
  AppendValidity(true);
}

void StructBuilder::Reserve(int64_t additional) {
  for (auto& child : field_builders_) child->Reserve(additional);
}

int64_t StructBuilder::EstimatedBytes() const {
  int64_t total = validity_.size();
  for (const auto& child : field_builders_) total += child->EstimatedBytes();
  return total;
}

Result<std::shared_ptr<const ArrayData>> StructBuilder::FinishData() {
  auto data = std::make_shared<ArrayData>();
  data->type = type_;
  data->length = length_;
  data->null_count = null_count_;
  for (size_t i = 0; i < field_builders_.size(); ++i) {
    if (field_builders_[i]->length() != length_) {
      return Status::Internal("array: struct member {} has {} rows, struct has {}",
                              type_->field(static_cast<int>(i)).name, field_builders_[i]->length(),
                              length_);
    }
    ARCFLOW_ASSIGN_OR_RETURN(auto child, field_builders_[i]->FinishData());
    data->children.push_back(std::move(child));
  }
  data->buffers = {FinishValidity()};
  return std::shared_ptr<const ArrayData>(std::move(data));
}

Result<std::shared_ptr<const ArrayData>> ListBuilder::FinishData() {
  if (value_builder_->length() > std::numeric_limits<int32_t>::max()) {
    return Status::Invalid("array: {} column holds {} elements in one batch, over the int32 limit",
                           type_->ToString(), value_builder_->length());
  }
  auto data = std::make_shared<ArrayData>();
  data->type = type_;
  data->length = length_;
  data->null_count = null_count_;
  ARCFLOW_ASSIGN_OR_RETURN(auto child, value_builder_->FinishData());
  data->children.push_back(std::move(child));
  data->buffers = {FinishValidity(), offsets_.Finish()};
  offsets_.AppendValue<int32_t>(0);
  return std::shared_ptr<const ArrayData>(std::move(data));
}

std::unique_ptr<ArrayBuilder> MakeBuilder(const DataTypePtr& type) {
  switch (type->id()) {
    case TypeId::kBoolean:
      return std::make_unique<BooleanBuilder>();
    case TypeId::kInt8:
      return std::make_unique<Int8Builder>(type);
    case TypeId::kInt16:
      return std::make_unique<Int16Builder>(type);
    case TypeId::kInt32:
    case TypeId::kDate32:
      return std::make_unique<Int32Builder>(type);
    case TypeId::kInt64:
    case TypeId::kTimestamp:
      return std::make_unique<Int64Builder>(type);
    case TypeId::kFloat32:
      return std::make_unique<Float32Builder>(type);
    case TypeId::kFloat64:
      return std::make_unique<Float64Builder>(type);
    case TypeId::kDecimal128:
      return std::make_unique<Decimal128Builder>(type);
    case TypeId::kString:
    case TypeId::kBinary:
      return std::make_unique<BinaryBuilder>(type);
    case TypeId::kStruct: {
      std::vector<std::unique_ptr<ArrayBuilder>> children;
      for (const Field& field : type->fields()) children.push_back(MakeBuilder(field.type));
      return std::make_unique<StructBuilder>(type, std::move(children));
    }
    case TypeId::kList:
      return std::make_unique<ListBuilder>(type, MakeBuilder(type->element_field().type));
    case TypeId::kMap:
      return std::make_unique<ListBuilder>(type, MakeBuilder(types::MapEntries(*type)));
  }
  return nullptr;
}

Result<ArrayPtr> MakeNullArray(const DataTypePtr& type, int64_t length) {
  std::unique_ptr<ArrayBuilder> builder = MakeBuilder(type);
  builder->Reserve(length);
  builder->AppendNulls(length);
  return builder->Finish();
}

}  // namespace arcflow
