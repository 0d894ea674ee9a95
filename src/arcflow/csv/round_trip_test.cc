// Property test: whatever flat batch the writer writes, the reader reads back the same rows.

#include <gtest/gtest.h>

#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "arcflow/columnar/row_printer.h"
#include "arcflow/csv/reader.h"
#include "arcflow/csv/testing/temp_directory.h"
#include "arcflow/csv/writer.h"

namespace arcflow::csv {
namespace {

// Pieces random strings are made of: every character the CSV syntax cares about, white space,
// and multi-byte UTF-8.
const std::vector<std::string>& StringPieces() {
  static const std::vector<std::string> kPieces = {"a",
                                                   "xyz",
                                                   ",",
                                                   ";",
                                                   "\t",
                                                   "|",
                                                   "\"",
                                                   "'",
                                                   "\\",
                                                   "\\\"",
                                                   "\"\"",
                                                   "\n",
                                                   "\r",
                                                   "\r\n",
                                                   " ",
                                                   "#",
                                                   "\xC3\xA9",
                                                   "\xE6\x97\xA5\xE6\x9C\xAC",
                                                   "\xF0\x9F\x98\x80",
                                                   "NaN",
                                                   "0"};
  return kPieces;
}

class RandomBatchMaker {
 public:
  explicit RandomBatchMaker(uint64_t seed) : random_(seed) {}

  SchemaPtr MakeSchema() {
    int columns = Uniform(2, 8);
    std::vector<Field> fields;
    for (int i = 0; i < columns; ++i) {
      fields.emplace_back("c" + std::to_string(i), MakeType());
    }
    return std::make_shared<const Schema>(std::move(fields));
  }

  RecordBatchPtr MakeBatch(const SchemaPtr& schema, int64_t rows) {
    RecordBatchBuilder builder(schema);
    for (int64_t row = 0; row < rows; ++row) {
      for (int column = 0; column < schema->num_fields(); ++column) {
        AppendValue(*schema->field(column).type, builder.column_builder(column));
      }
    }
    return builder.Finish().ValueOrDie();
  }

 private:
  int Uniform(int low, int high) { return std::uniform_int_distribution<int>(low, high)(random_); }
  int64_t Uniform64(int64_t low, int64_t high) {
    return std::uniform_int_distribution<int64_t>(low, high)(random_);
  }

  DataTypePtr MakeType() {
    switch (Uniform(0, 12)) {
      case 0:
        return types::Boolean();
      case 1:
        return types::Int8();
      case 2:
        return types::Int16();
      case 3:
        return types::Int32();
      case 4:
        return types::Int64();
      case 5:
        return types::Float32();
      case 6:
        return types::Float64();
      case 7: {
        int precision = Uniform(1, 38);
        return types::Decimal(precision, Uniform(0, precision));
      }
      case 8:
        return types::Binary();
      case 9:
        return types::Date32();
      case 10:
        return types::Timestamp();
      case 11:
        return types::TimestampNtz();
      default:
        return types::String();
    }
  }

  template <typename Float>
  Float MakeFloat() {
    switch (Uniform(0, 4)) {
      case 0: {
        // Any bit pattern: subnormals, NaNs, infinities.
        using Bits = std::conditional_t<sizeof(Float) == 4, uint32_t, uint64_t>;
        Bits bits = static_cast<Bits>(random_());
        Float value;
        std::memcpy(&value, &bits, sizeof(value));
        return value;
      }
      case 1:
        return static_cast<Float>(Uniform(-1000, 1000)) / 8;
      case 2:
        return -0.0;
      case 3:
        return std::numeric_limits<Float>::infinity() * (Uniform(0, 1) ? 1 : -1);
      default:
        return static_cast<Float>(std::uniform_real_distribution<double>(-1e6, 1e6)(random_));
    }
  }

  void AppendValue(const DataType& type, ArrayBuilder* builder) {
    if (Uniform(0, 4) == 0) {
      builder->AppendNull();
      return;
    }
    // Years 0001 to 9999, the range the text forms cover.
    constexpr int64_t kMinDay = -719162;
    constexpr int64_t kMaxDay = 2932896;
    constexpr int64_t kMicrosPerDay = 86400LL * 1000 * 1000;
    switch (type.id()) {
      case TypeId::kBoolean:
        static_cast<BooleanBuilder*>(builder)->Append(Uniform(0, 1) == 1);
        break;
      case TypeId::kInt8:
        static_cast<Int8Builder*>(builder)->Append(static_cast<int8_t>(random_()));
        break;
      case TypeId::kInt16:
        static_cast<Int16Builder*>(builder)->Append(static_cast<int16_t>(random_()));
        break;
      case TypeId::kInt32:
        static_cast<Int32Builder*>(builder)->Append(static_cast<int32_t>(random_()));
        break;
      case TypeId::kInt64:
        static_cast<Int64Builder*>(builder)->Append(static_cast<int64_t>(random_()));
        break;
      case TypeId::kFloat32:
        static_cast<Float32Builder*>(builder)->Append(MakeFloat<float>());
        break;
      case TypeId::kFloat64:
        static_cast<Float64Builder*>(builder)->Append(MakeFloat<double>());
        break;
      case TypeId::kDecimal128: {
        int128_t limit = 1;
        for (int i = 0; i < type.precision(); ++i) limit *= 10;
        int128_t wide = (static_cast<int128_t>(random_()) << 64) | random_();
        int128_t value = wide % limit;  // In (-limit, limit).
        static_cast<Decimal128Builder*>(builder)->Append(value);
        break;
      }
      case TypeId::kString: {
        std::string text;
        int pieces = Uniform(0, 6);
        for (int i = 0; i < pieces; ++i) {
          text += StringPieces()[static_cast<size_t>(
              Uniform(0, static_cast<int>(StringPieces().size()) - 1))];
        }
        static_cast<StringBuilder*>(builder)->Append(text);
        break;
      }
      case TypeId::kBinary: {
        std::string bytes;
        int length = Uniform(0, 8);
        for (int i = 0; i < length; ++i) bytes.push_back(static_cast<char>(Uniform(0, 255)));
        static_cast<BinaryBuilder*>(builder)->Append(bytes);
        break;
      }
      case TypeId::kDate32:
        static_cast<Date32Builder*>(builder)->Append(
            static_cast<int32_t>(Uniform64(kMinDay, kMaxDay)));
        break;
      case TypeId::kTimestamp:
        static_cast<TimestampBuilder*>(builder)->Append(
            Uniform64(kMinDay * kMicrosPerDay, (kMaxDay + 1) * kMicrosPerDay - 1));
        break;
      case TypeId::kStruct:
      case TypeId::kList:
      case TypeId::kMap:
        builder->AppendNull();
        break;
    }
  }

