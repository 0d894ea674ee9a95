#include "arcflow/parquet/footer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

namespace arcflow::parquet {
namespace {

using Bytes = std::vector<uint8_t>;

const std::string kCorpus = ARCFLOW_SHARED_DIR "/corpora/parquet-testing";

Bytes ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot open " << path;
  return Bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

Bytes ReadDataFile(const std::string& name) { return ReadFile(kCorpus + "/data/" + name); }

Result<Footer> ParseWholeFile(const Bytes& file) {
  return ParseFooter(file, static_cast<int64_t>(file.size()));
}

Footer ParseOrDie(const std::string& name) {
  Bytes file = ReadDataFile(name);
  Result<Footer> footer = ParseWholeFile(file);
  EXPECT_TRUE(footer.ok()) << name << ": " << footer.status().ToString();
  return std::move(footer).MoveValueUnsafe();
}

// --- Facts about real files (INVENTORY.md, _derived_expected/*.json, data/README.md). ---

TEST(FooterTest, DecodesAlltypesPlain) {
  Footer footer = ParseOrDie("alltypes_plain.parquet");
  const FileMetaData& metadata = footer.metadata;
  EXPECT_EQ(metadata.version, 1);
  EXPECT_EQ(metadata.num_rows, 8);
  ASSERT_EQ(metadata.row_groups.size(), 1u);
  EXPECT_EQ(metadata.row_groups[0].num_rows, 8);
  EXPECT_EQ(metadata.created_by,
            "impala version 1.3.0-INTERNAL (build 8a48ddb1eff84592b3fc06bc6f51ec120e1fffc9)");
  EXPECT_FALSE(metadata.column_orders.has_value());
  EXPECT_EQ(metadata.schema[0].name, "schema");
  EXPECT_EQ(metadata.schema[0].num_children, 11);

  struct Column {
    std::string name;
    PhysicalType type;
  };
  std::vector<Column> expected = {{"id", PhysicalType::kInt32},
                                  {"bool_col", PhysicalType::kBoolean},
                                  {"tinyint_col", PhysicalType::kInt32},
                                  {"smallint_col", PhysicalType::kInt32},
                                  {"int_col", PhysicalType::kInt32},
                                  {"bigint_col", PhysicalType::kInt64},
                                  {"float_col", PhysicalType::kFloat},
                                  {"double_col", PhysicalType::kDouble},
                                  {"date_string_col", PhysicalType::kByteArray},
                                  {"string_col", PhysicalType::kByteArray},
                                  {"timestamp_col", PhysicalType::kInt96}};
  ASSERT_EQ(footer.schema.num_columns(), 11);
  for (int i = 0; i < 11; ++i) {
    const ColumnDescriptor& column = footer.schema.column(i);
    EXPECT_EQ(column.dotted_path, expected[i].name);
    EXPECT_EQ(column.physical_type, expected[i].type) << column.dotted_path;
    EXPECT_EQ(column.max_definition_level, 1);
    EXPECT_EQ(column.max_repetition_level, 0);
    EXPECT_EQ(*column.leaf->repetition, FieldRepetitionType::kOptional);
    const ColumnMetaData& meta = *metadata.row_groups[0].columns[i].meta_data;
    EXPECT_EQ(meta.type, expected[i].type);
    EXPECT_EQ(meta.path_in_schema, std::vector<std::string>{expected[i].name});
    EXPECT_EQ(meta.codec, CompressionCodec::kUncompressed);
    EXPECT_EQ(meta.num_values, 8);
    EXPECT_NE(std::find(meta.encodings.begin(), meta.encodings.end(), Encoding::kPlainDictionary),
              meta.encodings.end());
  }
}

TEST(FooterTest, DecodesNestedListLevels) {
  Footer footer = ParseOrDie("nested_lists.snappy.parquet");
  EXPECT_EQ(footer.metadata.num_rows, 3);
  EXPECT_EQ(footer.metadata.created_by,
            "parquet-mr version 1.8.2 (build c6522788629e590a53eb79874b95f6c3ff11f16c)");
  ASSERT_EQ(footer.schema.num_columns(), 2);
  const ColumnDescriptor& a = footer.schema.column(0);
  EXPECT_EQ(a.path, (std::vector<std::string>{"a", "list", "element", "list", "element", "list",
                                              "element"}));
  EXPECT_EQ(a.max_definition_level, 7);
  EXPECT_EQ(a.max_repetition_level, 3);
  EXPECT_EQ(a.physical_type, PhysicalType::kByteArray);
  EXPECT_EQ(a.leaf->converted_type, ConvertedType::kUtf8);
  EXPECT_EQ(a.ancestors[1].node->converted_type, ConvertedType::kList);
  EXPECT_EQ(footer.metadata.row_groups[0].columns[0].meta_data->num_values, 18);
  EXPECT_EQ(footer.metadata.row_groups[0].columns[0].meta_data->statistics->null_count, 3);
  const ColumnDescriptor& b = footer.schema.column(1);
  EXPECT_EQ(b.dotted_path, "b");
  EXPECT_EQ(b.max_definition_level, 0);
  EXPECT_EQ(b.max_repetition_level, 0);
}

TEST(FooterTest, DecodesRepeatedGroupWithoutAnnotation) {
  Footer footer = ParseOrDie("repeated_no_annotation.parquet");
  // The footer says 0 rows although the data holds 6; this layer reports what the file says.
  EXPECT_EQ(footer.metadata.num_rows, 0);
  EXPECT_EQ(footer.schema.root().name, "user");
  ASSERT_EQ(footer.schema.num_columns(), 3);
  EXPECT_EQ(footer.schema.column(0).dotted_path, "id");
  EXPECT_EQ(footer.schema.column(0).max_definition_level, 0);
  EXPECT_EQ(footer.schema.column(1).dotted_path, "phoneNumbers.phone.number");
  EXPECT_EQ(footer.schema.column(1).max_definition_level, 2);
  EXPECT_EQ(footer.schema.column(1).max_repetition_level, 1);
  EXPECT_EQ(footer.schema.column(1).physical_type, PhysicalType::kInt64);
  EXPECT_EQ(footer.schema.column(2).dotted_path, "phoneNumbers.phone.kind");
  EXPECT_EQ(footer.schema.column(2).max_definition_level, 3);
  EXPECT_EQ(footer.schema.column(2).max_repetition_level, 1);
  EXPECT_EQ(footer.metadata.row_groups[0].columns[1].meta_data->num_values, 8);
}

TEST(FooterTest, DecodesRequiredNestedImpalaSchema) {
  Footer footer = ParseOrDie("nonnullable.impala.parquet");
  EXPECT_EQ(footer.schema.root().name, "org.apache.impala.ComplexTypesTbl");
  ASSERT_EQ(footer.schema.num_columns(), 13);
  EXPECT_EQ(footer.schema.column(0).dotted_path, "ID");
  EXPECT_EQ(footer.schema.column(1).dotted_path, "Int_Array.list.element");
  EXPECT_EQ(footer.schema.column(1).max_definition_level, 1);
  EXPECT_EQ(footer.schema.column(1).max_repetition_level, 1);
  EXPECT_EQ(footer.schema.column(2).dotted_path, "int_array_array.list.element.list.element");
  EXPECT_EQ(footer.schema.column(2).max_definition_level, 2);
  EXPECT_EQ(footer.schema.column(2).max_repetition_level, 2);
  EXPECT_EQ(footer.schema.column(3).dotted_path, "Int_Map.map.key");
  EXPECT_EQ(footer.schema.column(3).ancestors[2].node->converted_type, ConvertedType::kMapKeyValue);
  EXPECT_EQ(footer.schema.column(5).dotted_path, "int_map_array.list.element.map.key");
  EXPECT_EQ(footer.schema.column(5).max_repetition_level, 2);
  EXPECT_EQ(footer.metadata.row_groups[0].columns[5].meta_data->statistics->null_count, 3);
}

TEST(FooterTest, DecodesTruncatedStatisticsFlags) {
  Footer footer = ParseOrDie("binary_truncated_min_max.parquet");
  EXPECT_EQ(footer.metadata.created_by, "parquet-rs version 55.1.0");
  struct Expected {
    std::string name;
    std::string min;
    bool min_exact;
    std::string max;
    bool max_exact;
  };
  std::vector<Expected> expected = {
      {"utf8_full_truncation", "Al", false, "Kf", false},
      {"binary_full_truncation", "Al", false, "Kf", false},
      {"utf8_partial_truncation", "Al", false, "\xF0\x9F\x9A\x80Kevin Bacon", true},
      {"binary_partial_truncation", "Al", false, "\xFF\xFF\x01\x02", true},
      {"utf8_no_truncation", "Al", true, "Ke", true},
      {"binary_no_truncation", "Al", true, "Ke", true},
  };
  ASSERT_EQ(footer.schema.num_columns(), 6);
  for (int i = 0; i < 6; ++i) {
    EXPECT_EQ(footer.schema.column(i).dotted_path, expected[i].name);
    const Statistics& statistics = *footer.metadata.row_groups[0].columns[i].meta_data->statistics;
    EXPECT_EQ(statistics.min_value, expected[i].min) << expected[i].name;
    EXPECT_EQ(statistics.max_value, expected[i].max) << expected[i].name;
    EXPECT_EQ(statistics.is_min_value_exact, expected[i].min_exact) << expected[i].name;
    EXPECT_EQ(statistics.is_max_value_exact, expected[i].max_exact) << expected[i].name;
    EXPECT_EQ(statistics.null_count, 0);
  }
  EXPECT_TRUE(footer.schema.column(0).leaf->logical_type->Is<StringType>());
  EXPECT_FALSE(footer.schema.column(1).leaf->logical_type.has_value());
}

TEST(FooterTest, DecodesColumnChunkKeyValueMetadata) {
  Footer footer = ParseOrDie("column_chunk_key_value_metadata.parquet");
  EXPECT_EQ(footer.metadata.num_rows, 0);
  ASSERT_EQ(footer.schema.num_columns(), 2);
  const ColumnMetaData& meta = *footer.metadata.row_groups[0].columns[0].meta_data;
  ASSERT_TRUE(meta.key_value_metadata.has_value());
  ASSERT_EQ(meta.key_value_metadata->size(), 2u);
  EXPECT_EQ(meta.key_value_metadata->at(0).key, "foo");
  EXPECT_EQ(meta.key_value_metadata->at(0).value, "bar");
  EXPECT_EQ(meta.key_value_metadata->at(1).key, "thisiskeywithoutvalue");
  EXPECT_FALSE(meta.key_value_metadata->at(1).value.has_value());
}

TEST(FooterTest, DecodesSortingColumnsAndColumnOrders) {
  Footer footer = ParseOrDie("sort_columns.parquet");
  EXPECT_EQ(footer.metadata.created_by, "parquet-cpp-arrow version 16.1.0");
  EXPECT_EQ(footer.metadata.version, 2);
  EXPECT_EQ(footer.metadata.num_rows, 6);
  ASSERT_EQ(footer.metadata.row_groups.size(), 2u);
  for (const RowGroup& row_group : footer.metadata.row_groups) {
    EXPECT_EQ(row_group.num_rows, 3);
    ASSERT_TRUE(row_group.sorting_columns.has_value());
    EXPECT_EQ(*row_group.sorting_columns,
              (std::vector<SortingColumn>{{0, true, true}, {1, false, false}}));
  }
  ASSERT_TRUE(footer.metadata.column_orders.has_value());
  EXPECT_EQ(*footer.metadata.column_orders,
            (std::vector<ColumnOrder>{{ColumnOrder::Kind::kTypeDefined},
                                      {ColumnOrder::Kind::kTypeDefined}}));
}

TEST(FooterTest, DecodesIeee754ColumnOrders) {
  Footer footer = ParseOrDie("floating_orders_nan_count.parquet");
  ASSERT_EQ(footer.schema.num_columns(), 6);
  ASSERT_TRUE(footer.metadata.column_orders.has_value());
  for (int i = 0; i < 6; ++i) {
    // Even columns are "*_ieee754", odd ones "*_typedef".
    ColumnOrder::Kind expected =
        i % 2 == 0 ? ColumnOrder::Kind::kIeee754TotalOrder : ColumnOrder::Kind::kTypeDefined;
    EXPECT_EQ(footer.metadata.column_orders->at(i).kind, expected)
        << footer.schema.column(i).dotted_path;
  }
  EXPECT_EQ(footer.metadata.row_groups.size(), 5u);
  EXPECT_TRUE(footer.schema.column(4).leaf->logical_type->Is<Float16Type>());
  EXPECT_EQ(footer.schema.column(4).type_length, 2);
}

TEST(FooterTest, DecodesPageIndexAndBloomFilterLocations) {
  Footer footer = ParseOrDie("data_index_bloom_encoding_stats.parquet");
  EXPECT_EQ(footer.metadata.num_rows, 14);
  const ColumnChunk& chunk = footer.metadata.row_groups[0].columns[0];
  const ColumnMetaData& meta = *chunk.meta_data;
  EXPECT_EQ(meta.codec, CompressionCodec::kGzip);
  EXPECT_TRUE(meta.bloom_filter_offset.has_value());
  EXPECT_TRUE(meta.encoding_stats.has_value());
  EXPECT_TRUE(chunk.column_index_offset.has_value());
  EXPECT_TRUE(chunk.offset_index_offset.has_value());
  EXPECT_EQ(meta.statistics->min_value, "Hello");
  EXPECT_EQ(meta.statistics->max_value, "today");
  EXPECT_EQ(meta.statistics->null_count, 0);

  Footer with_length = ParseOrDie("data_index_bloom_encoding_with_length.parquet");
  const ColumnMetaData& meta2 = *with_length.metadata.row_groups[0].columns[0].meta_data;
  EXPECT_TRUE(meta2.bloom_filter_offset.has_value());
  ASSERT_TRUE(meta2.bloom_filter_length.has_value());
  EXPECT_GT(*meta2.bloom_filter_length, 0);
}

TEST(FooterTest, DecodesLogicalTypesOfRealFiles) {
  Footer unknown = ParseOrDie("unknown-logical-type.parquet");
  ASSERT_EQ(unknown.schema.num_columns(), 2);
  EXPECT_EQ(unknown.schema.column(0).dotted_path, "column with known type");
  EXPECT_TRUE(unknown.schema.column(0).leaf->logical_type->Is<StringType>());
  EXPECT_EQ(unknown.schema.column(1).dotted_path, "column with unknown type");
  ASSERT_TRUE(unknown.schema.column(1).leaf->logical_type.has_value());
  EXPECT_FALSE(unknown.schema.column(1).leaf->logical_type->IsDefined());

  Footer decimal = ParseOrDie("int32_decimal.parquet");
  const SchemaNode& value = *decimal.schema.column(0).leaf;
  EXPECT_EQ(value.converted_type, ConvertedType::kDecimal);
  EXPECT_EQ(value.scale, 2);
  EXPECT_EQ(value.precision, 4);

  Footer fixed = ParseOrDie("fixed_length_decimal.parquet");
  EXPECT_EQ(fixed.schema.column(0).type_length, 11);
  EXPECT_EQ(fixed.schema.column(0).leaf->precision, 25);

  Footer srid = ParseOrDie("geospatial/crs-srid.parquet");
  const GeometryType* geometry = srid.schema.column(1).leaf->logical_type->As<GeometryType>();
  ASSERT_NE(geometry, nullptr);
  EXPECT_EQ(geometry->crs, "srid:5070");

  Footer geography = ParseOrDie("geospatial/crs-geography.parquet");
  const GeographyType* geo = geography.schema.column(1).leaf->logical_type->As<GeographyType>();
  ASSERT_NE(geo, nullptr);
  EXPECT_FALSE(geo->crs.has_value());
  EXPECT_FALSE(geo->algorithm.has_value());
}

// --- Every file in the corpus. ---

bool EndsWith(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

TEST(FooterTest, DecodesEveryFileUnderData) {
  int decoded = 0;
  int encrypted = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(kCorpus + "/data")) {
    std::string path = entry.path().string();
    if (!entry.is_regular_file()) continue;
    Bytes file = ReadFile(path);
    Result<Footer> footer = ParseWholeFile(file);
    if (EndsWith(path, ".parquet")) {
      EXPECT_TRUE(footer.ok()) << path << ": " << footer.status().ToString();
      if (!footer.ok()) continue;
      ++decoded;
      // Decoding the last 64 KiB works as well as decoding the whole file.
      std::span<const uint8_t> tail =
          std::span<const uint8_t>(file).last(static_cast<size_t>(FooterReadSize(file.size())));
      Result<int64_t> more = AdditionalFooterBytes(tail, static_cast<int64_t>(file.size()));
      ASSERT_TRUE(more.ok()) << path;
      if (*more == 0) {
        Result<Footer> from_tail = ParseFooter(tail, static_cast<int64_t>(file.size()));
        ASSERT_TRUE(from_tail.ok()) << path << ": " << from_tail.status().ToString();
        EXPECT_EQ(from_tail->metadata, footer->metadata) << path;
      }
    } else if (EndsWith(path, ".parquet.encrypted")) {
      ++encrypted;
      EXPECT_TRUE(footer.status().IsNotImplemented()) << path << ": " << footer.status().ToString();
    } else {
      // READMEs, CSVs, bloom filter bitsets: not Parquet, and must say so without crashing.
      EXPECT_FALSE(footer.ok()) << path;
    }
  }
  EXPECT_GE(decoded, 70);
  EXPECT_GE(encrypted, 13);
}

TEST(FooterTest, RefusesEncryptedFiles) {
  Bytes file = ReadDataFile("encrypt_columns_and_footer.parquet.encrypted");
  Result<Footer> footer = ParseWholeFile(file);
  ASSERT_TRUE(footer.status().IsNotImplemented());
  EXPECT_EQ(footer.status().message(),
            "parquet: encrypted files are not supported (file uses encrypted footer 'PARE')");

  Bytes plaintext = ReadDataFile("encrypt_columns_plaintext_footer.parquet.encrypted");
  Result<Footer> plaintext_footer = ParseWholeFile(plaintext);
  ASSERT_TRUE(plaintext_footer.status().IsNotImplemented());
  EXPECT_NE(plaintext_footer.status().message().find("plaintext footer"), std::string::npos);
  // The trailer alone already tells an encrypted footer apart.
  EXPECT_TRUE(AdditionalFooterBytes(std::span<const uint8_t>(file).last(8),
                                    static_cast<int64_t>(file.size()))
                  .status()
                  .IsNotImplemented());
}

TEST(FooterTest, BadDataFailsWithStatusOrDecodes) {
  int failed = 0;
  for (const auto& entry : std::filesystem::directory_iterator(kCorpus + "/bad_data")) {
    std::string path = entry.path().string();
    if (!EndsWith(path, ".parquet")) continue;
    Bytes file = ReadFile(path);
    Result<Footer> footer = ParseWholeFile(file);
    if (!footer.ok()) {
      ++failed;
      EXPECT_TRUE(footer.status().IsCorruption()) << path << ": " << footer.status().ToString();
    }
  }
  // These three have broken footers; the others are broken in their pages.
  EXPECT_EQ(failed, 3);
  EXPECT_TRUE(
      ParseWholeFile(ReadFile(kCorpus + "/bad_data/PARQUET-1481.parquet")).status().IsCorruption());
  EXPECT_TRUE(ParseWholeFile(ReadFile(kCorpus + "/bad_data/ARROW-GH-41317.parquet"))
                  .status()
                  .IsCorruption());
}

// --- Hostile variations of a good file. ---

TEST(FooterTest, RejectsEveryTruncatedFile) {
  Bytes file = ReadDataFile("alltypes_plain.parquet");
  for (size_t length = 0; length < file.size(); ++length) {
    Bytes prefix(file.begin(), file.begin() + length);
    Result<Footer> footer = ParseWholeFile(prefix);
    ASSERT_FALSE(footer.ok()) << length;
    EXPECT_TRUE(footer.status().IsCorruption()) << length << ": " << footer.status().ToString();
  }
}

TEST(FooterTest, RejectsEveryTruncatedFooter) {
  Bytes file = ReadDataFile("nested_lists.snappy.parquet");
  Result<FooterTrailer> trailer = ParseFooterTrailer(file, static_cast<int64_t>(file.size()));
  ASSERT_TRUE(trailer.ok());
  auto metadata_begin = file.begin() + trailer->metadata_offset;
  for (int64_t length = 1; length < trailer->metadata_length; ++length) {
    // The file as a writer that stopped `length` bytes into the footer would have written it,
    // with a trailer that matches.
    Bytes truncated(file.begin(), metadata_begin + length);
    for (int i = 0; i < 4; ++i) truncated.push_back(static_cast<uint8_t>(length >> (8 * i)));
    truncated.insert(truncated.end(), kParquetMagic.begin(), kParquetMagic.end());
    Result<Footer> footer = ParseWholeFile(truncated);
    ASSERT_FALSE(footer.ok()) << length;
    EXPECT_TRUE(footer.status().IsCorruption()) << length << ": " << footer.status().ToString();
  }
}

TEST(FooterTest, SurvivesEveryFooterLength) {
  Bytes file = ReadDataFile("alltypes_plain.parquet");
  size_t length_at = file.size() - kFooterTrailerSize;
  int accepted = 0;
  for (uint32_t length = 0; length < file.size() + 16; ++length) {
    Bytes copy = file;
    for (int i = 0; i < 4; ++i) copy[length_at + i] = static_cast<uint8_t>(length >> (8 * i));
    Result<Footer> footer = ParseWholeFile(copy);
    if (footer.ok()) ++accepted;
  }
  EXPECT_GE(accepted, 1);
}

TEST(FooterTest, SurvivesRandomBitFlips) {
  std::mt19937 random(20240601);
  int failures = 0;
  int iterations = 0;
  for (const std::string name :
       {"alltypes_plain.parquet", "nested_lists.snappy.parquet",
        "data_index_bloom_encoding_stats.parquet", "binary_truncated_min_max.parquet"}) {
    Bytes file = ReadDataFile(name);
    Result<FooterTrailer> trailer = ParseFooterTrailer(file, static_cast<int64_t>(file.size()));
    ASSERT_TRUE(trailer.ok());
    std::uniform_int_distribution<int64_t> position(trailer->metadata_offset,
                                                    static_cast<int64_t>(file.size()) - 1);
    std::uniform_int_distribution<int> bit(0, 7);
    std::uniform_int_distribution<int> flips(1, 4);
    for (int i = 0; i < 1000; ++i, ++iterations) {
      Bytes copy = file;
      int count = flips(random);
      for (int j = 0; j < count; ++j)
        copy[position(random)] ^= static_cast<uint8_t>(1 << bit(random));
      Result<Footer> footer = ParseWholeFile(copy);
      if (!footer.ok()) {
        ++failures;
        EXPECT_FALSE(footer.status().IsInternal()) << footer.status().ToString();
        continue;
      }
      // Whatever decodes is consistent: one chunk per leaf in every row group.
      for (const RowGroup& row_group : footer->metadata.row_groups) {
        EXPECT_EQ(row_group.columns.size(), static_cast<size_t>(footer->schema.num_columns()));
      }
    }
  }
  EXPECT_EQ(iterations, 4000);
  EXPECT_GT(failures, 0);
}

TEST(FooterTest, SurvivesRandomFooterBytes) {
  std::mt19937 random(7);
  std::uniform_int_distribution<int> byte(0, 255);
  std::uniform_int_distribution<int> size(1, 300);
  for (int i = 0; i < 2000; ++i) {
    Bytes file(kParquetMagic.begin(), kParquetMagic.end());
    int length = size(random);
    for (int j = 0; j < length; ++j) file.push_back(static_cast<uint8_t>(byte(random)));
    for (int j = 0; j < 4; ++j) file.push_back(static_cast<uint8_t>(length >> (8 * j)));
    file.insert(file.end(), kParquetMagic.begin(), kParquetMagic.end());
    Result<Footer> footer = ParseWholeFile(file);
    if (!footer.ok()) {
      EXPECT_FALSE(footer.status().IsInternal()) << footer.status().ToString();
    }
  }
}

// --- The tail protocol and the trailer checks. ---

TEST(FooterTest, AsksForMoreBytesWhenTheTailIsShort) {
  Bytes file = ReadDataFile("alltypes_plain.parquet");
  int64_t file_size = static_cast<int64_t>(file.size());
  Result<FooterTrailer> trailer = ParseFooterTrailer(file, file_size);
  ASSERT_TRUE(trailer.ok());
  EXPECT_EQ(trailer->metadata_offset + trailer->footer_size, file_size);

  std::span<const uint8_t> short_tail = std::span<const uint8_t>(file).last(100);
  Result<int64_t> more = AdditionalFooterBytes(short_tail, file_size);
  ASSERT_TRUE(more.ok()) << more.status().ToString();
  EXPECT_EQ(*more, trailer->footer_size - 100);
  EXPECT_TRUE(ParseFooter(short_tail, file_size).status().IsInvalid());

  std::span<const uint8_t> exact_tail =
      std::span<const uint8_t>(file).last(static_cast<size_t>(trailer->footer_size));
  EXPECT_EQ(*AdditionalFooterBytes(exact_tail, file_size), 0);
  Result<Footer> footer = ParseFooter(exact_tail, file_size);
  ASSERT_TRUE(footer.ok()) << footer.status().ToString();
  EXPECT_EQ(footer->metadata.num_rows, 8);

  EXPECT_EQ(FooterReadSize(100), 100);
  EXPECT_EQ(FooterReadSize(int64_t{1} << 40), kFooterTailSize);
}

TEST(FooterTest, ChecksMagicAndLength) {
  Bytes file = ReadDataFile("alltypes_plain.parquet");
  int64_t file_size = static_cast<int64_t>(file.size());

  Bytes bad_head = file;
  bad_head[0] = 'X';
  Result<Footer> head = ParseWholeFile(bad_head);
  ASSERT_TRUE(head.status().IsCorruption());
  EXPECT_NE(head.status().message().find("start with"), std::string::npos);
  // A tail that is not the whole file cannot see the head, so it is not checked.
  EXPECT_TRUE(
      ParseFooter(std::span<const uint8_t>(bad_head).last(file.size() - 1), file_size).ok());

  Bytes bad_tail = file;
  bad_tail.back() = 'X';
  Result<Footer> tail = ParseWholeFile(bad_tail);
  ASSERT_TRUE(tail.status().IsCorruption());
  EXPECT_NE(tail.status().message().find("50 41 52 58"), std::string::npos)
      << tail.status().ToString();

  Bytes zero_length = file;
  std::fill_n(zero_length.end() - 8, 4, 0);
  EXPECT_TRUE(ParseWholeFile(zero_length).status().IsCorruption());

  Bytes huge_length = file;
  std::fill_n(huge_length.end() - 8, 4, 0xFF);
  Result<Footer> huge = ParseWholeFile(huge_length);
  ASSERT_TRUE(huge.status().IsCorruption());
  EXPECT_NE(huge.status().message().find("4294967295"), std::string::npos);

  Bytes tiny = {'P', 'A', 'R', '1', 0, 0, 0, 0, 'P', 'A', 'R', '1'};
  EXPECT_TRUE(ParseWholeFile(tiny).status().IsCorruption());
  Bytes smaller = {'P', 'A', 'R', '1'};
  EXPECT_TRUE(ParseWholeFile(smaller).status().IsCorruption());
  EXPECT_TRUE(ParseWholeFile(Bytes{}).status().IsCorruption());

  EXPECT_TRUE(ParseFooter(file, file_size - 1).status().IsInvalid());
  EXPECT_TRUE(ParseFooter(std::span<const uint8_t>(file).last(4), file_size).status().IsInvalid());
}

// --- SerializeFooter and the consistency checks, on metadata made here. ---

// A file with two leaf columns and one row group whose chunks sit in bytes [4, 104).
FileMetaData ValidMetadata() {
  FileMetaData metadata;
  SchemaElement root;
  root.name = "schema";
  root.num_children = 2;
  metadata.schema.push_back(root);
  for (const char* name : {"a", "b"}) {
    SchemaElement leaf;
    leaf.name = name;
    leaf.type = PhysicalType::kInt64;
    leaf.repetition_type = FieldRepetitionType::kOptional;
    metadata.schema.push_back(leaf);
  }
  metadata.num_rows = 10;
  RowGroup row_group;
  for (int i = 0; i < 2; ++i) {
    ColumnMetaData meta;
    meta.type = PhysicalType::kInt64;
    meta.encodings = {Encoding::kPlain, Encoding::kRle};
    meta.path_in_schema = {i == 0 ? "a" : "b"};
    meta.codec = CompressionCodec::kSnappy;
    meta.num_values = 10;
    meta.total_uncompressed_size = 60;
    meta.total_compressed_size = 50;
    meta.data_page_offset = 4 + i * 50;
    ColumnChunk chunk;
    chunk.meta_data = meta;
    row_group.columns.push_back(chunk);
  }
  row_group.num_rows = 10;
  row_group.total_byte_size = 120;
  metadata.row_groups.push_back(row_group);
  metadata.created_by = "arcflow test";
  metadata.column_orders = std::vector<ColumnOrder>{{ColumnOrder::Kind::kTypeDefined},
                                                    {ColumnOrder::Kind::kTypeDefined}};
  return metadata;
}

Bytes FileWithFooter(const FileMetaData& metadata) {
  Bytes file(kParquetMagic.begin(), kParquetMagic.end());
  file.resize(104, 0xAB);
  Result<std::shared_ptr<Buffer>> footer = SerializeFooter(metadata);
  EXPECT_TRUE(footer.ok()) << footer.status().ToString();
  file.insert(file.end(), (*footer)->data(), (*footer)->data() + (*footer)->size());
  return file;
}

TEST(FooterTest, SerializedFooterParsesBack) {
  FileMetaData metadata = ValidMetadata();
  Result<std::shared_ptr<Buffer>> footer = SerializeFooter(metadata);
  ASSERT_TRUE(footer.ok());
  std::span<const uint8_t> bytes = (*footer)->span();
  ASSERT_GE(bytes.size(), 8u);
  EXPECT_EQ(std::string_view(reinterpret_cast<const char*>(bytes.data()) + bytes.size() - 4, 4),
            "PAR1");
  uint32_t length = bytes[bytes.size() - 8] | bytes[bytes.size() - 7] << 8 |
                    bytes[bytes.size() - 6] << 16 |
                    static_cast<uint32_t>(bytes[bytes.size() - 5]) << 24;
  EXPECT_EQ(length, bytes.size() - 8);

  Bytes file = FileWithFooter(metadata);
  Result<Footer> parsed = ParseWholeFile(file);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->metadata, metadata);
  EXPECT_EQ(parsed->trailer.metadata_offset, 104);
  EXPECT_EQ(parsed->schema.num_columns(), 2);
}

void ExpectRejected(const FileMetaData& metadata, StatusCode code, const std::string& fragment) {
  Result<Footer> footer = ParseWholeFile(FileWithFooter(metadata));
  ASSERT_FALSE(footer.ok()) << fragment;
  EXPECT_EQ(footer.status().code(), code) << footer.status().ToString();
  EXPECT_NE(footer.status().message().find(fragment), std::string::npos)
      << footer.status().ToString();
}

TEST(FooterTest, RejectsInconsistentMetadata) {
  FileMetaData metadata = ValidMetadata();
  metadata.num_rows = -1;
  ExpectRejected(metadata, StatusCode::kCorruption, "file num_rows is negative");

  metadata = ValidMetadata();
  metadata.row_groups[0].num_rows = -5;
  ExpectRejected(metadata, StatusCode::kCorruption, "num_rows is negative");

  metadata = ValidMetadata();
  metadata.row_groups[0].columns.pop_back();
  ExpectRejected(metadata, StatusCode::kCorruption, "has 1 column chunks but the schema has 2");

  metadata = ValidMetadata();
  metadata.row_groups[0].columns[1].meta_data->type = PhysicalType::kInt32;
  ExpectRejected(metadata, StatusCode::kCorruption, "type INT32 differs");

  metadata = ValidMetadata();
  metadata.row_groups[0].columns[1].meta_data.reset();
  ExpectRejected(metadata, StatusCode::kCorruption, "no ColumnMetaData");

  metadata = ValidMetadata();
  metadata.row_groups[0].columns[1].meta_data->total_compressed_size = 51;
  ExpectRejected(metadata, StatusCode::kCorruption, "column chunk data");

  metadata = ValidMetadata();
  metadata.row_groups[0].columns[0].meta_data->data_page_offset = -1;
  ExpectRejected(metadata, StatusCode::kCorruption, "outside");

  metadata = ValidMetadata();
  metadata.row_groups[0].columns[0].meta_data->num_values = -1;
  ExpectRejected(metadata, StatusCode::kCorruption, "num_values is negative");

  metadata = ValidMetadata();
  metadata.row_groups[0].columns[0].column_index_offset = 100;
  metadata.row_groups[0].columns[0].column_index_length = 5;
  ExpectRejected(metadata, StatusCode::kCorruption, "column index");

  metadata = ValidMetadata();
  metadata.row_groups[0].columns[0].meta_data->bloom_filter_offset = int64_t{1} << 60;
  ExpectRejected(metadata, StatusCode::kCorruption, "bloom filter");

  metadata = ValidMetadata();
  metadata.column_orders->pop_back();
  ExpectRejected(metadata, StatusCode::kCorruption, "1 column orders for 2 leaf columns");

  metadata = ValidMetadata();
  metadata.schema[0].num_children = 3;
  ExpectRejected(metadata, StatusCode::kCorruption, "footer schema");

  metadata = ValidMetadata();
  EncryptionAlgorithm algorithm;
  algorithm.kind = EncryptionAlgorithm::Kind::kAesGcmV1;
  metadata.encryption_algorithm = algorithm;
  ExpectRejected(metadata, StatusCode::kNotImplemented, "encrypted files are not supported");

  metadata = ValidMetadata();
  metadata.row_groups[0].columns[0].encrypted_column_metadata = "secret";
  ExpectRejected(metadata, StatusCode::kNotImplemented, "column chunk is encrypted");
}

TEST(FooterTest, AcceptsLegacyQuirks) {
  FileMetaData metadata = ValidMetadata();
  // Old parquet-mr wrote dictionary_page_offset 0 for chunks without a dictionary.
  metadata.row_groups[0].columns[1].meta_data->dictionary_page_offset = 0;
  // A summary file's chunk lives in another file, so its offsets are not checked here.
  metadata.row_groups[0].columns[0].file_path = "other.parquet";
  metadata.row_groups[0].columns[0].meta_data->data_page_offset = int64_t{1} << 40;
  Result<Footer> footer = ParseWholeFile(FileWithFooter(metadata));
  EXPECT_TRUE(footer.ok()) << footer.status().ToString();
}

}  // namespace
}  // namespace arcflow::parquet
