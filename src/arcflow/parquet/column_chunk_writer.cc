#include "arcflow/parquet/column_chunk_writer.h"

#include <algorithm>
#include <bit>
#include <limits>
#include <optional>
#include <vector>

#include "arcflow/base/bit_util.h"
#include "arcflow/parquet/bitmap_level_encoder.h"
#include "arcflow/parquet/column_chunk_reader.h"
#include "arcflow/parquet/dictionary_decoder.h"
#include "arcflow/parquet/dictionary_encoder.h"
#include "arcflow/parquet/page_writer.h"
#include "arcflow/parquet/plain_encoder.h"
#include "arcflow/parquet/rle_bit_packed_encoder.h"
#include "arcflow/parquet/statistics_builder.h"

namespace arcflow::parquet {
namespace {

constexpr int64_t kMaxPageLevels = std::numeric_limits<int32_t>::max();
// Indices decoded at a time when a first page is re-encoded without its dictionary.
constexpr int64_t kReencodeBatch = 1024;
// After this many values of a chunk's first page the dictionary is checked early: when nearly
// every value so far was new (more than 99 in 100), the column is as good as unique and the
// first-page test would drop the dictionary anyway, so it is dropped now rather than after
// hashing the rest of the page. A column of cardinality D shows that many new values only
// when D is above roughly 50 × this count, far too many for a dictionary to pay on a page.
constexpr int64_t kDictionaryProbeValues = 16384;

// Bytes a chunk's pages take, headers included, as ColumnMetaData totals them.
struct PageSizes {
  int64_t uncompressed = 0;
  int64_t compressed = 0;
};

// BOOLEAN has no dictionary encoder; this stands in for one so the writer template compiles.
struct NoDictionary {};

template <PhysicalType kType>
struct Traits;

template <>
struct Traits<PhysicalType::kBoolean> {
  using Statistics = BooleanStatistics;
  using Dictionary = NoDictionary;
};

template <typename T>
struct FixedWidthTraits {
  using Value = T;
  using Statistics = NumericStatistics<T>;
  using Dictionary = DictionaryEncoder<T>;
};

template <>
struct Traits<PhysicalType::kInt32> : FixedWidthTraits<int32_t> {};
template <>
struct Traits<PhysicalType::kInt64> : FixedWidthTraits<int64_t> {};
template <>
struct Traits<PhysicalType::kFloat> : FixedWidthTraits<float> {};
template <>
struct Traits<PhysicalType::kDouble> : FixedWidthTraits<double> {};

template <>
struct Traits<PhysicalType::kByteArray> {
  using Statistics = ByteStringStatistics;
  using Dictionary = ByteArrayDictionaryEncoder;
};

template <>
struct Traits<PhysicalType::kFixedLenByteArray> {
  using Statistics = ByteStringStatistics;
  using Dictionary = FixedLenByteArrayDictionaryEncoder;
};

bool IsDecimal(const SchemaNode& leaf) {
  return (leaf.logical_type && leaf.logical_type->Is<DecimalType>()) ||
         leaf.converted_type == ConvertedType::kDecimal;
}

bool IsUtf8(const SchemaNode& leaf) {
  if (leaf.logical_type &&
      (leaf.logical_type->Is<StringType>() || leaf.logical_type->Is<EnumType>() ||
       leaf.logical_type->Is<JsonType>())) {
    return true;
  }
  return leaf.converted_type == ConvertedType::kUtf8 ||
         leaf.converted_type == ConvertedType::kEnum || leaf.converted_type == ConvertedType::kJson;
}

// Whether min/max in the physical type's order (signed integers, IEEE floats, unsigned bytes,
// signed big-endian decimals) is the order the column's logical type defines. Where it is not
// (unsigned integers, FLOAT16, INTERVAL, BYTE_ARRAY decimals), only null counts are written.
bool MinMaxInPhysicalOrder(const ColumnDescriptor& column) {
  const SchemaNode& leaf = *column.leaf;
  if (leaf.logical_type) {
    if (const auto* integer = leaf.logical_type->As<IntType>(); integer && !integer->is_signed) {
      return false;
    }
    if (leaf.logical_type->Is<Float16Type>()) return false;
  }
  if (leaf.converted_type) {
    switch (*leaf.converted_type) {
      case ConvertedType::kUint8:
      case ConvertedType::kUint16:
      case ConvertedType::kUint32:
      case ConvertedType::kUint64:
      case ConvertedType::kInterval:
        return false;
      default:
        break;
    }
  }
  if (column.physical_type == PhysicalType::kByteArray && IsDecimal(leaf)) return false;
  return true;
}

// Walks the runs of a ColumnValues, handing out the next `count` positions at a time.
class RunCursor {
 public:
  explicit RunCursor(std::span<const ValueRun> runs) : runs_(runs) {}

  // Calls `put(offset, length)` for the next `count` positions, split at run boundaries.
  template <typename Put>
  Status Take(int64_t count, Put&& put) {
    while (count > 0) {
      if (index_ >= runs_.size()) {
        return Status::Internal("parquet: column values hold fewer values than the levels define");
      }
      const ValueRun& run = runs_[index_];
      if (run.length < 0 || run.offset < 0) {
        return Status::Internal("parquet: negative value run (offset={}, length={})", run.offset,
                                run.length);
      }
      const int64_t take = std::min(run.length - consumed_, count);
      if (take > 0) {
        ARCFLOW_RETURN_NOT_OK(put(run.offset + consumed_, take));
        consumed_ += take;
        count -= take;
      }
      if (consumed_ == run.length) {
        ++index_;
        consumed_ = 0;
      }
    }
    return Status::OK();
  }

