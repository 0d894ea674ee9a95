#include "arcflow/csv/column_names.h"

#include <unordered_map>

#include <fmt/format.h>

#include "arcflow/base/ascii.h"
#include "arcflow/base/utf8.h"

namespace arcflow::csv {

std::vector<std::string> MakeHeaderColumnNames(const std::vector<CsvField>& header,
                                               std::string_view null_value) {
  auto is_missing = [&](const CsvField& field) {
    return field.text.empty() || field.text == null_value;
  };
  std::string scratch;
  std::vector<std::string> texts;  // Names as valid UTF-8.
  texts.reserve(header.size());
  for (const CsvField& field : header) texts.emplace_back(utf8::Repair(field.text, &scratch));
  std::unordered_map<std::string, int> occurrences;
  for (size_t i = 0; i < header.size(); ++i) {
    if (!is_missing(header[i])) ++occurrences[ascii::ToLower(texts[i])];
  }
  std::vector<std::string> names;
  names.reserve(header.size());
  for (size_t i = 0; i < header.size(); ++i) {
    const CsvField& field = header[i];
    if (is_missing(field)) {
      names.push_back(fmt::format("_c{}", i));
    } else if (occurrences[ascii::ToLower(texts[i])] > 1) {
      names.push_back(fmt::format("{}{}", texts[i], i));
    } else {
      names.push_back(std::move(texts[i]));
    }
  }
  return names;
}

std::vector<std::string> MakeDefaultColumnNames(size_t count) {
  std::vector<std::string> names;
  names.reserve(count);
  for (size_t i = 0; i < count; ++i) names.push_back(fmt::format("_c{}", i));
  return names;
}

}  // namespace arcflow::csv
