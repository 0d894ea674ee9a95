#include "arcflow/io/format_options.h"

#include <strings.h>

#include <algorithm>
#include <charconv>

namespace arcflow::io {

bool CaseInsensitiveLess::operator()(std::string_view a, std::string_view b) const {
  int c = strncasecmp(a.data(), b.data(), std::min(a.size(), b.size()));
  if (c != 0) return c < 0;
  return a.size() < b.size();
}

std::optional<std::pair<std::string_view, std::string_view>> SplitAssignment(
    std::string_view assignment) {
  const size_t equals = assignment.find('=');
  if (equals == std::string_view::npos || equals == 0) return std::nullopt;
  return std::make_pair(assignment.substr(0, equals), assignment.substr(equals + 1));
}

Status FormatOptions::SetFromAssignment(std::string_view assignment) {
  auto split = SplitAssignment(assignment);
  if (!split) return Status::Invalid("options: expected KEY=VALUE, got '{}'", assignment);
  Set(std::string(split->first), std::string(split->second));
  return Status::OK();
}

std::optional<std::string> FormatOptions::Get(std::string_view key) const {
  auto it = values_.find(key);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

Result<bool> FormatOptions::GetBool(std::string_view key, bool fallback) const {
  auto it = values_.find(key);
  if (it == values_.end()) return fallback;
  if (strcasecmp(it->second.c_str(), "true") == 0) return true;
  if (strcasecmp(it->second.c_str(), "false") == 0) return false;
  return Status::Invalid("options: {} must be true or false, got '{}'", it->first, it->second);
}

Result<int64_t> FormatOptions::GetInt(std::string_view key, int64_t fallback) const {
  auto it = values_.find(key);
  if (it == values_.end()) return fallback;
  const std::string& text = it->second;
  int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) {
    return Status::Invalid("options: {} must be an integer, got '{}'", it->first, text);
  }
  return value;
}

std::string FormatOptions::GetString(std::string_view key, std::string_view fallback) const {
  auto it = values_.find(key);
  return it == values_.end() ? std::string(fallback) : it->second;
}

Result<char> FormatOptions::GetChar(std::string_view key, char fallback) const {
  auto it = values_.find(key);
  if (it == values_.end()) return fallback;
  const std::string& text = it->second;
  if (text.empty()) return '\0';
  if (text.size() == 1) return text[0];
  if (text == "\\t") return '\t';
  if (text == "\\n") return '\n';
  if (text == "\\\\") return '\\';
  if (text == "\\0" || text == "\\u0000") return '\0';
  return Status::Invalid("options: {} must be a single character, got '{}'", it->first, text);
}

}  // namespace arcflow::io
