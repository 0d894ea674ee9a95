#include "arcflow/base/buffer.h"

#include <algorithm>
#include <cstdlib>
#include <new>

namespace arcflow {
namespace {

uint8_t* AllocateAligned(int64_t size) {
  // aligned_alloc requires the size to be a multiple of the alignment.
  int64_t rounded =
      std::max<int64_t>(kBufferAlignment, (size + kBufferAlignment - 1) & ~(kBufferAlignment - 1));
  return static_cast<uint8_t*>(std::aligned_alloc(kBufferAlignment, static_cast<size_t>(rounded)));
}

struct AlignedFree {
  void operator()(const void* pointer) const { std::free(const_cast<void*>(pointer)); }
};

std::shared_ptr<const void> OwnAligned(uint8_t* data) {
  return std::shared_ptr<const void>(data, AlignedFree());
}

}  // namespace

Result<std::shared_ptr<Buffer>> Buffer::Allocate(int64_t size, bool zero) {
  if (size < 0) return Status::Invalid("buffer: negative allocation size ({})", size);
  uint8_t* data = AllocateAligned(size);
  if (data == nullptr) return Status::OutOfMemory("buffer: cannot allocate {} bytes", size);
  if (zero && size > 0) std::memset(data, 0, static_cast<size_t>(size));
  return std::make_shared<Buffer>(data, size, OwnAligned(data));
}

std::shared_ptr<Buffer> Buffer::CopyOf(std::span<const uint8_t> bytes) {
  uint8_t* data = AllocateAligned(static_cast<int64_t>(bytes.size()));
  if (data == nullptr) throw std::bad_alloc();
  if (!bytes.empty()) std::memcpy(data, bytes.data(), bytes.size());
  return std::make_shared<Buffer>(data, static_cast<int64_t>(bytes.size()), OwnAligned(data));
}

std::shared_ptr<Buffer> Buffer::CopyOf(std::string_view bytes) {
  return CopyOf(
      std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()));
}

std::shared_ptr<Buffer> Buffer::Wrap(const uint8_t* data, int64_t size,
                                     std::shared_ptr<const void> owner) {
  return std::make_shared<Buffer>(data, size, std::move(owner));
}

std::shared_ptr<Buffer> Buffer::Slice(const std::shared_ptr<const Buffer>& parent, int64_t offset,
                                      int64_t length) {
  ARCFLOW_DCHECK(offset >= 0 && length >= 0 && offset + length <= parent->size());
  return std::make_shared<Buffer>(parent->data() + offset, length, parent);
}

BufferBuilder::~BufferBuilder() { std::free(data_); }

BufferBuilder::BufferBuilder(BufferBuilder&& other) noexcept
    : data_(other.data_), size_(other.size_), capacity_(other.capacity_) {
  other.data_ = nullptr;
  other.size_ = other.capacity_ = 0;
}

BufferBuilder& BufferBuilder::operator=(BufferBuilder&& other) noexcept {
  if (this != &other) {
    std::free(data_);
    data_ = other.data_;
    size_ = other.size_;
    capacity_ = other.capacity_;
    other.data_ = nullptr;
    other.size_ = other.capacity_ = 0;
  }
  return *this;
}

void BufferBuilder::Resize(int64_t new_size) {
  if (new_size > size_) {
    Reserve(new_size - size_);
    std::memset(data_ + size_, 0, static_cast<size_t>(new_size - size_));
  }
  size_ = new_size;
}

void BufferBuilder::Grow(int64_t min_capacity) {
  int64_t new_capacity = std::max<int64_t>({min_capacity, capacity_ * 2, 64});
  uint8_t* new_data = AllocateAligned(new_capacity);
  if (new_data == nullptr) throw std::bad_alloc();
  if (size_ > 0) std::memcpy(new_data, data_, static_cast<size_t>(size_));
  std::free(data_);
  data_ = new_data;
  capacity_ = new_capacity;
}

std::shared_ptr<Buffer> BufferBuilder::Finish() {
  if (data_ == nullptr) {
    data_ = AllocateAligned(0);
    if (data_ == nullptr) throw std::bad_alloc();
  }
  auto buffer = std::make_shared<Buffer>(data_, size_, OwnAligned(data_));
  data_ = nullptr;
  size_ = capacity_ = 0;
  return buffer;
}

}  // namespace arcflow
