#include "arcflow/delta/deletion_vector.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <limits>
#include <random>

#include "arcflow/codec/crc32.h"
#include "arcflow/delta/log_paths.h"
#include "arcflow/io/atomic_publish.h"

namespace arcflow::delta {
namespace {

constexpr char kZ85Alphabet[] =
    "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";
constexpr uint32_t kPortableMagic = 1681511377;
constexpr uint32_t kNativeMagic = 1681511376;
// Cookies of the standard 32-bit RoaringBitmap serialization.
constexpr uint32_t kSerialCookieNoRunContainer = 12346;
constexpr uint32_t kSerialCookie = 12347;
constexpr uint32_t kNoOffsetThreshold = 4;
constexpr uint32_t kMaxArrayContainerCardinality = 4096;
constexpr size_t kBitmapContainerBytes = 8192;
constexpr size_t kUuidZ85Length = 20;

// A bounds-checked little-endian reader over untrusted bytes.
class ByteReader {
 public:
  ByteReader(std::span<const uint8_t> bytes, std::string_view where)
      : bytes_(bytes), where_(where) {}

  size_t position() const { return position_; }
  size_t remaining() const { return bytes_.size() - position_; }

  Status Need(size_t count, std::string_view what) const {
    if (count > remaining()) {
      return Status::Corruption(
          "delta: deletion vector ends inside its {} (needs {} bytes at offset {}, {} left; {})",
          what, count, position_, remaining(), where_);
    }
    return Status::OK();
  }
  template <typename T>
  Result<T> Read(std::string_view what) {
    ARCFLOW_RETURN_NOT_OK(Need(sizeof(T), what));
    T value;
    std::memcpy(&value, bytes_.data() + position_, sizeof(T));
    position_ += sizeof(T);
    return value;
  }
  Result<std::span<const uint8_t>> ReadBytes(size_t count, std::string_view what) {
    ARCFLOW_RETURN_NOT_OK(Need(count, what));
    auto out = bytes_.subspan(position_, count);
    position_ += count;
    return out;
  }
  Status Seek(size_t position, std::string_view what) {
    if (position > bytes_.size()) {
      return Status::Corruption("delta: deletion vector {} offset {} is past its end {} ({})", what,
                                position, bytes_.size(), where_);
    }
    position_ = position;
    return Status::OK();
  }
  const std::string& where() const { return where_; }

