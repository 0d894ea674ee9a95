// Checks the footers arcflow writes field by field, as other readers (Spark/parquet-java,
// DuckDB, pyarrow) see them. The footer is decoded by a minimal Thrift compact-protocol walker
// written here from the protocol specification, independent of arcflow's own Thrift reader, so
// that a bug shared by arcflow's writer and reader cannot hide. Field ids are parquet.thrift's.

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "arcflow/codec/crc32.h"
#include "arcflow/columnar/builder.h"
#include "arcflow/columnar/schema_json.h"
#include "arcflow/io/io_test_util.h"
#include "arcflow/parquet/bridge/parquet_writer.h"

namespace arcflow::parquet {
namespace {

// Whether `text` has the form "<app> version <major>.<minor>.<patch> (build <id>)" that
// parquet-java's VersionParser and Arrow's ApplicationVersion accept, for app `app`.
bool IsCreatedBy(std::string_view text, std::string_view app) {
  const std::string prefix = std::string(app) + " version ";
  if (text.substr(0, prefix.size()) != prefix) return false;
  text.remove_prefix(prefix.size());
  for (int part = 0; part < 3; ++part) {
    size_t digits = 0;
    while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
    if (digits == 0) return false;
    text.remove_prefix(digits);
    const char separator = part < 2 ? '.' : ' ';
    if (text.empty() || text[0] != separator) return false;
    text.remove_prefix(1);
  }
  constexpr std::string_view kBuild = "(build ";
  if (text.substr(0, kBuild.size()) != kBuild || text.size() <= kBuild.size() + 1 ||
      text.back() != ')') {
    return false;
  }
  const std::string_view id = text.substr(kBuild.size(), text.size() - kBuild.size() - 1);
  return id.find_first_of("()") == std::string_view::npos;
}

// A decoded Thrift value: integers of every width as `integer`, structs as fields by id.
struct ThriftValue {
  enum class Kind { kNone, kBool, kInteger, kDouble, kBinary, kList, kStruct };
  Kind kind = Kind::kNone;
  bool boolean = false;
  int64_t integer = 0;
  double real = 0;
  std::string binary;
  std::vector<ThriftValue> elements;  // kList elements, or kStruct field values.
  std::vector<int16_t> field_ids;     // kStruct: the id of each of `elements`.

  bool Has(int16_t id) const { return Find(id) != nullptr; }
  const ThriftValue* Find(int16_t id) const {
    for (size_t i = 0; i < field_ids.size(); ++i) {
      if (field_ids[i] == id) return &elements[i];
    }
    return nullptr;
  }
  // The field `id`, or an empty value (kNone) when absent.
  const ThriftValue& operator[](int16_t id) const {
    static const ThriftValue kAbsent;
    const ThriftValue* found = Find(id);
    return found != nullptr ? *found : kAbsent;
  }
};

// Walks Thrift compact-protocol bytes. Every read is bounds-checked; `failed()` says whether
// the input was malformed.
class CompactWalker {
 public:
  explicit CompactWalker(std::string_view bytes) : bytes_(bytes) {}

  ThriftValue ReadStruct() {
    ThriftValue value;
    value.kind = ThriftValue::Kind::kStruct;
    int16_t last_id = 0;
    while (!failed_) {
      const uint8_t header = Byte();
      if (header == 0) break;  // STOP
      const int type = header & 0x0F;
      const int delta = header >> 4;
      const int16_t id = delta != 0 ? static_cast<int16_t>(last_id + delta)
                                    : static_cast<int16_t>(ZigZag(Varint()));
      last_id = id;
      value.field_ids.push_back(id);
      value.elements.push_back(ReadValue(type, /*in_field=*/true));
    }
    return value;
  }

  bool failed() const { return failed_; }
  size_t position() const { return position_; }

 private:
  uint8_t Byte() {
    if (position_ >= bytes_.size()) {
      failed_ = true;
      return 0;
    }
    return static_cast<uint8_t>(bytes_[position_++]);
  }

  uint64_t Varint() {
    uint64_t result = 0;
    for (int shift = 0; shift < 70 && !failed_; shift += 7) {
      const uint8_t byte = Byte();
      result |= static_cast<uint64_t>(byte & 0x7F) << shift;
      if ((byte & 0x80) == 0) return result;
    }
    failed_ = true;
    return 0;
  }

