#pragma once

#include <cstdint>
#include <vector>

#include "arcflow/base/hash_index.h"
#include "arcflow/columnar/record_batch.h"

namespace arcflow::delta {

// Whether key values of `type` are compared as 64-bit integers: integers, dates and
// timestamps (not decimals or floats).
bool IsIntegerKeyType(const DataType& type);

// The values of an array of such a type, widened to int64 (values under nulls unspecified),
// into `out`.
void WidenIntegerKeys(const Array& array, std::vector<int64_t>* out);

// The distinct key tuples of MERGE's source rows, found again by the rows of target files.
// All batches given have one schema; keys are the values of `key_columns` in them. Keys compare
// as Spark compares MERGE's join keys: integers, dates, timestamps, decimals and booleans by
// value; strings and binaries by their bytes; floats and doubles by value, with every NaN equal
// to every other and -0.0 equal to 0.0; nested values by their canonical text. A key with a
// null in any column matches nothing and is never stored.
//
// A batch's keys are prepared at once (PrepareKeys), column by column, then its rows are
// inserted or looked up one by one. Entries are numbered 0, 1, … in the order they were
// inserted. Lookups may also come from batches of the key columns alone (a read of just those
// columns of a data file).
class MergeKeyTable {
 public:
  // The keys of one batch's rows, ready for Insert and Find.
  struct BatchKeys {
    std::vector<uint64_t> hashes;
    // Per row, whether its key has a null (then its hash is meaningless).
    std::vector<uint8_t> nulls;
    // For a key of one integer, date or timestamp column, each row's value widened.
    std::vector<int64_t> integers;
    // The key columns of the rows, in key order (they stay owned by their batch).
    std::vector<const Array*> columns;
  };

  // `key_columns` index columns of `schema`, the schema of every batch given.
  MergeKeyTable(const Schema& schema, std::vector<int> key_columns);

  // Makes room for `rows` more entries (the rows of a batch about to be inserted).
  void Reserve(int64_t rows);

  // The keys of every row of `batch`, which has `schema`, into `keys` (reused from batch to
  // batch).
  void PrepareKeys(const RecordBatch& batch, BatchKeys* keys) const;
  // The same for rows whose key columns are `columns`, in key order, typed as in `schema`.
  void PrepareKeys(std::vector<const Array*> columns, BatchKeys* keys) const;

  // Hints that row `row` of a prepared batch is inserted or looked up soon
  // (HashIndex::Prefetch).
  void Prefetch(const BatchKeys& keys, int64_t row) const {
    index_.Prefetch(keys.hashes[static_cast<size_t>(row)]);
  }

  // Inserts row `row` of `batch` (which the table keeps alive), its keys prepared in `keys`,
  // as a new entry, unless an equal key is already stored. Returns the entry and whether it
  // is new. REQUIRES: the row's key has no null.
  std::pair<int32_t, bool> Insert(const RecordBatchPtr& batch, int64_t row, const BatchKeys& keys);
  // The entry whose key equals that of row `row` of the prepared keys, or -1 (always for a
  // null key).
  int32_t Find(int64_t row, const BatchKeys& keys) const;

  // Called once every key is inserted, before lookups: for integer keys whose values are dense
  // enough, builds a bitmap of the values between the smallest and largest key, so that
  // lookups of rows whose key no source row has (most rows of a file a merge rewrites) test a
  // bit instead of probing the hash table. Inserting afterwards is not allowed.
  void FinishInserts();

  int32_t size() const { return static_cast<int32_t>(index_.size()); }

 private:
  struct Entry {
    const RecordBatch* batch;
    int64_t row;
  };

  // Whether the stored entry's key equals that of row `row` of the prepared keys.
  bool KeysEqual(const Entry& entry, const BatchKeys& keys, int64_t row) const;
  // The entry equal to row `row` of the prepared keys, or -1 with `*slot` where it would be
  // inserted.
  int32_t Lookup(int64_t row, const BatchKeys& keys, size_t* slot) const;

  std::vector<int> key_columns_;
  // Whether the key is one column of integers, dates or timestamps, the usual key. Each entry's
  // value is then kept in integer_keys_, so a probe compares with it there rather than
  // chasing the entry's batch and column; entries_ and batches_ stay empty.
  bool integer_key_ = false;
  std::vector<int64_t> integer_keys_;
  // From FinishInserts, when built: bit v - min_integer_key_ set for each integer key v.
  std::vector<uint64_t> integer_bitmap_;
  int64_t min_integer_key_ = 0;
  uint64_t integer_key_span_ = 0;  // max - min, when the bitmap is built.
  std::vector<Entry> entries_;
  std::vector<RecordBatchPtr> batches_;  // Those entries point into.
  HashIndex index_;
};

}  // namespace arcflow::delta
