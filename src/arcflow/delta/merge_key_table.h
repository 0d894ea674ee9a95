#pragma once

#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "arcflow/base/hash_index.h"
#include "arcflow/columnar/record_batch.h"

namespace arcflow::delta {

// Whether key values of `type` are compared as 64-bit integers: integers, dates and
// timestamps (not decimals or floats).
bool IsIntegerKeyType(const DataType& type);

// Whether two values of `type` that MERGE's keys find equal (MergeKeyTable) are the same
// value, bit for bit: true of integers, dates, timestamps, decimals, booleans, strings and
// binaries; not of floats (every NaN equals every other, -0.0 equals 0.0) or nested values
// (compared by their canonical text).
bool KeyEqualityIsIdentity(const DataType& type);

// The values of an array of such a type as int64 (values under nulls unspecified): the array's
// own values when they are 64-bit (the usual id or timestamp key, then not copied), else
// widened into `storage`. Valid while the array and `storage` are.
std::span<const int64_t> IntegerKeyValues(const Array& array, std::vector<int64_t>* storage);

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
    // Per row, whether its key can equal no entry's: it has a null or, prepared after
    // FinishInserts, a value in the filtered column that no entry has. Such a row is never
    // stored or found and its hash is not computed. Empty when no row is such.
    std::vector<uint8_t> unmatchable_rows;
    // For a key of one integer, date or timestamp column, each row's value as int64
    // (IntegerKeyValues, widened into widened_integers when narrower).
    std::span<const int64_t> integers;
    std::vector<int64_t> widened_integers;
    // The key columns of the rows, in key order (they stay owned by their batch).
    std::vector<const Array*> columns;