  static int64_t ZigZag(uint64_t value) {
    return static_cast<int64_t>(value >> 1) ^ -static_cast<int64_t>(value & 1);
  }

  ThriftValue ReadValue(int type, bool in_field) {
    ThriftValue value;
    switch (type) {
      case 1:  // BOOLEAN_TRUE (in a field header), or a boolean element
      case 2:  // BOOLEAN_FALSE
        value.kind = ThriftValue::Kind::kBool;
        value.boolean = in_field ? type == 1 : Byte() == 1;
        break;
      case 3:  // i8
        value.kind = ThriftValue::Kind::kInteger;
        value.integer = static_cast<int8_t>(Byte());
        break;
      case 4:  // i16
      case 5:  // i32
      case 6:  // i64
        value.kind = ThriftValue::Kind::kInteger;
        value.integer = ZigZag(Varint());
        break;
      case 7: {  // double
        value.kind = ThriftValue::Kind::kDouble;
        uint64_t bits = 0;
        for (int i = 0; i < 8; ++i) bits |= static_cast<uint64_t>(Byte()) << (8 * i);
        std::memcpy(&value.real, &bits, sizeof(bits));
        break;
      }
      case 8: {  // binary
        value.kind = ThriftValue::Kind::kBinary;
        const uint64_t length = Varint();
        if (length > bytes_.size() - position_) {
          failed_ = true;
          break;
        }
        value.binary = std::string(bytes_.substr(position_, length));
        position_ += length;
        break;
      }
      case 9:     // list
      case 10: {  // set
        value.kind = ThriftValue::Kind::kList;
        const uint8_t header = Byte();
        uint64_t size = header >> 4;
        if (size == 15) size = Varint();
        const int element_type = header & 0x0F;
        for (uint64_t i = 0; i < size && !failed_; ++i) {
          value.elements.push_back(ReadValue(element_type, false));
        }
        break;
      }
      case 12:
        value = ReadStruct();
        break;
      default:  // Maps do not occur in parquet.thrift.
        failed_ = true;
    }
    return value;
  }

  std::string_view bytes_;
  size_t position_ = 0;
  bool failed_ = false;
};

uint32_t LittleEndian32(std::string_view bytes) {
  uint32_t value = 0;
  for (int i = 0; i < 4; ++i)
    value |= static_cast<uint32_t>(static_cast<uint8_t>(bytes[i])) << (8 * i);
  return value;
}

template <typename T>
std::string Plain(T value) {
  return std::string(reinterpret_cast<const char*>(&value), sizeof(T));
}

// Thrift enum values of parquet.thrift.
enum Type {
  kBoolean = 0,
  kInt32 = 1,
  kInt64 = 2,
  kFloat = 4,
  kDouble = 5,
  kByteArray = 6,
  kFlba = 7
};
enum Repetition { kRequired = 0, kOptional = 1, kRepeated = 2 };

class FooterConformanceTest : public ::testing::Test {
 protected:
  static SchemaPtr AllTypesSchema() {
    return std::make_shared<Schema>(std::vector<Field>{
        Field("b", types::Boolean()),
        Field("i8", types::Int8()),
        Field("i16", types::Int16()),
        Field("i32", types::Int32()),
        Field("i64", types::Int64(), false),
        Field("f", types::Float32()),
        Field("d", types::Float64()),
        Field("dec5", types::Decimal(5, 2)),
        Field("dec15", types::Decimal(15, 3)),
        Field("dec25", types::Decimal(25, 4)),
        Field("s", types::String()),
        Field("bin", types::Binary()),
        Field("dt", types::Date32()),
        Field("ts", types::Timestamp()),
        Field("ntz", types::TimestampNtz()),
        Field("st", types::Struct({Field("x", types::Int32()), Field("y", types::String())})),
        Field("arr", types::List(types::Int32(), /*contains_null=*/false)),
        Field("arr2", types::List(types::String())),
        Field("m", types::Map(types::String(), types::Float64())),
    });
  }

