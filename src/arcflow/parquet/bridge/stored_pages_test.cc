#include "arcflow/parquet/bridge/stored_pages.h"

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "arcflow/base/thread_pool.h"
#include "arcflow/columnar/builder.h"
#include "arcflow/columnar/random_batch_generator.h"
#include "arcflow/columnar/random_schema_generator.h"
#include "arcflow/columnar/row_printer.h"
#include "arcflow/io/io_test_util.h"
#include "arcflow/parquet/bridge/parquet_reader.h"
#include "arcflow/parquet/bridge/parquet_writer.h"

namespace arcflow::parquet {
namespace {

// Orders-like rows: a unique id (PLAIN pages), a low-cardinality string with nulls and a
// small-domain double (dictionary pages), an int16 (converted on write) and a boolean.
SchemaPtr OrderSchema() {
  return std::make_shared<Schema>(
      std::vector<Field>{Field("id", types::Int64(), false), Field("customer", types::String()),
                         Field("amount", types::Float64()), Field("quantity", types::Int16()),
                         Field("paid", types::Boolean())});
}

RecordBatchPtr Orders(int64_t first, int64_t rows) {
  RecordBatchBuilder builder(OrderSchema());
  auto& ids = static_cast<Int64Builder&>(*builder.column_builder(0));
  auto& customers = static_cast<StringBuilder&>(*builder.column_builder(1));
  auto& amounts = static_cast<Float64Builder&>(*builder.column_builder(2));
  auto& quantities = static_cast<Int16Builder&>(*builder.column_builder(3));
  auto& paid = static_cast<BooleanBuilder&>(*builder.column_builder(4));
  for (int64_t i = first; i < first + rows; ++i) {
    ids.Append(i);
    if (i % 11 == 4) {
      customers.AppendNull();
    } else {
      customers.Append("customer-" + std::to_string(i % 97));
    }
    if (i % 13 == 5) {
      amounts.AppendNull();
    } else {
      amounts.Append(static_cast<double>(i % 50) / 4.0 - 3.0);
    }
    quantities.Append(static_cast<int16_t>(i % 17 - 8));
    paid.Append(i % 3 == 0);
  }
  return *builder.Finish();
}

class StoredPagesTest : public ::testing::Test {
 protected:
  std::shared_ptr<io::FileSystem> fs_ = io::LocalFileSystem();
  io::ScratchDirectory directory_;

  std::string Path(const std::string& name) { return directory_.Join(name); }

  // Writes `batches` to `name`, closing a row group after each.
  void WriteFile(const std::string& name, const std::vector<RecordBatchPtr>& batches,
                 const ParquetWriteOptions& options) {
    auto file = fs_->OpenWritable(Path(name));
    ASSERT_TRUE(file.ok());
    auto writer = ParquetFileWriter::Open(std::move(*file), batches[0]->schema(), options);
    ASSERT_TRUE(writer.ok()) << writer.status().ToString();
    for (const RecordBatchPtr& batch : batches) {
      ASSERT_TRUE((*writer)->Write(*batch).ok());
      ASSERT_TRUE((*writer)->FlushRowGroup().ok());
    }
    ASSERT_TRUE((*writer)->Close().ok());
  }

  std::vector<std::string> Rows(const std::string& name) {
    auto reader = ParquetFileReader::Open(fs_, Path(name));
    EXPECT_TRUE(reader.ok()) << reader.status().ToString();
    std::vector<std::string> rows;
    if (!reader.ok()) return rows;
    auto batches = (*reader)->GetRecordBatchReader();
    while (true) {
      auto batch = (*batches)->Next();
      EXPECT_TRUE(batch.ok());
      if (!batch.ok() || *batch == nullptr) break;
      AppendCanonicalRows(**batch, &rows);
    }
    return rows;
  }

  struct Rewrite {
    std::vector<std::string> expected_rows;
    std::vector<Statistics> statistics;
    int64_t pages_copied = 0;
  };

