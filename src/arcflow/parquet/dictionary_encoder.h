#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <type_traits>
#include <vector>

#include "arcflow/base/buffer.h"
#include "arcflow/base/hash_index.h"
#include "arcflow/base/status.h"
#include "arcflow/parquet/byte_array_sink.h"
#include "arcflow/parquet/physical_type.h"

namespace arcflow::parquet {

namespace internal {

// The indices an encoder has produced for the current data page, and their encoding.
class DictionaryIndexBuffer {
 public:
  void Append(int32_t index) { indices_.push_back(index); }
  int64_t size() const { return static_cast<int64_t>(indices_.size()); }
  // The indices appended since the last Flush() or Clear().
  std::span<const int32_t> values() const { return indices_; }
  // An upper bound on the bytes Flush() would return for a dictionary of `num_entries`.
  int64_t EstimatedSize(int64_t num_entries) const;
  // Returns the page values (bit width byte + RLE/bit-packed indices) and clears the buffer.
  std::shared_ptr<Buffer> Flush(int64_t num_entries);
  void Clear() { indices_.clear(); }

 private:
  std::vector<int32_t> indices_;
};

// The index bit width for a dictionary of `num_entries`: enough for the largest index, and at
// least 1, which every reader handles.
int DictionaryIndexBitWidth(int64_t num_entries);

}  // namespace internal

// Dictionary-encodes a column chunk of a fixed-width physical type (T is int32_t, int64_t,
// Int96, float or double): each distinct value gets an index in first-seen order. Values compare
// by their bits, so -0.0 and 0.0, and NaNs with different payloads, are distinct entries and
// round-trip exactly.
//
// The writer puts values, flushes the indices once per data page (RLE_DICTIONARY) and writes
// the dictionary page (PLAIN) once per chunk, before the data pages. It watches
// dictionary_size_bytes() and falls back to PLAIN when the dictionary grows past its limit
// (e.g. 1 MiB): flush the indices and the dictionary page, then stop using the encoder.
// Not thread-safe.
template <typename T>
class DictionaryEncoder {
 public:
  DictionaryEncoder() = default;

  void Put(const T* values, int64_t count);
  // Makes room for `entries` distinct values without growing (a dictionary about to be seeded).
  void Reserve(int64_t entries) { table_.Reserve(static_cast<size_t>(entries)); }

  int64_t num_entries() const { return static_cast<int64_t>(entries_.size()); }
  // The size of the PLAIN dictionary page.
  int64_t dictionary_size_bytes() const { return num_entries() * static_cast<int64_t>(sizeof(T)); }
  int64_t num_buffered_indices() const { return indices_.size(); }
  int64_t EstimatedIndicesSize() const { return indices_.EstimatedSize(num_entries()); }
  const std::vector<T>& entries() const { return entries_; }

  // The dictionary page payload: the entries PLAIN-encoded in index order.
  std::shared_ptr<Buffer> EncodeDictionaryPage() const;
  // The data page payload for the values put since the last flush: the index bit width as one
  // byte, then the indices RLE/bit-packed. Clears the buffered indices.
  std::shared_ptr<Buffer> FlushIndices() { return indices_.Flush(num_entries()); }
  // Drops the buffered indices: the values put since the last flush stay entries of the
  // dictionary but belong to no page (how a writer seeds the dictionary of a chunk).
  void DiscardIndices() { indices_.Clear(); }

  // Forgets the dictionary and the buffered indices, to start a new column chunk.
  void Reset();

 private:
  std::vector<T> entries_;
  HashIndex table_;
  internal::DictionaryIndexBuffer indices_;
};

extern template class DictionaryEncoder<int32_t>;
extern template class DictionaryEncoder<int64_t>;
extern template class DictionaryEncoder<Int96>;
extern template class DictionaryEncoder<float>;
extern template class DictionaryEncoder<double>;

// Dictionary-encodes a BYTE_ARRAY column chunk, with the same protocol as DictionaryEncoder.
// Distinct values are kept once, in an arena in Arrow binary layout. Not thread-safe.
class ByteArrayDictionaryEncoder {
 public:
  ByteArrayDictionaryEncoder() = default;

  // Invalid if the distinct values would exceed 2^31-1 bytes.
  Status Put(std::string_view value);
  Status Put(const ByteArraySpan& values);
  // As DictionaryEncoder::Reserve.
  void Reserve(int64_t entries) { table_.Reserve(static_cast<size_t>(entries)); }

  int64_t num_entries() const { return entries_.length(); }
  // The size of the PLAIN dictionary page: a 4-byte length and the bytes per entry.
  int64_t dictionary_size_bytes() const { return 4 * num_entries() + entries_.data.size(); }
  int64_t num_buffered_indices() const { return indices_.size(); }
  // The indices of the values put since the last FlushIndices().
  std::span<const int32_t> buffered_indices() const { return indices_.values(); }
  int64_t EstimatedIndicesSize() const { return indices_.EstimatedSize(num_entries()); }
  // The distinct values in index order; invalidated by the next Put.
  ByteArraySpan entries() const { return entries_.View(); }

  std::shared_ptr<Buffer> EncodeDictionaryPage() const;
  std::shared_ptr<Buffer> FlushIndices() { return indices_.Flush(num_entries()); }
  void DiscardIndices() { indices_.Clear(); }
  void Reset();

 private:
  Status PutOne(std::string_view value);
  // Adds a value the table lacks, at `slot`, and its index.
  Status AddEntry(std::string_view value, uint64_t hash, size_t slot);

  ByteArraySink entries_;
  HashIndex table_;
  internal::DictionaryIndexBuffer indices_;
};

// Dictionary-encodes a FIXED_LEN_BYTE_ARRAY column chunk, with the same protocol as
// DictionaryEncoder. Not thread-safe.
class FixedLenByteArrayDictionaryEncoder {
 public:
  // REQUIRES: type_length > 0.
  explicit FixedLenByteArrayDictionaryEncoder(int32_t type_length);

  // Appends `count` values of type_length bytes each.
  void Put(const uint8_t* values, int64_t count);
  // As DictionaryEncoder::Reserve.
  void Reserve(int64_t entries) { table_.Reserve(static_cast<size_t>(entries)); }

  int64_t num_entries() const { return entries_.size() / type_length_; }
  int64_t dictionary_size_bytes() const { return entries_.size(); }
  int64_t num_buffered_indices() const { return indices_.size(); }
  int64_t EstimatedIndicesSize() const { return indices_.EstimatedSize(num_entries()); }
  // The distinct values back to back, in index order.
  const uint8_t* entries() const { return entries_.data(); }

  std::shared_ptr<Buffer> EncodeDictionaryPage() const;
  std::shared_ptr<Buffer> FlushIndices() { return indices_.Flush(num_entries()); }
  void DiscardIndices() { indices_.Clear(); }
  void Reset();

 private:
  int32_t type_length_;
  BufferBuilder entries_;
  HashIndex table_;
  internal::DictionaryIndexBuffer indices_;
};

}  // namespace arcflow::parquet