  // Four rows with known extremes per column.
  static RecordBatchPtr AllTypesBatch() {
    RecordBatchBuilder builder(AllTypesSchema());
    const auto column = [&](int i) { return builder.column_builder(i); };
    auto& b = static_cast<BooleanBuilder&>(*column(0));
    b.Append(true);
    b.Append(false);
    b.AppendNull();
    b.Append(true);
    auto& i8 = static_cast<Int8Builder&>(*column(1));
    for (int8_t v : {int8_t{-128}, int8_t{7}, int8_t{127}, int8_t{0}}) i8.Append(v);
    auto& i16 = static_cast<Int16Builder&>(*column(2));
    for (int16_t v : {int16_t{300}, int16_t{-2}, int16_t{5}, int16_t{9}}) i16.Append(v);
    auto& i32 = static_cast<Int32Builder&>(*column(3));
    i32.Append(5);
    i32.Append(-3);
    i32.AppendNull();
    i32.Append(12);
    auto& i64 = static_cast<Int64Builder&>(*column(4));
    for (int64_t v : {4, 3, 2, 1}) i64.Append(v);
    auto& f = static_cast<Float32Builder&>(*column(5));
    for (float v : {2.5f, -1.0f, 0.0f, 8.0f}) f.Append(v);
    auto& d = static_cast<Float64Builder&>(*column(6));
    d.Append(1.5);
    d.Append(std::nan(""));
    d.Append(0.0);
    d.AppendNull();
    auto& dec5 = static_cast<Decimal128Builder&>(*column(7));
    for (int128_t v : {int128_t{123}, int128_t{-456}, int128_t{0}, int128_t{99999}}) dec5.Append(v);
    auto& dec15 = static_cast<Decimal128Builder&>(*column(8));
    for (int128_t v : {int128_t{-1}, int128_t{1}, int128_t{2}, int128_t{3}}) dec15.Append(v);
    auto& dec25 = static_cast<Decimal128Builder&>(*column(9));
    dec25.Append(1);
    dec25.Append(-1);
    dec25.AppendNull();
    dec25.AppendNull();
    auto& s = static_cast<StringBuilder&>(*column(10));
    s.Append("b");
    s.Append("a");
    s.AppendNull();
    s.Append("c");
    auto& bin = static_cast<BinaryBuilder&>(*column(11));
    for (std::string_view v : {std::string_view("\x01"), std::string_view("\xFF"),
                               std::string_view("\x80"), std::string_view("\x00\x01", 2)}) {
      bin.Append(v);
    }
    auto& dt = static_cast<Date32Builder&>(*column(12));
    for (int32_t v : {19000, -5, 0, 7}) dt.Append(v);
    auto& ts = static_cast<TimestampBuilder&>(*column(13));
    for (int64_t v : {int64_t{1700000000000000}, int64_t{-1}, int64_t{0}, int64_t{5}}) ts.Append(v);
    auto& ntz = static_cast<TimestampBuilder&>(*column(14));
    for (int64_t v : {1, 2, 3, 4}) ntz.Append(v);
    auto& st = static_cast<StructBuilder&>(*column(15));
    for (int i = 0; i < 4; ++i) {
      if (i == 2) {
        st.AppendNull();
        continue;
      }
      static_cast<Int32Builder&>(*st.field_builder(0)).Append(i);
      static_cast<StringBuilder&>(*st.field_builder(1)).Append("y" + std::to_string(i));
      st.Append();
    }
    auto& arr = static_cast<ListBuilder&>(*column(16));
    for (int i = 0; i < 4; ++i) {
      for (int k = 0; k < i; ++k) static_cast<Int32Builder&>(*arr.value_builder()).Append(k * 10);
      arr.Append();
    }
    auto& arr2 = static_cast<ListBuilder&>(*column(17));
    for (int i = 0; i < 4; ++i) {
      static_cast<StringBuilder&>(*arr2.value_builder()).Append("e");
      arr2.Append();
    }
    auto& m = static_cast<ListBuilder&>(*column(18));
    for (int i = 0; i < 4; ++i) {
      static_cast<StringBuilder&>(*MapKeyBuilder(m)).Append("k");
      static_cast<Float64Builder&>(*MapValueBuilder(m)).Append(i);
      AppendMapEntry(m);
      m.Append();
    }
    return *builder.Finish();
  }

