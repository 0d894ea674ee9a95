#include "arcflow/parquet/column_chunk_reader.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <limits>

#include "arcflow/base/bit_util.h"
#include "arcflow/codec/codec_type.h"
#include "arcflow/codec/crc32.h"

namespace arcflow::parquet {

int LevelBitWidth(int16_t max_level) {
  if (max_level <= 0) return 0;
  return std::bit_width(static_cast<uint16_t>(max_level));
}

namespace {

// Decodes up to `num_levels` levels, growing `out` only as levels actually come out of the
// data, so a page that claims more levels than it holds costs no more memory than it holds.
// Returns how many were decoded.
template <typename Decoder>
Result<int64_t> DecodeLevels(Decoder& decoder, int64_t num_levels, std::vector<int16_t>* out) {
  constexpr int64_t kStep = 64 * 1024;
  out->clear();
  int64_t decoded = 0;
  while (decoded < num_levels) {
    const int64_t step = std::min(kStep, num_levels - decoded);
    out->resize(static_cast<size_t>(decoded + step));
    ARCFLOW_ASSIGN_OR_RETURN(int64_t got, decoder.Decode(out->data() + decoded, step));
    decoded += got;
    if (got < step) break;
  }
  out->resize(static_cast<size_t>(decoded));
  return decoded;
}

// Decodes up to `num_levels` levels of bit width 1 into the LSB-first bitmap `out`, growing it
// as DecodeLevels grows its vector. Returns how many were decoded.
Result<int64_t> DecodeLevelBitmap(RleBitPackedDecoder& decoder, int64_t num_levels,
                                  BufferBuilder* out) {
  constexpr int64_t kStep = 64 * 1024;
  out->Clear();
  int64_t decoded = 0;
  while (decoded < num_levels) {
    const int64_t step = std::min(kStep, num_levels - decoded);
    out->Resize(bit_util::BytesForBits(decoded + step));
    ARCFLOW_ASSIGN_OR_RETURN(int64_t got, decoder.DecodeBitmap(out->data(), decoded, step));
    decoded += got;
    if (got < step) break;
  }
  return decoded;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// PageValueDecoder

Status PageValueDecoder::Init(const ColumnDescriptor& column, Encoding encoding,
                              std::span<const uint8_t> data, const ColumnDictionary* dictionary) {
  encoding_ = encoding;
  type_ = column.physical_type;
  type_length_ = column.type_length;
  dictionary_ = dictionary;
  kind_ = Kind::kNone;
  auto mismatch = [&]() {
    return Status::Corruption("parquet: encoding {} does not apply to physical type {}",
                              EncodingName(encoding), PhysicalTypeName(type_));
  };
  switch (encoding) {
    case Encoding::kPlain:
      ARCFLOW_RETURN_NOT_OK(plain_.Init(data, type_, type_length_));
      kind_ = Kind::kPlain;
      return Status::OK();
    case Encoding::kPlainDictionary:
    case Encoding::kRleDictionary:
      if (dictionary == nullptr) {
        return Status::Corruption(
            "parquet: dictionary-encoded data page but the column chunk has no dictionary page");
      }
      ARCFLOW_RETURN_NOT_OK(dictionary_indices_.Init(data, dictionary->size));
      kind_ = Kind::kDictionary;
      return Status::OK();
    case Encoding::kRle:
      if (type_ != PhysicalType::kBoolean) return mismatch();
      ARCFLOW_RETURN_NOT_OK(rle_.InitWithLengthPrefix(data, 1).status());
      kind_ = Kind::kRleBoolean;
      return Status::OK();
    case Encoding::kBitPacked: {
      if (type_ != PhysicalType::kBoolean) return mismatch();
      ARCFLOW_RETURN_NOT_OK(
          bit_packed_.Init(data, 1, static_cast<int64_t>(data.size()) * 8).status());
      kind_ = Kind::kBitPackedBoolean;
      return Status::OK();
    }
    case Encoding::kDeltaBinaryPacked:
      if (type_ == PhysicalType::kInt32) {
        ARCFLOW_RETURN_NOT_OK(delta32_.Init(data));
        kind_ = Kind::kDeltaBinaryPacked32;
      } else if (type_ == PhysicalType::kInt64) {
        ARCFLOW_RETURN_NOT_OK(delta64_.Init(data));
        kind_ = Kind::kDeltaBinaryPacked64;
      } else {
        return mismatch();
      }
      return Status::OK();
    case Encoding::kDeltaLengthByteArray:
      if (type_ != PhysicalType::kByteArray) return mismatch();
      ARCFLOW_RETURN_NOT_OK(delta_length_.Init(data));
      kind_ = Kind::kDeltaLengthByteArray;
      return Status::OK();
    case Encoding::kDeltaByteArray:
      if (type_ != PhysicalType::kByteArray && type_ != PhysicalType::kFixedLenByteArray) {
        return mismatch();
      }
      ARCFLOW_RETURN_NOT_OK(delta_byte_array_.Init(data));
      kind_ = Kind::kDeltaByteArray;
      return Status::OK();
    case Encoding::kByteStreamSplit: {
      int32_t width = 0;
      switch (type_) {
        case PhysicalType::kInt32:
        case PhysicalType::kFloat:
          width = 4;
          break;
        case PhysicalType::kInt64:
        case PhysicalType::kDouble:
          width = 8;
          break;
        case PhysicalType::kFixedLenByteArray:
          width = type_length_;
          break;
        default:
          return mismatch();
      }
      ARCFLOW_RETURN_NOT_OK(byte_stream_split_.Init(data, width));
      kind_ = Kind::kByteStreamSplit;
      return Status::OK();
    }
  }
  return Status::NotImplemented("parquet: unsupported value encoding {}",
                                static_cast<int32_t>(encoding));
}

int64_t PageValueDecoder::MaxValues() const {
  switch (kind_) {
    case Kind::kNone:
      return 0;
    case Kind::kPlain: {
      const int64_t bytes = plain_.bytes_remaining();
      switch (type_) {
        case PhysicalType::kBoolean:
          return bytes * 8;
        case PhysicalType::kInt32:
        case PhysicalType::kFloat:
          return bytes / 4;
        case PhysicalType::kInt64:
        case PhysicalType::kDouble:
          return bytes / 8;
        case PhysicalType::kInt96:
          return bytes / 12;
        case PhysicalType::kFixedLenByteArray:
          return type_length_ > 0 ? bytes / type_length_ : 0;
        case PhysicalType::kByteArray:
          return bytes / 4;  // Each value has at least its 4-byte length.
      }
      return -1;
    }
    case Kind::kByteStreamSplit:
      return byte_stream_split_.values_remaining();
    case Kind::kDeltaBinaryPacked32:
      return delta32_.values_remaining();
    case Kind::kDeltaBinaryPacked64:
      return delta64_.values_remaining();
    case Kind::kDeltaLengthByteArray:
      return delta_length_.values_remaining();
    case Kind::kDeltaByteArray:
      return delta_byte_array_.values_remaining();
    default:
      return -1;  // RLE runs can hold any number of values.
  }
}

Status PageValueDecoder::CheckCount(const Result<int64_t>& decoded, int64_t count) const {
  if (!decoded.ok()) return decoded.status();
  if (*decoded != count) {
    return Status::Corruption("parquet: {} page holds {} values where its levels need {}",
                              EncodingName(encoding_), *decoded, count);
  }
  return Status::OK();
}

Status PageValueDecoder::WrongType(std::string_view what) const {
  return Status::Internal("parquet: {} values requested from a {} column", what,
                          PhysicalTypeName(type_));
}

template <typename T>
Status PageValueDecoder::DecodeFixedWidth(T* out, int64_t count, PhysicalType expected) {
  if (count == 0) return Status::OK();
  if (type_ != expected) return WrongType(PhysicalTypeName(expected));
  switch (kind_) {
    case Kind::kPlain:
      return CheckCount(plain_.Decode(out, count), count);
    case Kind::kDictionary:
      return CheckCount(dictionary_indices_.Decode(
                            reinterpret_cast<const T*>(dictionary_->fixed.data()), out, count),
                        count);
    case Kind::kByteStreamSplit:
      if constexpr (std::is_same_v<T, Int96>) {
        break;
      } else {
        return CheckCount(byte_stream_split_.Decode(out, count), count);
      }
    case Kind::kDeltaBinaryPacked32:
      if constexpr (std::is_same_v<T, int32_t>)
        return CheckCount(delta32_.Decode(out, count), count);
      break;
    case Kind::kDeltaBinaryPacked64:
      if constexpr (std::is_same_v<T, int64_t>)
        return CheckCount(delta64_.Decode(out, count), count);
      break;
    case Kind::kNone:
      return Status::Corruption("parquet: data page has no value section but needs {} values",
                                count);
    default:
      break;
  }
  return Status::Corruption("parquet: encoding {} cannot hold {} values", EncodingName(encoding_),
                            PhysicalTypeName(type_));
}

Status PageValueDecoder::DecodeInt32(int32_t* out, int64_t count) {
  return DecodeFixedWidth(out, count, PhysicalType::kInt32);
}
Status PageValueDecoder::DecodeInt64(int64_t* out, int64_t count) {
  return DecodeFixedWidth(out, count, PhysicalType::kInt64);
}
Status PageValueDecoder::DecodeInt96(Int96* out, int64_t count) {
  return DecodeFixedWidth(out, count, PhysicalType::kInt96);
}
Status PageValueDecoder::DecodeFloat(float* out, int64_t count) {
  return DecodeFixedWidth(out, count, PhysicalType::kFloat);
}
Status PageValueDecoder::DecodeDouble(double* out, int64_t count) {
  return DecodeFixedWidth(out, count, PhysicalType::kDouble);
}

Status PageValueDecoder::DecodeBooleans(uint8_t* bitmap, int64_t bit_offset, int64_t count) {
  if (count == 0) return Status::OK();
  if (type_ != PhysicalType::kBoolean) return WrongType("BOOLEAN");
  switch (kind_) {
    case Kind::kPlain:
      return CheckCount(plain_.DecodeBooleanBitmap(bitmap, bit_offset, count), count);
    case Kind::kRleBoolean:
      return CheckCount(rle_.DecodeBitmap(bitmap, bit_offset, count), count);
    case Kind::kBitPackedBoolean: {
      scratch_levels_.resize(static_cast<size_t>(std::min<int64_t>(count, 4096)));
      int64_t done = 0;
      while (done < count) {
        int64_t step =
            std::min<int64_t>(count - done, static_cast<int64_t>(scratch_levels_.size()));
        ARCFLOW_RETURN_NOT_OK(CheckCount(bit_packed_.Decode(scratch_levels_.data(), step), step));
        for (int64_t i = 0; i < step; ++i) {
          bit_util::SetBitTo(bitmap, bit_offset + done + i, scratch_levels_[i] != 0);
        }
        done += step;
      }
      return Status::OK();
    }
    case Kind::kDictionary: {
      std::vector<int32_t> indices(static_cast<size_t>(std::min<int64_t>(count, 4096)));
      const uint8_t* values = dictionary_->fixed.data();
      int64_t done = 0;
      while (done < count) {
        int64_t step = std::min<int64_t>(count - done, static_cast<int64_t>(indices.size()));
        ARCFLOW_RETURN_NOT_OK(
            CheckCount(dictionary_indices_.DecodeIndices(indices.data(), step), step));
        for (int64_t i = 0; i < step; ++i) {
          bit_util::SetBitTo(bitmap, bit_offset + done + i, values[indices[i]] != 0);
        }
        done += step;
      }
      return Status::OK();
    }
    case Kind::kNone:
      return Status::Corruption("parquet: data page has no value section but needs {} values",
                                count);
    default:
      return Status::Corruption("parquet: encoding {} cannot hold BOOLEAN values",
                                EncodingName(encoding_));
  }
}

Status PageValueDecoder::DecodeFixedLenByteArray(uint8_t* out, int64_t count) {
  if (count == 0) return Status::OK();
  if (type_ != PhysicalType::kFixedLenByteArray) return WrongType("FIXED_LEN_BYTE_ARRAY");
  switch (kind_) {
    case Kind::kPlain:
      return CheckCount(plain_.DecodeFixedLenByteArray(out, count), count);
    case Kind::kDictionary:
      return CheckCount(dictionary_indices_.DecodeFixedLenByteArray(dictionary_->fixed.data(),
                                                                    type_length_, out, count),
                        count);
    case Kind::kDeltaByteArray:
      return CheckCount(delta_byte_array_.DecodeFixedLenByteArray(out, type_length_, count), count);
    case Kind::kByteStreamSplit:
      return CheckCount(byte_stream_split_.DecodeBytes(out, count), count);
    case Kind::kNone:
      return Status::Corruption("parquet: data page has no value section but needs {} values",
                                count);
    default:
      return Status::Corruption("parquet: encoding {} cannot hold FIXED_LEN_BYTE_ARRAY values",
                                EncodingName(encoding_));
  }
}

Status PageValueDecoder::DecodeByteArray(ByteArraySink* sink, int64_t count) {
  if (count == 0) return Status::OK();
  if (type_ != PhysicalType::kByteArray) return WrongType("BYTE_ARRAY");
  switch (kind_) {
    case Kind::kPlain:
      return CheckCount(plain_.DecodeByteArray(sink, count), count);
    case Kind::kDictionary:
      return CheckCount(
          dictionary_indices_.DecodeByteArray(dictionary_->byte_arrays.View(), sink, count), count);
    case Kind::kDeltaLengthByteArray:
      return CheckCount(delta_length_.Decode(sink, count), count);
    case Kind::kDeltaByteArray:
      return CheckCount(delta_byte_array_.Decode(sink, count), count);
    case Kind::kNone:
      return Status::Corruption("parquet: data page has no value section but needs {} values",
                                count);
    default:
      return Status::Corruption("parquet: encoding {} cannot hold BYTE_ARRAY values",
                                EncodingName(encoding_));
  }
}

// ---------------------------------------------------------------------------------------------
// ColumnChunkReader

Result<std::unique_ptr<ColumnChunkReader>> ColumnChunkReader::Open(
    const io::RandomAccessFile& file, int64_t file_size, const ColumnChunk& chunk,
    const ColumnDescriptor& column, ColumnChunkReaderOptions options) {
  std::unique_ptr<ColumnChunkReader> reader(new ColumnChunkReader(file, chunk, column, options));
  if (chunk.crypto_metadata.has_value() || chunk.encrypted_column_metadata.has_value()) {
    return Status::NotImplemented(
        "parquet: encrypted column chunks are not supported (file={}, column={})", file.path(),
        column.dotted_path);
  }
  if (chunk.file_path.has_value()) {
    return Status::NotImplemented(
        "parquet: column chunk stored in another file ({}) is not supported (file={}, "
        "column={})",
        *chunk.file_path, file.path(), column.dotted_path);
  }
  if (!chunk.meta_data.has_value()) {
    return Status::Corruption("parquet: column chunk has no metadata (file={}, column={})",
                              file.path(), column.dotted_path);
  }
  const ColumnMetaData& meta = *chunk.meta_data;
  if (!IsKnownCodec(meta.codec)) {
    return Status::NotImplemented("parquet: unknown compression codec {} (file={}, column={})",
                                  static_cast<int32_t>(meta.codec), file.path(),
                                  column.dotted_path);
  }
  if (meta.codec != CompressionCodec::kUncompressed) {
    auto codec = codec::MakeCodec(static_cast<codec::CodecType>(meta.codec));
    if (!codec.ok()) {
      return codec.status().WithContext(
          fmt::format("file={}, column={}", file.path(), column.dotted_path));
    }
    reader->codec_ = std::move(*codec);
  }

  // The chunk starts at its dictionary page when there is one. Old parquet-mr wrote 0 for an
  // absent dictionary offset, and some writers a dictionary offset past the first data page;
  // neither can be the chunk's start, so the data page offset is used then (pages describe
  // themselves, so a dictionary page is still found if it is there).
  int64_t start = meta.data_page_offset;
  if (meta.dictionary_page_offset.has_value() && *meta.dictionary_page_offset > 0 &&
      *meta.dictionary_page_offset < start) {
    start = *meta.dictionary_page_offset;
  }
  int64_t length = meta.total_compressed_size;
  if (start < 0 || length < 0 || start > file_size || length > file_size - start) {
    return Status::Corruption(
        "parquet: column chunk lies outside the file (file={}, column={}, offset={}, "
        "length={}, file size={})",
        file.path(), column.dotted_path, start, length, file_size);
  }
  ARCFLOW_ASSIGN_OR_RETURN(reader->chunk_bytes_, file.ReadExactly(start, length));
  reader->chunk_offset_ = start;
  return reader;
}

std::string ColumnChunkReader::Where(int64_t offset) const {
  return fmt::format("file={}, column={}, offset={}", file_.path(), column_.dotted_path, offset);
}

Status ColumnChunkReader::Error(int64_t offset, std::string_view what) const {
  return Status::Corruption("parquet: {} ({})", what, Where(offset));
}

Result<std::span<const uint8_t>> ColumnChunkReader::Decompress(std::span<const uint8_t> compressed,
                                                               int64_t uncompressed_size,
                                                               int64_t offset) {
  if (uncompressed_size < 0) return Error(offset, "negative uncompressed page size");
  if (codec_ == nullptr) {
    if (static_cast<int64_t>(compressed.size()) != uncompressed_size) {
      return Status::Corruption(
          "parquet: page of an uncompressed chunk has {} bytes but claims {} uncompressed ({})",
          compressed.size(), uncompressed_size, Where(offset));
    }
    return compressed;
  }
  if (compressed.empty()) {
    // Some writers store an empty body for a page without values; an empty input is not a
    // valid stream for most codecs, so it must not reach the codec.
    if (uncompressed_size == 0) return std::span<const uint8_t>();
    return Status::Corruption(
        "parquet: page has no compressed bytes but claims {} uncompressed bytes ({})",
        uncompressed_size, Where(offset));
  }
  // Allocated without zeroing, so a size that lies costs address space, not memory, until the
  // codec finds the stream shorter. Pages of a chunk are similar in size, so one buffer serves
  // them all; the page views it backs last only until the next page.
  if (decompressed_ == nullptr || decompressed_->size() < uncompressed_size) {
    ARCFLOW_ASSIGN_OR_RETURN(decompressed_, Buffer::Allocate(uncompressed_size));
  }
  auto result = codec_->Decompress(
      compressed,
      std::span<uint8_t>(decompressed_->mutable_data(), static_cast<size_t>(uncompressed_size)));
  if (!result.ok()) return result.status().WithContext(Where(offset));
  if (*result != uncompressed_size) {
    return Status::Corruption("parquet: page decompressed to {} bytes instead of {} ({})", *result,
                              uncompressed_size, Where(offset));
  }
  return std::span<const uint8_t>(decompressed_->data(), static_cast<size_t>(uncompressed_size));
}

Status ColumnChunkReader::ReadDictionaryPage(const PageHeader& header,
                                             std::span<const uint8_t> body, int64_t offset) {
  if (!header.dictionary_page_header.has_value()) {
    return Error(offset, "dictionary page without a dictionary page header");
  }
  if (dictionary_.has_value()) return Error(offset, "second dictionary page in a column chunk");
  if (seen_data_page_) return Error(offset, "dictionary page after a data page");
  const DictionaryPageHeader& dict = *header.dictionary_page_header;
  if (dict.encoding != Encoding::kPlain && dict.encoding != Encoding::kPlainDictionary) {
    return Status::Corruption("parquet: dictionary page encoding {} is not PLAIN ({})",
                              EncodingName(dict.encoding), Where(offset));
  }
  if (dict.num_values < 0) {
    return Status::Corruption("parquet: dictionary page has a negative value count {} ({})",
                              dict.num_values, Where(offset));
  }
  ARCFLOW_ASSIGN_OR_RETURN(auto data, Decompress(body, header.uncompressed_page_size, offset));
  const int64_t count = dict.num_values;
  const auto available = static_cast<int64_t>(data.size());
  ColumnDictionary dictionary;
  dictionary.size = count;
  PlainDecoder decoder;
  ARCFLOW_RETURN_NOT_OK_CTX(decoder.Init(data, column_.physical_type, column_.type_length),
                            Where(offset));
  auto too_short = [&]() {
    return Status::Corruption("parquet: dictionary page of {} bytes cannot hold {} values ({})",
                              available, count, Where(offset));
  };
  // Plain values of a fixed width: check the page can hold them, then decode in place.
  auto decode_fixed = [&]<typename T>() -> Result<int64_t> {
    if (count > available / static_cast<int64_t>(sizeof(T))) return too_short();
    dictionary.fixed.Resize(count * static_cast<int64_t>(sizeof(T)));
    return decoder.Decode(dictionary.fixed.data_as<T>(), count);
  };
  Result<int64_t> decoded = int64_t{0};
  switch (column_.physical_type) {
    case PhysicalType::kBoolean:
      if (count > available * 8) return too_short();
      dictionary.fixed.Resize(count);
      decoded = decoder.DecodeBooleans(dictionary.fixed.data(), count);
      break;
    case PhysicalType::kInt32:
      decoded = decode_fixed.template operator()<int32_t>();
      break;
    case PhysicalType::kInt64:
      decoded = decode_fixed.template operator()<int64_t>();
      break;
    case PhysicalType::kInt96:
      decoded = decode_fixed.template operator()<Int96>();
      break;
    case PhysicalType::kFloat:
      decoded = decode_fixed.template operator()<float>();
      break;
    case PhysicalType::kDouble:
      decoded = decode_fixed.template operator()<double>();
      break;
    case PhysicalType::kFixedLenByteArray:
      if (column_.type_length <= 0 || count > available / column_.type_length) return too_short();
      dictionary.fixed.Resize(count * column_.type_length);
      decoded = decoder.DecodeFixedLenByteArray(dictionary.fixed.data(), count);
      break;
    case PhysicalType::kByteArray:
      if (count > available / 4) return too_short();
      dictionary.byte_arrays.EnsureStarted();
      dictionary.byte_arrays.offsets.Reserve(count * 4);
      decoded = decoder.DecodeByteArray(&dictionary.byte_arrays, count);
      break;
  }
  if (!decoded.ok()) return decoded.status().WithContext(Where(offset));
  if (*decoded != count) {
    return Status::Corruption("parquet: dictionary page holds {} values but claims {} ({})",
                              *decoded, count, Where(offset));
  }
  dictionary_.emplace(std::move(dictionary));
  return Status::OK();
}

Status ColumnChunkReader::CheckLevels(const std::vector<int16_t>& levels, int64_t count,
                                      int16_t max_level, int64_t offset,
                                      std::string_view kind) const {
  const auto max = static_cast<uint16_t>(max_level);
  // Levels decoded at the width of `max_level` cannot exceed it when it is all ones.
  if (max == (1u << LevelBitWidth(max_level)) - 1) return Status::OK();
  bool bad = false;
  for (int64_t i = 0; i < count; ++i) bad |= static_cast<uint16_t>(levels[i]) > max;
  if (!bad) return Status::OK();
  for (int64_t i = 0; i < count; ++i) {
    if (static_cast<uint16_t>(levels[i]) > max) {
      return Status::Corruption("parquet: {} level {} at index {} exceeds the maximum {} ({})",
                                kind, static_cast<uint16_t>(levels[i]), i, max_level,
                                Where(offset));
    }
  }
  return Status::OK();
}

Status ColumnChunkReader::DecodeRleLevels(std::span<const uint8_t> data, int16_t max_level,
                                          int64_t num_levels, std::vector<int16_t>* out,
                                          int64_t offset, std::string_view kind) {
  RleBitPackedDecoder decoder;
  ARCFLOW_RETURN_NOT_OK_CTX(decoder.Init(data, LevelBitWidth(max_level)), Where(offset));
  auto decoded = DecodeLevels(decoder, num_levels, out);
  if (!decoded.ok()) return decoded.status().WithContext(Where(offset));
  if (*decoded != num_levels) {
    return Status::Corruption("parquet: page holds {} {} levels but claims {} values ({})",
                              *decoded, kind, num_levels, Where(offset));
  }
  return CheckLevels(*out, num_levels, max_level, offset, kind);
}

Status ColumnChunkReader::DecodeRleValidity(RleBitPackedDecoder& decoder, int64_t num_levels,
                                            int64_t offset) {
  auto decoded = DecodeLevelBitmap(decoder, num_levels, &validity_);
  if (!decoded.ok()) return decoded.status().WithContext(Where(offset));
  if (*decoded != num_levels) {
    return Status::Corruption("parquet: page holds {} definition levels but claims {} values ({})",
                              *decoded, num_levels, Where(offset));
  }
  // Levels of bit width 1 cannot exceed the maximum of 1, so there is nothing to check.
  return Status::OK();
}

Status ColumnChunkReader::FinishDataPage(int64_t num_levels, Encoding encoding,
                                         std::span<const uint8_t> values, int64_t offset,
                                         bool is_v2, DataPage* page) {
  const int16_t max_def = column_.max_definition_level;
  int64_t non_null = num_levels;
  if (bitmap_levels_) {
    non_null = bit_util::CountSetBits(validity_.data(), 0, num_levels);
  } else if (max_def > 0) {
    non_null = 0;
    const int16_t* levels = definition_levels_.data();
    for (int64_t i = 0; i < num_levels; ++i) non_null += levels[i] == max_def;
  }
  if (non_null == 0 && values.empty()) {
    // A page of nulls may leave its value section empty whatever the encoding says; decoders
    // that need a header would reject that, and no value will be asked for.
    ARCFLOW_RETURN_NOT_OK_CTX(values_.Init(column_, Encoding::kPlain, values, nullptr),
                              Where(offset));
  } else {
    ARCFLOW_RETURN_NOT_OK_CTX(
        values_.Init(column_, encoding, values, dictionary_ ? &*dictionary_ : nullptr),
        Where(offset));
    // Catches short pages before anyone sizes a buffer by the levels' count.
    const int64_t capacity = values_.MaxValues();
    if (capacity >= 0 && non_null > capacity) {
      return Status::Corruption(
          "parquet: {} page can hold at most {} values but its levels need {} ({})",
          EncodingName(encoding), capacity, non_null, Where(offset));
    }
  }
  seen_data_page_ = true;
  levels_read_ += num_levels;
  page->file_offset = offset;
  page->is_v2 = is_v2;
  page->num_levels = num_levels;
  page->num_non_null = non_null;
  page->definition_levels = max_def > 0 && !bitmap_levels_ ? definition_levels_.data() : nullptr;
  page->repetition_levels = column_.max_repetition_level > 0 ? repetition_levels_.data() : nullptr;
  page->validity = bitmap_levels_ ? validity_.data() : nullptr;
  page->values = &values_;
  return Status::OK();
}

Status ColumnChunkReader::ReadDataPageV1(const PageHeader& header, std::span<const uint8_t> body,
                                         int64_t offset, DataPage* page) {
  if (!header.data_page_header.has_value()) {
    return Error(offset, "data page without a data page header");
  }
  const DataPageHeader& data_header = *header.data_page_header;
  const int64_t num_levels = data_header.num_values;
  if (num_levels < 0) return Error(offset, "data page has a negative value count");
  const int64_t remaining_in_chunk = chunk_.meta_data->num_values - levels_read_;
  if (num_levels > remaining_in_chunk) {
    return Status::Corruption(
        "parquet: data page claims {} values but the column chunk has {} left ({})", num_levels,
        std::max<int64_t>(remaining_in_chunk, 0), Where(offset));
  }
  ARCFLOW_ASSIGN_OR_RETURN(auto data, Decompress(body, header.uncompressed_page_size, offset));

  // Repetition levels come first, then definition levels, each in its own encoding.
  auto read_levels = [&](Encoding encoding, int16_t max_level, std::vector<int16_t>* out,
                         std::string_view kind) -> Status {
    if (max_level == 0) return Status::OK();
    const int width = LevelBitWidth(max_level);
    const bool bitmap = bitmap_levels_ && out == &definition_levels_;
    if (encoding == Encoding::kRle) {
      RleBitPackedDecoder decoder;
      auto consumed = decoder.InitWithLengthPrefix(data, width);
      if (!consumed.ok()) return consumed.status().WithContext(Where(offset));
      if (bitmap) {
        ARCFLOW_RETURN_NOT_OK(DecodeRleValidity(decoder, num_levels, offset));
        data = data.subspan(static_cast<size_t>(*consumed));
        return Status::OK();
      }
      auto decoded = DecodeLevels(decoder, num_levels, out);
      if (!decoded.ok()) return decoded.status().WithContext(Where(offset));
      if (*decoded != num_levels) {
        return Status::Corruption("parquet: page holds {} {} levels but claims {} values ({})",
                                  *decoded, kind, num_levels, Where(offset));
      }
      data = data.subspan(static_cast<size_t>(*consumed));
    } else if (encoding == Encoding::kBitPacked) {
      BitPackedLevelDecoder decoder;
      auto consumed = decoder.Init(data, width, num_levels);
      if (!consumed.ok()) return consumed.status().WithContext(Where(offset));
      auto decoded = DecodeLevels(decoder, num_levels, out);
      if (!decoded.ok()) return decoded.status().WithContext(Where(offset));
      if (*decoded != num_levels) {
        return Status::Corruption("parquet: page holds {} {} levels but claims {} values ({})",
                                  *decoded, kind, num_levels, Where(offset));
      }
      data = data.subspan(static_cast<size_t>(*consumed));
      if (bitmap) {
        // Old writers' BIT_PACKED levels are rare enough to go through int16 levels.
        validity_.Clear();
        validity_.Resize(bit_util::BytesForBits(num_levels));
        for (int64_t i = 0; i < num_levels; ++i) {
          bit_util::SetBitTo(validity_.data(), i, (*out)[static_cast<size_t>(i)] != 0);
        }
      }
    } else {
      return Status::Corruption("parquet: {} levels use encoding {}, not RLE or BIT_PACKED ({})",
                                kind, EncodingName(encoding), Where(offset));
    }
    return CheckLevels(*out, num_levels, max_level, offset, kind);
  };
  ARCFLOW_RETURN_NOT_OK(read_levels(data_header.repetition_level_encoding,
                                    column_.max_repetition_level, &repetition_levels_,
                                    "repetition"));
  ARCFLOW_RETURN_NOT_OK(read_levels(data_header.definition_level_encoding,
                                    column_.max_definition_level, &definition_levels_,
                                    "definition"));
  return FinishDataPage(num_levels, data_header.encoding, data, offset, /*is_v2=*/false, page);
}

Status ColumnChunkReader::ReadDataPageV2(const PageHeader& header, std::span<const uint8_t> body,
                                         int64_t offset, DataPage* page) {
  if (!header.data_page_header_v2.has_value()) {
    return Error(offset, "data page v2 without a data page v2 header");
  }
  const DataPageHeaderV2& v2 = *header.data_page_header_v2;
  const int64_t num_levels = v2.num_values;
  if (num_levels < 0 || v2.num_nulls < 0 || v2.num_rows < 0) {
    return Error(offset, "data page v2 has a negative count");
  }
  const int64_t remaining_in_chunk = chunk_.meta_data->num_values - levels_read_;
  if (num_levels > remaining_in_chunk) {
    return Status::Corruption(
        "parquet: data page claims {} values but the column chunk has {} left ({})", num_levels,
        std::max<int64_t>(remaining_in_chunk, 0), Where(offset));
  }
  const int64_t rep_length = v2.repetition_levels_byte_length;
  const int64_t def_length = v2.definition_levels_byte_length;
  const auto body_size = static_cast<int64_t>(body.size());
  if (rep_length < 0 || def_length < 0 || rep_length + def_length > body_size ||
      rep_length + def_length > header.uncompressed_page_size) {
    return Status::Corruption(
        "parquet: data page v2 level lengths ({} + {}) exceed the page ({} bytes) ({})", rep_length,
        def_length, body_size, Where(offset));
  }
  // Levels are never compressed in v2 pages.
  auto rep_bytes = body.subspan(0, static_cast<size_t>(rep_length));
  auto def_bytes = body.subspan(static_cast<size_t>(rep_length), static_cast<size_t>(def_length));
  if (column_.max_repetition_level > 0) {
    ARCFLOW_RETURN_NOT_OK(DecodeRleLevels(rep_bytes, column_.max_repetition_level, num_levels,
                                          &repetition_levels_, offset, "repetition"));
  }
  if (bitmap_levels_) {
    RleBitPackedDecoder decoder;
    ARCFLOW_RETURN_NOT_OK_CTX(decoder.Init(def_bytes, 1), Where(offset));
    ARCFLOW_RETURN_NOT_OK(DecodeRleValidity(decoder, num_levels, offset));
  } else if (column_.max_definition_level > 0) {
    ARCFLOW_RETURN_NOT_OK(DecodeRleLevels(def_bytes, column_.max_definition_level, num_levels,
                                          &definition_levels_, offset, "definition"));
  }
  auto stored_values = body.subspan(static_cast<size_t>(rep_length + def_length));
  const int64_t values_size = header.uncompressed_page_size - rep_length - def_length;
  std::span<const uint8_t> values;
  if (!v2.is_compressed || codec_ == nullptr) {
    if (static_cast<int64_t>(stored_values.size()) != values_size) {
      return Status::Corruption(
          "parquet: uncompressed values of a data page v2 have {} bytes but the header claims "
          "{} ({})",
          stored_values.size(), values_size, Where(offset));
    }
    values = stored_values;
  } else {
    ARCFLOW_ASSIGN_OR_RETURN(values, Decompress(stored_values, values_size, offset));
  }
  ARCFLOW_RETURN_NOT_OK(FinishDataPage(num_levels, v2.encoding, values, offset, true, page));
  if (column_.max_definition_level > 0 && num_levels - page->num_non_null != v2.num_nulls) {
    return Status::Corruption("parquet: data page v2 claims {} nulls but its levels hold {} ({})",
                              v2.num_nulls, num_levels - page->num_non_null, Where(offset));
  }
  return Status::OK();
}

Result<bool> ColumnChunkReader::NextPage(RawPage* page) {
  const int64_t size = chunk_bytes_->size();
  if (position_ >= size) return false;
  const int64_t offset = chunk_offset_ + position_;
  std::span<const uint8_t> rest(chunk_bytes_->data() + position_,
                                static_cast<size_t>(size - position_));
  int64_t header_length = 0;
  auto decoded = DecodePageHeader(rest, offset, &header_length);
  if (!decoded.ok()) return decoded.status().WithContext(Where(offset));
  page->header = std::move(*decoded);
  const PageHeader& header = page->header;
  if (header.compressed_page_size < 0 || header.uncompressed_page_size < 0) {
    return Error(offset, "page header has a negative size");
  }
  if (header.compressed_page_size > size - position_ - header_length) {
    return Status::Corruption(
        "parquet: page of {} bytes runs past the end of the column chunk ({} bytes left) ({})",
        header.compressed_page_size, size - position_ - header_length, Where(offset));
  }
  page->offset = offset;
  page->stored = rest.first(static_cast<size_t>(header_length + header.compressed_page_size));
  page->body = page->stored.subspan(static_cast<size_t>(header_length));
  page->header_length = header_length;
  position_ += header_length + header.compressed_page_size;
  if (options_.verify_checksums && header.crc.has_value()) {
    const uint32_t actual = codec::Crc32(page->body);
    if (actual != static_cast<uint32_t>(*header.crc)) {
      return Status::Corruption(
          "parquet: page checksum mismatch: stored {:08x}, computed {:08x} ({})",
          static_cast<uint32_t>(*header.crc), actual, Where(offset));
    }
  }
  return true;
}

Result<bool> ColumnChunkReader::NextDataPage(DataPage* page) {
  RawPage raw;
  while (true) {
    ARCFLOW_ASSIGN_OR_RETURN(bool more, NextPage(&raw));
    if (!more) return false;
    switch (raw.header.type) {
      case PageType::kDictionaryPage:
        ARCFLOW_RETURN_NOT_OK(ReadDictionaryPage(raw.header, raw.body, raw.offset));
        break;
      case PageType::kDataPage:
        ARCFLOW_RETURN_NOT_OK(ReadDataPageV1(raw.header, raw.body, raw.offset, page));
        return true;
      case PageType::kDataPageV2:
        ARCFLOW_RETURN_NOT_OK(ReadDataPageV2(raw.header, raw.body, raw.offset, page));
        return true;
      default:
        // Index pages and page types from newer writers carry nothing a reader needs.
        break;
    }
  }
}

Result<bool> ColumnChunkReader::NextStoredDataPage(StoredDataPage* page) {
  RawPage raw;
  while (true) {
    ARCFLOW_ASSIGN_OR_RETURN(bool more, NextPage(&raw));
    if (!more) return false;
    const PageHeader& header = raw.header;
    if (header.type == PageType::kDictionaryPage) {
      ARCFLOW_RETURN_NOT_OK(ReadDictionaryPage(header, raw.body, raw.offset));
      continue;
    }
    int32_t num_values = 0;
    if (header.type == PageType::kDataPage) {
      if (!header.data_page_header) return Error(raw.offset, "data page without a header");
      num_values = header.data_page_header->num_values;
      page->encoding = header.data_page_header->encoding;
      page->rle_levels = header.data_page_header->definition_level_encoding == Encoding::kRle &&
                         header.data_page_header->repetition_level_encoding == Encoding::kRle;
    } else if (header.type == PageType::kDataPageV2) {
      if (!header.data_page_header_v2) return Error(raw.offset, "data page v2 without a header");
      num_values = header.data_page_header_v2->num_values;
      page->encoding = header.data_page_header_v2->encoding;
      page->rle_levels = true;
    } else {
      continue;  // Index pages and page types from newer writers.
    }
    if (num_values < 0) return Error(raw.offset, "data page with a negative value count");
    seen_data_page_ = true;
    page->bytes = raw.stored;
    page->type = header.type;
    page->codec = chunk_.meta_data->codec;
    page->num_levels = num_values;
    page->uncompressed_size = raw.header_length + header.uncompressed_page_size;
    levels_read_ += num_values;
    return true;
  }
}

}  // namespace arcflow::parquet
