#include "arcflow/delta/table_properties.h"

#include <cctype>
#include <limits>
#include <string>
#include <vector>

#include "arcflow/base/ascii.h"

namespace arcflow::delta {
namespace {

constexpr int64_t kMillisPerDay = int64_t{24} * 60 * 60 * 1000;

// The length of one `unit` (singular or plural, any case) in milliseconds, or -1.
int64_t UnitMs(std::string_view unit) {
  std::string lower;
  for (char c : unit) lower.push_back(ascii::ToLower(c));
  if (lower.size() > 1 && lower.back() == 's') lower.pop_back();
  if (lower == "week") return 7 * kMillisPerDay;
  if (lower == "day") return kMillisPerDay;
  if (lower == "hour") return 60 * 60 * 1000;
  if (lower == "minute") return 60 * 1000;
  if (lower == "second") return 1000;
  if (lower == "millisecond") return 1;
  if (lower == "microsecond" || lower == "nanosecond") return 0;
  return -1;
}

Result<int64_t> IntervalProperty(const Metadata& metadata, std::string_view key,
                                 int64_t default_ms) {
  std::optional<std::string> value = metadata.Configuration(key);
  if (!value) return default_ms;
  Result<int64_t> parsed = ParseIntervalMs(*value);
  if (!parsed.ok()) return parsed.status().WithContext(fmt::format("table property {}", key));
  return parsed;
}

}  // namespace

Result<int64_t> ParseIntervalMs(std::string_view text) {
  auto invalid = [&] {
    return Status::Invalid(
        "delta: cannot parse the interval '{}'; write it as 'interval <n> <unit>' with unit "
        "milliseconds, seconds, minutes, hours, days or weeks",
        text);
  };
  std::vector<std::string_view> words;
  size_t start = 0;
  while (start < text.size()) {
    while (start < text.size() && std::isspace(static_cast<unsigned char>(text[start]))) ++start;
    size_t end = start;
    while (end < text.size() && !std::isspace(static_cast<unsigned char>(text[end]))) ++end;
    if (end > start) words.push_back(text.substr(start, end - start));
    start = end;
  }
  size_t index = 0;
  if (index < words.size() && ascii::EqualsIgnoreCase(words[index], "interval")) ++index;
  if (index >= words.size() || (words.size() - index) % 2 != 0) return invalid();
  int64_t total_ms = 0;
  for (; index < words.size(); index += 2) {
    std::string_view digits = words[index];
    if (digits.empty() || digits.size() > 12) return invalid();
    int64_t amount = 0;
    for (char c : digits) {
      if (c < '0' || c > '9') return invalid();
      amount = amount * 10 + (c - '0');
    }
    const int64_t unit_ms = UnitMs(words[index + 1]);
    if (unit_ms < 0) return invalid();
    // Keeps the total far inside int64 (about 290,000 years) whatever the parts.
    constexpr int64_t kMaxMs = std::numeric_limits<int64_t>::max() / 1024;
    if (unit_ms > 0 && amount > (kMaxMs - total_ms) / unit_ms) return invalid();
    total_ms += amount * unit_ms;
  }
  return total_ms;
}

Result<int64_t> CheckpointInterval(const Metadata& metadata) {
  std::optional<std::string> value = metadata.Configuration("delta.checkpointInterval");
  if (!value) return 10;
  int64_t interval = 0;
  bool valid = !value->empty() && value->size() <= 18;
  for (char c : *value) {
    valid = valid && c >= '0' && c <= '9';
    if (valid) interval = interval * 10 + (c - '0');
  }
  if (!valid || interval <= 0) {
    return Status::Invalid(
        "delta: table property delta.checkpointInterval must be a positive integer, got '{}'",
        *value);
  }
  return interval;
}

Result<int64_t> DeletedFileRetentionMs(const Metadata& metadata) {
  return IntervalProperty(metadata, "delta.deletedFileRetentionDuration",
                          kDefaultDeletedFileRetentionMs);
}

Result<int64_t> LogRetentionMs(const Metadata& metadata) {
  return IntervalProperty(metadata, "delta.logRetentionDuration", 30 * kMillisPerDay);
}

}  // namespace arcflow::delta