  // Writes the batch and returns the file's bytes.
  std::string WriteFile(ParquetWriteOptions options) {
    auto fs = io::LocalFileSystem();
    const std::string path = directory_.Join("file.parquet");
    auto file = *fs->OpenWritable(path);
    auto writer = *ParquetFileWriter::Open(std::move(file), AllTypesSchema(), std::move(options));
    EXPECT_TRUE(writer->Write(*AllTypesBatch()).ok());
    EXPECT_TRUE(writer->Close().ok());
    return std::string((*fs->ReadFile(path))->view());
  }

  // Decodes the footer of `file` after checking the framing around it.
  ThriftValue DecodeFooter(const std::string& file, size_t* metadata_offset) {
    EXPECT_GE(file.size(), 12u);
    EXPECT_EQ(file.substr(0, 4), "PAR1");
    EXPECT_EQ(file.substr(file.size() - 4), "PAR1");
    const uint32_t length = LittleEndian32(std::string_view(file).substr(file.size() - 8, 4));
    EXPECT_LE(length + 12u, file.size());
    *metadata_offset = file.size() - 8 - length;
    CompactWalker walker(std::string_view(file).substr(*metadata_offset, length));
    ThriftValue metadata = walker.ReadStruct();
    EXPECT_FALSE(walker.failed());
    EXPECT_EQ(walker.position(), length) << "the metadata fills the footer exactly";
    return metadata;
  }

  // Decodes the page header at `offset` of `file` and checks the page's CRC.
  static ThriftValue PageHeaderAt(const std::string& file, int64_t offset) {
    CompactWalker walker(std::string_view(file).substr(static_cast<size_t>(offset)));
    ThriftValue header = walker.ReadStruct();
    EXPECT_FALSE(walker.failed());
    const int64_t compressed_size = header[3].integer;
    const std::string_view page = std::string_view(file).substr(
        static_cast<size_t>(offset) + walker.position(), static_cast<size_t>(compressed_size));
    EXPECT_TRUE(header.Has(4)) << "page CRC";
    EXPECT_EQ(static_cast<uint32_t>(header[4].integer),
              codec::Crc32(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(page.data()),
                                                    page.size())));
    return header;
  }

