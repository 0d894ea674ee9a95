#include "arcflow/parquet/bridge/column_reader.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <unordered_map>
#include <utility>

#include "arcflow/base/bit_util.h"
#include "arcflow/parquet/bit_packing.h"

namespace arcflow::parquet {
namespace {

// Values converted per step, bounding scratch memory.
constexpr int64_t kScratchValues = 4096;
constexpr int64_t kMaxFixedWidth = 16 << 20;

// Days from the Julian day number epoch to 1970-01-01.
constexpr int64_t kJulianDayOfUnixEpoch = 2440588;
constexpr int64_t kMicrosPerDay = 86400LL * 1000 * 1000;

int64_t FloorDivide(int64_t value, int64_t divisor) {
  int64_t quotient = value / divisor;
  return (value % divisor != 0 && value < 0) ? quotient - 1 : quotient;
}

// Arithmetic on values from files wraps instead of overflowing (which would be undefined
// behaviour); only corrupt or absurd values get there.
int64_t WrappingMultiplyAdd(int64_t a, int64_t b, int64_t c) {
  return static_cast<int64_t>(static_cast<uint64_t>(a) * static_cast<uint64_t>(b) +
                              static_cast<uint64_t>(c));
}

int64_t Int96ToMicros(const Int96& value) {
  const uint64_t nanos_bits = value.words[0] | (static_cast<uint64_t>(value.words[1]) << 32);
  const auto nanos = static_cast<int64_t>(nanos_bits);
  const int64_t days = static_cast<int32_t>(value.words[2]) - kJulianDayOfUnixEpoch;
  return WrappingMultiplyAdd(days, kMicrosPerDay, FloorDivide(nanos, 1000));
}

}  // namespace

float HalfToFloat(const uint8_t* bytes) {
  const uint16_t half = static_cast<uint16_t>(bytes[0] | (bytes[1] << 8));
  const bool negative = (half >> 15) != 0;
  const int exponent = (half >> 10) & 0x1f;
  const int mantissa = half & 0x3ff;
  float magnitude;
  if (exponent == 0) {
    magnitude = std::ldexp(static_cast<float>(mantissa), -24);
  } else if (exponent == 31) {
    magnitude = mantissa == 0 ? std::numeric_limits<float>::infinity()
                              : std::numeric_limits<float>::quiet_NaN();
  } else {
    magnitude = std::ldexp(static_cast<float>(mantissa + 1024), exponent - 25);
  }
  return negative ? -magnitude : magnitude;
}

Status BigEndianToInt128(const uint8_t* bytes, int64_t length, int128_t* out) {
  if (length == 0) return Status::Corruption("parquet: empty decimal value");
  if (length > 16) {
    const uint8_t sign = (bytes[length - 16] & 0x80) ? 0xff : 0x00;
    for (int64_t i = 0; i < length - 16; ++i) {
      if (bytes[i] != sign) {
        return Status::Invalid("parquet: decimal value of {} bytes does not fit in 128 bits",
                               length);
      }
    }
    bytes += length - 16;
    length = 16;
  }
  unsigned __int128 value = (bytes[0] & 0x80) ? ~static_cast<unsigned __int128>(0) : 0;
  for (int64_t i = 0; i < length; ++i) value = (value << 8) | bytes[i];
  *out = static_cast<int128_t>(value);
  return Status::OK();
}

namespace {

void AppendUuid(const uint8_t* bytes, char* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  int position = 0;
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out[position++] = '-';
    out[position++] = kHex[bytes[i] >> 4];
    out[position++] = kHex[bytes[i] & 15];
  }
}

Status DecodePhysical(PageValueDecoder& decoder, int32_t* out, int64_t count) {
  return decoder.DecodeInt32(out, count);
}
Status DecodePhysical(PageValueDecoder& decoder, int64_t* out, int64_t count) {
  return decoder.DecodeInt64(out, count);
}
Status DecodePhysical(PageValueDecoder& decoder, Int96* out, int64_t count) {
  return decoder.DecodeInt96(out, count);
}

int64_t CountEqual(const int16_t* levels, int64_t count, int16_t value) {
  int64_t total = 0;
  for (int64_t i = 0; i < count; ++i) total += levels[i] == value;
  return total;
}

}  // namespace

void LeafBatch::Clear() {
  definition_levels.clear();
  repetition_levels.clear();
  num_levels = 0;
  validity.Clear();
  num_values = 0;
  values = BufferBuilder();
  bytes = ByteArraySink();
}

// ---------------------------------------------------------------------------------------------
// LeafColumnReader

Result<bool> LeafColumnReader::NextPage() {
  while (true) {
    ARCFLOW_ASSIGN_OR_RETURN(bool more, chunk_->NextDataPage(&page_));
    if (!more) {
      has_page_ = false;
      exhausted_ = true;
      return false;
    }
    has_page_ = true;
    level_position_ = 0;
    if (page_.num_levels > 0) return true;
  }
}

