#pragma once

#include <string_view>
#include <vector>

#include "arcflow/base/result.h"
#include "arcflow/parquet/bridge/parquet_reader.h"

namespace arcflow::cli {

// Parses the CLI's `--where` text, a conjunction of simple comparisons, until the SQL layer
// takes over:
//   cond [AND cond]...   cond := column (= | == | < | <= | > | >=) literal
//                               | literal (= | < | <= | > | >=) column
//                               | column IS [NOT] NULL
// Columns are names or dotted paths to struct members, `backticked` when they hold other
// characters. Literals: numbers, 'strings' ('' for a quote), true/false, and DATE '…' or
// TIMESTAMP '…'. Keywords are case-insensitive. Invalid pointing at the offending position.
Result<std::vector<parquet::ColumnPredicate>> ParseWhereClause(std::string_view text);

}  // namespace arcflow::cli