  // Whether every run has been handed out (empty runs at the end included).
  bool done() {
    while (index_ < runs_.size() && runs_[index_].length == consumed_) {
      ++index_;
      consumed_ = 0;
    }
    return index_ == runs_.size();
  }

 private:
  std::span<const ValueRun> runs_;
  size_t index_ = 0;
  int64_t consumed_ = 0;
};

template <PhysicalType kType>
class TypedColumnChunkWriter final : public ColumnChunkWriter {
  using Statistics = typename Traits<kType>::Statistics;
  using Dictionary = typename Traits<kType>::Dictionary;
  static constexpr bool kHasDictionary = !std::is_same_v<Dictionary, NoDictionary>;

 public:
  TypedColumnChunkWriter(const ColumnDescriptor& column, const codec::Codec* codec,
                         const ColumnChunkWriterOptions& options)
      : ColumnChunkWriter(column),
        codec_(codec),
        options_(options),
        page_writer_(codec, options.page_checksums),
        max_definition_level_(column.max_definition_level),
        max_repetition_level_(column.max_repetition_level),
        bitmap_definition_levels_(column.max_definition_level == 1 &&
                                  column.max_repetition_level == 0),
        definition_encoder_(LevelBitWidth(column.max_definition_level)),
        repetition_encoder_(LevelBitWidth(column.max_repetition_level)),
        plain_(kType, column.type_length),
        page_statistics_(MakeStatistics()),
        chunk_statistics_(MakeStatistics()),
        finished_chunks_statistics_(MakeStatistics()),
        min_max_(MinMaxInPhysicalOrder(column)),
        utf8_(IsUtf8(*column.leaf)) {
    if constexpr (kHasDictionary) {
      if (options_.dictionary) {
        if constexpr (kType == PhysicalType::kFixedLenByteArray) {
          dictionary_.emplace(column.type_length);
        } else {
          dictionary_.emplace();
        }
      }
    }
    use_dictionary_ = dictionary_.has_value();
  }

  Status Write(int64_t num_levels, const int16_t* definition_levels,
               const int16_t* repetition_levels, const ColumnValues& values) override {
    if (num_levels < 0) return Status::Internal("parquet: negative level count {}", num_levels);
    if ((max_definition_level_ > 0 && definition_levels == nullptr && num_levels > 0) ||
        (max_repetition_level_ > 0 && repetition_levels == nullptr && num_levels > 0)) {
      return Status::Internal("parquet: missing levels for column {}", column_.dotted_path);
    }
    if (max_repetition_level_ > 0 && num_levels > 0 && repetition_levels[0] != 0) {
      return Status::Internal("parquet: levels for column {} do not start at a record boundary",
                              column_.dotted_path);
    }
    RunCursor cursor(values.runs);
    int64_t position = 0;
    while (position < num_levels) {
      int64_t end = std::min(num_levels, position + options_.write_batch_levels);
      if (max_repetition_level_ > 0) {
        while (end < num_levels && repetition_levels[end] != 0) ++end;
      } else {
        // A level is a record: the page ends at page_rows exactly.
        end = std::min(end, position + (options_.page_rows - page_rows_));
      }
      const int64_t count = end - position;
      int64_t num_values = count;
      int64_t num_rows = count;
      if (max_definition_level_ > 0) {
        const int16_t* levels = definition_levels + position;
        ARCFLOW_ASSIGN_OR_RETURN(
            num_values, CountLevels(levels, count, max_definition_level_, max_definition_level_));
        if (bitmap_definition_levels_) {
          for (int64_t i = 0; i < count; ++i) bitmap_definition_encoder_.Append(levels[i] != 0);
        } else {
          definition_encoder_.Put(levels, count);
        }
      }
      if (max_repetition_level_ > 0) {
        ARCFLOW_ASSIGN_OR_RETURN(
            num_rows, CountLevels(repetition_levels + position, count, 0, max_repetition_level_));
        repetition_encoder_.Put(repetition_levels + position, count);
      }
      ARCFLOW_RETURN_NOT_OK(EndBatch(count, num_values, num_rows, values, &cursor));
      position = end;
    }
    return CheckAllValuesTaken(&cursor);
  }

  Status WriteFlatOptional(int64_t num_levels, const uint8_t* validity, int64_t validity_offset,
                           const ColumnValues& values) override {
    if (!bitmap_definition_levels_) {
      return Status::Internal("parquet: column {} is not a flat optional column",
                              column_.dotted_path);
    }
    if (num_levels < 0) return Status::Internal("parquet: negative level count {}", num_levels);
    RunCursor cursor(values.runs);
    int64_t position = 0;
    while (position < num_levels) {
      const int64_t count = std::min(
          {num_levels - position, options_.write_batch_levels, options_.page_rows - page_rows_});
      const int64_t num_values =
          validity == nullptr ? count
                              : bit_util::CountSetBits(validity, validity_offset + position, count);
      bitmap_definition_encoder_.Append(validity, validity_offset + position, count);
      ARCFLOW_RETURN_NOT_OK(EndBatch(count, num_values, count, values, &cursor));
      position += count;
    }
    return CheckAllValuesTaken(&cursor);
  }