Result<int64_t> LeafColumnReader::ReadRecords(int64_t max_records, LeafBatch* batch) {
  const ColumnDescriptor& column = chunk_->column();
  const int16_t max_def = column.max_definition_level;
  const int16_t max_rep = column.max_repetition_level;
  const bool bitmap_levels = HasBitmapLevels(column);
  batch->bitmap_levels = bitmap_levels;
  int64_t records = 0;
  if (max_records <= 0) return records;
  if (max_rep == 0) ReserveFlat(max_records, batch);
  while (true) {
    if (!has_page_ || level_position_ == page_.num_levels) {
      if (exhausted_) break;
      ARCFLOW_ASSIGN_OR_RETURN(bool more, NextPage());
      if (!more) break;
    }
    const int64_t start = level_position_;
    const int64_t page_levels = page_.num_levels;
    int64_t end = start;
    bool complete = false;
    if (max_rep == 0) {
      end = start + std::min(page_levels - start, max_records - records);
      records += end - start;
      complete = records == max_records;
    } else {
      const int16_t* rep = page_.repetition_levels;
      for (; end < page_levels; ++end) {
        if (rep[end] == 0) {
          if (records == max_records) {
            complete = true;
            break;
          }
          ++records;
        } else if (records == 0) {
          return Status::Corruption(
              "parquet: repetition level {} at the start of a record; the first level of a "
              "record must be 0 (column={}, page offset={})",
              rep[end], column.dotted_path, page_.file_offset);
        }
      }
    }
    const int64_t taken = end - start;
    if (taken > 0) {
      int64_t values = taken;
      if (bitmap_levels) {
        values = bit_util::CountSetBits(page_.validity, start, taken);
        AppendValidity(start, taken, values, batch);
      } else if (max_def > 0) {
        batch->definition_levels.insert(batch->definition_levels.end(),
                                        page_.definition_levels + start,
                                        page_.definition_levels + end);
        values = CountEqual(page_.definition_levels + start, taken, max_def);
      }
      if (max_rep > 0) {
        batch->repetition_levels.insert(batch->repetition_levels.end(),
                                        page_.repetition_levels + start,
                                        page_.repetition_levels + end);
      }
      batch->num_levels += taken;
      Status status = DecodeValues(values, batch);
      if (!status.ok()) {
        return status.WithContext(
            fmt::format("column={}, page offset={}", column.dotted_path, page_.file_offset));
      }
      level_position_ = end;
    }
    if (complete) break;
  }
  if (max_rep == 0) {
    bytes_per_record_ =
        records > 0 ? static_cast<double>(batch->bytes.data.size()) / static_cast<double>(records)
                    : 0;
  }
  return records;
}

// Bits the levels of a batch with bitmap levels as they come: nothing while no level is 0, then
// every level so far.
void LeafColumnReader::AppendValidity(int64_t start, int64_t taken, int64_t present,
                                      LeafBatch* batch) const {
  const int64_t held = batch->num_levels;
  const bool started = batch->validity.size() > 0;
  if (!started && present == taken) return;
  batch->validity.Resize(bit_util::BytesForBits(held + taken));
  if (!started) FillBits(batch->validity.data(), 0, held, true);
  CopyBitmap(page_.validity, start, taken, batch->validity.data(), held);
}

// A flat column holds one level and at most one value per record, so the batch can be sized
// once instead of growing (and copying) page by page.
void LeafColumnReader::ReserveFlat(int64_t records, LeafBatch* batch) const {
  // Row counts come from the footer: trust them only up to a modest size.
  records = std::min<int64_t>(records, 1 << 20);
  if (chunk_->column().max_definition_level > 0 && !batch->bitmap_levels) {
    batch->definition_levels.reserve(batch->definition_levels.size() +
                                     static_cast<size_t>(records));
  }
  const DataType& type = *leaf_.type;
  if (type.id() == TypeId::kBoolean) {
    batch->values.Reserve(bit_util::BytesForBits(records) + 1);
  } else if (type.byte_width() > 0) {
    batch->values.Reserve(records * type.byte_width());
  } else {
    batch->bytes.offsets.Reserve((records + 1) * 4);
    // The bytes of a record change little from batch to batch of a column: reserving what the
    // last batch took, with some room, saves copying the strings as they grow. Reserved but
    // untouched memory costs address space only.
    const double expected = bytes_per_record_ * static_cast<double>(records) * 1.125;
    batch->bytes.data.Reserve(
        static_cast<int64_t>(std::min(expected, static_cast<double>(1 << 30))));
  }
}

Status LeafColumnReader::CheckExhausted() {
  bool more = has_page_ && level_position_ < page_.num_levels;
  if (!more && !exhausted_) {
    ARCFLOW_ASSIGN_OR_RETURN(more, NextPage());
  }
  if (more) {
    return Status::Corruption(
        "parquet: column chunk holds more values than the rows its row group declares "
        "(column={})",
        chunk_->column().dotted_path);
  }
  return Status::OK();
}

