#include "arcflow/json/rollback_builder.h"

#include <cstring>
#include <limits>

#include "arcflow/base/bit_util.h"

namespace arcflow::json {

namespace {

bool UsesOffsets(TypeId id) {
  return id == TypeId::kString || id == TypeId::kBinary || id == TypeId::kList ||
         id == TypeId::kMap;
}

// Clears the bits at and after `length` in the last byte of a bitmap of `length` bits, so that
// later appends, which only set bits, start from zero.
void ClearTailBits(BufferBuilder* bits, int64_t length) {
  bits->Resize(bit_util::BytesForBits(length));
  if ((length & 7) != 0) {
    bits->data()[length >> 3] &= static_cast<uint8_t>((1u << (length & 7)) - 1);
  }
}

}  // namespace

RollbackBuilder::RollbackBuilder(DataTypePtr type)
    : type_(std::move(type)), id_(type_->id()), byte_width_(type_->byte_width()) {
  switch (id_) {
    case TypeId::kStruct:
      for (const Field& field : type_->fields()) {
        children_.push_back(std::make_unique<RollbackBuilder>(field.type));
      }
      break;
    case TypeId::kList:
      children_.push_back(std::make_unique<RollbackBuilder>(type_->element_field().type));
      break;
    case TypeId::kMap:
      children_.push_back(std::make_unique<RollbackBuilder>(types::MapEntries(*type_)));
      break;
    default:
      break;
  }
  ResetOffsets();
}

void RollbackBuilder::ResetOffsets() {
  if (UsesOffsets(id_)) offsets_.AppendValue<int32_t>(0);
}

void RollbackBuilder::AppendBoolean(bool value) {
  if ((length_ & 7) == 0) values_.AppendValue<uint8_t>(0);
  if (value) values_.data()[length_ >> 3] |= static_cast<uint8_t>(1u << (length_ & 7));
  AppendValidBit();
}

void RollbackBuilder::AppendNullBit() {
  if (!has_validity_) {
    // Every row so far was valid: start the bitmap with that many set bits.
    has_validity_ = true;
    validity_.Resize(bit_util::BytesForBits(length_));
    if (length_ > 0) std::memset(validity_.data(), 0xFF, static_cast<size_t>(validity_.size()));
    ClearTailBits(&validity_, length_);
  }
  if ((length_ & 7) == 0) validity_.AppendValue<uint8_t>(0);
  ++null_count_;
  ++length_;
}

void RollbackBuilder::AppendNull() {
  switch (id_) {
    case TypeId::kBoolean:
      if ((length_ & 7) == 0) values_.AppendValue<uint8_t>(0);
      break;
    case TypeId::kString:
    case TypeId::kBinary:
      offsets_.AppendValue(static_cast<int32_t>(values_.size()));
      break;
    case TypeId::kStruct:
      for (auto& child : children_) child->AppendNull();
      break;
    case TypeId::kList:
    case TypeId::kMap:
      offsets_.AppendValue(static_cast<int32_t>(children_[0]->length()));
      break;
    default:
      values_.AppendZeros(byte_width_);
      break;
  }
  AppendNullBit();
}

void RollbackBuilder::Truncate(int64_t new_length) {
  ARCFLOW_DCHECK(new_length <= length_);
  // Children may hold entries of a row that was never closed (a record that failed inside a
  // nested value), so they are cut back even when this builder's own length is unchanged.
  if (has_validity_ && new_length < length_) {
    int64_t removed = length_ - new_length;
    int64_t removed_valid = bit_util::CountSetBits(validity_.data(), new_length, removed);
    null_count_ -= removed - removed_valid;
    ClearTailBits(&validity_, new_length);
  }
  switch (id_) {
    case TypeId::kBoolean:
      ClearTailBits(&values_, new_length);
      break;
    case TypeId::kString:
    case TypeId::kBinary: {
      int32_t end = offsets_.data_as<int32_t>()[new_length];
      values_.Resize(end);
      offsets_.Resize((new_length + 1) * static_cast<int64_t>(sizeof(int32_t)));
      break;
    }
    case TypeId::kStruct:
      for (auto& child : children_) child->Truncate(new_length);
      break;
    case TypeId::kList:
    case TypeId::kMap: {
      int32_t end = offsets_.data_as<int32_t>()[new_length];
      children_[0]->Truncate(end);
      offsets_.Resize((new_length + 1) * static_cast<int64_t>(sizeof(int32_t)));
      break;
    }
    default:
      values_.Resize(new_length * byte_width_);
      break;
  }
  length_ = new_length;
}

std::string_view RollbackBuilder::EntryBytes(int64_t i) const {
  switch (id_) {
    case TypeId::kBoolean:
      return bit_util::GetBit(values_.data(), i) ? "1" : "0";
    case TypeId::kString:
    case TypeId::kBinary: {
      const auto* offsets = reinterpret_cast<const int32_t*>(offsets_.data());
      return {reinterpret_cast<const char*>(values_.data()) + offsets[i],
              static_cast<size_t>(offsets[i + 1] - offsets[i])};
    }
    default:
      return {reinterpret_cast<const char*>(values_.data()) + i * byte_width_,
              static_cast<size_t>(byte_width_)};
  }
}

int64_t RollbackBuilder::EstimatedBytes() const {
  int64_t total = validity_.size() + values_.size() + offsets_.size();
  for (const auto& child : children_) total += child->EstimatedBytes();
  return total;
}

Result<std::shared_ptr<const ArrayData>> RollbackBuilder::Finish() {
  // The next batch most likely needs as much room as this one: reserved up front, it need not
  // grow by copying.
  const int64_t values_bytes = values_.size();
  const int64_t offsets_bytes = offsets_.size();
  auto data = std::make_shared<ArrayData>();
  data->type = type_;
  data->length = length_;
  data->null_count = null_count_;
  std::shared_ptr<const Buffer> validity;
  if (null_count_ > 0) {
    validity = validity_.Finish();
  } else {
    validity_.Clear();
  }
  switch (id_) {
    case TypeId::kString:
    case TypeId::kBinary:
      if (values_.size() > std::numeric_limits<int32_t>::max()) {
        return Status::Invalid(
            "json: column of type {} holds {} bytes in one batch, over the 2 GiB that int32 "
            "offsets address; use smaller batches",
            type_->ToString(), values_.size());
      }
      data->buffers = {std::move(validity), offsets_.Finish(), values_.Finish()};
      break;
    case TypeId::kStruct:
      data->buffers = {std::move(validity)};
      for (auto& child : children_) {
        ARCFLOW_ASSIGN_OR_RETURN(auto child_data, child->Finish());
        data->children.push_back(std::move(child_data));
      }
      break;
    case TypeId::kList:
    case TypeId::kMap: {
      if (children_[0]->length() > std::numeric_limits<int32_t>::max()) {
        return Status::Invalid(
            "json: column of type {} holds {} elements in one batch, over the int32 limit",
            type_->ToString(), children_[0]->length());
      }
      ARCFLOW_ASSIGN_OR_RETURN(auto child_data, children_[0]->Finish());
      data->children.push_back(std::move(child_data));
      data->buffers = {std::move(validity), offsets_.Finish()};
      break;
    }
    default:
      // Booleans keep their bits, fixed-width types their values, in buffer 1.
      data->buffers = {std::move(validity), values_.Finish()};
      break;
  }
  length_ = 0;
  null_count_ = 0;
  has_validity_ = false;
  values_.Reserve(values_bytes);
  offsets_.Reserve(offsets_bytes);
  ResetOffsets();
  return std::shared_ptr<const ArrayData>(std::move(data));
}

}  // namespace arcflow::json