  // Rewrites `source` to `target`: the rows `keep` flags, read back in batches of
  // `batch_rows`, then `appended`.
  Rewrite RewriteFile(const std::string& source, const std::string& target,
                      const std::vector<uint8_t>& keep, const RecordBatchPtr& appended,
                      const ParquetWriteOptions& options, int64_t batch_rows) {
    Rewrite rewrite;
    ParquetReadOptions read_options;
    read_options.batch_rows = batch_rows;
    auto reader = ParquetFileReader::Open(fs_, Path(source), read_options);
    EXPECT_TRUE(reader.ok()) << reader.status().ToString();
    if (!reader.ok()) return rewrite;
    std::shared_ptr<const ParquetFileReader> shared = std::move(*reader);
    auto read = StoredPages::Read(shared);
    EXPECT_TRUE(read.ok()) << read.status().ToString();
    if (!read.ok()) return rewrite;
    const std::shared_ptr<const StoredPages> pages = std::move(*read);
    auto file = fs_->OpenWritable(Path(target));
    EXPECT_TRUE(file.ok());
    auto writer = ParquetFileWriter::Open(std::move(*file), shared->schema(), options);
    EXPECT_TRUE(writer.ok()) << writer.status().ToString();
    EXPECT_TRUE((*writer)->can_write_kept_rows());
    auto batches = shared->GetRecordBatchReader();
    int64_t row = 0;
    while (true) {
      auto batch = (*batches)->Next();
      EXPECT_TRUE(batch.ok());
      if (!batch.ok() || *batch == nullptr) break;
      Status written = (*writer)->WriteKeptRows(**batch, row, keep, pages);
      EXPECT_TRUE(written.ok()) << written.ToString();
      std::vector<std::string> rows;
      AppendCanonicalRows(**batch, &rows);
      for (size_t i = 0; i < rows.size(); ++i) {
        if (keep[static_cast<size_t>(row) + i] != 0) rewrite.expected_rows.push_back(rows[i]);
      }
      row += (*batch)->num_rows();
    }
    EXPECT_FALSE((*writer)->in_stored_page());
    if (appended != nullptr) {
      EXPECT_TRUE((*writer)->Write(*appended).ok());
      AppendCanonicalRows(*appended, &rewrite.expected_rows);
    }
    EXPECT_TRUE((*writer)->Close().ok());
    rewrite.statistics = (*writer)->LeafStatistics();
    rewrite.pages_copied = (*writer)->stored_pages_copied();
    return rewrite;
  }