  bool SeedDictionary(const ColumnDictionary& source) override {
    if constexpr (kHasDictionary) {
      if (!dictionary_ || !use_dictionary_ || chunk_levels_ > 0 || page_levels_ > 0 ||
          dictionary_->num_entries() > 0 || source.size <= 0) {
        return false;
      }
      // Sized for the entries (checked against the bytes that hold them) at once, rather than
      // grown step by step.
      if constexpr (kType == PhysicalType::kByteArray) {
        const ByteArraySpan entries = source.byte_arrays.View();
        if (entries.length != source.size) return false;
        dictionary_->Reserve(source.size);
        if (!dictionary_->Put(entries).ok()) {
          ResetDictionary();
          return false;
        }
      } else if constexpr (kType == PhysicalType::kFixedLenByteArray) {
        if (source.fixed.size() != source.size * column_.type_length) return false;
        dictionary_->Reserve(source.size);
        dictionary_->Put(source.fixed.data(), source.size);
      } else {
        using Value = typename Traits<kType>::Value;
        if (source.fixed.size() != source.size * static_cast<int64_t>(sizeof(Value))) return false;
        dictionary_->Reserve(source.size);
        dictionary_->Put(reinterpret_cast<const Value*>(source.fixed.data()), source.size);
      }
      dictionary_->DiscardIndices();
      // A repeated entry would shift the indices of every entry after it.
      if (dictionary_->num_entries() != source.size) {
        ResetDictionary();
        return false;
      }
      seeded_entries_ = source.size;
      // The chunk the entries come from chose its dictionary already.
      dictionary_probe_remaining_ = 0;
      return true;
    } else {
      return false;
    }
  }

  bool CanAppendStoredPage(const StoredDataPage& page) const override {
    if (page.type != DataPageType() || max_repetition_level_ > 0 || page.num_levels <= 0 ||
        page.num_levels > kMaxPageLevels || page.bytes.empty() ||
        page.codec != static_cast<CompressionCodec>(codec_->type()) ||
        (max_definition_level_ > 0 && !page.rle_levels)) {
      return false;
    }
    if (page.encoding == Encoding::kPlain) return true;
    if (page.encoding != Encoding::kRleDictionary && page.encoding != Encoding::kPlainDictionary) {
      return false;
    }
    // Closing the open page must not put a PLAIN page before this one.
    return seeded_entries_ > 0 && plain_data_pages_ == 0 && (use_dictionary_ || page_levels_ == 0);
  }

  Status AppendStoredPage(const StoredDataPage& page, int64_t num_values) override {
    if (!CanAppendStoredPage(page) || num_values < 0 || num_values > page.num_levels) {
      return Status::Internal(
          "parquet: column chunk {} cannot take a stored {} page of {} levels and {} values",
          column_.dotted_path, EncodingName(page.encoding), page.num_levels, num_values);
    }
    ARCFLOW_RETURN_NOT_OK(FlushPage());
    const auto stored = static_cast<int64_t>(page.bytes.size());
    data_page_sizes_.uncompressed += page.uncompressed_size;
    data_page_sizes_.compressed += stored;
    data_pages_size_ += stored;
    data_pages_.push_back(Buffer::CopyOf(page.bytes));
    if (page.encoding == Encoding::kPlain) {
      ++plain_data_pages_;
      use_dictionary_ = false;  // The pages after a PLAIN one are PLAIN too.
    } else {
      ++dictionary_data_pages_;
      if (page.encoding == Encoding::kPlainDictionary) ++plain_dictionary_data_pages_;
    }
    chunk_levels_ += page.num_levels;
    chunk_values_ += num_values;
    chunk_rows_ += page.num_levels;  // Unrepeated: a level per record.
    return Status::OK();
  }

  Status AddToStatistics(const StoredDataPage& page, const ColumnValues& values) override {
    if (!min_max_) return Status::OK();
    ARCFLOW_RETURN_NOT_OK(CheckSource(values));
    if (StatisticsReachSeededEntries(page)) return Status::OK();
    for (const ValueRun& run : values.runs) {
      if (run.offset < 0 || run.length < 0) {
        return Status::Internal("parquet: negative value run (offset={}, length={})", run.offset,
                                run.length);
      }
      if (run.length > 0) UpdateStatistics(values, run.offset, run.length, &chunk_statistics_);
    }
    return Status::OK();
  }

  int64_t EstimatedSize() const override {
    int64_t size = data_pages_size_ + EstimatedPageSize();
    if constexpr (kHasDictionary) {
      if (dictionary_ && (use_dictionary_ || dictionary_data_pages_ > 0)) {
        size += dictionary_->dictionary_size_bytes();
      }
    }
    return size;
  }

  int64_t num_rows() const override { return chunk_rows_; }