  io::ScratchDirectory directory_;
};

TEST_F(FooterConformanceTest, FileMetadataFieldsAreSet) {
  const std::string file = WriteFile({});
  size_t metadata_offset = 0;
  const ThriftValue metadata = DecodeFooter(file, &metadata_offset);
  EXPECT_EQ(metadata[1].integer, 1);  // version
  EXPECT_EQ(metadata[3].integer, 4);  // num_rows
  ASSERT_EQ(metadata[4].elements.size(), 1u);
  EXPECT_FALSE(IsCreatedBy("arcflow 0.1.0", "arcflow"));
  EXPECT_FALSE(IsCreatedBy("arcflow version 0.1 (build x)", "arcflow"));
  EXPECT_TRUE(IsCreatedBy(std::string(ParquetCreatedBy()), "arcflow"));
  EXPECT_TRUE(IsCreatedBy(metadata[6].binary, "arcflow")) << metadata[6].binary;
  // key_value_metadata holds Spark's schema.
  bool found = false;
  for (const ThriftValue& entry : metadata[5].elements) {
    if (entry[1].binary == "org.apache.spark.sql.parquet.row.metadata") {
      found = true;
      EXPECT_EQ(entry[2].binary, ToStructTypeJson(*AllTypesSchema()));
    }
  }
  EXPECT_TRUE(found);
  // column_orders: TYPE_ORDER (union field 1, an empty struct) for each of the 21 leaves.
  ASSERT_EQ(metadata[7].elements.size(), 21u);
  for (const ThriftValue& order : metadata[7].elements) {
    ASSERT_EQ(order.field_ids.size(), 1u);
    EXPECT_EQ(order.field_ids[0], 1);
    EXPECT_TRUE(order[1].field_ids.empty());
  }
}

TEST_F(FooterConformanceTest, SchemaElementsMatchSpark) {
  const std::string file = WriteFile({});
  size_t metadata_offset = 0;
  const ThriftValue metadata = DecodeFooter(file, &metadata_offset);
  const std::vector<ThriftValue>& schema = metadata[2].elements;
  ASSERT_EQ(schema.size(), 29u);
  struct Expected {
    std::string name;
    int type;        // -1: a group
    int repetition;  // -1: absent (the root)
    int converted;   // -1: absent
    int logical;     // LogicalType union member id, -1: absent
    int children;    // -1: absent
  };
  const std::vector<Expected> expected = {
      {"spark_schema", -1, -1, -1, -1, 19},
      {"b", kBoolean, kOptional, -1, -1, -1},
      {"i8", kInt32, kOptional, 15, 10, -1},
      {"i16", kInt32, kOptional, 16, 10, -1},
      {"i32", kInt32, kOptional, -1, -1, -1},
      {"i64", kInt64, kRequired, -1, -1, -1},
      {"f", kFloat, kOptional, -1, -1, -1},
      {"d", kDouble, kOptional, -1, -1, -1},
      {"dec5", kInt32, kOptional, 5, 5, -1},
      {"dec15", kInt64, kOptional, 5, 5, -1},
      {"dec25", kFlba, kOptional, 5, 5, -1},
      {"s", kByteArray, kOptional, 0, 1, -1},
      {"bin", kByteArray, kOptional, -1, -1, -1},
      {"dt", kInt32, kOptional, 6, 6, -1},
      {"ts", kInt64, kOptional, 10, 8, -1},
      {"ntz", kInt64, kOptional, -1, 8, -1},
      {"st", -1, kOptional, -1, -1, 2},
      {"x", kInt32, kOptional, -1, -1, -1},
      {"y", kByteArray, kOptional, 0, 1, -1},
      {"arr", -1, kOptional, 3, 3, 1},
      {"list", -1, kRepeated, -1, -1, 1},
      {"element", kInt32, kRequired, -1, -1, -1},
      {"arr2", -1, kOptional, 3, 3, 1},
      {"list", -1, kRepeated, -1, -1, 1},
      {"element", kByteArray, kOptional, 0, 1, -1},
      {"m", -1, kOptional, 1, 2, 1},
      {"key_value", -1, kRepeated, -1, -1, 2},
      {"key", kByteArray, kRequired, 0, 1, -1},
      {"value", kDouble, kOptional, -1, -1, -1},
  };
  for (size_t i = 0; i < expected.size(); ++i) {
    const ThriftValue& element = schema[i];
    const Expected& e = expected[i];
    SCOPED_TRACE(e.name);
    EXPECT_EQ(element[4].binary, e.name);
    EXPECT_EQ(element.Has(1) ? element[1].integer : -1, e.type);
    EXPECT_EQ(element.Has(3) ? element[3].integer : -1, e.repetition);
    EXPECT_EQ(element.Has(6) ? element[6].integer : -1, e.converted);
    EXPECT_EQ(element.Has(5) ? element[5].integer : -1, e.children);
    if (e.logical < 0) {
      EXPECT_FALSE(element.Has(10));
    } else {
      ASSERT_EQ(element[10].field_ids.size(), 1u);
      EXPECT_EQ(element[10].field_ids[0], e.logical);
    }
  }
  // Parameters of the annotated types.
  const ThriftValue& int8_type = schema[2][10][10];
  EXPECT_EQ(int8_type[1].integer, 8);  // bitWidth
  EXPECT_TRUE(int8_type[2].boolean);   // isSigned
  EXPECT_EQ(schema[3][10][10][1].integer, 16);
  const int precisions[] = {5, 15, 25};
  const int scales[] = {2, 3, 4};
  for (int k = 0; k < 3; ++k) {
    const ThriftValue& element = schema[8 + static_cast<size_t>(k)];
    EXPECT_EQ(element[7].integer, scales[k]);
    EXPECT_EQ(element[8].integer, precisions[k]);
    EXPECT_EQ(element[10][5][1].integer, scales[k]);
    EXPECT_EQ(element[10][5][2].integer, precisions[k]);
  }
  EXPECT_EQ(schema[10][2].integer, 11);  // decimal(25) takes 11 bytes
  const ThriftValue& utc = schema[14][10][8];
  EXPECT_TRUE(utc[1].boolean);  // isAdjustedToUTC
  EXPECT_TRUE(utc[2].Has(2));   // unit: MICROS
  const ThriftValue& local = schema[15][10][8];
  EXPECT_FALSE(local[1].boolean);
  EXPECT_TRUE(local[2].Has(2));
}

TEST_F(FooterConformanceTest, ColumnChunksAreConsistentWithTheFile) {
  for (bool dictionary : {true, false}) {
    SCOPED_TRACE(dictionary ? "dictionary" : "plain");
    ParquetWriteOptions options;
    options.dictionary = dictionary;
    const std::string file = WriteFile(options);
    size_t metadata_offset = 0;
    const ThriftValue metadata = DecodeFooter(file, &metadata_offset);
    const ThriftValue& row_group = metadata[4].elements[0];
    EXPECT_EQ(row_group[3].integer, 4);  // num_rows
    const std::vector<ThriftValue>& columns = row_group[1].elements;
    ASSERT_EQ(columns.size(), 21u);
    int64_t expected_start = 4;
    int chunks_with_dictionary = 0;
    int64_t total_compressed = 0;
    int64_t total_uncompressed = 0;
    for (const ThriftValue& chunk : columns) {
      const ThriftValue& meta = chunk[3];
      const std::string path = meta[3].elements.empty() ? "" : meta[3].elements.back().binary;
      SCOPED_TRACE(path);
      const bool has_dictionary = meta.Has(11);
      chunks_with_dictionary += has_dictionary;
      const int64_t start = has_dictionary ? meta[11].integer : meta[9].integer;
      EXPECT_EQ(start, expected_start) << "chunks follow each other";
      EXPECT_EQ(chunk[2].integer, start);  // file_offset
      const int64_t compressed = meta[7].integer;
      expected_start = start + compressed;
      total_compressed += compressed;
      total_uncompressed += meta[6].integer;
      EXPECT_EQ(meta[4].integer, 6);  // ZSTD
      std::vector<int64_t> encodings;
      for (const ThriftValue& encoding : meta[2].elements) encodings.push_back(encoding.integer);
      const bool lists_dictionary =
          std::find(encodings.begin(), encodings.end(), 8) != encodings.end();
      EXPECT_EQ(lists_dictionary, has_dictionary);
      EXPECT_NE(std::find(encodings.begin(), encodings.end(), 3), encodings.end()) << "RLE";
      if (!dictionary || meta[1].integer == kBoolean) {
        EXPECT_FALSE(has_dictionary);
      }
      if (has_dictionary) {
        const ThriftValue header = PageHeaderAt(file, meta[11].integer);
        EXPECT_EQ(header[1].integer, 2);     // DICTIONARY_PAGE
        EXPECT_EQ(header[7][2].integer, 0);  // PLAIN entries
        EXPECT_GT(meta[9].integer, meta[11].integer);
      }
      const ThriftValue data_header = PageHeaderAt(file, meta[9].integer);
      EXPECT_EQ(data_header[1].integer, 0);  // DATA_PAGE
      EXPECT_EQ(data_header[5][1].integer, meta[5].integer) << "one page holds every level";
      EXPECT_EQ(data_header[5][2].integer, has_dictionary ? 8 : 0);
      EXPECT_EQ(data_header[5][3].integer, 3);  // RLE definition levels
      EXPECT_EQ(data_header[5][4].integer, 3);  // RLE repetition levels
      // encoding_stats agree with the pages.
      int dictionary_pages = 0;
      for (const ThriftValue& stats : meta[13].elements) {
        if (stats[1].integer == 2) dictionary_pages += static_cast<int>(stats[3].integer);
      }
      EXPECT_EQ(dictionary_pages, has_dictionary ? 1 : 0);
    }
    // Repetitive columns (the map keys, the strings of arr2) keep their dictionary; columns
    // of distinct values drop it after the first page.
    EXPECT_EQ(chunks_with_dictionary > 0, dictionary);
    EXPECT_EQ(static_cast<size_t>(expected_start), metadata_offset);
    EXPECT_EQ(row_group[6].integer, total_compressed);    // total_compressed_size
    EXPECT_EQ(row_group[2].integer, total_uncompressed);  // total_byte_size
    EXPECT_EQ(row_group[5].integer, 4);                   // file_offset
  }
}

TEST_F(FooterConformanceTest, StatisticsHoldTheKnownBounds) {
  const std::string file = WriteFile({});
  size_t metadata_offset = 0;
  const ThriftValue metadata = DecodeFooter(file, &metadata_offset);
  const std::vector<ThriftValue>& columns = metadata[4].elements[0][1].elements;
  // Statistics fields: 1 max, 2 min (legacy), 3 null_count, 5 max_value, 6 min_value.
  const auto statistics = [&](size_t column) -> const ThriftValue& {
    return columns[column][3][12];
  };
  struct Expected {
    size_t column;
    std::string min;
    std::string max;
    int64_t nulls;
    bool legacy;
  };
  const std::string dec25_min(11, '\xFF');
  const std::string dec25_max = std::string(10, '\0') + "\x01";
  const std::vector<Expected> expected = {
      {0, std::string(1, '\0'), std::string(1, '\1'), 1, true},
      {1, Plain<int32_t>(-128), Plain<int32_t>(127), 0, true},
      {2, Plain<int32_t>(-2), Plain<int32_t>(300), 0, true},
      {3, Plain<int32_t>(-3), Plain<int32_t>(12), 1, true},
      {4, Plain<int64_t>(1), Plain<int64_t>(4), 0, true},
      {5, Plain<float>(-1.0f), Plain<float>(8.0f), 0, true},
      {6, Plain<double>(-0.0), Plain<double>(1.5), 1, true},  // NaN ignored, zero min as -0.0
      {7, Plain<int32_t>(-456), Plain<int32_t>(99999), 0, true},
      {8, Plain<int64_t>(-1), Plain<int64_t>(3), 0, true},
      {9, dec25_min, dec25_max, 2, false},
      {10, "a", "c", 1, false},
      {11, std::string("\x00\x01", 2), "\xFF", 0, false},
      {12, Plain<int32_t>(-5), Plain<int32_t>(19000), 0, true},
      {13, Plain<int64_t>(-1), Plain<int64_t>(1700000000000000), 0, true},
      {15, Plain<int32_t>(0), Plain<int32_t>(3), 1, true},   // st.x under a null struct
      {17, Plain<int32_t>(0), Plain<int32_t>(20), 1, true},  // arr: one empty list
      {19, "k", "k", 0, true},                               // m.key: min == max
  };
  for (const Expected& e : expected) {
    SCOPED_TRACE(e.column);
    const ThriftValue& stats = statistics(e.column);
    EXPECT_EQ(stats[6].binary, e.min);
    EXPECT_EQ(stats[5].binary, e.max);
    EXPECT_EQ(stats[3].integer, e.nulls);
    EXPECT_EQ(stats.Has(2), e.legacy);
    EXPECT_EQ(stats.Has(1), e.legacy);
    if (e.legacy) {
      EXPECT_EQ(stats[2].binary, e.min);
      EXPECT_EQ(stats[1].binary, e.max);
    }
  }
}

TEST_F(FooterConformanceTest, LongStringBoundsAreTruncated) {
  auto schema = std::make_shared<Schema>(std::vector<Field>{Field("s", types::String())});
  RecordBatchBuilder builder(schema);
  auto& strings = static_cast<StringBuilder&>(*builder.column_builder(0));
  strings.Append(std::string(100, 'a'));
  strings.Append(std::string(100, 'z'));
  auto fs = io::LocalFileSystem();
  const std::string path = directory_.Join("long.parquet");
  auto writer = *ParquetFileWriter::Open(*fs->OpenWritable(path), schema, {});
  ASSERT_TRUE(writer->Write(**builder.Finish()).ok());
  ASSERT_TRUE(writer->Close().ok());
  const std::string file((*fs->ReadFile(path))->view());
  size_t metadata_offset = 0;
  const ThriftValue metadata = DecodeFooter(file, &metadata_offset);
  const ThriftValue& stats = metadata[4].elements[0][1].elements[0][3][12];
  EXPECT_EQ(stats[6].binary, std::string(64, 'a'));
  EXPECT_EQ(stats[5].binary, std::string(63, 'z') + "{");
  EXPECT_FALSE(stats[7].boolean);  // is_max_value_exact
  EXPECT_FALSE(stats[8].boolean);  // is_min_value_exact
}

}  // namespace
}  // namespace arcflow::parquet