  // The leaf statistics of a file written from `rows` with Write().
  std::vector<Statistics> StatisticsOfRows(const std::string& name, const SchemaPtr& schema,
                                           const std::vector<RecordBatchPtr>& batches,
                                           const ParquetWriteOptions& options) {
    auto file = fs_->OpenWritable(Path(name));
    auto writer = ParquetFileWriter::Open(std::move(*file), schema, options);
    for (const RecordBatchPtr& batch : batches) EXPECT_TRUE((*writer)->Write(*batch).ok());
    EXPECT_TRUE((*writer)->Close().ok());
    return (*writer)->LeafStatistics();
  }
};

// Rows [begin, end) of `batch`s rows whose flag is set, as one batch per run.
std::vector<RecordBatchPtr> KeptRuns(const RecordBatchPtr& batch, const std::vector<uint8_t>& keep,
                                     int64_t first_row) {
  std::vector<RecordBatchPtr> runs;
  for (int64_t row = 0; row < batch->num_rows();) {
    if (keep[static_cast<size_t>(first_row + row)] == 0) {
      ++row;
      continue;
    }
    int64_t end = row;
    while (end < batch->num_rows() && keep[static_cast<size_t>(first_row + end)] != 0) ++end;
    runs.push_back(batch->Slice(row, end - row));
    row = end;
  }
  return runs;
}

TEST_F(StoredPagesTest, ListsThePagesOfEveryChunkWithTheirRows) {
  ParquetWriteOptions options;
  options.page_rows = 1000;
  WriteFile("a.parquet", {Orders(0, 3000), Orders(3000, 2500)}, options);
  auto reader = ParquetFileReader::Open(fs_, Path("a.parquet"));
  ASSERT_TRUE(reader.ok());
  auto pages = StoredPages::Read(std::shared_ptr<const ParquetFileReader>(std::move(*reader)));
  ASSERT_TRUE(pages.ok()) << pages.status().ToString();
  EXPECT_EQ((*pages)->num_rows(), 5500);
  ASSERT_EQ((*pages)->num_row_groups(), 2);
  EXPECT_EQ((*pages)->RowGroupOf(2999), 0);
  EXPECT_EQ((*pages)->RowGroupOf(3000), 1);
  const int customer = (*pages)->FindLeaf(std::vector<std::string>{"customer"});
  ASSERT_GE(customer, 0);
  EXPECT_EQ((*pages)->FindLeaf(std::vector<std::string>{"nope"}), -1);
  const StoredPages::Chunk& second = (*pages)->chunk(customer, 1);
  EXPECT_EQ(second.first_row, 3000);
  ASSERT_NE(second.dictionary, nullptr);
  EXPECT_EQ(second.dictionary->size, 97);
  // The row limit cuts pages at 1000 rows exactly.
  ASSERT_EQ(second.pages.size(), 3u);
  EXPECT_EQ(second.pages[0].first_row, 3000);
  EXPECT_EQ(second.pages[1].first_row, 4000);
  EXPECT_EQ(second.pages[2].num_rows, 500);
  EXPECT_EQ(second.pages[0].stored.encoding, Encoding::kRleDictionary);
  const int id = (*pages)->FindLeaf(std::vector<std::string>{"id"});
  EXPECT_EQ((*pages)->chunk(id, 0).pages[0].stored.encoding, Encoding::kPlain);

  // Some columns only.
  reader = ParquetFileReader::Open(fs_, Path("a.parquet"));
  ASSERT_TRUE(reader.ok());
  const std::vector<std::string> columns = {"quantity", "paid"};
  auto some =
      StoredPages::Read(std::shared_ptr<const ParquetFileReader>(std::move(*reader)), columns);
  ASSERT_TRUE(some.ok()) << some.status().ToString();
  EXPECT_EQ((*some)->FindLeaf(std::vector<std::string>{"customer"}), -1);
  EXPECT_EQ((*some)->FindLeaf(std::vector<std::string>{"id"}), -1);
  const int paid = (*some)->FindLeaf(std::vector<std::string>{"paid"});
  ASSERT_GE(paid, 0);
  EXPECT_EQ((*some)->chunk(paid, 1).pages.size(), 3u);
}

TEST_F(StoredPagesTest, RewriteCopiesTheWholeKeptPagesAndKeepsTheRowsAndStatistics) {
  ParquetWriteOptions options;
  options.page_rows = 1000;
  const std::vector<RecordBatchPtr> source = {Orders(0, 3000), Orders(3000, 3000),
                                              Orders(6000, 2500)};
  WriteFile("source.parquet", source, options);
  std::vector<uint8_t> keep(8500, 1);
  for (int64_t row = 500; row < 700; ++row) keep[static_cast<size_t>(row)] = 0;
  for (int64_t row = 4000; row < 4100; row += 7) keep[static_cast<size_t>(row)] = 0;
  keep[2999] = 0;  // The last row of a row group.
  keep[6000] = 0;  // The first of one.
  const RecordBatchPtr appended = Orders(100000, 1500);
  for (const int64_t batch_rows : {int64_t{700}, int64_t{1024}, int64_t{4096}}) {
    SCOPED_TRACE("batch rows " + std::to_string(batch_rows));
    Rewrite rewrite =
        RewriteFile("source.parquet", "target.parquet", keep, appended, options, batch_rows);
    EXPECT_EQ(Rows("target.parquet"), rewrite.expected_rows);
    // Of the 9 pages of each of the 5 columns, 5 hold no removed row.
    EXPECT_EQ(rewrite.pages_copied, 5 * 5);

    // The statistics are those of the kept and appended rows, as if written anew.
    std::vector<RecordBatchPtr> rows;
    int64_t first_row = 0;
    for (const RecordBatchPtr& batch : source) {
      for (RecordBatchPtr& run : KeptRuns(batch, keep, first_row)) rows.push_back(std::move(run));
      first_row += batch->num_rows();
    }
    rows.push_back(appended);
    EXPECT_EQ(rewrite.statistics, StatisticsOfRows("plain.parquet", OrderSchema(), rows, options));

    // The copied pages are the source's, byte for byte.
    auto source_pages = StoredPages::Read(std::shared_ptr<const ParquetFileReader>(
        *ParquetFileReader::Open(fs_, Path("source.parquet"))));
    auto target_pages = StoredPages::Read(std::shared_ptr<const ParquetFileReader>(
        *ParquetFileReader::Open(fs_, Path("target.parquet"))));
    ASSERT_TRUE(source_pages.ok() && target_pages.ok());
    const int customer = (*source_pages)->FindLeaf(std::vector<std::string>{"customer"});
    const auto& last_source = (*source_pages)->chunk(customer, 2).pages.back().stored.bytes;
    const int target_customer = (*target_pages)->FindLeaf(std::vector<std::string>{"customer"});
    // The third row group of the source starts the third of the target.
    const auto& target_chunk = (*target_pages)->chunk(target_customer, 2);
    EXPECT_TRUE(std::any_of(target_chunk.pages.begin(), target_chunk.pages.end(),
                            [&](const StoredPages::Page& page) {
                              return std::equal(page.stored.bytes.begin(), page.stored.bytes.end(),
                                                last_source.begin(), last_source.end());
                            }));
  }
}

TEST_F(StoredPagesTest, ThreadsWriteTheSameRewrite) {
  ParquetWriteOptions options;
  options.page_rows = 800;
  WriteFile("source.parquet", {Orders(0, 5000)}, options);
  std::vector<uint8_t> keep(5000, 1);
  for (int64_t row = 1200; row < 5000; row += 301) keep[static_cast<size_t>(row)] = 0;
  Rewrite one = RewriteFile("source.parquet", "one.parquet", keep, Orders(9000, 10), options, 900);
  ParquetWriteOptions pooled = options;
  pooled.thread_pool = std::make_shared<ThreadPool>(3);
  Rewrite three =
      RewriteFile("source.parquet", "three.parquet", keep, Orders(9000, 10), pooled, 900);
  EXPECT_GT(one.pages_copied, 0);
  auto first = fs_->ReadFile(Path("one.parquet"));
  auto second = fs_->ReadFile(Path("three.parquet"));
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_TRUE(std::equal((*first)->span().begin(), (*first)->span().end(),
                         (*second)->span().begin(), (*second)->span().end()));
}

TEST_F(StoredPagesTest, PagesOfAnotherCodecOrPageVersionAreEncodedAgain) {
  ParquetWriteOptions options;
  options.page_rows = 1000;
  WriteFile("source.parquet", {Orders(0, 4000)}, options);
  std::vector<uint8_t> keep(4000, 1);
  keep[10] = 0;
  for (int variant = 0; variant < 2; ++variant) {
    ParquetWriteOptions other = options;
    if (variant == 0) other.codec = codec::CodecType::kSnappy;
    if (variant == 1) other.data_page_version = DataPageVersion::kV2;
    Rewrite rewrite = RewriteFile("source.parquet", "target.parquet", keep, nullptr, other, 1024);
    EXPECT_EQ(rewrite.pages_copied, 0);
    EXPECT_EQ(Rows("target.parquet"), rewrite.expected_rows);
  }
  // Without a dictionary here, only the PLAIN pages (the ids) are copied.
  ParquetWriteOptions plain = options;
  plain.dictionary = false;
  Rewrite rewrite = RewriteFile("source.parquet", "target.parquet", keep, nullptr, plain, 1024);
  EXPECT_EQ(rewrite.pages_copied, 3 + 3);  // id, and the booleans, which have no dictionary.
  EXPECT_EQ(Rows("target.parquet"), rewrite.expected_rows);
}

TEST_F(StoredPagesTest, RandomFlatSchemasRewriteToTheKeptRows) {
  int64_t pages_copied = 0;
  for (int seed = 0; seed < 30; ++seed) {
    arcflow::testing::RandomSchemaGenerator schemas(static_cast<uint64_t>(seed) * 31 + 7,
                                                    {.max_depth = 1, .max_fields = 6});
    const SchemaPtr schema = schemas.NextParquetSchema();
    arcflow::testing::RandomDataGenerator data(static_cast<uint64_t>(seed) * 5 + 1);
    SCOPED_TRACE("seed " + std::to_string(seed) + ", schema " + schema->ToString());
    ParquetWriteOptions options;
    options.page_rows = 50 + seed * 7;
    options.data_page_version = seed % 2 == 0 ? DataPageVersion::kV1 : DataPageVersion::kV2;
    const std::vector<RecordBatchPtr> source = {data.Batch(schema, 700), data.Batch(schema, 400)};
    WriteFile("source.parquet", source, options);
    std::vector<uint8_t> keep(1100, 1);
    for (size_t row = 0; row < keep.size(); ++row) {
      if (data.OneIn(seed % 3 == 0 ? 5 : 150)) keep[row] = 0;
    }
    Rewrite rewrite = RewriteFile("source.parquet", "target.parquet", keep, data.Batch(schema, 20),
                                  options, 64 + seed * 13);
    EXPECT_EQ(Rows("target.parquet"), rewrite.expected_rows);
    pages_copied += rewrite.pages_copied;
    std::vector<RecordBatchPtr> rows;
    int64_t first_row = 0;
    for (const RecordBatchPtr& batch : source) {
      for (RecordBatchPtr& run : KeptRuns(batch, keep, first_row)) rows.push_back(std::move(run));
      first_row += batch->num_rows();
    }
    if (rows.empty()) continue;
    // Appended rows aside (they are random), the statistics match a plain write's.
    Rewrite kept_only =
        RewriteFile("source.parquet", "kept.parquet", keep, nullptr, options, 64 + seed * 13);
    EXPECT_EQ(kept_only.statistics, StatisticsOfRows("plain.parquet", schema, rows, options));
  }
  EXPECT_GT(pages_copied, 100);
}

// Copied dictionary pages count in the statistics until the statistics reach the least and
// the greatest entry of the dictionary; after that no copied value can change them. Here the
// written first page holds neither, the second copied page holds the least and the third the
// greatest, and the fourth neither.
TEST_F(StoredPagesTest, CopiedDictionaryPagesCountUntilTheStatisticsReachTheDictionarysBounds) {
  auto schema = std::make_shared<Schema>(std::vector<Field>{Field("name", types::String())});
  StringBuilder names(types::String());
  for (int64_t row = 0; row < 4000; ++row) {
    if (row == 1500) {
      names.Append("a");
    } else if (row == 2500) {
      names.Append("z");
    } else {
      names.Append("m" + std::to_string(row % 10));
    }
  }
  const RecordBatchPtr source = *RecordBatch::Make(schema, 4000, {*names.Finish()});
  ParquetWriteOptions options;
  options.page_rows = 1000;
  WriteFile("source.parquet", {source}, options);
  std::vector<uint8_t> keep(4000, 1);
  keep[10] = 0;  // The first page is written, the others copied.
  Rewrite rewrite = RewriteFile("source.parquet", "target.parquet", keep, nullptr, options, 4000);
  EXPECT_EQ(Rows("target.parquet"), rewrite.expected_rows);
  EXPECT_EQ(rewrite.pages_copied, 3);
  ASSERT_EQ(rewrite.statistics.size(), 1u);
  EXPECT_EQ(rewrite.statistics[0].min_value, "a");
  EXPECT_EQ(rewrite.statistics[0].max_value, "z");
  EXPECT_EQ(rewrite.statistics,
            StatisticsOfRows("plain.parquet", schema, KeptRuns(source, keep, 0), options));
}

// Rows updated in place: from row 2000 on, the batches hold the file's ids and new values in
// the other columns (changed rows); before, the stored rows (kept rows). The id pages are
// copied but the one of a dropped row; the other columns' pages only where no row changed.
TEST_F(StoredPagesTest, ChangedRowsAreEncodedInTheirChangedColumnsOnly) {
  ParquetWriteOptions options;
  options.page_rows = 1000;
  const RecordBatchPtr stored = Orders(0, 5000);
  WriteFile("source.parquet", {stored}, options);
  // Ids as stored; every other column of row i as Orders gives row i + 7.
  std::vector<ArrayPtr> columns = Orders(7, 5000)->columns();
  columns[0] = stored->column(0);
  const RecordBatchPtr updated = *RecordBatch::Make(OrderSchema(), 5000, columns);
  std::vector<uint8_t> keep(5000, kRowChanged);
  std::fill(keep.begin(), keep.begin() + 2000, kRowKept);
  keep[3456] = kRowDropped;
  const std::vector<int> changed = {1, 2, 3, 4};

  auto opened = ParquetFileReader::Open(fs_, Path("source.parquet"));
  ASSERT_TRUE(opened.ok());
  auto read = StoredPages::Read(std::shared_ptr<const ParquetFileReader>(std::move(*opened)));
  ASSERT_TRUE(read.ok());
  const std::shared_ptr<const StoredPages> pages = std::move(*read);
  auto file = fs_->OpenWritable(Path("target.parquet"));
  auto writer = ParquetFileWriter::Open(std::move(*file), OrderSchema(), options);
  ASSERT_TRUE(writer.ok());
  std::vector<RecordBatchPtr> written_rows;
  for (int64_t row = 0; row < 5000;) {
    const int64_t end = std::min<int64_t>(row < 2000 ? 2000 : 5000, row + 900);
    const RecordBatchPtr batch = (row < 2000 ? stored : updated)->Slice(row, end - row);
    Status written = (*writer)->WriteKeptRows(*batch, row, keep, pages, changed);
    ASSERT_TRUE(written.ok()) << written.ToString();
    for (RecordBatchPtr& run : KeptRuns(batch, keep, row)) written_rows.push_back(std::move(run));
    row = end;
  }
  ASSERT_TRUE((*writer)->Close().ok());
  // 4 pages of ids, 2 of each other column.
  EXPECT_EQ((*writer)->stored_pages_copied(), 4 + 4 * 2);

  std::vector<std::string> expected;
  for (const RecordBatchPtr& run : written_rows) AppendCanonicalRows(*run, &expected);
  EXPECT_EQ(Rows("target.parquet"), expected);
  EXPECT_EQ((*writer)->LeafStatistics(),
            StatisticsOfRows("plain.parquet", OrderSchema(), written_rows, options));
  auto target = StoredPages::Read(std::shared_ptr<const ParquetFileReader>(
      *ParquetFileReader::Open(fs_, Path("target.parquet"))));
  ASSERT_TRUE(target.ok());
  const auto same_page = [&](int leaf, size_t page) {
    const auto& source_page = pages->chunk(leaf, 0).pages[page].stored.bytes;
    const auto& target_page = (*target)->chunk(leaf, 0).pages[page].stored.bytes;
    return std::equal(source_page.begin(), source_page.end(), target_page.begin(),
                      target_page.end());
  };
  ASSERT_EQ((*target)->chunk(0, 0).pages.size(), 5u);
  for (size_t page : {0, 1, 2, 4}) EXPECT_TRUE(same_page(0, page)) << "page " << page;
  EXPECT_EQ((*target)->chunk(0, 0).pages[3].num_rows, 999);
  for (int leaf = 1; leaf < 5; ++leaf) {
    EXPECT_TRUE(same_page(leaf, 0) && same_page(leaf, 1)) << "leaf " << leaf;
    EXPECT_FALSE(same_page(leaf, 2)) << "leaf " << leaf;
  }
}

// While a page is being copied, the next rows must be of the same file, start where the last
// ended and change the same columns.
TEST_F(StoredPagesTest, NothingElseIsWrittenWhileAPageIsBeingCopied) {
  ParquetWriteOptions options;
  options.page_rows = 1000;
  WriteFile("source.parquet", {Orders(0, 2000)}, options);
  auto opened = ParquetFileReader::Open(fs_, Path("source.parquet"));
  ASSERT_TRUE(opened.ok());
  std::shared_ptr<const ParquetFileReader> reader = std::move(*opened);
  auto read = StoredPages::Read(reader);
  ASSERT_TRUE(read.ok());
  const std::shared_ptr<const StoredPages> pages = std::move(*read);
  const std::vector<uint8_t> keep(2000, 1);
  auto file = fs_->OpenWritable(Path("target.parquet"));
  auto writer = ParquetFileWriter::Open(std::move(*file), OrderSchema(), options);
  ASSERT_TRUE(writer.ok());
  RecordBatchPtr rows = *reader->ReadRowGroup(0);
  ASSERT_TRUE((*writer)->WriteKeptRows(*rows->Slice(0, 600), 0, keep, pages).ok());
  EXPECT_TRUE((*writer)->in_stored_page());
  EXPECT_FALSE((*writer)->Write(*Orders(0, 1)).ok());
  EXPECT_FALSE((*writer)->WriteKeptRows(*rows->Slice(700, 10), 700, keep, pages).ok());
  // Nor other changed columns.
  const std::vector<int> changed = {2};
  EXPECT_FALSE((*writer)->WriteKeptRows(*rows->Slice(600, 10), 600, keep, pages, changed).ok());
  const std::vector<int> out_of_range = {5};
  EXPECT_FALSE(
      (*writer)->WriteKeptRows(*rows->Slice(600, 10), 600, keep, pages, out_of_range).ok());
  EXPECT_TRUE((*writer)->WriteKeptRows(*rows->Slice(600, 10), 600, keep, pages).ok());
}

}  // namespace
}  // namespace arcflow::parquet
