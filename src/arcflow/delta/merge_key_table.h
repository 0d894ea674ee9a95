#pragma once

#include <cstdint>
#include <vector>

#include "arcflow/base/hash_index.h"
#include "arcflow/columnar/record_batch.h"

namespace arcflow::delta {

// The distinct key tuples of MERGE's source rows, found again by the rows of target files.
// All batches given have one schema; keys are the values of `key_columns` in them. Keys compare
// as Spark compares MERGE's join keys: integers, dates, timestamps, decimals and booleans by
// value; strings and binaries by their bytes; floats and doubles by value, with every NaN equal
// to every other and -0.0 equal to 0.0; nested values by their canonical text. A key with a
// null in any column matches nothing and is never stored.
//
// Rows are hashed a batch at a time (HashRows), column by column, then inserted or looked up
// one by one with their hash. Entries are numbered 0, 1, … in the order they were inserted.
class MergeKeyTable {
 public:
  // `key_columns` index columns of `schema`, the schema of every batch given.
  MergeKeyTable(const Schema& schema, std::vector<int> key_columns);

  // Makes room for `rows` more entries (the rows of a batch about to be inserted).
  void Reserve(int64_t rows);

  // The hash of every row's key in `batch`, and, per row, whether its key has a null (then
  // its hash is meaningless).
  void HashRows(const RecordBatch& batch, std::vector<uint64_t>* hashes,
                std::vector<uint8_t>* null_keys) const;

  // Hints that a row with this hash is inserted or looked up soon (HashIndex::Prefetch).
  void Prefetch(uint64_t hash) const { index_.Prefetch(hash); }

  // Inserts row `row` of `batch` (which the table keeps alive) with its hash from HashRows as
  // a new entry, unless an equal key is already stored. Returns the entry and whether it is
  // new. REQUIRES: the row's key has no null.
  std::pair<int32_t, bool> Insert(const RecordBatchPtr& batch, int64_t row, uint64_t hash);
  // The entry whose key equals that of row `row` of `batch`, or -1.
  int32_t Find(const RecordBatch& batch, int64_t row, uint64_t hash) const;

  int32_t size() const { return static_cast<int32_t>(entries_.size()); }

 private:
  struct Entry {
    const RecordBatch* batch;
    int64_t row;
  };

  bool KeysEqual(const RecordBatch& a, int64_t row_a, const RecordBatch& b, int64_t row_b) const;
  // The entry equal to row `row` of `batch`, or -1 with `*slot` where it would be inserted.
  int32_t Lookup(const RecordBatch& batch, int64_t row, uint64_t hash, size_t* slot) const;
  // The key of row `row` of `batch` when it is one integer column (integer_key_).
  int64_t IntegerKey(const RecordBatch& batch, int64_t row) const;

  std::vector<int> key_columns_;
  // Whether the key is one column of integers, dates or timestamps, the usual key. Each entry's
  // value is then kept in integer_keys_, so a probe compares with it there rather than
  // chasing the entry's batch and column.
  bool integer_key_ = false;
  std::vector<int64_t> integer_keys_;
  std::vector<Entry> entries_;
  std::vector<RecordBatchPtr> batches_;  // Those entries point into.
  HashIndex index_;
};

}  // namespace arcflow::delta