  Result<ColumnChunkOutput> Finish() override {
    ARCFLOW_RETURN_NOT_OK(FlushPage());
    if (chunk_levels_ == 0) {
      return Status::Internal("parquet: column chunk {} finished without any record",
                              column_.dotted_path);
    }
    ColumnChunkOutput output;
    ColumnMetaData& metadata = output.metadata;
    metadata.type = kType;
    metadata.path_in_schema = column_.path;
    metadata.codec = static_cast<CompressionCodec>(codec_->type());
    metadata.num_values = chunk_levels_;
    std::vector<PageEncodingStats> encoding_stats;
    PageSizes sizes = data_page_sizes_;
    int64_t dictionary_page_size = 0;
    if constexpr (kHasDictionary) {
      if (dictionary_data_pages_ > 0) {
        std::shared_ptr<Buffer> entries = dictionary_->EncodeDictionaryPage();
        DictionaryPageHeader header;
        header.num_values = static_cast<int32_t>(dictionary_->num_entries());
        header.encoding = Encoding::kPlain;
        ARCFLOW_ASSIGN_OR_RETURN(EncodedPage page,
                                 page_writer_.WriteDictionaryPage(header, entries->span()));
        sizes.uncompressed += page.uncompressed_size;
        sizes.compressed += page.compressed_size();
        dictionary_page_size = page.compressed_size();
        output.pages.push_back(std::move(page.bytes));
        metadata.dictionary_page_offset = 0;
        encoding_stats.push_back({PageType::kDictionaryPage, Encoding::kPlain, 1});
      }
    }
    const PageType data_page_type = DataPageType();
    const int64_t rle_dictionary_pages = dictionary_data_pages_ - plain_dictionary_data_pages_;
    if (plain_dictionary_data_pages_ > 0) {
      encoding_stats.push_back({data_page_type, Encoding::kPlainDictionary,
                                static_cast<int32_t>(plain_dictionary_data_pages_)});
    }
    if (rle_dictionary_pages > 0) {
      encoding_stats.push_back(
          {data_page_type, Encoding::kRleDictionary, static_cast<int32_t>(rle_dictionary_pages)});
    }
    if (plain_data_pages_ > 0) {
      encoding_stats.push_back(
          {data_page_type, Encoding::kPlain, static_cast<int32_t>(plain_data_pages_)});
    }
    // Sorted by value, each once: the dictionary page and fallback pages are PLAIN, levels (and
    // the level encoding every data page header names) RLE, dictionary data pages RLE_DICTIONARY
    // (or PLAIN_DICTIONARY, as stored pages of older writers name it).
    if (dictionary_page_size > 0 || plain_data_pages_ > 0) {
      metadata.encodings.push_back(Encoding::kPlain);
    }
    if (plain_dictionary_data_pages_ > 0) metadata.encodings.push_back(Encoding::kPlainDictionary);
    metadata.encodings.push_back(Encoding::kRle);
    if (rle_dictionary_pages > 0) metadata.encodings.push_back(Encoding::kRleDictionary);
    metadata.encoding_stats = std::move(encoding_stats);
    metadata.total_uncompressed_size = sizes.uncompressed;
    metadata.total_compressed_size = sizes.compressed;
    metadata.data_page_offset = dictionary_page_size;
    if (options_.write_statistics) {
      parquet::Statistics statistics;
      statistics.null_count = chunk_levels_ - chunk_values_;
      if (min_max_) EncodeStatistics(chunk_statistics_, &statistics);
      metadata.statistics = std::move(statistics);
    }
    for (auto& page : data_pages_) output.pages.push_back(std::move(page));
    finished_chunks_statistics_.Merge(chunk_statistics_);
    finished_chunks_nulls_ += chunk_levels_ - chunk_values_;
    ResetChunk();
    return output;
  }

  parquet::Statistics FinishedChunksStatistics() const override {
    parquet::Statistics statistics;
    statistics.null_count = finished_chunks_nulls_;
    if (min_max_) {
      if constexpr (std::is_same_v<Statistics, ByteStringStatistics>) {
        finished_chunks_statistics_.EncodeTo(&statistics, /*truncate_length=*/0, utf8_);
      } else if constexpr (std::is_same_v<Statistics, BooleanStatistics>) {
        finished_chunks_statistics_.EncodeTo(&statistics);
      } else {
        finished_chunks_statistics_.EncodeExactTo(&statistics);
      }
    }
    return statistics;
  }

 private:
  // The page type of the data pages this writer writes.
  PageType DataPageType() const {
    return options_.data_page_version == DataPageVersion::kV2 ? PageType::kDataPageV2
                                                              : PageType::kDataPage;
  }

  static int LevelBitWidth(int16_t max_level) {
    return static_cast<int>(std::bit_width(static_cast<uint32_t>(std::max<int16_t>(max_level, 0))));
  }

  Statistics MakeStatistics() const {
    if constexpr (std::is_same_v<Statistics, ByteStringStatistics>) {
      return ByteStringStatistics(kType == PhysicalType::kFixedLenByteArray &&
                                          IsDecimal(*column_.leaf)
                                      ? ByteStringOrder::kSignedBigEndian
                                      : ByteStringOrder::kUnsigned);
    } else {
      return Statistics();
    }
  }

  void EncodeStatistics(const Statistics& statistics, parquet::Statistics* out) const {
    if constexpr (std::is_same_v<Statistics, ByteStringStatistics>) {
      // Fixed-length values are never truncated: their length is part of their type.
      statistics.EncodeTo(
          out, kType == PhysicalType::kByteArray ? options_.statistics_truncate_length : 0, utf8_);
    } else {
      statistics.EncodeTo(out);
    }
  }

  // Returns how many of `count` levels equal `counted`, or Internal when one exceeds `max`.
  static Result<int64_t> CountLevels(const int16_t* levels, int64_t count, int16_t counted,
                                     int16_t max) {
    int64_t matches = 0;
    bool out_of_range = false;
    for (int64_t i = 0; i < count; ++i) {
      matches += levels[i] == counted;
      out_of_range |= static_cast<uint16_t>(levels[i]) > static_cast<uint16_t>(max);
    }
    if (out_of_range) return Status::Internal("parquet: level out of range [0, {}]", max);
    return matches;
  }