template <typename Physical, typename Convert>
Status LeafColumnReader::DecodeConverted(int64_t count, LeafBatch* batch, Convert convert) {
  using Out = decltype(convert(Physical{}));
  const int64_t first = batch->num_values;
  batch->values.ResizeUninitialized((first + count) * static_cast<int64_t>(sizeof(Out)));
  Out* out = batch->values.data_as<Out>() + first;
  scratch_.resize(static_cast<size_t>(std::min(count, kScratchValues)) * sizeof(Physical));
  auto* physical = reinterpret_cast<Physical*>(scratch_.data());
  for (int64_t done = 0; done < count;) {
    const int64_t step = std::min(count - done, kScratchValues);
    ARCFLOW_RETURN_NOT_OK(DecodePhysical(*page_.values, physical, step));
    for (int64_t i = 0; i < step; ++i) out[done + i] = convert(physical[i]);
    done += step;
  }
  return Status::OK();
}

// FIXED_LEN_BYTE_ARRAY values in all their conversions.
Status LeafColumnReader::DecodeFixedBytes(int64_t count, LeafBatch* batch) {
  const int64_t width = leaf_.type_length;
  if (width <= 0) return Status::Corruption("parquet: FIXED_LEN_BYTE_ARRAY without a length");
  // Real files use a few bytes (UUIDs, decimals, half floats); a huge declared width would
  // make even one value's scratch space a large allocation.
  if (width > kMaxFixedWidth) {
    return Status::NotImplemented(
        "parquet: FIXED_LEN_BYTE_ARRAY values of {} bytes are wider than the {} supported", width,
        kMaxFixedWidth);
  }
  const int64_t first = batch->num_values;
  const int64_t step_values = std::max<int64_t>(1, std::min(kScratchValues, (1 << 20) / width));
  scratch_.resize(static_cast<size_t>(std::min(count, step_values) * width));
  for (int64_t done = 0; done < count;) {
    const int64_t step = std::min(count - done, step_values);
    ARCFLOW_RETURN_NOT_OK(page_.values->DecodeFixedLenByteArray(scratch_.data(), step));
    const uint8_t* bytes = scratch_.data();
    switch (leaf_.conversion) {
      case LeafConversion::kFloat16ToFloat: {
        batch->values.Resize((first + done + step) * 4);
        float* out = batch->values.data_as<float>() + first + done;
        for (int64_t i = 0; i < step; ++i) out[i] = HalfToFloat(bytes + i * width);
        break;
      }
      case LeafConversion::kBytesToDecimal: {
        batch->values.Resize((first + done + step) * 16);
        int128_t* out = batch->values.data_as<int128_t>() + first + done;
        for (int64_t i = 0; i < step; ++i) {
          ARCFLOW_RETURN_NOT_OK(BigEndianToInt128(bytes + i * width, width, &out[i]));
        }
        break;
      }
      case LeafConversion::kUuidToString: {
        ByteArraySink& sink = batch->bytes;
        ARCFLOW_RETURN_NOT_OK(sink.CheckCapacity(step * 36));
        sink.EnsureStarted();
        const int64_t base = sink.data.size();
        sink.data.Resize(base + step * 36);
        char* text = reinterpret_cast<char*>(sink.data.data() + base);
        sink.offsets.Reserve(step * 4);
        for (int64_t i = 0; i < step; ++i) {
          AppendUuid(bytes + i * width, text + i * 36);
          sink.offsets.UnsafeAppendValue(static_cast<int32_t>(base + (i + 1) * 36));
        }
        break;
      }
      default: {  // kFixedToBinary
        ByteArraySink& sink = batch->bytes;
        ARCFLOW_RETURN_NOT_OK(sink.CheckCapacity(step * width));
        sink.EnsureStarted();
        const int64_t base = sink.data.size();
        sink.data.Append(bytes, step * width);
        sink.offsets.Reserve(step * 4);
        for (int64_t i = 0; i < step; ++i) {
          sink.offsets.UnsafeAppendValue(static_cast<int32_t>(base + (i + 1) * width));
        }
        break;
      }
    }
    done += step;
  }
  return Status::OK();
}

