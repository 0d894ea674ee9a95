// Conformance of the Parquet reader against the files other implementations wrote
// (shared/corpora/parquet-testing and parquet-extra) and the expectations shipped with them:
// the *_expect.csv files, the README notes, and the _derived_expected/*.json dumps made by
// DuckDB (and hyparquet where DuckDB could not read a file). Those dumps are evidence from
// other readers, not ground truth; where they are lenient or render values differently, the
// comparison below normalises the representation or follows the Parquet spec, and says why.

#include <simdjson.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "arcflow/columnar/row_printer.h"
#include "arcflow/columnar/value_parse.h"
#include "arcflow/io/file_system.h"
#include "arcflow/io/io_test_util.h"
#include "arcflow/parquet/bridge/parquet_reader.h"

namespace arcflow::parquet {
namespace {

namespace fs = std::filesystem;

const std::string kCorpora = std::string(ARCFLOW_SHARED_DIR) + "/corpora";
const std::string kParquetTesting = kCorpora + "/parquet-testing";

// Files whose pages carry a CRC that does not match (the README says so): with checksums
// verified they must fail; without, they read like their intact twins.
const std::set<std::string> kCorruptChecksum = {
    "parquet-testing/data/datapage_v1-corrupt-checksum.parquet",
    "parquet-testing/data/rle-dict-uncompressed-corrupt-checksum.parquet",
};

// Files in data/ that are malformed per the spec although some reader accepts them.
const std::map<std::string, std::string> kMalformed = {
    {"parquet-testing/data/nation.dict-malformed.parquet",
     "a dictionary data page is truncated; Arrow C++ and parquet-java report an error, DuckDB "
     "1.5.6 returns 25 rows anyway. The spec has no lenient reading of a short page, so arcflow "
     "fails with Corruption."},
};

// Files not read in full by this test, with the reason.
const std::map<std::string, std::string> kNotReadInFull = {
    {"parquet-testing/data/large_string_map.brotli.parquet",
     "two rows of a map whose one key is a 1 GiB string. Read in batches of one row it reads "
     "and validates (checked by hand in a Release build: 33 s, 3 GiB resident, mostly Brotli); "
     "with the default batch size the two keys exceed the 2^31-1 bytes int32 offsets can "
     "address and the read fails cleanly with Invalid. Either is too heavy for a unit test, so "
     "only the footer and the schema are checked here."},
};

// Files whose FileMetaData.num_rows disagrees with their row groups; rows are read from the
// row groups, as every reader does.
const std::map<std::string, std::string> kWrongFileRowCount = {
    {"parquet-testing/data/repeated_no_annotation.parquet",
     "parquet-rs 0.3.0 wrote num_rows = 0 in the footer while its one row group holds 6 rows "
     "(DuckDB also reads 6)"},
};

// Files in bad_data/ that are valid per the spec and therefore read.
const std::map<std::string, std::string> kBadDataThatIsValid = {
    {"parquet-testing/bad_data/ARROW-GH-43605.parquet",
     "dictionary indices encoded with bit width 0: the RLE/bit-packing hybrid defines width 0 "
     "as all indices 0, which is a valid (if unusual) encoding; Arrow C++ fixed its reader to "
     "accept it and DuckDB and hyparquet read it too."},
};

std::string RelativeName(const fs::path& path) {
  return fs::relative(path, kCorpora).generic_string();
}

std::vector<std::string> CorpusFiles() {
  std::vector<std::string> files;
  for (const std::string& root : {kParquetTesting + "/data", kCorpora + "/parquet-extra"}) {
    if (!fs::exists(root)) continue;
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
      if (!entry.is_regular_file()) continue;
      const std::string name = entry.path().filename().string();
      const bool parquet = name.ends_with(".parquet") || name.ends_with(".parquet.encrypted");
      if (parquet && entry.path().generic_string().find("_derived_expected") == std::string::npos) {
        files.push_back(RelativeName(entry.path()));
      }
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<std::string> BadDataFiles() {
  std::vector<std::string> files;
  const std::string root = kParquetTesting + "/bad_data";
  if (!fs::exists(root)) return files;
  for (const auto& entry : fs::directory_iterator(root)) {
    if (entry.path().extension() == ".parquet") files.push_back(RelativeName(entry.path()));
  }
  std::sort(files.begin(), files.end());
  return files;
}

struct ReadResult {
  Status status;
  SchemaPtr schema;
  std::vector<RecordBatchPtr> batches;
  int64_t footer_rows = 0;
  int64_t rows = 0;
};

// Reads the whole file through the batch reader, validating every batch.
ReadResult ReadAll(const std::string& path, ParquetReadOptions options = {}) {
  ReadResult result;
  auto reader = ParquetFileReader::Open(io::LocalFileSystem(), path, options);
  if (!reader.ok()) {
    result.status = reader.status();
    return result;
  }
  result.schema = (*reader)->schema();
  result.footer_rows = (*reader)->num_rows();
  auto batches = (*reader)->GetRecordBatchReader();
  if (!batches.ok()) {
    result.status = batches.status();
    return result;
  }
  while (true) {
    auto batch = (*batches)->Next();
    if (!batch.ok()) {
      result.status = batch.status();
      return result;
    }
    if (*batch == nullptr) break;
    Status valid = (*batch)->Validate();
    if (!valid.ok()) {
      result.status = Status::Internal("batch does not validate: {}", valid.ToString());
      return result;
    }
    result.rows += (*batch)->num_rows();
    result.batches.push_back(std::move(*batch));
  }
  return result;
}

std::vector<std::string> CanonicalRows(const ReadResult& result) {
  std::vector<std::string> rows;
  for (const auto& batch : result.batches) AppendCanonicalRows(*batch, &rows);
  return rows;
}

std::string Base64Decode(std::string_view text) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    const int v = value(c);
    if (v < 0) break;
    buffer = (buffer << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xff));
    }
  }
  return out;
}

