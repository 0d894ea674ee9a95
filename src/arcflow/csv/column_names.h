#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "arcflow/csv/tokenizer.h"

namespace arcflow::csv {

// Column names from a header record, made usable as Spark makes them: an empty name or one
// equal to `null_value` becomes "_c<index>", and names that occur more than once (ignoring
// ASCII case, as Spark's default resolution does) get their index appended ("a0", "a1").
std::vector<std::string> MakeHeaderColumnNames(const std::vector<CsvField>& header,
                                               std::string_view null_value);

// "_c0", "_c1", ... for a file read without a header.
std::vector<std::string> MakeDefaultColumnNames(size_t count);

}  // namespace arcflow::csv