Status LeafColumnReader::DecodeValues(int64_t count, LeafBatch* batch) {
  if (count == 0) return Status::OK();
  PageValueDecoder& decoder = *page_.values;
  const int64_t first = batch->num_values;
  BufferBuilder& values = batch->values;
  switch (leaf_.conversion) {
    case LeafConversion::kBoolean:
      values.Resize(bit_util::BytesForBits(first + count));
      ARCFLOW_RETURN_NOT_OK(decoder.DecodeBooleans(values.data(), first, count));
      break;
    case LeafConversion::kInt32:
      values.ResizeUninitialized((first + count) * 4);
      ARCFLOW_RETURN_NOT_OK(decoder.DecodeInt32(values.data_as<int32_t>() + first, count));
      break;
    case LeafConversion::kInt64:
      values.ResizeUninitialized((first + count) * 8);
      ARCFLOW_RETURN_NOT_OK(decoder.DecodeInt64(values.data_as<int64_t>() + first, count));
      break;
    case LeafConversion::kFloat:
      values.ResizeUninitialized((first + count) * 4);
      ARCFLOW_RETURN_NOT_OK(decoder.DecodeFloat(values.data_as<float>() + first, count));
      break;
    case LeafConversion::kDouble:
      values.ResizeUninitialized((first + count) * 8);
      ARCFLOW_RETURN_NOT_OK(decoder.DecodeDouble(values.data_as<double>() + first, count));
      break;
    case LeafConversion::kInt32ToInt8:
      ARCFLOW_RETURN_NOT_OK(
          DecodeConverted<int32_t>(count, batch, [](int32_t v) { return static_cast<int8_t>(v); }));
      break;
    case LeafConversion::kInt32ToInt16:
      ARCFLOW_RETURN_NOT_OK(DecodeConverted<int32_t>(
          count, batch, [](int32_t v) { return static_cast<int16_t>(v); }));
      break;
    case LeafConversion::kUInt8ToInt16:
      ARCFLOW_RETURN_NOT_OK(DecodeConverted<int32_t>(
          count, batch, [](int32_t v) { return static_cast<int16_t>(static_cast<uint8_t>(v)); }));
      break;
    case LeafConversion::kUInt16ToInt32:
      ARCFLOW_RETURN_NOT_OK(DecodeConverted<int32_t>(
          count, batch, [](int32_t v) { return static_cast<int32_t>(static_cast<uint16_t>(v)); }));
      break;
    case LeafConversion::kUInt32ToInt64:
      ARCFLOW_RETURN_NOT_OK(DecodeConverted<int32_t>(
          count, batch, [](int32_t v) { return static_cast<int64_t>(static_cast<uint32_t>(v)); }));
      break;
    case LeafConversion::kUInt64ToDecimal:
      ARCFLOW_RETURN_NOT_OK(DecodeConverted<int64_t>(
          count, batch, [](int64_t v) { return static_cast<int128_t>(static_cast<uint64_t>(v)); }));
      break;
    case LeafConversion::kInt32MillisToMicros:
      ARCFLOW_RETURN_NOT_OK(DecodeConverted<int32_t>(
          count, batch, [](int32_t v) { return static_cast<int64_t>(v) * 1000; }));
      break;
    case LeafConversion::kInt64MillisToMicros:
      ARCFLOW_RETURN_NOT_OK(DecodeConverted<int64_t>(
          count, batch, [](int64_t v) { return WrappingMultiplyAdd(v, 1000, 0); }));
      break;
    case LeafConversion::kInt64NanosToMicros:
      ARCFLOW_RETURN_NOT_OK(
          DecodeConverted<int64_t>(count, batch, [](int64_t v) { return FloorDivide(v, 1000); }));
      break;
    case LeafConversion::kInt96ToTimestamp:
      ARCFLOW_RETURN_NOT_OK(DecodeConverted<Int96>(count, batch, Int96ToMicros));
      break;
    case LeafConversion::kInt32ToDecimal:
      ARCFLOW_RETURN_NOT_OK(DecodeConverted<int32_t>(
          count, batch, [](int32_t v) { return static_cast<int128_t>(v); }));
      break;
    case LeafConversion::kInt64ToDecimal:
      ARCFLOW_RETURN_NOT_OK(DecodeConverted<int64_t>(
          count, batch, [](int64_t v) { return static_cast<int128_t>(v); }));
      break;
    case LeafConversion::kByteArray:
      batch->bytes.EnsureStarted();
      ARCFLOW_RETURN_NOT_OK(decoder.DecodeByteArray(&batch->bytes, count));
      break;
    case LeafConversion::kBytesToDecimal:
      if (leaf_.physical_type == PhysicalType::kByteArray) {
        values.Resize((first + count) * 16);
        for (int64_t done = 0; done < count;) {
          const int64_t step = std::min(count - done, kScratchValues);
          scratch_bytes_.offsets.Clear();
          scratch_bytes_.data.Clear();
          scratch_bytes_.EnsureStarted();
          ARCFLOW_RETURN_NOT_OK(decoder.DecodeByteArray(&scratch_bytes_, step));
          const ByteArraySpan span = scratch_bytes_.View();
          int128_t* out = values.data_as<int128_t>() + first + done;
          for (int64_t i = 0; i < step; ++i) {
            std::string_view bytes = span.Value(i);
            ARCFLOW_RETURN_NOT_OK(BigEndianToInt128(reinterpret_cast<const uint8_t*>(bytes.data()),
                                                    static_cast<int64_t>(bytes.size()), &out[i]));
          }
          done += step;
        }
      } else {
        ARCFLOW_RETURN_NOT_OK(DecodeFixedBytes(count, batch));
      }
      break;
    case LeafConversion::kFloat16ToFloat:
    case LeafConversion::kFixedToBinary:
    case LeafConversion::kUuidToString:
      ARCFLOW_RETURN_NOT_OK(DecodeFixedBytes(count, batch));
      break;
  }
  batch->num_values += count;
  return Status::OK();
}

