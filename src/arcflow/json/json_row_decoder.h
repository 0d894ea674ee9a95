#pragma once

#include <simdjson.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "arcflow/base/result.h"
#include "arcflow/columnar/array.h"
#include "arcflow/columnar/data_type.h"
#include "arcflow/json/json_read_options.h"
#include "arcflow/json/rollback_builder.h"

namespace arcflow::json {

// Turns parsed JSON records into rows of a fixed set of columns, as Spark's JSON reader does
// with a user schema: members matched by name (case-sensitive), missing members null, unknown
// members skipped, the last of duplicate members winning, and every value converted to its
// column's type or the record rejected (see json_reader.h for the conversions). Walks the
// simdjson On-Demand iterator straight into column builders: no DOM and no allocation per
// value; a record alone on a line in plain form is read from its bytes without the parser
// (DecodeLine()), to the same rows. Not thread-safe.
class JsonRowDecoder {
 public:
  // `columns` are the columns to fill. Fails with NotImplemented for map keys of nested types,
  // and with Invalid for a datetime pattern in `options` that does not compile.
  static Result<std::unique_ptr<JsonRowDecoder>> Make(std::vector<Field> columns,
                                                      const JsonReadOptions& options);
  ~JsonRowDecoder();

  // Appends the rows of one record: an object gives one row, an array of objects one row per
  // element (none for []). Returns false when the record cannot be converted; error() then says
  // why, and the rows appended so far may hold part of the record, which the caller removes
  // with Truncate().
  bool DecodeRecord(simdjson::ondemand::document_reference document);

  // Appends the row of the record at the start of `input` (its first byte), which must sit
  // alone on its line, reading the bytes directly rather than through simdjson, when the record
  // is an object in the plain form that way reads: valid JSON without escapes in the keys and
  // strings it converts, no duplicate keys, and values that convert without doubt. `input` may
  // run on past the line. Returns the length of the record's text, or 0 otherwise: the rows
  // appended so far may then hold part of the record (remove them with Truncate()), and the
  // caller decodes the line with DecodeRecord(), which gives the same rows for any record both
  // read. REQUIRES: `input` ends with a line end or is followed by whitespace, and the
  // SIMDJSON_PADDING bytes after it are readable.
  size_t DecodeLine(std::string_view input);

  // Why the last DecodeRecord() failed, naming the field: `value "abc" is not a BIGINT for
  // field 'qty'`.
  const std::string& error() const;
  // True when the last failure was a syntax error reported by the parser, after which the
  // document's iterator must not be advanced any further.
  bool iterator_broken() const;

  int64_t num_rows() const { return rows_->length(); }
  // Appends a row in which every column is null.
  void AppendNullRow();
  // Drops rows from the end so that `num_rows` remain. REQUIRES: num_rows <= this->num_rows().
  void Truncate(int64_t num_rows);
  int64_t EstimatedBytes() const;
  // Hands over one array per column and starts empty again.
  Result<std::vector<ArrayPtr>> Finish();

 private:
  class Impl;
  explicit JsonRowDecoder(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
  // The builder of the rows, owned by impl_: num_rows() is asked once per record.
  const RollbackBuilder* rows_;
};

}  // namespace arcflow::json