  // Encodes the values of a batch of `count` levels whose definition and repetition levels are
  // encoded, then closes the page when it is full and drops the dictionary when it is too big.
  Status EndBatch(int64_t count, int64_t num_values, int64_t num_rows, const ColumnValues& values,
                  RunCursor* cursor) {
    ARCFLOW_RETURN_NOT_OK(cursor->Take(num_values, [&](int64_t offset, int64_t length) {
      return PutRun(values, offset, length);
    }));
    page_levels_ += count;
    page_values_ += num_values;
    page_rows_ += num_rows;
    chunk_rows_ += num_rows;
    if (EstimatedPageSize() >= options_.page_bytes || page_rows_ >= options_.page_rows ||
        page_levels_ >= kMaxPageLevels / 2) {
      ARCFLOW_RETURN_NOT_OK(FlushPage());
    }
    if constexpr (kHasDictionary) {
      if (use_dictionary_ &&
          dictionary_->dictionary_size_bytes() > options_.dictionary_page_bytes_limit) {
        ARCFLOW_RETURN_NOT_OK(FlushPage());
        // Later pages of this chunk are PLAIN; the dictionary stays for the pages before.
        use_dictionary_ = false;
      }
    }
    return Status::OK();
  }

  Status CheckAllValuesTaken(RunCursor* cursor) const {
    if (!cursor->done()) {
      return Status::Internal("parquet: column values hold more values than the levels define");
    }
    return Status::OK();
  }

  int64_t EstimatedPageSize() const {
    int64_t size = 0;
    if (bitmap_definition_levels_) {
      size += bitmap_definition_encoder_.EstimatedSize();
    } else if (max_definition_level_ > 0) {
      size += definition_encoder_.EstimatedSize();
    }
    if (max_repetition_level_ > 0) size += repetition_encoder_.EstimatedSize();
    if constexpr (kHasDictionary) {
      if (use_dictionary_) return size + dictionary_->EstimatedIndicesSize();
    }
    return size + plain_.EstimatedSize();
  }

  Status MissingSource() const {
    return Status::Internal("parquet: no value source of type {} for column {}",
                            PhysicalTypeName(kType), column_.dotted_path);
  }

  // Encodes values [offset, offset + length) of `values` into the open page, checking the
  // dictionary once kDictionaryProbeValues of the chunk's first page went through it.
  Status PutRun(const ColumnValues& values, int64_t offset, int64_t length) {
    if constexpr (kHasDictionary) {
      if (use_dictionary_ && dictionary_probe_remaining_ > 0 && dictionary_data_pages_ == 0) {
        const int64_t before_probe = std::min(length, dictionary_probe_remaining_);
        ARCFLOW_RETURN_NOT_OK(PutValues(values, offset, before_probe));
        dictionary_probe_remaining_ -= before_probe;
        page_dictionary_values_ += before_probe;
        if (dictionary_probe_remaining_ == 0) ARCFLOW_RETURN_NOT_OK(ProbeDictionary());
        if (before_probe == length) return Status::OK();
        return PutRun(values, offset + before_probe, length - before_probe);
      }
      if (use_dictionary_) page_dictionary_values_ += length;
    }
    return PutValues(values, offset, length);
  }

  // Drops the dictionary for the rest of the chunk when nearly every value so far was new,
  // re-encoding the page's values PLAIN.
  Status ProbeDictionary() {
    if constexpr (kHasDictionary) {
      if (dictionary_->num_entries() * 100 <= page_dictionary_values_ * 99) return Status::OK();
      UpdateStatisticsFromIndices();
      ARCFLOW_RETURN_NOT_OK(ReencodePlain(*dictionary_->FlushIndices(), page_dictionary_values_));
      use_dictionary_ = false;
      ResetDictionary();
    }
    return Status::OK();
  }

  // MissingSource() unless `values` has the value source of the column's physical type.
  Status CheckSource(const ColumnValues& values) const {
    if constexpr (kType == PhysicalType::kBoolean) {
      if (values.bitmap == nullptr) return MissingSource();
    } else if constexpr (kType == PhysicalType::kByteArray) {
      if (values.byte_arrays.offsets == nullptr) return MissingSource();
    } else {
      if (values.fixed == nullptr) return MissingSource();
    }
    return Status::OK();
  }

  // Counts values [offset, offset + length) of `values` in `statistics`. REQUIRES: CheckSource.
  void UpdateStatistics(const ColumnValues& values, int64_t offset, int64_t length,
                        Statistics* statistics) const {
    if constexpr (kType == PhysicalType::kBoolean) {
      statistics->UpdateBits(values.bitmap, values.bitmap_offset + offset, length);
    } else if constexpr (kType == PhysicalType::kByteArray) {
      statistics->Update(values.byte_arrays, offset, length);
    } else if constexpr (kType == PhysicalType::kFixedLenByteArray) {
      const int32_t width = column_.type_length;
      statistics->UpdateFixed(static_cast<const uint8_t*>(values.fixed) + offset * width, width,
                              length);
    } else {
      using Value = typename Traits<kType>::Value;
      statistics->Update(static_cast<const Value*>(values.fixed) + offset, length);
    }
  }

  Status PutValues(const ColumnValues& values, int64_t offset, int64_t length) {
    ARCFLOW_RETURN_NOT_OK(CheckSource(values));
    if constexpr (kType == PhysicalType::kBoolean) {
      plain_.PutBooleanBitmap(values.bitmap, values.bitmap_offset + offset, length);
    } else if constexpr (kType == PhysicalType::kByteArray) {
      const ByteArraySpan& source = values.byte_arrays;
      const ByteArraySpan run{source.offsets + offset, source.data, length};
      page_plain_bytes_ += 4 * length + (run.offsets[length] - run.offsets[0]);
      if (use_dictionary_) {
        // Counted in the statistics by their entries (UpdateStatisticsFromIndices).
        return dictionary_->Put(run);
      }
      ARCFLOW_RETURN_NOT_OK(plain_.PutByteArrays(run));
    } else if constexpr (kType == PhysicalType::kFixedLenByteArray) {
      const int32_t width = column_.type_length;
      const uint8_t* run = static_cast<const uint8_t*>(values.fixed) + offset * width;
      if (use_dictionary_) {
        dictionary_->Put(run, length);
      } else {
        plain_.PutFixedLenByteArray(run, length);
      }
      page_plain_bytes_ += length * width;
    } else {
      using Value = typename Traits<kType>::Value;
      const Value* run = static_cast<const Value*>(values.fixed) + offset;
      if (use_dictionary_) {
        dictionary_->Put(run, length);
      } else {
        plain_.Put(run, length);
      }
      page_plain_bytes_ += length * static_cast<int64_t>(sizeof(Value));
    }
    if (min_max_) UpdateStatistics(values, offset, length, &page_statistics_);
    return Status::OK();
  }