// ---------------------------------------------------------------------------------------------
// Record assembly

namespace {

// What the levels of a node's first leaf say about the node in one batch.
struct NodeLevels {
  int64_t length = 0;
  int64_t null_count = 0;
  BufferBuilder validity;  // LSB-first bits, one per entry.
  BufferBuilder offsets;   // Lists: length + 1 int32 offsets.
};

// Appends bits to a BufferBuilder a byte at a time.
class BitAppender {
 public:
  explicit BitAppender(NodeLevels* levels) : levels_(levels) {}
  void Append(bool valid) {
    current_ |= static_cast<uint8_t>(valid) << bit_;
    levels_->null_count += !valid;
    if (++bit_ == 8) {
      levels_->validity.AppendValue(current_);
      current_ = 0;
      bit_ = 0;
    }
    ++levels_->length;
  }
  void Finish() {
    if (bit_ != 0) levels_->validity.AppendValue(current_);
    bit_ = 0;
    current_ = 0;
  }

 private:
  NodeLevels* levels_;
  uint8_t current_ = 0;
  int bit_ = 0;
};

// Sets bit i of `out` where levels[i] >= threshold, for `count` levels; returns the nulls.
int64_t BuildValidity(const int16_t* levels, int64_t count, int16_t threshold, BufferBuilder* out) {
  out->Resize(bit_util::BytesForBits(count));
  uint8_t* bits = out->data();
  int64_t valid = 0;
  int64_t i = 0;
  for (; i + 8 <= count; i += 8) {
    uint8_t byte = 0;
    for (int k = 0; k < 8; ++k) {
      const bool present = levels[i + k] >= threshold;
      byte |= static_cast<uint8_t>(present) << k;
      valid += present;
    }
    bits[i >> 3] = byte;
  }
  if (i < count) {
    uint8_t byte = 0;
    for (int k = 0; i + k < count; ++k) {
      const bool present = levels[i + k] >= threshold;
      byte |= static_cast<uint8_t>(present) << k;
      valid += present;
    }
    bits[i >> 3] = byte;
  }
  return count - valid;
}

// The number of consecutive bits equal to `value` that end just below bit `end` of an LSB-first
// bitmap, counted a byte at a time.
int64_t RunBefore(const uint8_t* bits, int64_t end, bool value) {
  const uint8_t flip = value ? 0x00 : 0xFF;
  int64_t position = end;
  if ((position & 7) != 0) {
    // The bits of the byte holding bit end - 1 that lie below `end`, moved to the top.
    const int below = static_cast<int>(position & 7);
    const auto byte = static_cast<uint8_t>((bits[position >> 3] ^ flip) << (8 - below));
    const int run = std::countl_one(byte);
    if (run < below) return run;
    position -= below;
  }
  while (position >= 8 && (bits[(position >> 3) - 1] ^ flip) == 0xFF) position -= 8;
  if (position > 0) {
    position -= std::countl_one(static_cast<uint8_t>(bits[(position >> 3) - 1] ^ flip));
  }
  return end - position;
}

// Moves slot `from` of `data` (`kWidth`-byte slots) to slot `to`, or zeroes slot `to` when
// `valid` is false, without branching on it (nulls scattered at random would mispredict).
// Slot `from` is read either way, so it must lie within the array.
template <int kWidth>
inline void MoveOrZeroSlot(uint8_t* data, int64_t from, int64_t to, bool valid) {
  uint64_t words[(kWidth + 7) / 8] = {};
  std::memcpy(words, data + from * kWidth, kWidth);
  const uint64_t mask = uint64_t{0} - static_cast<uint64_t>(valid);
  for (uint64_t& word : words) word &= mask;
  std::memcpy(data + to * kWidth, words, kWidth);
}

// Moves `num_values` dense values of `width` bytes into the slots of the valid entries of a
// `length`-entry array, in place, working backwards; null slots are zeroed. Eight entries (one
// validity byte) at a time: all valid is one block move, all null one block clear, mixed ones
// slot by slot without branches.
template <int kWidth>
void SpreadFixed(uint8_t* data, const uint8_t* validity, int64_t length, int64_t num_values) {
  constexpr size_t kBlock = 8 * kWidth;
  int64_t source = num_values;  // Values [0, source) are not in their slots yet.
  int64_t end = length;         // Slots [end, length) are done.
  // Once as many values remain as slots, every slot below holds its own value already.
  while (source < end) {
    if ((end & 7) == 0) {
      const int64_t first = end - 8;
      const uint8_t byte = validity[(end >> 3) - 1];
      if (byte == 0) {
        std::memset(data + first * kWidth, 0, kBlock);
        end = first;
        continue;
      }
      // With at least 8 values left, the byte's valid entries (at most 8) cannot run out.
      if (source >= 8) {
        if (byte == 0xFF) {
          uint8_t block[kBlock];  // Through a copy: source and destination may overlap.
          std::memcpy(block, data + (source - 8) * kWidth, kBlock);
          std::memcpy(data + first * kWidth, block, kBlock);
          source -= 8;
        } else {
          for (int k = 7; k >= 0; --k) {
            const bool valid = (byte >> k) & 1;
            source -= valid ? 1 : 0;
            MoveOrZeroSlot<kWidth>(data, source, first + k, valid);
          }
        }
        end = first;
        continue;
      }
    }
    // A partial byte, or a byte with valid entries among the last few values (the validity may
    // claim more valid entries than there are values): slot by slot, never reading below
    // value 0.
    --end;
    const bool valid = bit_util::GetBit(validity, end) && source > 0;
    source -= valid ? 1 : 0;
    MoveOrZeroSlot<kWidth>(data, source, end, valid);
  }
}

void SpreadFixedWidth(uint8_t* data, int width, const uint8_t* validity, int64_t length,
                      int64_t num_values) {
  switch (width) {
    case 1:
      return SpreadFixed<1>(data, validity, length, num_values);
    case 2:
      return SpreadFixed<2>(data, validity, length, num_values);
    case 4:
      return SpreadFixed<4>(data, validity, length, num_values);
    case 8:
      return SpreadFixed<8>(data, validity, length, num_values);
    default:
      return SpreadFixed<16>(data, validity, length, num_values);
  }
}

void SpreadBits(uint8_t* bits, const uint8_t* validity, int64_t length, int64_t num_values) {
  int64_t source = num_values - 1;
  for (int64_t i = length - 1; i >= 0 && source < i; --i) {
    if (bit_util::GetBit(validity, i)) {
      bit_util::SetBitTo(bits, i, bit_util::GetBit(bits, source));
      --source;
    } else {
      bit_util::ClearBit(bits, i);
    }
  }
}

// Offsets of `num_values` dense values → offsets of `length` entries, nulls empty, a run of
// valid or null entries at a time.
void SpreadOffsets(int32_t* offsets, const uint8_t* validity, int64_t length, int64_t num_values) {
  int64_t source = num_values;  // Start offsets [0, source) are not in place yet.
  int64_t end = length;         // Entries [end, length] are done.
  offsets[length] = offsets[source];
  while (source < end) {
    const int64_t valid = std::min(RunBefore(validity, end, true), source);
    std::memmove(offsets + end - valid, offsets + source - valid,
                 static_cast<size_t>(valid) * sizeof(int32_t));
    end -= valid;
    source -= valid;
    if (source >= end) break;
    const int64_t nulls = RunBefore(validity, end, false);
    if (nulls == 0) break;  // Only if the validity holds more valid entries than values.
    std::fill(offsets + end - nulls, offsets + end, offsets[source]);
    end -= nulls;
  }
}

class Assembler {
 public:
  explicit Assembler(std::span<LeafBatch* const> batches) : batches_(batches) {}

