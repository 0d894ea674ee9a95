#include "arcflow/csv/tokenizer.h"

#include <cstring>

namespace arcflow::csv {
namespace {

constexpr size_t kNotInScratch = static_cast<size_t>(-1);

// Where the scan of a field stopped.
enum class Stop : uint8_t {
  kDelimiter,  // Another field follows.
  kSeparator,  // The record ends with a line separator.
  kEnd,        // The record ends with the input.
};

void AddSeparatorBytes(const TokenizerOptions& options, ByteSet* set) {
  switch (options.line_separator) {
    case LineSeparator::kAny:
      set->Add('\n');
      set->Add('\r');
      break;
    case LineSeparator::kChar:
      set->Add(options.line_separator_char);
      break;
    case LineSeparator::kCrLf:
      set->Add('\r');
      break;
  }
}

// Number of UTF-8 code points in `text`: every byte that is not a continuation byte starts one.
int64_t CountCodePoints(std::string_view text) {
  int64_t count = 0;
  for (char c : text) count += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return count;
}

int64_t CountByte(const char* begin, const char* end, char byte) {
  int64_t count = 0;
  const char* p = begin;
  while (p < end) {
    const void* hit = std::memchr(p, byte, static_cast<size_t>(end - p));
    if (hit == nullptr) break;
    ++count;
    p = static_cast<const char*>(hit) + 1;
  }
  return count;
}

}  // namespace

CsvTokenizer::CsvTokenizer(const TokenizerOptions& options) : options_(options) {
  unquoted_stops_.Add(options_.delimiter);
  AddSeparatorBytes(options_, &unquoted_stops_);
  AddSeparatorBytes(options_, &line_stops_);
  quoted_stops_.Add(options_.quote);
  if (options_.escape != options_.quote) quoted_stops_.Add(options_.escape);
  if (options_.escape_escape != options_.quote) quoted_stops_.Add(options_.escape_escape);
  if (!options_.multi_line) AddSeparatorBytes(options_, &quoted_stops_);
}

CsvTokenizer::Separator CsvTokenizer::SeparatorAt(const char* p, const char* end, bool at_end,
                                                  int* length) const {
  char c = *p;
  switch (options_.line_separator) {
    case LineSeparator::kAny:
      if (c == '\n') {
        *length = 1;
        return Separator::kYes;
      }
      if (c == '\r') {
        if (p + 1 < end) {
          *length = p[1] == '\n' ? 2 : 1;
          return Separator::kYes;
        }
        // A '\r' at the end of the input may be the first half of "\r\n".
        if (!at_end) return Separator::kNeedMoreData;
        *length = 1;
        return Separator::kYes;
      }
      return Separator::kNo;
    case LineSeparator::kChar:
      if (c != options_.line_separator_char) return Separator::kNo;
      *length = 1;
      return Separator::kYes;
    case LineSeparator::kCrLf:
      if (c != '\r') return Separator::kNo;
      if (p + 1 < end) {
        if (p[1] != '\n') return Separator::kNo;
        *length = 2;
        return Separator::kYes;
      }
      return at_end ? Separator::kNo : Separator::kNeedMoreData;
  }
  return Separator::kNo;
}

int64_t CsvTokenizer::CountLineBreaks(const char* begin, const char* end) const {
  switch (options_.line_separator) {
    case LineSeparator::kAny: {
      // "\r\n" is one break, a lone '\r' is one break.
      int64_t breaks = CountByte(begin, end, '\n');
      const char* p = begin;
      while (p < end) {
        const void* hit = std::memchr(p, '\r', static_cast<size_t>(end - p));
        if (hit == nullptr) break;
        const char* cr = static_cast<const char*>(hit);
        if (cr + 1 >= end || cr[1] != '\n') ++breaks;
        p = cr + 1;
      }
      return breaks;
    }
    case LineSeparator::kChar:
      return CountByte(begin, end, options_.line_separator_char);
    case LineSeparator::kCrLf: {
      int64_t breaks = 0;
      for (const char* p = begin; p + 1 < end; ++p) breaks += p[0] == '\r' && p[1] == '\n';
      return breaks;
    }
  }
  return 0;
}

bool CsvTokenizer::IsWhiteSpace(char c) const {
  // Spark (through univocity) trims every control character and space, but never the
  // delimiter or a line separator byte.
  return static_cast<unsigned char>(c) <= 0x20 && !unquoted_stops_.Contains(c);
}

void CsvTokenizer::AddField(const char* data, size_t size, size_t scratch_begin, bool quoted,
                            ParsedRecord* record) {
  size_t index = record->fields.size();
  if (options_.max_columns >= 0 && static_cast<int64_t>(index) >= options_.max_columns) {
    if (record->problem == RecordProblem::kNone) {
      record->problem = RecordProblem::kTooManyColumns;
      record->problem_field = static_cast<int64_t>(index);
    }
    return;
  }
  if (options_.max_chars_per_column >= 0 &&
      static_cast<int64_t>(size) > options_.max_chars_per_column &&
      record->problem == RecordProblem::kNone) {
    std::string_view text = scratch_begin == kNotInScratch
                                ? std::string_view(data, size)
                                : std::string_view(scratch_).substr(scratch_begin, size);
    if (CountCodePoints(text) > options_.max_chars_per_column) {
      record->problem = RecordProblem::kFieldTooLong;
      record->problem_field = static_cast<int64_t>(index);
    }
  }
  if (scratch_begin == kNotInScratch) {
    record->fields.push_back(CsvField{std::string_view(data, size), quoted});
  } else {
    record->fields.push_back(CsvField{std::string_view(), quoted});
    scratch_fields_.push_back(ScratchField{index, scratch_begin, size});
  }
}

TokenizeResult CsvTokenizer::Next(std::string_view input, bool at_end, ParsedRecord* record) {
  record->fields.clear();
  record->raw = {};
  record->problem = RecordProblem::kNone;
  record->problem_field = -1;
  record->consumed = 0;
  record->line_breaks = 0;
  scratch_.clear();
  scratch_fields_.clear();

  if (input.empty()) return at_end ? TokenizeResult::kEndOfInput : TokenizeResult::kNeedMoreData;
  const char* begin = input.data();
  const char* end = begin + input.size();
  int separator_length = 0;

  // Blank lines are skipped, as Spark does.
  switch (SeparatorAt(begin, end, at_end, &separator_length)) {
    case Separator::kNeedMoreData:
      return TokenizeResult::kNeedMoreData;
    case Separator::kYes:
      record->consumed = separator_length;
      record->line_breaks = 1;
      return TokenizeResult::kSkippedLine;
    case Separator::kNo:
      break;
  }

  if (options_.comment != '\0' && *begin == options_.comment) {
    const char* p = begin;
    while (true) {
      const char* q = line_stops_.FindFirst(p, end);
      if (q == end) {
        if (!at_end) return TokenizeResult::kNeedMoreData;
        record->consumed = end - begin;
        return TokenizeResult::kSkippedLine;
      }
      Separator separator = SeparatorAt(q, end, at_end, &separator_length);
      if (separator == Separator::kNeedMoreData) return TokenizeResult::kNeedMoreData;
      if (separator == Separator::kYes) {
        record->consumed = (q - begin) + separator_length;
        record->line_breaks = 1;
        return TokenizeResult::kSkippedLine;
      }
      p = q + 1;
    }
  }

  // Scans from `p` to the next delimiter or line separator. Returns false when more input is
  // needed; otherwise sets `stop` and leaves `q` at the stopping byte (or `end`).
  auto scan_to_stop = [&](const char* p, const char** q, Stop* stop) -> bool {
    while (true) {
      const char* hit = unquoted_stops_.FindFirst(p, end);
      if (hit == end) {
        if (!at_end) return false;
        *q = end;
        *stop = Stop::kEnd;
        return true;
      }
      if (*hit == options_.delimiter) {
        *q = hit;
        *stop = Stop::kDelimiter;
        return true;
      }
      Separator separator = SeparatorAt(hit, end, at_end, &separator_length);
      if (separator == Separator::kNeedMoreData) return false;
      if (separator == Separator::kYes) {
        *q = hit;
        *stop = Stop::kSeparator;
        return true;
      }
      p = hit + 1;
    }
  };

  const char* p = begin;
  while (true) {
    if (options_.ignore_leading_white_space) {
      while (p < end && IsWhiteSpace(*p)) ++p;
    }
    const char* stop_at = nullptr;
    Stop stop = Stop::kEnd;

    if (options_.quote == '\0' || p == end || *p != options_.quote) {
      if (!scan_to_stop(p, &stop_at, &stop)) return TokenizeResult::kNeedMoreData;
      size_t size = static_cast<size_t>(stop_at - p);
      if (options_.ignore_trailing_white_space) {
        while (size > 0 && IsWhiteSpace(p[size - 1])) --size;
      }
      AddField(p, size, kNotInScratch, /*quoted=*/false, record);
    } else {
      const char* open = p;
      const char* segment = open + 1;  // Start of the text not yet copied to scratch_.
      size_t scratch_begin = kNotInScratch;
      // Copies the pending text and one literal byte to scratch_.
      auto copy_with = [&](const char* upto, char literal) {
        if (scratch_begin == kNotInScratch) scratch_begin = scratch_.size();
        scratch_.append(segment, static_cast<size_t>(upto - segment));
        scratch_.push_back(literal);
      };
      const char* content_end = nullptr;
      bool closed = false;
      p = segment;
      while (true) {
        const char* q = quoted_stops_.FindFirst(p, end);
        if (q == end) {
          if (!at_end) return TokenizeResult::kNeedMoreData;
          content_end = end;
          stop_at = end;
          stop = Stop::kEnd;
          break;
        }
        char c = *q;
        bool has_next = q + 1 < end;
        if (!has_next && !at_end) return TokenizeResult::kNeedMoreData;
        if (c == options_.quote) {
          if (has_next && q[1] == options_.quote) {
            copy_with(q, options_.quote);
            p = segment = q + 2;
            continue;
          }
          content_end = q;
          p = q + 1;
          closed = true;
          break;
        }
        if (c == options_.escape) {
          if (has_next && q[1] == options_.quote) {
            copy_with(q, options_.quote);
            p = segment = q + 2;
          } else if (has_next && q[1] == options_.escape &&
                     options_.escape_escape == options_.escape) {
            copy_with(q, options_.escape);
            p = segment = q + 2;
          } else {
            p = q + 1;  // An escape before anything else is literal.
          }
          continue;
        }
        if (c == options_.escape_escape) {
          if (has_next && q[1] == options_.escape && options_.escape != '\0') {
            copy_with(q, options_.escape);
            p = segment = q + 2;
          } else {
            p = q + 1;
          }
          continue;
        }
        // A line separator byte inside quotes, and multi_line is off.
        Separator separator = SeparatorAt(q, end, at_end, &separator_length);
        if (separator == Separator::kNeedMoreData) return TokenizeResult::kNeedMoreData;
        if (separator == Separator::kNo) {
          p = q + 1;
          continue;
        }
        content_end = q;
        stop_at = q;
        stop = Stop::kSeparator;
        break;
      }
      if (options_.multi_line) record->line_breaks += CountLineBreaks(open + 1, content_end);

      std::string_view trailing;
      if (closed) {
        // Text between the closing quote and the delimiter is kept, as lenient parsers do.
        const char* after = p;
        if (!scan_to_stop(after, &stop_at, &stop)) return TokenizeResult::kNeedMoreData;
        size_t size = static_cast<size_t>(stop_at - after);
        if (options_.ignore_trailing_white_space) {
          while (size > 0 && IsWhiteSpace(after[size - 1])) --size;
        }
        trailing = std::string_view(after, size);
      } else if (record->problem == RecordProblem::kNone) {
        record->problem = RecordProblem::kUnclosedQuote;
        record->problem_field = static_cast<int64_t>(record->fields.size());
      }

      if (scratch_begin == kNotInScratch && trailing.empty()) {
        AddField(segment, static_cast<size_t>(content_end - segment), kNotInScratch,
                 /*quoted=*/true, record);
      } else {
        if (scratch_begin == kNotInScratch) scratch_begin = scratch_.size();
        scratch_.append(segment, static_cast<size_t>(content_end - segment));
        scratch_.append(trailing);
        AddField(nullptr, scratch_.size() - scratch_begin, scratch_begin, /*quoted=*/true, record);
      }
    }

    if (stop == Stop::kDelimiter) {
      p = stop_at + 1;
      continue;
    }
    record->raw = std::string_view(begin, static_cast<size_t>(stop_at - begin));
    record->consumed = stop_at - begin;
    if (stop == Stop::kSeparator) {
      record->consumed += separator_length;
      record->line_breaks += 1;
    }
    break;
  }

  for (const ScratchField& field : scratch_fields_) {
    record->fields[field.index].text = std::string_view(scratch_).substr(field.offset, field.size);
  }
  return TokenizeResult::kRecord;
}

}  // namespace arcflow::csv