  // Forgets the dictionary's entries (and what is known of their bounds).
  void ResetDictionary() {
    if constexpr (kHasDictionary) {
      dictionary_->Reset();
      bounded_entries_ = 0;
      min_entry_ = max_entry_ = -1;
      seeded_statistics_.reset();
    }
  }

  // Whether the values of stored page `page` cannot change the statistics: it holds indices
  // into the entries the dictionary was seeded with, so its values are among them, and the
  // statistics (of the chunk or of the open page) already reach the least and the greatest
  // of those entries. Strings only; the bounds of the open page are known only in part until
  // it is flushed, which can only make this false.
  bool StatisticsReachSeededEntries(const StoredDataPage& page) {
    if constexpr (kType == PhysicalType::kByteArray) {
      if (seeded_entries_ == 0 || page.encoding == Encoding::kPlain) return false;
      if (!seeded_statistics_) {
        const ByteArraySpan entries = dictionary_->entries();
        if (entries.length < seeded_entries_) return false;
        seeded_statistics_ = MakeStatistics();
        seeded_statistics_->Update(entries, 0, seeded_entries_);
      }
      if (!seeded_statistics_->has_min_max()) return false;
      const std::string& min = seeded_statistics_->min();
      const std::string& max = seeded_statistics_->max();
      return (chunk_statistics_.MinAtMost(min) || page_statistics_.MinAtMost(min)) &&
             (chunk_statistics_.MaxAtLeast(max) || page_statistics_.MaxAtLeast(max));
    } else {
      return false;
    }
  }

  // Adds the byte-array values put through the dictionary since its indices were last flushed
  // to the page statistics, by their entries: each distinct entry is compared once, where most
  // values repeat one. A page that uses the dictionary's least and greatest entries (most pages
  // of a column whose values recur from page to page) takes its bounds from those two alone.
  // Called before the indices are flushed.
  void UpdateStatisticsFromIndices() {
    if constexpr (kType == PhysicalType::kByteArray) {
      if (!min_max_) return;
      const ByteArraySpan entries = dictionary_->entries();
      // Bytes compare unsigned, as the statistics order them.
      for (; bounded_entries_ < entries.length; ++bounded_entries_) {
        const std::string_view entry = entries.Value(bounded_entries_);
        if (min_entry_ < 0 || entry < entries.Value(min_entry_)) min_entry_ = bounded_entries_;
        if (max_entry_ < 0 || entry > entries.Value(max_entry_)) max_entry_ = bounded_entries_;
      }
      entries_seen_.assign(static_cast<size_t>((entries.length + 63) / 64), 0);
      for (const int32_t index : dictionary_->buffered_indices()) {
        entries_seen_[static_cast<size_t>(index) / 64] |= uint64_t{1} << (index % 64);
      }
      const auto seen = [&](int64_t index) {
        return (entries_seen_[static_cast<size_t>(index) / 64] >> (index % 64)) & 1;
      };
      seen_positions_.clear();
      if (min_entry_ >= 0 && seen(min_entry_) && seen(max_entry_)) {
        seen_positions_.push_back(min_entry_);
        seen_positions_.push_back(max_entry_);
        page_statistics_.UpdateAt(entries, seen_positions_);
        return;
      }
      for (size_t word = 0; word < entries_seen_.size(); ++word) {
        for (uint64_t bits = entries_seen_[word]; bits != 0; bits &= bits - 1) {
          seen_positions_.push_back(static_cast<int64_t>(word * 64) + std::countr_zero(bits));
        }
      }
      page_statistics_.UpdateAt(entries, seen_positions_);
    }
  }

  // Re-encodes the page's `count` values, held as dictionary indices in `indices`, as PLAIN.
  Status ReencodePlain(const Buffer& indices, int64_t count) {
    if constexpr (kHasDictionary) {
      DictionaryIndexDecoder decoder;
      ARCFLOW_RETURN_NOT_OK(decoder.Init(indices.span(), dictionary_->num_entries()));
      std::vector<int32_t> batch(kReencodeBatch);
      int64_t remaining = count;
      while (remaining > 0) {
        ARCFLOW_ASSIGN_OR_RETURN(
            int64_t decoded,
            decoder.DecodeIndices(batch.data(), std::min<int64_t>(remaining, kReencodeBatch)));
        if (decoded == 0) return Status::Internal("parquet: dictionary indices ended early");
        for (int64_t i = 0; i < decoded; ++i) {
          const int32_t index = batch[static_cast<size_t>(i)];
          if constexpr (kType == PhysicalType::kByteArray) {
            ARCFLOW_RETURN_NOT_OK(plain_.PutByteArray(dictionary_->entries().Value(index)));
          } else if constexpr (kType == PhysicalType::kFixedLenByteArray) {
            plain_.PutFixedLenByteArray(
                dictionary_->entries() + static_cast<int64_t>(index) * column_.type_length, 1);
          } else {
            plain_.Put(&dictionary_->entries()[static_cast<size_t>(index)], 1);
          }
        }
        remaining -= decoded;
      }
    }
    return Status::OK();
  }

