#include "arcflow/columnar/array.h"

namespace arcflow {

ArrayPtr Array::Slice(int64_t offset, int64_t length) const {
  return MakeArray(data_->Slice(offset, length));
}

StructArray::StructArray(std::shared_ptr<const ArrayData> data) : Array(std::move(data)) {
  fields_.reserve(data_->children.size());
  for (const auto& child : data_->children) {
    if (data_->offset == 0 && child->length == data_->length) {
      fields_.push_back(MakeArray(child));
    } else {
      fields_.push_back(MakeArray(child->Slice(data_->offset, data_->length)));
    }
  }
}

MapArray::MapArray(std::shared_ptr<const ArrayData> data) : ListArray(std::move(data)) {
  const auto& entries = data_->children[0];
  keys_ = MakeArray(entries->children[0]->Slice(entries->offset, entries->length));
  items_ = MakeArray(entries->children[1]->Slice(entries->offset, entries->length));
}

ArrayPtr MakeArray(std::shared_ptr<const ArrayData> data) {
  switch (data->type->id()) {
    case TypeId::kBoolean:
      return std::make_shared<BooleanArray>(std::move(data));
    case TypeId::kInt8:
      return std::make_shared<Int8Array>(std::move(data));
    case TypeId::kInt16:
      return std::make_shared<Int16Array>(std::move(data));
    case TypeId::kInt32:
    case TypeId::kDate32:
      return std::make_shared<Int32Array>(std::move(data));
    case TypeId::kInt64:
    case TypeId::kTimestamp:
      return std::make_shared<Int64Array>(std::move(data));
    case TypeId::kFloat32:
      return std::make_shared<Float32Array>(std::move(data));
    case TypeId::kFloat64:
      return std::make_shared<Float64Array>(std::move(data));
    case TypeId::kDecimal128:
      return std::make_shared<Decimal128Array>(std::move(data));
    case TypeId::kString:
    case TypeId::kBinary:
      return std::make_shared<BinaryArray>(std::move(data));
    case TypeId::kStruct:
      return std::make_shared<StructArray>(std::move(data));
    case TypeId::kList:
      return std::make_shared<ListArray>(std::move(data));
    case TypeId::kMap:
      return std::make_shared<MapArray>(std::move(data));
  }
  return nullptr;
}

}  // namespace arcflow