// DuckDB prints BLOBs with printable ASCII as is and every other byte as \xHH.
std::string DecodeDuckDbBlob(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 3 < text.size() + 0 && text[i + 1] == 'x') {
      out.push_back(static_cast<char>(std::stoi(std::string(text.substr(i + 2, 2)), nullptr, 16)));
      i += 3;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

// A JSON scalar as text: strings unquoted, numbers as written.
std::string ScalarText(simdjson::dom::element value) {
  switch (value.type()) {
    case simdjson::dom::element_type::STRING:
      return std::string(std::string_view(value));
    case simdjson::dom::element_type::INT64:
      return std::to_string(int64_t(value));
    case simdjson::dom::element_type::UINT64:
      return std::to_string(uint64_t(value));
    case simdjson::dom::element_type::DOUBLE:
      return fmt::format("{}", double(value));
    case simdjson::dom::element_type::BOOL:
      return bool(value) ? "true" : "false";
    default:
      return simdjson::to_string(value);
  }
}

std::optional<double> AsDouble(simdjson::dom::element value) {
  if (value.is_number()) return double(value);
  if (!value.is_string()) return std::nullopt;
  std::string text{std::string_view(value)};
  std::transform(text.begin(), text.end(), text.begin(), ::tolower);
  if (text == "nan" || text == "-nan") return std::nan("");
  if (text == "inf" || text == "infinity") return INFINITY;
  if (text == "-inf" || text == "-infinity") return -INFINITY;
  return ParseDouble(text);
}

// Compares our canonical JSON value of `type` with another reader's rendering of it.
bool Equivalent(const DataType& type, simdjson::dom::element ours, simdjson::dom::element theirs,
                bool top_level, std::string* why) {
  auto fail = [&](std::string_view what) {
    *why = fmt::format("{}: ours {} theirs {}", what, simdjson::to_string(ours),
                       simdjson::to_string(theirs));
    return false;
  };
  if (ours.is_null() || theirs.is_null()) {
    if (ours.is_null() && theirs.is_null()) return true;
    // DuckDB renders NaN inside nested values as null (its dump's note says so).
    if (!top_level && type.is_floating() && theirs.is_null()) {
      auto value = AsDouble(ours);
      if (value && std::isnan(*value)) return true;
    }
    return fail("null mismatch");
  }
  switch (type.id()) {
    case TypeId::kBoolean:
      if (!theirs.is_bool() || bool(theirs) != bool(ours)) return fail("boolean");
      return true;
    case TypeId::kInt8:
    case TypeId::kInt16:
    case TypeId::kInt32:
    case TypeId::kInt64: {
      auto theirs_value = ParseInt64(ScalarText(theirs));
      if (!theirs_value || *theirs_value != int64_t(ours)) return fail("integer");
      return true;
    }
    case TypeId::kFloat32:
    case TypeId::kFloat64: {
      auto a = AsDouble(ours);
      auto b = AsDouble(theirs);
      if (!a || !b) return fail("float text");
      if (std::isnan(*a) || std::isnan(*b))
        return std::isnan(*a) && std::isnan(*b) ? true : fail("NaN");
      if (type.id() == TypeId::kFloat32) {
        if (static_cast<float>(*a) != static_cast<float>(*b)) return fail("float");
      } else if (*a != *b && std::fabs(*a - *b) > 1e-15 * std::max(std::fabs(*a), std::fabs(*b))) {
        return fail("double");
      }
      return true;
    }
    case TypeId::kDecimal128: {
      auto a = ParseDecimal(std::string_view(ours), type.precision(), type.scale());
      auto b = ParseDecimal(ScalarText(theirs), type.precision(), type.scale());
      if (!a || !b || *a != *b) return fail("decimal");
      return true;
    }
    case TypeId::kString:
      if (ScalarText(theirs) != std::string_view(ours)) return fail("string");
      return true;
    case TypeId::kBinary:
      if (DecodeDuckDbBlob(ScalarText(theirs)) != Base64Decode(std::string_view(ours))) {
        return fail("binary");
      }
      return true;
    case TypeId::kDate32:
      if (ScalarText(theirs) != std::string_view(ours)) return fail("date");
      return true;
    case TypeId::kTimestamp: {
      // DuckDB prints "2009-03-01 00:00:00" (and "+00" for TIMESTAMP WITH TIME ZONE); both
      // name the same instant as our "2009-03-01T00:00:00.000000Z".
      auto a = ParseTimestamp(std::string_view(ours), /*utc_adjusted=*/true);
      auto b = ParseTimestamp(ScalarText(theirs), /*utc_adjusted=*/true);
      if (!a || !b || *a != *b) return fail("timestamp");
      return true;
    }
    case TypeId::kList: {
      if (!theirs.is_array()) return fail("list shape");
      simdjson::dom::array a = ours;
      simdjson::dom::array b = theirs;
      if (a.size() != b.size()) return fail("list length");
      auto it = b.begin();
      for (simdjson::dom::element element : a) {
        if (!Equivalent(*type.element_field().type, element, *it, false, why)) return false;
        ++it;
      }
      return true;
    }
    case TypeId::kStruct: {
      if (!theirs.is_object()) return fail("struct shape");
      for (const Field& field : type.fields()) {
        simdjson::dom::element a = ours[field.name];
        simdjson::dom::element b;
        if (theirs[field.name].get(b) != simdjson::SUCCESS) return fail("missing struct field");
        if (!Equivalent(*field.type, a, b, false, why)) return false;
      }
      return true;
    }
    case TypeId::kMap: {
      simdjson::dom::array a = ours;
      if (theirs.is_array()) {
        simdjson::dom::array b = theirs;
        if (a.size() != b.size()) return fail("map size");
        auto it = b.begin();
        for (simdjson::dom::element entry : a) {
          simdjson::dom::element other = *it;
          if (!Equivalent(*type.key_field().type, entry["key"], other["key"], false, why) ||
              !Equivalent(*type.value_field().type, entry["value"], other["value"], false, why)) {
            return false;
          }
          ++it;
        }
        return true;
      }
      if (theirs.is_object()) {
        // hyparquet renders a map as a JSON object keyed by the key's text.
        simdjson::dom::object b = theirs;
        if (a.size() != b.size()) return fail("map size");
        auto it = b.begin();
        for (simdjson::dom::element entry : a) {
          if (ScalarText(entry["key"]) != std::string((*it).key)) return fail("map key");
          if (!Equivalent(*type.value_field().type, entry["value"], (*it).value, false, why)) {
            return false;
          }
          ++it;
        }
        return true;
      }
      return fail("map shape");
    }
  }
  return fail("unhandled type");
}

// Columns of a dump that cannot be compared value by value, with the reason.
std::string UncomparableColumn(const std::string& file, const std::string& column,
                               std::string_view their_type) {
  if (their_type.starts_with("GEOMETRY")) {
    return "DuckDB decodes GEOMETRY/GEOGRAPHY WKB into its own geometry type and prints WKT; "
           "arcflow reads the WKB bytes as binary (the files' own wkt column is compared)";
  }
  if (file.ends_with("map_no_value.parquet") && column == "my_map_no_v") {
    return "hyparquet shows a MAP without values as a struct of key_value entries; arcflow reads "
           "it as the list of keys (checked against map_no_value.md in MapNoValueMatchesReadme)";
  }
  return "";
}

struct Expectation {
  std::string source;
  simdjson::dom::element root;
};

// The dump with rows for `file`: DuckDB's, or hyparquet's when DuckDB could not read the file.
std::optional<Expectation> LoadExpectation(simdjson::dom::parser& duck_parser,
                                           simdjson::dom::parser& hyparquet_parser,
                                           const std::string& file) {
  std::string base;
  std::string relative;
  if (file.starts_with("parquet-testing/")) {
    base = kParquetTesting + "/_derived_expected/";
    relative = file.substr(std::string("parquet-testing/").size());
  } else {
    base = kCorpora + "/parquet-extra/_derived_expected/";
    relative = file.substr(std::string("parquet-extra/").size());
  }
  simdjson::dom::element duck;
  const bool have_duck = fs::exists(base + relative + ".json") &&
                         duck_parser.load(base + relative + ".json").get(duck) == simdjson::SUCCESS;
  auto has_rows = [](simdjson::dom::element root) {
    simdjson::dom::array rows;
    return root["rows"].get(rows) == simdjson::SUCCESS;
  };
  if (have_duck && has_rows(duck)) return Expectation{"duckdb", duck};
  simdjson::dom::element hyparquet;
  if (fs::exists(base + relative + ".hyparquet.json") &&
      hyparquet_parser.load(base + relative + ".hyparquet.json").get(hyparquet) ==
          simdjson::SUCCESS &&
      has_rows(hyparquet)) {
    return Expectation{"hyparquet", hyparquet};
  }
  if (have_duck) return Expectation{"duckdb", duck};
  return std::nullopt;
}

void CompareWithDump(const std::string& file, const ReadResult& result) {
  simdjson::dom::parser duck_parser;
  simdjson::dom::parser hyparquet_parser;
  auto expectation = LoadExpectation(duck_parser, hyparquet_parser, file);
  if (!expectation) {
    ADD_FAILURE() << file << ": no derived expectation found";
    return;
  }
  simdjson::dom::element root = expectation->root;
  int64_t row_count = 0;
  if (root["row_count"].get(row_count) == simdjson::SUCCESS) {
    EXPECT_EQ(result.rows, row_count) << file << " (" << expectation->source << ")";
  }
  // Column names, from DuckDB's "name: TYPE" list.
  std::map<std::string, std::string> their_types;
  simdjson::dom::array columns;
  if (root["duckdb_columns"].get(columns) == simdjson::SUCCESS) {
    std::vector<std::string> names;
    for (simdjson::dom::element column : columns) {
      std::string text{std::string_view(column)};
      const size_t colon = text.find(": ");
      names.push_back(text.substr(0, colon));
      their_types[names.back()] = text.substr(colon + 2);
    }
    std::vector<std::string> ours;
    for (const Field& field : result.schema->fields()) ours.push_back(field.name);
    EXPECT_EQ(ours, names) << file;
  }
  simdjson::dom::array rows;
  if (root["rows"].get(rows) != simdjson::SUCCESS) return;
  std::vector<std::string> our_rows = CanonicalRows(result);
  simdjson::dom::parser row_parser;
  size_t index = 0;
  int mismatches = 0;
  for (simdjson::dom::element theirs : rows) {
    if (index >= our_rows.size()) {
      ADD_FAILURE() << file << ": dump has more rows than we read";
      return;
    }
    simdjson::dom::element ours;
    ASSERT_EQ(row_parser.parse(our_rows[index]).get(ours), simdjson::SUCCESS) << our_rows[index];
    for (const Field& field : result.schema->fields()) {
      if (!UncomparableColumn(file, field.name, their_types[field.name]).empty()) continue;
      simdjson::dom::element their_value;
      if (theirs[field.name].get(their_value) != simdjson::SUCCESS) {
        ADD_FAILURE() << file << ": row " << index << " lacks column " << field.name;
        continue;
      }
      std::string why;
      if (!Equivalent(*field.type, ours[field.name], their_value, true, &why)) {
        if (++mismatches <= 5) {
          ADD_FAILURE() << file << ": row " << index << " column " << field.name << ": " << why;
        }
      }
    }
    ++index;
  }
  // Per-column non-null counts, where the dump has them (DuckDB's column_stats).
  simdjson::dom::array stats;
  if (root["column_stats"].get(stats) == simdjson::SUCCESS) {
    for (simdjson::dom::element stat : stats) {
      std::string name{std::string_view(stat["column"])};
      int64_t non_null = 0;
      if (stat["non_null"].get(non_null) != simdjson::SUCCESS) continue;
      const int field = result.schema->GetFieldIndex(name);
      if (field < 0) continue;
      int64_t ours = 0;
      for (const auto& batch : result.batches) {
        ours += batch->num_rows() - batch->column(field)->null_count();
      }
      EXPECT_EQ(ours, non_null) << file << " column " << name;
    }
  }
}

// Parses RFC 4180-style CSV as the *_expect.csv files use it: quoted or bare fields, an empty
// bare field is null.
std::vector<std::vector<std::optional<std::string>>> ReadCsv(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();
  std::vector<std::vector<std::optional<std::string>>> rows;
  std::vector<std::optional<std::string>> row;
  size_t i = 0;
  while (i < text.size()) {
    std::optional<std::string> field;
    if (text[i] == '"') {
      std::string value;
      ++i;
      while (i < text.size()) {
        if (text[i] == '"' && i + 1 < text.size() && text[i + 1] == '"') {
          value.push_back('"');
          i += 2;
        } else if (text[i] == '"') {
          ++i;
          break;
        } else {
          value.push_back(text[i++]);
        }
      }
      field = value;
    } else {
      std::string value;
      while (i < text.size() && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
        value.push_back(text[i++]);
      }
      if (!value.empty()) field = value;
    }
    row.push_back(field);
    if (i < text.size() && text[i] == ',') {
      ++i;
      continue;
    }
    while (i < text.size() && (text[i] == '\r' || text[i] == '\n')) ++i;
    rows.push_back(std::move(row));
    row.clear();
  }
  if (!row.empty()) rows.push_back(std::move(row));
  return rows;
}

void CompareWithExpectCsv(const std::string& file, const ReadResult& result) {
  std::string csv = kCorpora + "/" + file;
  csv = csv.substr(0, csv.size() - std::string(".parquet").size()) + "_expect.csv";
  if (!fs::exists(csv)) return;
  auto rows = ReadCsv(csv);
  ASSERT_FALSE(rows.empty());
  const size_t columns = rows[0].size();  // Header; its names are not all exact (" c_customer_id").
  ASSERT_EQ(static_cast<int>(columns), result.schema->num_fields()) << file;
  ASSERT_EQ(static_cast<int64_t>(rows.size()) - 1, result.rows) << file;
  int64_t row_index = 0;
  int mismatches = 0;
  for (const auto& batch : result.batches) {
    for (int64_t row = 0; row < batch->num_rows(); ++row, ++row_index) {
      const auto& expected = rows[static_cast<size_t>(row_index) + 1];
      ASSERT_EQ(expected.size(), columns);
      for (size_t column = 0; column < columns; ++column) {
        const Array& array = *batch->column(static_cast<int>(column));
        std::optional<std::string> ours;
        if (!array.IsNull(row)) {
          std::string cell;
          AppendCellText(array, row, &cell);
          ours = cell;
        }
        if (ours != expected[column] && ++mismatches <= 5) {
          ADD_FAILURE() << file << " row " << row_index << " column " << column << ": ours "
                        << ours.value_or("null") << " expected "
                        << expected[column].value_or("null");
        }
      }
    }
  }
}

class CorpusFileTest : public ::testing::TestWithParam<std::string> {};

TEST_P(CorpusFileTest, ReadsAsExpected) {
  const std::string& file = GetParam();
  const std::string path = kCorpora + "/" + file;
  if (file.ends_with(".encrypted")) {
    ReadResult result = ReadAll(path);
    EXPECT_TRUE(result.status.IsNotImplemented()) << file << ": " << result.status.ToString();
    return;
  }
  if (auto reason = kNotReadInFull.find(file); reason != kNotReadInFull.end()) {
    auto reader = ParquetFileReader::Open(io::LocalFileSystem(), path);
    ASSERT_TRUE(reader.ok()) << reader.status().ToString();
    EXPECT_GT((*reader)->num_rows(), 0);
    std::cout << "not read in full: " << file << ": " << reason->second << "\n";
    return;
  }
  if (auto reason = kMalformed.find(file); reason != kMalformed.end()) {
    ReadResult result = ReadAll(path);
    EXPECT_FALSE(result.status.ok()) << file << ": " << reason->second;
    EXPECT_TRUE(result.status.IsCorruption()) << result.status.ToString();
    return;
  }
  if (kCorruptChecksum.count(file) > 0) {
    ReadResult verified = ReadAll(path);
    EXPECT_TRUE(verified.status.IsCorruption()) << verified.status.ToString();
    EXPECT_NE(verified.status.message().find("checksum"), std::string::npos);
    ParquetReadOptions options;
    options.verify_checksums = false;
    ReadResult unverified = ReadAll(path, options);
    ASSERT_TRUE(unverified.status.ok()) << unverified.status.ToString();
    CompareWithDump(file, unverified);
    return;
  }
  ReadResult result = ReadAll(path);
  ASSERT_TRUE(result.status.ok()) << file << ": " << result.status.ToString();
  if (auto reason = kWrongFileRowCount.find(file); reason != kWrongFileRowCount.end()) {
    std::cout << file << ": " << reason->second << "\n";
  } else {
    EXPECT_EQ(result.rows, result.footer_rows) << file;
  }
  CompareWithDump(file, result);
  CompareWithExpectCsv(file, result);

  // Row groups read one by one give the same rows as the stream.
  auto reader = ParquetFileReader::Open(io::LocalFileSystem(), path);
  ASSERT_TRUE(reader.ok());
  int64_t rows = 0;
  for (int i = 0; i < (*reader)->num_row_groups(); ++i) {
    auto batch = (*reader)->ReadRowGroup(i);
    ASSERT_TRUE(batch.ok()) << batch.status().ToString();
    ASSERT_TRUE((*batch)->Validate().ok());
    rows += (*batch)->num_rows();
  }
  EXPECT_EQ(rows, result.rows);
}

INSTANTIATE_TEST_SUITE_P(ParquetTesting, CorpusFileTest, ::testing::ValuesIn(CorpusFiles()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string name = info.param;
                           for (char& c : name) {
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return name;
                         });

class BadDataTest : public ::testing::TestWithParam<std::string> {};

TEST_P(BadDataTest, FailsCleanlyOrReadsWhenValid) {
  const std::string& file = GetParam();
  ReadResult result = ReadAll(kCorpora + "/" + file);
  if (auto reason = kBadDataThatIsValid.find(file); reason != kBadDataThatIsValid.end()) {
    ASSERT_TRUE(result.status.ok()) << file << ": " << result.status.ToString();
    EXPECT_EQ(result.rows, result.footer_rows);
    CompareWithDump(file, result);
    return;
  }
  EXPECT_FALSE(result.status.ok()) << file << " read " << result.rows << " rows";
  EXPECT_FALSE(result.status.IsInternal()) << result.status.ToString();
  std::cout << file << ": " << result.status.ToString() << "\n";
}

INSTANTIATE_TEST_SUITE_P(ParquetTesting, BadDataTest, ::testing::ValuesIn(BadDataFiles()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string name = fs::path(info.param).stem().string();
                           for (char& c : name) {
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return name;
                         });

TEST(ConformanceTest, CorpusIsPresent) {
  EXPECT_GT(CorpusFiles().size(), 80u);
  EXPECT_EQ(BadDataFiles().size(), 8u);
}

// map_no_value.md: my_map holds {1→null, 2→null, 3→null}, ...; my_map_no_v and my_list both
// hold [1,2,3], [4,5,6], [7,8,9].
TEST(ConformanceTest, MapNoValueMatchesReadme) {
  ReadResult result = ReadAll(kParquetTesting + "/data/map_no_value.parquet");
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  EXPECT_EQ(
      result.schema->ToString(),
      "my_map map<int,int> not null, my_map_no_v array<int> not null, my_list array<int> not null");
  std::vector<std::string> expected = {
      R"({"my_map":[{"key":1,"value":null},{"key":2,"value":null},{"key":3,"value":null}],)"
      R"("my_map_no_v":[1,2,3],"my_list":[1,2,3]})",
      R"({"my_map":[{"key":4,"value":null},{"key":5,"value":null},{"key":6,"value":null}],)"
      R"("my_map_no_v":[4,5,6],"my_list":[4,5,6]})",
      R"({"my_map":[{"key":7,"value":null},{"key":8,"value":null},{"key":9,"value":null}],)"
      R"("my_map_no_v":[7,8,9],"my_list":[7,8,9]})",
  };
  EXPECT_EQ(CanonicalRows(result), expected);
}

// old_list_structure.md: a legacy two-level LIST<LIST<INT32>> holding [[1, 2], [3, 4]].
TEST(ConformanceTest, OldListStructureMatchesReadme) {
  ReadResult result = ReadAll(kParquetTesting + "/data/old_list_structure.parquet");
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  EXPECT_EQ(result.schema->ToString(), "a array<array<int>> not null");
  EXPECT_EQ(CanonicalRows(result), std::vector<std::string>{R"({"a":[[1,2],[3,4]]})"});
}

// README: hadoop_lz4_compressed, non_hadoop_lz4_compressed and lz4_raw_compressed hold the same
// four rows.
TEST(ConformanceTest, Lz4VariantsAgree) {
  std::vector<std::string> first;
  for (const char* name :
       {"hadoop_lz4_compressed", "non_hadoop_lz4_compressed", "lz4_raw_compressed"}) {
    ReadResult result = ReadAll(kParquetTesting + "/data/" + name + ".parquet");
    ASSERT_TRUE(result.status.ok()) << name << ": " << result.status.ToString();
    auto rows = CanonicalRows(result);
    ASSERT_EQ(rows.size(), 4u);
    if (first.empty()) {
      first = rows;
    } else {
      EXPECT_EQ(rows, first) << name;
    }
  }
  EXPECT_EQ(first[0], R"({"c0":1593604800,"c1":"YWJj","v11":42})");
}

// alltypes_tiny_pages (dictionary) and alltypes_tiny_pages_plain hold the same 7300 rows, and
// the v1 checksum files hold the same rows compressed and not.
TEST(ConformanceTest, TwinFilesAgree) {
  const std::vector<std::pair<std::string, std::string>> twins = {
      {"alltypes_tiny_pages.parquet", "alltypes_tiny_pages_plain.parquet"},
      {"datapage_v1-uncompressed-checksum.parquet",
       "datapage_v1-snappy-compressed-checksum.parquet"},
  };
  for (const auto& [a, b] : twins) {
    ReadResult first = ReadAll(kParquetTesting + "/data/" + a);
    ReadResult second = ReadAll(kParquetTesting + "/data/" + b);
    ASSERT_TRUE(first.status.ok()) << a << ": " << first.status.ToString();
    ASSERT_TRUE(second.status.ok()) << b << ": " << second.status.ToString();
    EXPECT_EQ(CanonicalRows(first), CanonicalRows(second)) << a << " vs " << b;
  }
}

// The 2 GiB map file: footer and schema only (see kNotReadInFull).
TEST(ConformanceTest, LargeStringMapSchema) {
  auto reader = ParquetFileReader::Open(io::LocalFileSystem(),
                                        kParquetTesting + "/data/large_string_map.brotli.parquet");
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  EXPECT_EQ((*reader)->schema()->ToString(), "arr map<string,int>");
  EXPECT_EQ((*reader)->num_rows(), 2);
}

// Random truncations and bit flips of small files never crash and never yield a batch that
// does not validate.
TEST(ConformanceTest, MutatedFilesFailCleanly) {
  const std::vector<std::string> files = {
      "alltypes_plain.parquet",         "datapage_v2.snappy.parquet",
      "nested_lists.snappy.parquet",    "nonnullable.impala.parquet",
      "list_columns.parquet",           "dict-page-offset-zero.parquet",
      "rle_boolean_encoding.parquet",   "byte_array_decimal.parquet",
      "repeated_no_annotation.parquet",
  };
  io::ScratchDirectory scratch;
  std::mt19937 random(20240611);
  int reads = 0;
  for (const std::string& name : files) {
    std::ifstream in(kParquetTesting + "/data/" + name, std::ios::binary);
    std::string original((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    ASSERT_FALSE(original.empty()) << name;
    for (int round = 0; round < 300; ++round) {
      std::string mutated = original;
      const int kind = round % 3;
      if (kind == 0) {
        mutated.resize(random() % mutated.size());
      } else {
        const int flips = 1 + static_cast<int>(random() % 4);
        for (int f = 0; f < flips; ++f) {
          // Flip inside the data pages more often than in the footer: both matter.
          const size_t position = random() % mutated.size();
          mutated[position] = static_cast<char>(mutated[position] ^ (1 << (random() % 8)));
        }
      }
      const std::string path = scratch.Join("mutated.parquet");
      {
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out.write(mutated.data(), static_cast<std::streamsize>(mutated.size()));
      }
      ReadResult result = ReadAll(path);
      ++reads;
      // A batch that fails to validate is reported as Internal by ReadAll.
      EXPECT_FALSE(result.status.IsInternal())
          << name << " round " << round << ": " << result.status.ToString();
    }
  }
  EXPECT_EQ(reads, 300 * static_cast<int>(files.size()));
}

}  // namespace
}  // namespace arcflow::parquet