  Result<ArrayPtr> Assemble(const FieldNode& field, int64_t num_records) {
    std::vector<const FieldNode*> path;
    ARCFLOW_RETURN_NOT_OK(VisitLeaves(field, &path));
    ARCFLOW_ASSIGN_OR_RETURN(auto data, Build(field));
    if (data->length != num_records) {
      return Status::Corruption("parquet: field '{}' has {} rows where {} were expected",
                                field.name, data->length, num_records);
    }
    return MakeArray(std::move(data));
  }

 private:
  Status VisitLeaves(const FieldNode& node, std::vector<const FieldNode*>* path) {
    path->push_back(&node);
    if (node.kind == FieldNode::Kind::kLeaf) {
      ARCFLOW_RETURN_NOT_OK(ProcessLeaf(*path));
    } else {
      for (const FieldNode& child : node.children) ARCFLOW_RETURN_NOT_OK(VisitLeaves(child, path));
    }
    path->pop_back();
    return Status::OK();
  }

  LeafBatch* BatchOf(const FieldNode& leaf) const {
    const auto index = static_cast<size_t>(leaf.column_index);
    return index < batches_.size() ? batches_[index] : nullptr;
  }

  // Turns the levels of one leaf into validity and offsets for every node on its path whose
  // first leaf it is.
  Status ProcessLeaf(const std::vector<const FieldNode*>& path) {
    const FieldNode& leaf = *path.back();
    LeafBatch* batch = BatchOf(leaf);
    if (batch == nullptr) {
      return Status::Internal("parquet: no values were read for column {}", leaf.column_index);
    }
    const int64_t num_levels = batch->num_levels;
    const int16_t* def =
        batch->definition_levels.empty() ? nullptr : batch->definition_levels.data();
    const int16_t* rep =
        batch->repetition_levels.empty() ? nullptr : batch->repetition_levels.data();
    const int max_depth = leaf.depth;
    if (max_depth > 0 && rep == nullptr && num_levels > 0) {
      return Status::Internal("parquet: nested column {} has no repetition levels",
                              leaf.column_index);
    }
    if (def == nullptr && !batch->bitmap_levels && num_levels > 0) {
      // No definition levels: every node on the path is required and always present.
      for (const FieldNode* node : path) {
        if (node->definition_level != 0) {
          return Status::Internal("parquet: column {} lacks definition levels", leaf.column_index);
        }
      }
    }

    // The nodes this leaf speaks for, by depth.
    std::vector<std::vector<std::pair<const FieldNode*, NodeLevels*>>> at_depth(
        static_cast<size_t>(max_depth) + 1);
    std::vector<int16_t> element_level(static_cast<size_t>(max_depth) + 1, 0);
    for (const FieldNode* node : path) {
      if (node->kind == FieldNode::Kind::kList) {
        element_level[static_cast<size_t>(node->depth) + 1] = node->element_definition_level;
      }
      if (node->first_column == leaf.column_index || node == &leaf) {
        NodeLevels* levels = &levels_[node];
        at_depth[static_cast<size_t>(node->depth)].emplace_back(node, levels);
      }
    }

    if (max_depth == 0) {
      // Flat path: one entry per level, validity straight from the definition levels.
      for (auto& [node, levels] : at_depth[0]) {
        levels->length = num_levels;
        if (batch->bitmap_levels && node->definition_level > 0) {
          // The levels already are the validity (the maximum level is 1); none were kept when
          // no value was null.
          levels->null_count = num_levels - batch->num_values;
          if (levels->null_count > 0) {
            levels->validity.Append(batch->validity.data(), batch->validity.size());
          }
        } else if (def != nullptr && node->definition_level > 0) {
          levels->null_count =
              BuildValidity(def, num_levels, node->definition_level, &levels->validity);
        }
      }
      return Status::OK();
    }

    std::vector<BitAppender> appenders;
    std::vector<std::vector<size_t>> appender_at(static_cast<size_t>(max_depth) + 1);
    for (size_t depth = 0; depth < at_depth.size(); ++depth) {
      for (auto& [node, levels] : at_depth[depth]) {
        appender_at[depth].push_back(appenders.size());
        appenders.emplace_back(levels);
        if (node->kind == FieldNode::Kind::kList) levels->offsets.Reserve(64);
      }
    }
    std::vector<int64_t> counts(static_cast<size_t>(max_depth) + 2, 0);
    for (int64_t i = 0; i < num_levels; ++i) {
      const int r = rep[i];
      const int16_t d = def != nullptr ? def[i] : 0;
      if (r > max_depth) {
        return Status::Corruption("parquet: repetition level {} exceeds the column's {}", r,
                                  max_depth);
      }
      if (r > 0 && d < element_level[static_cast<size_t>(r)]) {
        return Status::Corruption(
            "parquet: repetition level {} with definition level {} below the list element's {} "
            "(level index {})",
            r, d, element_level[static_cast<size_t>(r)], i);
      }
      for (int depth = r; depth <= max_depth; ++depth) {
        if (depth > 0 && d < element_level[static_cast<size_t>(depth)]) break;
        const auto& nodes = at_depth[static_cast<size_t>(depth)];
        for (size_t k = 0; k < nodes.size(); ++k) {
          const FieldNode* node = nodes[k].first;
          if (node->kind == FieldNode::Kind::kList) {
            const int64_t offset = counts[static_cast<size_t>(depth) + 1];
            if (offset > std::numeric_limits<int32_t>::max()) {
              return Status::Invalid(
                  "parquet: list '{}' has more than 2^31-1 elements in one batch; read smaller "
                  "batches",
                  node->name);
            }
            nodes[k].second->offsets.AppendValue(static_cast<int32_t>(offset));
          }
          appenders[appender_at[static_cast<size_t>(depth)][k]].Append(d >= node->definition_level);
        }
        ++counts[static_cast<size_t>(depth)];
      }
    }
    for (size_t depth = 0; depth < at_depth.size(); ++depth) {
      for (size_t k = 0; k < at_depth[depth].size(); ++k) {
        auto& [node, levels] = at_depth[depth][k];
        appenders[appender_at[depth][k]].Finish();
        if (node->kind == FieldNode::Kind::kList) {
          const int64_t offset = counts[depth + 1];
          if (offset > std::numeric_limits<int32_t>::max()) {
            return Status::Invalid("parquet: list '{}' has more than 2^31-1 elements in one batch",
                                   node->name);
          }
          levels->offsets.AppendValue(static_cast<int32_t>(offset));
        }
      }
    }
    return Status::OK();
  }

