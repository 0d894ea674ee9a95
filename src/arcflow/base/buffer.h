#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <span>
#include <string_view>

#include "arcflow/base/logging.h"
#include "arcflow/base/result.h"

namespace arcflow {

// Alignment of every buffer arcflow allocates: a cache line, as Arrow requires, so SIMD
// kernels may load whole vectors from the start of any buffer.
inline constexpr int64_t kBufferAlignment = 64;

// An immutable, contiguous run of bytes, shared by `shared_ptr<const Buffer>` between arrays,
// batches and threads. The bytes are owned by `owner`, which may be the Buffer's own allocation,
// a parent Buffer (for slices) or anything else that keeps the memory alive, such as a mapped
// file. Thread-safe: nothing in a Buffer changes after construction.
class Buffer {
 public:
  // Allocates `size` bytes (zeroed when `zero` is true). Fails with OutOfMemory.
  static Result<std::shared_ptr<Buffer>> Allocate(int64_t size, bool zero = false);
  // Copies `bytes` into a new buffer.
  static std::shared_ptr<Buffer> CopyOf(std::span<const uint8_t> bytes);
  static std::shared_ptr<Buffer> CopyOf(std::string_view bytes);
  // Wraps memory kept alive by `owner`; the Buffer does not copy it.
  static std::shared_ptr<Buffer> Wrap(const uint8_t* data, int64_t size,
                                      std::shared_ptr<const void> owner);

  // Returns a zero-copy view of bytes [offset, offset + length), keeping this buffer alive.
  // REQUIRES: 0 <= offset, offset + length <= size().
  static std::shared_ptr<Buffer> Slice(const std::shared_ptr<const Buffer>& parent, int64_t offset,
                                       int64_t length);

  const uint8_t* data() const { return data_; }
  int64_t size() const { return size_; }
  std::span<const uint8_t> span() const { return {data_, static_cast<size_t>(size_)}; }
  std::string_view view() const {
    return {reinterpret_cast<const char*>(data_), static_cast<size_t>(size_)};
  }
  template <typename T>
  const T* data_as() const {
    return reinterpret_cast<const T*>(data_);
  }

  // Mutable access for the producer that allocated the buffer, before it is shared.
  uint8_t* mutable_data() { return const_cast<uint8_t*>(data_); }

  Buffer(const uint8_t* data, int64_t size, std::shared_ptr<const void> owner)
      : data_(data), size_(size), owner_(std::move(owner)) {}

 private:
  const uint8_t* data_;
  int64_t size_;
  std::shared_ptr<const void> owner_;
};

// A growable byte buffer with amortised appends that turns into a Buffer without copying.
// Not thread-safe; movable, not copyable.
class BufferBuilder {
 public:
  BufferBuilder() = default;
  ~BufferBuilder();
  BufferBuilder(BufferBuilder&& other) noexcept;
  BufferBuilder& operator=(BufferBuilder&& other) noexcept;
  BufferBuilder(const BufferBuilder&) = delete;
  BufferBuilder& operator=(const BufferBuilder&) = delete;

  // Ensures room for `additional` more bytes without reallocation.
  void Reserve(int64_t additional) {
    if (size_ + additional > capacity_) Grow(size_ + additional);
  }
  // Sets the size, growing with zeroed bytes or truncating.
  void Resize(int64_t new_size);
  // Sets the size like Resize but leaves grown bytes uninitialised, for callers that overwrite
  // every one of them before the bytes are read or handed over.
  void ResizeUninitialized(int64_t new_size) {
    if (new_size > size_) Reserve(new_size - size_);
    size_ = new_size;
  }

  void Append(const void* bytes, int64_t length) {
    Reserve(length);
    if (length > 0) std::memcpy(data_ + size_, bytes, static_cast<size_t>(length));
    size_ += length;
  }
  void Append(std::string_view bytes) { Append(bytes.data(), static_cast<int64_t>(bytes.size())); }
  template <typename T>
  void AppendValue(const T& value) {
    Reserve(sizeof(T));
    std::memcpy(data_ + size_, &value, sizeof(T));
    size_ += sizeof(T);
  }
  // Appends without checking capacity. REQUIRES: a prior Reserve covers the bytes.
  template <typename T>
  void UnsafeAppendValue(const T& value) {
    std::memcpy(data_ + size_, &value, sizeof(T));
    size_ += sizeof(T);
  }
  void AppendZeros(int64_t length) {
    Reserve(length);
    if (length > 0) std::memset(data_ + size_, 0, static_cast<size_t>(length));
    size_ += length;
  }

  uint8_t* data() { return data_; }
  const uint8_t* data() const { return data_; }
  template <typename T>
  T* data_as() {
    return reinterpret_cast<T*>(data_);
  }
  int64_t size() const { return size_; }
  int64_t capacity() const { return capacity_; }
  void Clear() { size_ = 0; }

  // Hands the bytes over as an immutable Buffer and leaves the builder empty.
  std::shared_ptr<Buffer> Finish();

 private:
  void Grow(int64_t min_capacity);

  uint8_t* data_ = nullptr;
  int64_t size_ = 0;
  int64_t capacity_ = 0;
};

}  // namespace arcflow