 private:
  std::span<const uint8_t> bytes_;
  std::string where_;
  size_t position_ = 0;
};

uint16_t LoadU16(const uint8_t* p) { return static_cast<uint16_t>(p[0] | (p[1] << 8)); }

// Parses one standard portable 32-bit RoaringBitmap at the reader's position and appends its
// values, each ORed with `high` << 32, to `out`.
Status ParseRoaring32(ByteReader* reader, uint64_t high, uint64_t max_rows,
                      std::vector<uint64_t>* out) {
  size_t start = reader->position();
  ARCFLOW_ASSIGN_OR_RETURN(uint32_t cookie, reader->Read<uint32_t>("roaring cookie"));
  uint32_t num_containers = 0;
  std::span<const uint8_t> run_flags;
  bool has_offsets = true;
  if ((cookie & 0xFFFF) == kSerialCookie) {
    num_containers = (cookie >> 16) + 1;
    ARCFLOW_ASSIGN_OR_RETURN(run_flags, reader->ReadBytes((num_containers + 7) / 8, "run flags"));
    has_offsets = num_containers >= kNoOffsetThreshold;
  } else if (cookie == kSerialCookieNoRunContainer) {
    ARCFLOW_ASSIGN_OR_RETURN(num_containers, reader->Read<uint32_t>("container count"));
  } else {
    return Status::Corruption(
        "delta: deletion vector has an unknown RoaringBitmap cookie {} at offset {} ({})", cookie,
        start, reader->where());
  }
  if (num_containers > 65536) {
    return Status::Corruption("delta: deletion vector bitmap claims {} containers (max 65536; {})",
                              num_containers, reader->where());
  }
  ARCFLOW_ASSIGN_OR_RETURN(auto header,
                           reader->ReadBytes(size_t{num_containers} * 4, "container headers"));
  std::vector<uint32_t> offsets;
  if (has_offsets) {
    ARCFLOW_ASSIGN_OR_RETURN(auto raw_offsets,
                             reader->ReadBytes(size_t{num_containers} * 4, "container offsets"));
    offsets.resize(num_containers);
    if (!raw_offsets.empty()) std::memcpy(offsets.data(), raw_offsets.data(), raw_offsets.size());
  }
  int64_t previous_key = -1;
  for (uint32_t i = 0; i < num_containers; ++i) {
    uint16_t key = LoadU16(header.data() + i * 4);
    uint32_t cardinality = uint32_t{LoadU16(header.data() + i * 4 + 2)} + 1;
    if (static_cast<int64_t>(key) <= previous_key) {
      return Status::Corruption(
          "delta: deletion vector bitmap container keys are not increasing (key {} after {}; {})",
          key, previous_key, reader->where());
    }
    previous_key = key;
    // A run container expands 4 bytes into up to 65536 rows; the bound keeps a hostile vector
    // from exhausting memory before its cardinality is checked.
    if (out->size() + cardinality > max_rows) {
      return Status::Corruption(
          "delta: deletion vector holds more rows than its descriptor's cardinality {} ({})",
          max_rows, reader->where());
    }
    if (has_offsets) ARCFLOW_RETURN_NOT_OK(reader->Seek(start + offsets[i], "container"));
    uint64_t base = (high << 32) | (uint64_t{key} << 16);
    bool is_run = !run_flags.empty() && ((run_flags[i / 8] >> (i % 8)) & 1);
    size_t first_value = out->size();
    if (is_run) {
      ARCFLOW_ASSIGN_OR_RETURN(uint16_t num_runs, reader->Read<uint16_t>("run count"));
      ARCFLOW_ASSIGN_OR_RETURN(auto runs, reader->ReadBytes(size_t{num_runs} * 4, "runs"));
      int64_t previous_end = -1;
      for (uint16_t r = 0; r < num_runs; ++r) {
        uint32_t run_start = LoadU16(runs.data() + r * 4);
        uint32_t run_length = LoadU16(runs.data() + r * 4 + 2);
        if (static_cast<int64_t>(run_start) <= previous_end || run_start + run_length > 0xFFFF) {
          return Status::Corruption(
              "delta: deletion vector run container has overlapping or overflowing runs "
              "(start={}, length={}; {})",
              run_start, run_length + 1, reader->where());
        }
        previous_end = run_start + run_length;
        for (uint32_t v = run_start; v <= run_start + run_length; ++v) out->push_back(base | v);
      }
    } else if (cardinality <= kMaxArrayContainerCardinality) {
      ARCFLOW_ASSIGN_OR_RETURN(auto values, reader->ReadBytes(size_t{cardinality} * 2, "array"));
      int64_t previous = -1;
      for (uint32_t v = 0; v < cardinality; ++v) {
        uint16_t low = LoadU16(values.data() + v * 2);
        if (static_cast<int64_t>(low) <= previous) {
          return Status::Corruption(
              "delta: deletion vector array container is not strictly increasing ({})",
              reader->where());
        }
        previous = low;
        out->push_back(base | low);
      }
    } else {
      ARCFLOW_ASSIGN_OR_RETURN(auto words, reader->ReadBytes(kBitmapContainerBytes, "bitmap"));
      for (size_t w = 0; w < kBitmapContainerBytes / 8; ++w) {
        uint64_t word;
        std::memcpy(&word, words.data() + w * 8, 8);
        while (word != 0) {
          int bit = __builtin_ctzll(word);
          out->push_back(base | (w * 64 + static_cast<uint64_t>(bit)));
          word &= word - 1;
        }
      }
    }
    if (out->size() - first_value != cardinality) {
      return Status::Corruption(
          "delta: deletion vector container holds {} values but its header says {} (key={}; {})",
          out->size() - first_value, cardinality, key, reader->where());
    }
  }
  return Status::OK();
}

void StoreU16(std::vector<uint8_t>* out, uint16_t value) {
  out->push_back(static_cast<uint8_t>(value));
  out->push_back(static_cast<uint8_t>(value >> 8));
}
void StoreU32(std::vector<uint8_t>* out, uint32_t value) {
  for (int i = 0; i < 4; ++i) out->push_back(static_cast<uint8_t>(value >> (8 * i)));
}
void StoreU32BigEndian(std::string* out, uint32_t value) {
  for (int i = 3; i >= 0; --i) out->push_back(static_cast<char>(value >> (8 * i)));
}
uint32_t LoadU32BigEndian(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
}

// Serializes the low 32 bits of `values` (all with the same high half) as a portable 32-bit
// RoaringBitmap without run containers.
void SerializeRoaring32(std::span<const uint64_t> values, std::vector<uint8_t>* out) {
  struct Container {
    uint16_t key;
    std::span<const uint64_t> values;
  };
  std::vector<Container> containers;
  size_t begin = 0;
  while (begin < values.size()) {
    auto key = static_cast<uint16_t>((values[begin] >> 16) & 0xFFFF);
    size_t end = begin;
    while (end < values.size() && ((values[end] >> 16) & 0xFFFF) == key) ++end;
    containers.push_back({key, values.subspan(begin, end - begin)});
    begin = end;
  }
  size_t start = out->size();
  StoreU32(out, kSerialCookieNoRunContainer);
  StoreU32(out, static_cast<uint32_t>(containers.size()));
  for (const auto& container : containers) {
    StoreU16(out, container.key);
    StoreU16(out, static_cast<uint16_t>(container.values.size() - 1));
  }
  size_t offsets_position = out->size();
  out->resize(out->size() + containers.size() * 4);
  for (size_t i = 0; i < containers.size(); ++i) {
    auto offset = static_cast<uint32_t>(out->size() - start);
    std::memcpy(out->data() + offsets_position + i * 4, &offset, 4);
    const auto& container = containers[i];
    if (container.values.size() <= kMaxArrayContainerCardinality) {
      for (uint64_t value : container.values) StoreU16(out, static_cast<uint16_t>(value));
    } else {
      std::array<uint64_t, kBitmapContainerBytes / 8> words{};
      for (uint64_t value : container.values) {
        auto low = static_cast<uint16_t>(value);
        words[low / 64] |= uint64_t{1} << (low % 64);
      }
      size_t position = out->size();
      out->resize(position + kBitmapContainerBytes);
      std::memcpy(out->data() + position, words.data(), kBitmapContainerBytes);
    }
  }
}

std::string DescribeDescriptor(const DeletionVectorDescriptor& descriptor) {
  std::string text = descriptor.path_or_inline_dv;
  if (text.size() > 64) text = text.substr(0, 64) + "...";
  return fmt::format(
      "storageType={}, pathOrInlineDv={}, offset={}, sizeInBytes={}", descriptor.storage_type, text,
      descriptor.offset ? std::to_string(*descriptor.offset) : "null", descriptor.size_in_bytes);
}

}  // namespace

bool DeletedRows::Contains(uint64_t row) const {
  return std::binary_search(rows_.begin(), rows_.end(), row);
}

std::string EncodeZ85(std::span<const uint8_t> bytes) {
  std::string out;
  out.reserve((bytes.size() + 3) / 4 * 5);
  for (size_t i = 0; i < bytes.size(); i += 4) {
    uint32_t value = 0;
    for (size_t j = 0; j < 4; ++j) {
      value = (value << 8) | (i + j < bytes.size() ? bytes[i + j] : 0);
    }
    char group[5];
    for (int j = 4; j >= 0; --j) {
      group[j] = kZ85Alphabet[value % 85];
      value /= 85;
    }
    out.append(group, 5);
  }
  return out;
}

Result<std::vector<uint8_t>> DecodeZ85(std::string_view text) {
  static const std::array<int8_t, 256> kDecode = [] {
    std::array<int8_t, 256> table;
    table.fill(-1);
    for (int i = 0; i < 85; ++i)
      table[static_cast<uint8_t>(kZ85Alphabet[i])] = static_cast<int8_t>(i);
    return table;
  }();
  if (text.size() % 5 != 0) {
    return Status::Corruption("delta: Z85 text length {} is not a multiple of 5", text.size());
  }
  std::vector<uint8_t> out;
  out.reserve(text.size() / 5 * 4);
  for (size_t i = 0; i < text.size(); i += 5) {
    // Some writers (delta-kernel-rs) end a text whose byte count is not a multiple of 4 with a
    // group padded by p leading '#' whose other characters encode the last 4 - p bytes. In
    // standard Z85 a group never starts with '#' (84 * 85^4 exceeds 32 bits), so the padded
    // form cannot be mistaken for a standard group.
    size_t padding = 0;
    if (i + 5 == text.size()) {
      while (padding < 4 && text[i + padding] == '#') ++padding;
    }
    uint64_t value = 0;
    for (size_t j = padding; j < 5; ++j) {
      int digit = kDecode[static_cast<uint8_t>(text[i + j])];
      if (digit < 0) {
        return Status::Corruption("delta: Z85 text has an invalid character at offset {}", i + j);
      }
      value = value * 85 + static_cast<uint64_t>(digit);
    }
    const int width = 4 - static_cast<int>(padding);
    if (value >> (8 * width) != 0) {
      return Status::Corruption("delta: Z85 group at offset {} exceeds {} bits", i, 8 * width);
    }
    for (int j = width - 1; j >= 0; --j) out.push_back(static_cast<uint8_t>(value >> (8 * j)));
  }
  return out;
}

Result<std::string> DeletionVectorFilePath(const std::string& table_root,
                                           const DeletionVectorDescriptor& descriptor) {
  const std::string& text = descriptor.path_or_inline_dv;
  if (descriptor.storage_type == 'p') return ResolveDataFilePath(table_root, text);
  if (descriptor.storage_type != 'u') {
    return Status::Invalid("delta: deletion vector with storage type '{}' has no file ({})",
                           descriptor.storage_type, DescribeDescriptor(descriptor));
  }
  if (text.size() < kUuidZ85Length) {
    return Status::Corruption(
        "delta: deletion vector path is shorter than a Z85 UUID (20 characters) ({})",
        DescribeDescriptor(descriptor));
  }
  std::string_view prefix = std::string_view(text).substr(0, text.size() - kUuidZ85Length);
  auto decoded = DecodeZ85(std::string_view(text).substr(text.size() - kUuidZ85Length));
  if (!decoded.ok()) {
    return decoded.status().WithContext("in deletion vector " + DescribeDescriptor(descriptor));
  }
  std::string uuid = FormatUuid(std::span<const uint8_t, 16>(decoded->data(), 16));
  std::string relative = fmt::format("deletion_vector_{}.bin", uuid);
  if (!prefix.empty()) relative = fmt::format("{}/{}", prefix, relative);
  return io::JoinPath(table_root, relative);
}

Result<DeletedRows> ParseRoaringBitmapArray(std::span<const uint8_t> bytes, std::string_view where,
                                            uint64_t max_rows) {
  ByteReader reader(bytes, where);
  ARCFLOW_ASSIGN_OR_RETURN(uint32_t magic, reader.Read<uint32_t>("magic number"));
  std::vector<uint64_t> rows;
  if (magic == kPortableMagic) {
    ARCFLOW_ASSIGN_OR_RETURN(uint64_t num_buckets, reader.Read<uint64_t>("bucket count"));
    // Every bucket needs at least 12 bytes (key, cookie, count), which bounds a hostile count.
    if (num_buckets > reader.remaining() / 12 + 1) {
      return Status::Corruption("delta: deletion vector claims {} buckets in {} bytes ({})",
                                num_buckets, bytes.size(), where);
    }
    int64_t previous_key = -1;
    for (uint64_t b = 0; b < num_buckets; ++b) {
      ARCFLOW_ASSIGN_OR_RETURN(uint32_t key, reader.Read<uint32_t>("bucket key"));
      if (static_cast<int64_t>(key) <= previous_key) {
        return Status::Corruption(
            "delta: deletion vector bucket keys are not increasing (key {} after {}; {})", key,
            previous_key, where);
      }
      previous_key = key;
      ARCFLOW_RETURN_NOT_OK(ParseRoaring32(&reader, key, max_rows, &rows));
    }
  } else if (magic == kNativeMagic) {
    ARCFLOW_ASSIGN_OR_RETURN(uint32_t num_buckets, reader.Read<uint32_t>("bucket count"));
    if (num_buckets > reader.remaining() / 8 + 1) {
      return Status::Corruption("delta: deletion vector claims {} buckets in {} bytes ({})",
                                num_buckets, bytes.size(), where);
    }
    for (uint32_t b = 0; b < num_buckets; ++b) {
      ARCFLOW_RETURN_NOT_OK(ParseRoaring32(&reader, b, max_rows, &rows));
    }
  } else {
    return Status::Corruption(
        "delta: deletion vector has magic number {} (expected {} or {}); the file is not a "
        "deletion vector or the descriptor's offset is wrong ({})",
        magic, kPortableMagic, kNativeMagic, where);
  }
  return DeletedRows(std::move(rows));
}

std::vector<uint8_t> SerializeRoaringBitmapArray(std::span<const uint64_t> sorted_rows) {
  std::vector<uint8_t> out;
  StoreU32(&out, kPortableMagic);
  size_t count_position = out.size();
  out.resize(out.size() + 8);
  uint64_t num_buckets = 0;
  size_t begin = 0;
  while (begin < sorted_rows.size()) {
    uint64_t high = sorted_rows[begin] >> 32;
    size_t end = begin;
    while (end < sorted_rows.size() && (sorted_rows[end] >> 32) == high) ++end;
    StoreU32(&out, static_cast<uint32_t>(high));
    SerializeRoaring32(sorted_rows.subspan(begin, end - begin), &out);
    ++num_buckets;
    begin = end;
  }
  std::memcpy(out.data() + count_position, &num_buckets, 8);
  return out;
}

Result<DeletedRows> ReadDeletionVector(io::FileSystem& fs, const std::string& table_root,
                                       const DeletionVectorDescriptor& descriptor) {
  std::string where = DescribeDescriptor(descriptor);
  if (descriptor.size_in_bytes < 4) {
    return Status::Corruption("delta: deletion vector sizeInBytes {} is too small ({})",
                              descriptor.size_in_bytes, where);
  }
  if (descriptor.cardinality < 0) {
    return Status::Corruption("delta: deletion vector has a negative cardinality ({})", where);
  }
  auto max_rows = static_cast<uint64_t>(descriptor.cardinality);
  DeletedRows rows;
  if (descriptor.storage_type == 'i') {
    auto decoded = DecodeZ85(descriptor.path_or_inline_dv);
    if (!decoded.ok()) return decoded.status().WithContext("in inline deletion vector " + where);
    if (decoded->size() < static_cast<size_t>(descriptor.size_in_bytes)) {
      return Status::Corruption(
          "delta: inline deletion vector decodes to {} bytes, less than its sizeInBytes ({})",
          decoded->size(), where);
    }
    ARCFLOW_ASSIGN_OR_RETURN(
        rows,
        ParseRoaringBitmapArray(std::span<const uint8_t>(
                                    decoded->data(), static_cast<size_t>(descriptor.size_in_bytes)),
                                where, max_rows));
  } else if (descriptor.storage_type == 'u' || descriptor.storage_type == 'p') {
    ARCFLOW_ASSIGN_OR_RETURN(std::string path, DeletionVectorFilePath(table_root, descriptor));
    where = fmt::format("file={}, {}", path, where);
    ARCFLOW_ASSIGN_OR_RETURN(auto file, fs.OpenRandomAccess(path));
    int64_t offset = descriptor.offset.value_or(1);
    ARCFLOW_ASSIGN_OR_RETURN(int64_t file_size, file->Size());
    int64_t needed = int64_t{descriptor.size_in_bytes} + 8;
    if (offset < 0 || offset > file_size || file_size - offset < needed) {
      return Status::Corruption(
          "delta: deletion vector at offset {} with {} bytes runs past the end of the file "
          "(size {}; {})",
          offset, needed, file_size, where);
    }
    ARCFLOW_ASSIGN_OR_RETURN(auto buffer, file->ReadExactly(offset, needed));
    const uint8_t* data = buffer->data();
    uint32_t stored_size = LoadU32BigEndian(data);
    if (stored_size != static_cast<uint32_t>(descriptor.size_in_bytes)) {
      return Status::Corruption(
          "delta: deletion vector size prefix {} differs from the descriptor's sizeInBytes ({})",
          stored_size, where);
    }
    std::span<const uint8_t> bitmap(data + 4, static_cast<size_t>(descriptor.size_in_bytes));
    uint32_t stored_checksum = LoadU32BigEndian(data + 4 + descriptor.size_in_bytes);
    uint32_t checksum = codec::Crc32(bitmap);
    if (stored_checksum != checksum) {
      return Status::Corruption(
          "delta: deletion vector checksum mismatch (stored {:08x}, computed {:08x}); the file is "
          "damaged ({})",
          stored_checksum, checksum, where);
    }
    ARCFLOW_ASSIGN_OR_RETURN(rows, ParseRoaringBitmapArray(bitmap, where, max_rows));
  } else {
    return Status::Corruption("delta: unknown deletion vector storage type '{}' ({})",
                              descriptor.storage_type, where);
  }
  if (rows.cardinality() != descriptor.cardinality) {
    return Status::Corruption(
        "delta: deletion vector holds {} rows but the descriptor's cardinality is {} ({})",
        rows.cardinality(), descriptor.cardinality, where);
  }
  return rows;
}

DeletionVectorDescriptor MakeInlineDeletionVector(std::span<const uint64_t> sorted_rows) {
  std::vector<uint8_t> bytes = SerializeRoaringBitmapArray(sorted_rows);
  DeletionVectorDescriptor descriptor;
  descriptor.storage_type = 'i';
  descriptor.path_or_inline_dv = EncodeZ85(bytes);
  descriptor.offset = std::nullopt;
  descriptor.size_in_bytes = static_cast<int32_t>(bytes.size());
  descriptor.cardinality = static_cast<int64_t>(sorted_rows.size());
  return descriptor;
}

Result<std::vector<DeletionVectorDescriptor>> WriteDeletionVectorsFile(
    std::shared_ptr<io::FileSystem> fs, const std::string& table_root,
    const std::vector<std::vector<uint64_t>>& vectors, std::string_view prefix) {
  const UuidBytes uuid_bytes = RandomUuidBytes();
  const std::string uuid = FormatUuid(uuid_bytes);
  std::vector<DeletionVectorDescriptor> descriptors;
  std::string content;
  content.push_back(1);  // Format version of the file.
  for (const std::vector<uint64_t>& rows : vectors) {
    std::vector<uint8_t> bitmap = SerializeRoaringBitmapArray(rows);
    if (content.size() + bitmap.size() + 8 >
        static_cast<size_t>(std::numeric_limits<int32_t>::max())) {
      return Status::Invalid(
          "delta: {} deletion vectors do not fit one deletion vector file (offsets are 32-bit); "
          "table {}",
          vectors.size(), table_root);
    }
    DeletionVectorDescriptor descriptor;
    descriptor.storage_type = 'u';
    descriptor.path_or_inline_dv = std::string(prefix) + EncodeZ85(uuid_bytes);
    descriptor.offset = static_cast<int32_t>(content.size());
    descriptor.size_in_bytes = static_cast<int32_t>(bitmap.size());
    descriptor.cardinality = static_cast<int64_t>(rows.size());
    descriptors.push_back(std::move(descriptor));
    StoreU32BigEndian(&content, static_cast<uint32_t>(bitmap.size()));
    content.append(reinterpret_cast<const char*>(bitmap.data()), bitmap.size());
    StoreU32BigEndian(&content, codec::Crc32(bitmap));
  }

  std::string directory = prefix.empty() ? table_root : io::JoinPath(table_root, prefix);
  ARCFLOW_RETURN_NOT_OK(fs->CreateDirectories(directory));
  std::string path = io::JoinPath(directory, fmt::format("deletion_vector_{}.bin", uuid));
  ARCFLOW_RETURN_NOT_OK(io::PublishFile(fs, path, content, io::PublishMode::kIfAbsent));
  return descriptors;
}

Result<DeletionVectorDescriptor> WriteDeletionVectorFile(std::shared_ptr<io::FileSystem> fs,
                                                         const std::string& table_root,
                                                         std::span<const uint64_t> sorted_rows,
                                                         std::string_view prefix) {
  ARCFLOW_ASSIGN_OR_RETURN(
      std::vector<DeletionVectorDescriptor> descriptors,
      WriteDeletionVectorsFile(std::move(fs), table_root,
                               {std::vector<uint64_t>(sorted_rows.begin(), sorted_rows.end())},
                               prefix));
  return std::move(descriptors[0]);
}

}  // namespace arcflow::delta