  Result<std::shared_ptr<const ArrayData>> Build(const FieldNode& node) {
    auto found = levels_.find(&node);
    if (found == levels_.end()) {
      return Status::Internal("parquet: no levels for field '{}'", node.name);
    }
    NodeLevels& levels = found->second;
    if (node.reject_nulls && levels.null_count > 0) {
      return Status::Corruption("parquet: map key '{}' holds {} nulls; map keys cannot be null",
                                node.name, levels.null_count);
    }
    auto data = std::make_shared<ArrayData>();
    data->type = node.type;
    data->length = levels.length;
    data->null_count = levels.null_count;
    std::shared_ptr<const Buffer> validity;
    const uint8_t* validity_bits = nullptr;
    if (levels.null_count > 0) {
      validity = levels.validity.Finish();
      validity_bits = validity->data();
    }
    switch (node.kind) {
      case FieldNode::Kind::kLeaf:
        ARCFLOW_RETURN_NOT_OK(BuildLeaf(node, levels, validity_bits, data.get()));
        data->buffers.insert(data->buffers.begin(), validity);
        break;
      case FieldNode::Kind::kStruct:
        data->buffers = {validity};
        for (const FieldNode& child : node.children) {
          ARCFLOW_ASSIGN_OR_RETURN(auto child_data, Build(child));
          if (child_data->length != data->length) {
            return Status::Corruption(
                "parquet: struct '{}' has {} entries but its field '{}' has {}; the columns "
                "disagree",
                node.name, data->length, child.name, child_data->length);
          }
          data->children.push_back(std::move(child_data));
        }
        break;
      case FieldNode::Kind::kList: {
        std::shared_ptr<const Buffer> offsets = levels.offsets.Finish();
        if (offsets->size() != (data->length + 1) * 4) {
          return Status::Internal("parquet: list '{}' offsets do not match its length", node.name);
        }
        ARCFLOW_ASSIGN_OR_RETURN(auto child_data, Build(node.children[0]));
        const int32_t end = offsets->data_as<int32_t>()[data->length];
        if (child_data->length != end) {
          return Status::Corruption(
              "parquet: list '{}' holds {} elements but its element columns hold {}; the "
              "columns disagree",
              node.name, end, child_data->length);
        }
        data->buffers = {validity, std::move(offsets)};
        data->children.push_back(std::move(child_data));
        break;
      }
    }
    return std::shared_ptr<const ArrayData>(std::move(data));
  }