  std::mt19937_64 random_;
};

std::vector<std::string> CanonicalRows(const RecordBatch& batch) {
  std::vector<std::string> rows;
  AppendCanonicalRows(batch, &rows);
  return rows;
}

// Matching writer and reader settings.
struct Dialect {
  std::string name;
  CsvWriteOptions write;
  CsvReadOptions read;
};

std::vector<Dialect> Dialects() {
  std::vector<Dialect> dialects;
  dialects.push_back({"spark-default", {}, {}});

  Dialect rfc{"rfc4180", {}, {}};
  rfc.write.escape = rfc.read.escape = '"';
  rfc.write.header = rfc.read.header = true;
  dialects.push_back(rfc);

  Dialect semicolons{"semicolon-crlf-quote-all", {}, {}};
  semicolons.write.delimiter = semicolons.read.delimiter = ';';
  semicolons.write.line_separator = "\r\n";
  semicolons.write.quote_all = true;
  dialects.push_back(semicolons);

  Dialect tabs{"tab-single-quote", {}, {}};
  tabs.write.delimiter = tabs.read.delimiter = '\t';
  tabs.write.quote = tabs.read.quote = '\'';
  tabs.write.escape = tabs.read.escape = '\'';
  dialects.push_back(tabs);

  Dialect unescaped{"no-escape-quotes-hash-escape-escape", {}, {}};
  unescaped.write.escape_quotes = false;
  unescaped.write.char_to_escape_quote_escaping = unescaped.read.char_to_escape_quote_escaping =
      '#';
  dialects.push_back(unescaped);

  Dialect pipes{"pipe-line-separator", {}, {}};
  pipes.write.line_separator = pipes.read.line_separator = "|";
  dialects.push_back(pipes);
  return dialects;
}

TEST(CsvRoundTripTest, ReadsBackWhatItWrites) {
  testing::TempDirectory dir;
  std::mt19937_64 chooser(7);
  for (const Dialect& dialect : Dialects()) {
    for (uint64_t seed = 1; seed <= 25; ++seed) {
      RandomBatchMaker maker(seed * 1000 + dialect.name.size());
      SchemaPtr schema = maker.MakeSchema();
      std::vector<RecordBatchPtr> batches = {
          maker.MakeBatch(schema, 40), maker.MakeBatch(schema, 0), maker.MakeBatch(schema, 25)};
      std::string path = dir.PathOf(dialect.name + std::to_string(seed) + ".csv");
      {
        auto file = io::LocalFileSystem()->OpenWritable(path);
        ASSERT_TRUE(file.ok());
        auto writer = CsvWriter::Open(std::move(file).MoveValueUnsafe(), schema, dialect.write);
        ASSERT_TRUE(writer.ok()) << writer.status().ToString();
        for (const RecordBatchPtr& batch : batches) ASSERT_TRUE((*writer)->Write(*batch).ok());
        ASSERT_TRUE((*writer)->Close().ok());
      }
      CsvReadOptions read = dialect.read;
      read.schema = schema;
      read.multi_line = true;
      read.mode = io::ParseMode::kFailFast;
      read.batch_rows = 16;
      const int64_t kChunks[] = {1, 3, 64, kDefaultChunkBytes};
      read.chunk_bytes = kChunks[chooser() % 4];
      auto reader = CsvReader::Open(io::LocalFileSystem(), path, read);
      ASSERT_TRUE(reader.ok()) << reader.status().ToString();
      std::vector<std::string> got;
      while (true) {
        Result<RecordBatchPtr> batch = (*reader)->Next();
        ASSERT_TRUE(batch.ok()) << dialect.name << " seed " << seed << ": "
                                << batch.status().ToString() << "\nschema: " << schema->ToString();
        if (*batch == nullptr) break;
        for (std::string& row : CanonicalRows(**batch)) got.push_back(std::move(row));
      }
      std::vector<std::string> want;
      for (const RecordBatchPtr& batch : batches) {
        for (std::string& row : CanonicalRows(*batch)) want.push_back(std::move(row));
      }
      ASSERT_EQ(got, want) << dialect.name << " seed " << seed << " schema " << schema->ToString()
                           << "\nfile:\n"
                           << io::LocalFileSystem()->ReadFile(path).ValueOrDie()->view();
    }
  }
}

}  // namespace
}  // namespace arcflow::csv