  // Encodes the open page's values: dictionary indices, or PLAIN. The first dictionary page of
  // a chunk is where the dictionary proves itself: if it and the indices take as much room as
  // PLAIN would, the page is re-encoded PLAIN and the chunk does without a dictionary, as
  // parquet-mr does.
  //
  // The values stay in the writer's memory (page_indices_ or plain_) until ClearPageValues().
  Status FinishPageValues(std::span<const uint8_t>* out, Encoding* encoding) {
    if constexpr (kHasDictionary) {
      if (use_dictionary_) {
        UpdateStatisticsFromIndices();
        page_indices_ = dictionary_->FlushIndices();
        // A seeded dictionary proved itself in the chunk it comes from.
        const bool first_page = dictionary_data_pages_ == 0 && seeded_entries_ == 0;
        if (!first_page ||
            dictionary_->dictionary_size_bytes() + page_indices_->size() < page_plain_bytes_) {
          *out = page_indices_->span();
          *encoding = Encoding::kRleDictionary;
          return Status::OK();
        }
        ARCFLOW_RETURN_NOT_OK(ReencodePlain(*page_indices_, page_dictionary_values_));
        page_indices_.reset();
        use_dictionary_ = false;
        ResetDictionary();
      }
    }
    *out = plain_.view();
    *encoding = Encoding::kPlain;
    return Status::OK();
  }

  void ClearPageValues() {
    page_indices_.reset();
    plain_.Clear();
  }

  Status FlushPage() {
    if (page_levels_ == 0) return Status::OK();
    if (page_levels_ > kMaxPageLevels) {
      return Status::Invalid(
          "parquet: a record of column {} has more than 2^31-1 levels, more than a page holds",
          column_.dotted_path);
    }
    std::span<const uint8_t> values;
    Encoding encoding = Encoding::kPlain;
    ARCFLOW_RETURN_NOT_OK(FinishPageValues(&values, &encoding));

    std::optional<parquet::Statistics> statistics;
    if (options_.write_statistics) {
      statistics.emplace();
      statistics->null_count = page_levels_ - page_values_;
      if (min_max_) EncodeStatistics(page_statistics_, &*statistics);
    }
    chunk_statistics_.Merge(page_statistics_);
    page_statistics_.Reset();

    const bool v2 = options_.data_page_version == DataPageVersion::kV2;
    std::shared_ptr<Buffer> repetition;
    std::shared_ptr<Buffer> definition;
    if (max_repetition_level_ > 0) {
      repetition = v2 ? repetition_encoder_.Finish() : repetition_encoder_.FinishWithLengthPrefix();
    }
    if (bitmap_definition_levels_) {
      BufferBuilder levels;
      bitmap_definition_encoder_.FinishInto(&levels, /*length_prefix=*/!v2);
      definition = levels.Finish();
    } else if (max_definition_level_ > 0) {
      definition = v2 ? definition_encoder_.Finish() : definition_encoder_.FinishWithLengthPrefix();
    }
    const auto bytes = [](const std::shared_ptr<Buffer>& buffer) {
      return buffer ? buffer->span() : std::span<const uint8_t>();
    };

    EncodedPage page;
    if (v2) {
      DataPageHeaderV2 header;
      header.num_values = static_cast<int32_t>(page_levels_);
      header.num_nulls = static_cast<int32_t>(page_levels_ - page_values_);
      header.num_rows = static_cast<int32_t>(page_rows_);
      header.encoding = encoding;
      header.statistics = std::move(statistics);
      ARCFLOW_ASSIGN_OR_RETURN(page,
                               page_writer_.WriteDataPageV2(std::move(header), bytes(repetition),
                                                            bytes(definition), values));
    } else {
      DataPageHeader header;
      header.num_values = static_cast<int32_t>(page_levels_);
      header.encoding = encoding;
      header.definition_level_encoding = Encoding::kRle;
      header.repetition_level_encoding = Encoding::kRle;
      header.statistics = std::move(statistics);
      const std::span<const uint8_t> parts[] = {bytes(repetition), bytes(definition), values};
      ARCFLOW_ASSIGN_OR_RETURN(page, page_writer_.WriteDataPageV1(std::move(header), parts));
    }
    ClearPageValues();
    data_page_sizes_.uncompressed += page.uncompressed_size;
    data_page_sizes_.compressed += page.compressed_size();
    data_pages_size_ += page.compressed_size();
    data_pages_.push_back(std::move(page.bytes));
    if (encoding == Encoding::kRleDictionary) {
      ++dictionary_data_pages_;
    } else {
      ++plain_data_pages_;
    }
    chunk_levels_ += page_levels_;
    chunk_values_ += page_values_;
    page_levels_ = page_values_ = page_rows_ = page_plain_bytes_ = page_dictionary_values_ = 0;
    return Status::OK();
  }

  void ResetChunk() {
    if constexpr (kHasDictionary) {
      if (dictionary_) ResetDictionary();
    }
    use_dictionary_ = dictionary_.has_value();
    dictionary_probe_remaining_ = kDictionaryProbeValues;
    chunk_statistics_.Reset();
    page_statistics_.Reset();
    data_page_sizes_ = PageSizes();
    data_pages_.clear();
    data_pages_size_ = 0;
    dictionary_data_pages_ = plain_data_pages_ = plain_dictionary_data_pages_ = 0;
    seeded_entries_ = 0;
    chunk_levels_ = chunk_values_ = chunk_rows_ = 0;
  }