    // Before FinishInserts, whether the row's key has a null.
    bool unmatchable(int64_t row) const {
      return !unmatchable_rows.empty() && unmatchable_rows[static_cast<size_t>(row)] != 0;
    }
  };

  // `key_columns` index columns of `schema`, the schema of every batch given.
  MergeKeyTable(const Schema& schema, std::vector<int> key_columns);

  // Makes room for `rows` more entries (the rows of a batch about to be inserted).
  void Reserve(int64_t rows);

  // Called before any insert with every batch whose rows will be inserted (each with
  // `schema`): makes room for all of them at once, and for a key of one integer, date or
  // timestamp column whose values cluster (they fall in few blocks of kDenseBlockValues
  // consecutive values; ids, days) addresses entries by the value's offset from the smallest
  // instead of hashing: no hash to compute, and keys inserted or looked up in order touch
  // memory in order. A later insert of a value outside those blocks goes back to hashing.
  void PlanInserts(const std::vector<RecordBatchPtr>& batches);

  // The keys of every row of `batch`, which has `schema`, into `keys` (reused from batch to
  // batch).
  void PrepareKeys(const RecordBatch& batch, BatchKeys* keys) const;
  // The same for rows whose key columns are `columns`, in key order, typed as in `schema`.
  void PrepareKeys(std::vector<const Array*> columns, BatchKeys* keys) const;

  // Hints that row `row` of a prepared batch is inserted or looked up soon
  // (HashIndex::Prefetch).
  void Prefetch(const BatchKeys& keys, int64_t row) const {
    if (!keys.hashes.empty()) index_.Prefetch(keys.hashes[static_cast<size_t>(row)]);
  }

  // Inserts row `row` of `batch` (which the table keeps alive), its keys prepared in `keys`,
  // as a new entry, unless an equal key is already stored. Returns the entry and whether it
  // is new. REQUIRES: the row's key has no null (is not unmatchable).
  // Inline under direct addressing, where it is a few instructions per row.
  std::pair<int32_t, bool> Insert(const RecordBatchPtr& batch, int64_t row, const BatchKeys& keys) {
    if (dense_) {
      const int64_t integer = keys.integers[static_cast<size_t>(row)];
      if (int32_t* cell = DenseCell(integer)) {
        if (*cell >= 0) return {*cell, false};
        *cell = static_cast<int32_t>(integer_keys_.size());
        integer_keys_.push_back(integer);
        return {*cell, true};
      }
    }
    return InsertHashed(batch, row, keys);
  }
  // The entry whose key equals that of row `row` of the prepared keys, or -1 (always for a
  // null key).
  int32_t Find(int64_t row, const BatchKeys& keys) const {
    if (keys.unmatchable(row)) return -1;
    if (dense_) {
      const int32_t* cell = DenseCell(keys.integers[static_cast<size_t>(row)]);
      return cell != nullptr ? *cell : -1;
    }
    return FindHashed(row, keys);
  }

  // Called once every key is inserted, before lookups. Most rows a merge looks up (those of a
  // file it rewrites) have a key no source row has; so when a key column of integers, dates or
  // timestamps has entry values dense enough, a bitmap of them is built, over the range
  // between the smallest and largest, and PrepareKeys marks the rows whose value in that
  // column has no bit as unmatchable: they test a bit instead of hashing every key column
  // and probing the hash table. Of several such columns, the one with the widest range is
  // filtered by (an id rather than a day or a region). Direct addressing needs no filter.
  // Inserting afterwards is not allowed.
  void FinishInserts();

  int32_t size() const {
    return static_cast<int32_t>(integer_key_ ? integer_keys_.size() : index_.size());
  }

  // Values per block of direct addressing (PlanInserts).
  static constexpr uint64_t kDenseBlockValues = 4096;

 private:
  struct Entry {
    const RecordBatch* batch;
    int64_t row;
  };

  // The hash PrepareKeys gives a key of one integer column of value `value` (widened).
  static uint64_t IntegerKeyHash(int64_t value);
  // The hash of row `row` of the prepared keys; computed for keys prepared under direct
  // addressing, which keeps no hashes.
  uint64_t RowHash(int64_t row, const BatchKeys& keys) const;
  // Under direct addressing, the entry cell of `value`, or null when its block was not
  // planned.
  const int32_t* DenseCell(int64_t value) const {
    const uint64_t offset = static_cast<uint64_t>(value) - static_cast<uint64_t>(dense_min_);
    const uint64_t block = offset / kDenseBlockValues;
    if (block >= dense_blocks_.size() || dense_blocks_[block] < 0) return nullptr;
    return &dense_cells_[static_cast<size_t>(dense_blocks_[block]) * kDenseBlockValues +
                         offset % kDenseBlockValues];
  }
  int32_t* DenseCell(int64_t value) {
    return const_cast<int32_t*>(std::as_const(*this).DenseCell(value));
  }
  // Calls `visit(value)` with each entry's value in key column `key` (position in
  // key_columns_), of integers, dates or timestamps.
  template <typename Visit>
  void ForEachEntryValue(size_t key, Visit&& visit) const;
  // Insert and Find past direct addressing: a value outside the planned blocks leaves it.
  std::pair<int32_t, bool> InsertHashed(const RecordBatchPtr& batch, int64_t row,
                                        const BatchKeys& keys);
  int32_t FindHashed(int64_t row, const BatchKeys& keys) const;
  // Drops direct addressing, hashing the entries inserted so far.
  void LeaveDenseAddressing();
  // Whether the stored entry's key equals that of row `row` of the prepared keys.
  bool KeysEqual(const Entry& entry, const BatchKeys& keys, int64_t row) const;
  // The entry equal to row `row` of the prepared keys, or -1 with `*slot` where it would be
  // inserted.
  int32_t Lookup(int64_t row, const BatchKeys& keys, size_t* slot) const;

  std::vector<int> key_columns_;
  // Per key column, whether it holds integers, dates or timestamps.
  std::vector<uint8_t> integer_columns_;
  // Whether the key is one column of integers, dates or timestamps, the usual key. Each entry's
  // value is then kept in integer_keys_, so a probe compares with it there rather than
  // chasing the entry's batch and column; entries_ and batches_ stay empty.
  bool integer_key_ = false;
  std::vector<int64_t> integer_keys_;
  // From FinishInserts, when built: the filter of lookups, with bit v - filter_min_ set for
  // each value v of key column filter_key_ (a position in key_columns_) that an entry has.
  int filter_key_ = -1;
  std::vector<uint64_t> filter_bitmap_;
  int64_t filter_min_ = 0;
  uint64_t filter_span_ = 0;  // max - min of the filtered values.
  // Direct addressing (PlanInserts): value v is in block (v - dense_min_) / kDenseBlockValues,
  // whose cells start at dense_blocks_[block] * kDenseBlockValues in dense_cells_ (-1: a block
  // without cells); a cell holds the entry of its value, or -1. PrepareKeys then leaves
  // BatchKeys::hashes empty.
  bool dense_ = false;
  int64_t dense_min_ = 0;
  std::vector<int32_t> dense_blocks_;
  std::vector<int32_t> dense_cells_;
  std::vector<Entry> entries_;
  std::vector<RecordBatchPtr> batches_;  // Those entries point into.
  HashIndex index_;
};

}  // namespace arcflow::delta