  Status BuildLeaf(const FieldNode& leaf, const NodeLevels& levels, const uint8_t* validity,
                   ArrayData* data) {
    LeafBatch* batch = BatchOf(leaf);
    const int64_t length = levels.length;
    const int64_t num_values = batch->num_values;
    if (num_values != length - levels.null_count) {
      return Status::Corruption("parquet: column '{}' has {} values for {} non-null entries",
                                leaf.name, num_values, length - levels.null_count);
    }
    const TypeId id = leaf.type->id();
    if (id == TypeId::kString || id == TypeId::kBinary) {
      ByteArraySink& sink = batch->bytes;
      sink.EnsureStarted();
      if (validity != nullptr) {
        // Spreading writes every offset past the dense ones.
        sink.offsets.ResizeUninitialized((length + 1) * 4);
        SpreadOffsets(sink.offsets.data_as<int32_t>(), validity, length, num_values);
      }
      data->buffers = {sink.offsets.Finish(), sink.data.Finish()};
      return Status::OK();
    }
    BufferBuilder& values = batch->values;
    if (id == TypeId::kBoolean) {
      values.Resize(bit_util::BytesForBits(length));
      if (validity != nullptr) SpreadBits(values.data(), validity, length, num_values);
    } else {
      const int width = leaf.type->byte_width();
      // Spreading writes every slot: values moved into place, nulls zeroed.
      values.ResizeUninitialized(length * width);
      if (validity != nullptr) {
        SpreadFixedWidth(values.data(), width, validity, length, num_values);
      }
    }
    data->buffers = {values.Finish()};
    return Status::OK();
  }

  std::span<LeafBatch* const> batches_;
  std::unordered_map<const FieldNode*, NodeLevels> levels_;
};

}  // namespace

Result<ArrayPtr> AssembleField(const FieldNode& field, std::span<LeafBatch* const> batches,
                               int64_t num_records) {
  Assembler assembler(batches);
  return assembler.Assemble(field, num_records);
}

}  // namespace arcflow::parquet
