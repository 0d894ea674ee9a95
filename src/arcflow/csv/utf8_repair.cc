#include "arcflow/csv/utf8_repair.h"

#include <cstdint>

#include "arcflow/base/utf8.h"

namespace arcflow::csv {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";

}  // namespace

std::string_view RepairNonAsciiUtf8(std::string_view text, std::string* scratch) {
  size_t invalid = utf8::FindInvalid(text);
  if (invalid == std::string_view::npos) return text;
  scratch->assign(text.substr(0, invalid));
  size_t i = invalid;
  while (i < text.size()) {
    if (static_cast<uint8_t>(text[i]) < 0x80) {
      scratch->push_back(text[i]);
      ++i;
      continue;
    }
    size_t length = utf8::SequenceLength(text, i);
    if (length == 0) {
      scratch->append(kReplacement);
      ++i;
    } else {
      scratch->append(text.substr(i, length));
      i += length;
    }
  }
  return *scratch;
}

}  // namespace arcflow::csv
