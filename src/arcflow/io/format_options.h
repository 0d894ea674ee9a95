#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "arcflow/base/result.h"

namespace arcflow::io {

// Compares option names ignoring ASCII case, as Spark does ("nullValue" == "nullvalue").
struct CaseInsensitiveLess {
  using is_transparent = void;
  bool operator()(std::string_view a, std::string_view b) const;
};

// Splits "KEY=VALUE" at its first '=': the key and the value (which may hold '=' or be
// empty), or nullopt when there is no '=' or the key is empty.
std::optional<std::pair<std::string_view, std::string_view>> SplitAssignment(
    std::string_view assignment);

// Reader and writer options by Spark's names (header, sep, mode, multiLine, ...), as given on
// the command line (--option KEY=VALUE) or in pipeline.yml. A value type.
class FormatOptions {
 public:
  FormatOptions() = default;

  void Set(std::string key, std::string value) { values_[std::move(key)] = std::move(value); }
  // Parses "KEY=VALUE".
  Status SetFromAssignment(std::string_view assignment);
  bool Has(std::string_view key) const { return values_.find(key) != values_.end(); }
  std::optional<std::string> Get(std::string_view key) const;

  // Typed access with Spark's spellings; Invalid naming the option when the text is not of the
  // type ("true"/"false" any case for booleans).
  Result<bool> GetBool(std::string_view key, bool fallback) const;
  Result<int64_t> GetInt(std::string_view key, int64_t fallback) const;
  std::string GetString(std::string_view key, std::string_view fallback) const;
  // A single character option (sep, quote, escape, comment). Accepts "\t"-style escapes and
  // an empty string (meaning "none", returned as '\0').
  Result<char> GetChar(std::string_view key, char fallback) const;

  const std::map<std::string, std::string, CaseInsensitiveLess>& values() const { return values_; }

 private:
  std::map<std::string, std::string, CaseInsensitiveLess> values_;
};

}  // namespace arcflow::io