  const codec::Codec* codec_;
  const ColumnChunkWriterOptions options_;
  PageWriter page_writer_;
  const int16_t max_definition_level_;
  const int16_t max_repetition_level_;

  // Flat optional columns (max definition level 1, no repetition) encode their definition
  // levels from validity bitmaps; other columns with levels use the general encoders.
  const bool bitmap_definition_levels_;
  BitmapLevelEncoder bitmap_definition_encoder_;
  RleBitPackedEncoder definition_encoder_;
  RleBitPackedEncoder repetition_encoder_;
  PlainEncoder plain_;
  // The dictionary indices of the page being written.
  std::shared_ptr<Buffer> page_indices_;
  // Present when dictionary encoding is enabled for the column; use_dictionary_ says whether
  // the open page uses it (false after a fallback, until the next chunk).
  std::optional<Dictionary> dictionary_;
  bool use_dictionary_ = false;
  Statistics page_statistics_;
  Statistics chunk_statistics_;
  // Every finished chunk's statistics and null count, for FinishedChunksStatistics().
  Statistics finished_chunks_statistics_;
  int64_t finished_chunks_nulls_ = 0;
  // Scratch for UpdateStatisticsFromIndices: a bit per dictionary entry, and the entries seen.
  std::vector<uint64_t> entries_seen_;
  // The dictionary's least and greatest entries among its first bounded_entries_ (-1: none).
  int64_t bounded_entries_ = 0;
  int64_t min_entry_ = -1;
  int64_t max_entry_ = -1;
  std::vector<int64_t> seen_positions_;
  const bool min_max_;
  const bool utf8_;

  // The open page.
  int64_t page_levels_ = 0;
  int64_t page_values_ = 0;
  int64_t page_rows_ = 0;
  // What the page's values would take PLAIN-encoded, to judge the dictionary by.
  int64_t page_plain_bytes_ = 0;
  // How many of the page's values went through the dictionary (all, unless it was dropped
  // during the page).
  int64_t page_dictionary_values_ = 0;
  // Values of the chunk's first page still to go before the dictionary is probed; 0 once done.
  int64_t dictionary_probe_remaining_ = kDictionaryProbeValues;

  // The chunk so far.
  std::vector<std::shared_ptr<Buffer>> data_pages_;
  int64_t data_pages_size_ = 0;
  PageSizes data_page_sizes_;
  // Data pages of dictionary indices; of them, stored pages that name PLAIN_DICTIONARY.
  int64_t dictionary_data_pages_ = 0;
  int64_t plain_dictionary_data_pages_ = 0;
  int64_t plain_data_pages_ = 0;
  // How many entries of a stored chunk the dictionary began with (SeedDictionary); 0 when it
  // was not seeded.
  int64_t seeded_entries_ = 0;
  // The bounds of those entries, once a stored page needed them.
  std::optional<Statistics> seeded_statistics_;
  int64_t chunk_levels_ = 0;
  int64_t chunk_values_ = 0;
  int64_t chunk_rows_ = 0;
};

}  // namespace

Result<std::unique_ptr<ColumnChunkWriter>> ColumnChunkWriter::Make(
    const ColumnDescriptor& column, const codec::Codec* codec,
    const ColumnChunkWriterOptions& options) {
  if (codec == nullptr) return Status::Invalid("parquet: column chunk writer needs a codec");
  if (column.leaf == nullptr) return Status::Invalid("parquet: column descriptor without a leaf");
  if (options.page_bytes <= 0 || options.page_rows <= 0 || options.write_batch_levels <= 0 ||
      options.dictionary_page_bytes_limit <= 0 || options.statistics_truncate_length < 0) {
    return Status::Invalid(
        "parquet: writer options out of range (page_bytes={}, page_rows={}, "
        "write_batch_levels={}, dictionary_page_bytes_limit={}, statistics_truncate_length={})",
        options.page_bytes, options.page_rows, options.write_batch_levels,
        options.dictionary_page_bytes_limit, options.statistics_truncate_length);
  }
  switch (column.physical_type) {
    case PhysicalType::kBoolean:
      return std::make_unique<TypedColumnChunkWriter<PhysicalType::kBoolean>>(column, codec,
                                                                              options);
    case PhysicalType::kInt32:
      return std::make_unique<TypedColumnChunkWriter<PhysicalType::kInt32>>(column, codec, options);
    case PhysicalType::kInt64:
      return std::make_unique<TypedColumnChunkWriter<PhysicalType::kInt64>>(column, codec, options);
    case PhysicalType::kFloat:
      return std::make_unique<TypedColumnChunkWriter<PhysicalType::kFloat>>(column, codec, options);
    case PhysicalType::kDouble:
      return std::make_unique<TypedColumnChunkWriter<PhysicalType::kDouble>>(column, codec,
                                                                             options);
    case PhysicalType::kByteArray:
      return std::make_unique<TypedColumnChunkWriter<PhysicalType::kByteArray>>(column, codec,
                                                                                options);
    case PhysicalType::kFixedLenByteArray:
      if (column.type_length <= 0) {
        return Status::Invalid("parquet: FIXED_LEN_BYTE_ARRAY column {} without a length",
                               column.dotted_path);
      }
      return std::make_unique<TypedColumnChunkWriter<PhysicalType::kFixedLenByteArray>>(
          column, codec, options);
    case PhysicalType::kInt96:
      break;
  }
  return Status::Invalid("parquet: cannot write column {} of physical type {}", column.dotted_path,
                         PhysicalTypeName(column.physical_type));
}

}  // namespace arcflow::parquet
