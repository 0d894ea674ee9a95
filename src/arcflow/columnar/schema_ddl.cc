#include "arcflow/columnar/schema_ddl.h"

#include "arcflow/base/ascii.h"
#include "arcflow/base/utf8.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "arcflow/columnar/schema_json.h"

namespace arcflow {
namespace {

// Bounds the parser's recursion on hostile input; no real schema comes close.
constexpr int kMaxDdlNestingDepth = 100;

// Spark's default decimal, used for a bare DECIMAL.
constexpr int32_t kDefaultDecimalPrecision = 10;

// The type names an error message offers, in the order a reader looks for them.
constexpr std::string_view kTypeNamesForErrors =
    "STRING, VARCHAR(n), CHAR(n), BOOLEAN, TINYINT, SMALLINT, INT, BIGINT, FLOAT, DOUBLE, "
    "DECIMAL(p,s), DATE, TIMESTAMP, TIMESTAMP_NTZ, BINARY, ARRAY<T>, MAP<K, V>, STRUCT<...>";

// Every type keyword the parser accepts, for "did you mean" suggestions.
constexpr std::string_view kTypeKeywords[] = {
    "STRING",        "VARCHAR",       "CHAR",    "CHARACTER", "BOOLEAN", "TINYINT", "BYTE",
    "SMALLINT",      "SHORT",         "INT",     "INTEGER",   "BIGINT",  "LONG",    "FLOAT",
    "REAL",          "DOUBLE",        "DECIMAL", "DEC",       "NUMERIC", "DATE",    "TIMESTAMP",
    "TIMESTAMP_LTZ", "TIMESTAMP_NTZ", "BINARY",  "ARRAY",     "MAP",     "STRUCT"};

// Spark SQL types that are valid in DDL but have no arcflow columnar form.
constexpr std::string_view kUnsupportedTypeKeywords[] = {
    "VOID", "VARIANT", "INTERVAL", "TIME", "GEOMETRY", "GEOGRAPHY", "OBJECT", "CALENDARINTERVAL"};

// Words that Spark reserves in ANSI mode or treats as strict non-reserved by default. A name
// spelled like one is printed in backticks so that every Spark parser reads it back as a name.
constexpr std::string_view kReservedWords[] = {
    "ALL",          "AND",      "ANTI",    "ANY",          "AS",           "AUTHORIZATION",
    "BOTH",         "CASE",     "CAST",    "CHECK",        "COLLATE",      "COLUMN",
    "CONSTRAINT",   "CREATE",   "CROSS",   "CURRENT_DATE", "CURRENT_TIME", "CURRENT_TIMESTAMP",
    "CURRENT_USER", "DISTINCT", "ELSE",    "END",          "ESCAPE",       "EXCEPT",
    "FALSE",        "FETCH",    "FILTER",  "FOR",          "FOREIGN",      "FROM",
    "FULL",         "GRANT",    "GROUP",   "HAVING",       "IN",           "INNER",
    "INTERSECT",    "INTO",     "IS",      "JOIN",         "LATERAL",      "LEADING",
    "LEFT",         "MINUS",    "NATURAL", "NOT",          "NULL",         "ON",
    "ONLY",         "OR",       "ORDER",   "OUTER",        "OVERLAPS",     "PRIMARY",
    "REFERENCES",   "RIGHT",    "SELECT",  "SEMI",         "SESSION_USER", "SETMINUS",
    "SOME",         "TABLE",    "THEN",    "TIME",         "TO",           "TRAILING",
    "TRUE",         "UNION",    "UNIQUE",  "UNKNOWN",      "USER",         "USING",
    "WHEN",         "WHERE",    "WITH"};

bool IsWordChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

bool IsDigits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string AsciiUpper(std::string_view text) {
  std::string upper(text);
  for (char& c : upper) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return upper;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && AsciiUpper(a) == AsciiUpper(b);
}

// Makes control bytes in `text` visible so that an error message stays on one line.
std::string Printable(std::string_view text) {
  std::string out;
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7F) {
      out += fmt::format("\\x{:02X}", byte);
    } else {
      out.push_back(c);
    }
  }
  return out;
}

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> previous(b.size() + 1);
  std::vector<size_t> current(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t substitute = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, substitute});
    }
    std::swap(previous, current);
  }
  return previous[b.size()];
}

// The type keyword closest to `word`, if it is close enough to be a likely typo.
std::optional<std::string_view> SuggestType(std::string_view upper_word) {
  if (upper_word.size() > 32) return std::nullopt;
  std::optional<std::string_view> best;
  size_t best_distance = 3;
  for (std::string_view keyword : kTypeKeywords) {
    size_t distance = EditDistance(upper_word, keyword);
    if (distance < best_distance && distance < keyword.size()) {
      best = keyword;
      best_distance = distance;
    }
  }
  return best;
}

// ---------------------------------------------------------------------------------------------
// Lexer and parser

enum class TokenKind : uint8_t {
  kEnd,
  kWord,        // [A-Za-z0-9_]+: a keyword, a plain name or an integer
  kQuotedName,  // `...`, text decoded
  kString,      // '...' or "..." or R'...', text decoded
  kSymbol,      // one of < > ( ) , :
};

struct Token {
  TokenKind kind = TokenKind::kEnd;
  size_t begin = 0;
  size_t end = 0;
  std::string text;
};

// A recursive-descent parser over one DDL text, which must outlive it. Lexes one token ahead.
class DdlParser {
 public:
  explicit DdlParser(std::string_view text) : text_(text) {}

  Result<SchemaPtr> ParseSchema() {
    ARCFLOW_RETURN_NOT_OK(Start());
    std::vector<Field> fields;
    if (token_.kind == TokenKind::kEnd) return std::make_shared<const Schema>(std::move(fields));
    if (IsWord("STRUCT") && NextNonSpaceChar(token_.end) == '<') {
      // Spark also reads a schema written as one struct type.
      ARCFLOW_ASSIGN_OR_RETURN(DataTypePtr type, ParseType(/*depth=*/0));
      if (token_.kind != TokenKind::kEnd) {
        return ErrorAt(token_.begin, "expected end of input after the STRUCT<...> schema");
      }
      return std::make_shared<const Schema>(type->fields());
    }
    ARCFLOW_RETURN_NOT_OK(ParseFieldList(/*in_struct=*/false, /*depth=*/0, &fields));
    return std::make_shared<const Schema>(std::move(fields));
  }

  Result<DataTypePtr> ParseSingleType() {
    ARCFLOW_RETURN_NOT_OK(Start());
    ARCFLOW_ASSIGN_OR_RETURN(DataTypePtr type, ParseType(/*depth=*/0));
    if (token_.kind != TokenKind::kEnd) {
      return ErrorAt(token_.begin, "expected end of input after the type");
    }
    return type;
  }

 private:
  // "position 14 (line 1, column 15) near 'STRNG, b INT'". Columns count code points.
  std::string Where(size_t pos, bool with_excerpt = true) const {
    size_t line = 1;
    size_t column = 1;
    for (size_t i = 0; i < pos && i < text_.size(); ++i) {
      if (text_[i] == '\n') {
        ++line;
        column = 1;
      } else if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80) {
        ++column;
      }
    }
    std::string where = fmt::format("position {} (line {}, column {})", pos, line, column);
    if (!with_excerpt) return where;
    if (pos >= text_.size()) return where + " at end of input";
    constexpr size_t kExcerptBytes = 24;
    size_t end = std::min(text_.size(), pos + kExcerptBytes);
    while (end < text_.size() && (static_cast<unsigned char>(text_[end]) & 0xC0) == 0x80) ++end;
    return fmt::format("{} near '{}'", where, Printable(text_.substr(pos, end - pos)));
  }

  Status ErrorAt(size_t pos, std::string_view what) const {
    return Status::Invalid("schema: {} at {}", what, Where(pos));
  }

  Status Start() {
    size_t bad = utf8::FindInvalid(text_);
    if (bad != std::string_view::npos) {
      return Status::Invalid("schema: invalid UTF-8 at {}", Where(bad, /*with_excerpt=*/false));
    }
    return Advance();
  }

  char NextNonSpaceChar(size_t from) const {
    while (from < text_.size() && IsSpace(text_[from])) ++from;
    return from < text_.size() ? text_[from] : '\0';
  }

  static bool IsSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
  }

  bool IsWord(std::string_view upper_keyword) const {
    return token_.kind == TokenKind::kWord && EqualsIgnoreCase(token_.text, upper_keyword);
  }
  bool IsSymbol(char symbol) const {
    return token_.kind == TokenKind::kSymbol && token_.text[0] == symbol;
  }

  Status Expect(char symbol, std::string_view what) {
    if (!IsSymbol(symbol)) return ErrorAt(token_.begin, fmt::format("expected {}", what));
    return Advance();
  }

  // Lexes the token at pos_ into token_.
  Status Advance() {
    while (pos_ < text_.size() && IsSpace(text_[pos_])) ++pos_;
    token_.begin = pos_;
    token_.text.clear();
    if (pos_ >= text_.size()) {
      token_.kind = TokenKind::kEnd;
      token_.end = pos_;
      return Status::OK();
    }
    char c = text_[pos_];
    if (IsWordChar(c)) {
      size_t start = pos_;
      while (pos_ < text_.size() && IsWordChar(text_[pos_])) ++pos_;
      // R'...' and R"..." are Spark's raw string literals.
      if (pos_ - start == 1 && (c == 'R' || c == 'r') && pos_ < text_.size() &&
          (text_[pos_] == '\'' || text_[pos_] == '"')) {
        return LexRawString(start);
      }
      token_.kind = TokenKind::kWord;
      token_.text.assign(text_.substr(start, pos_ - start));
    } else if (c == '`') {
      ARCFLOW_RETURN_NOT_OK(LexQuotedName());
    } else if (c == '\'' || c == '"') {
      ARCFLOW_RETURN_NOT_OK(LexString());
    } else if (c == '<' || c == '>' || c == '(' || c == ')' || c == ',' || c == ':') {
      token_.kind = TokenKind::kSymbol;
      token_.text.assign(1, c);
      ++pos_;
    } else {
      size_t length = 1;
      while (pos_ + length < text_.size() &&
             (static_cast<unsigned char>(text_[pos_ + length]) & 0xC0) == 0x80) {
        ++length;
      }
      std::string hint;
      if (static_cast<unsigned char>(c) >= 0x80) {
        hint =
            "; names with characters other than ASCII letters, digits and '_' must be "
            "quoted in backticks";
      }
      return Status::Invalid("schema: unexpected character '{}' at {}{}",
                             Printable(text_.substr(pos_, length)), Where(pos_), hint);
    }
    token_.end = pos_;
    return Status::OK();
  }

  Status LexQuotedName() {
    size_t start = pos_++;
    while (true) {
      if (pos_ >= text_.size()) return ErrorAt(start, "unterminated backticked name");
      char c = text_[pos_++];
      if (c != '`') {
        token_.text.push_back(c);
      } else if (pos_ < text_.size() && text_[pos_] == '`') {
        token_.text.push_back('`');  // `` is an escaped backtick
        ++pos_;
      } else {
        break;
      }
    }
    token_.kind = TokenKind::kQuotedName;
    return Status::OK();
  }

  Status LexRawString(size_t start) {
    char quote = text_[pos_++];
    size_t close = text_.find(quote, pos_);
    if (close == std::string_view::npos) return ErrorAt(start, "unterminated string literal");
    token_.kind = TokenKind::kString;
    token_.text.assign(text_.substr(pos_, close - pos_));
    pos_ = close + 1;
    token_.end = pos_;
    return Status::OK();
  }

  // Reads a Spark SQL string literal, decoding its escapes as Spark does by default
  // (spark.sql.parser.escapedStringLiterals=false).
  Status LexString() {
    size_t start = pos_;
    char quote = text_[pos_++];
    std::string& out = token_.text;
    while (true) {
      if (pos_ >= text_.size()) return ErrorAt(start, "unterminated string literal");
      char c = text_[pos_];
      if (c == quote) {
        ++pos_;
        break;
      }
      if (c != '\\') {
        out.push_back(c);
        ++pos_;
        continue;
      }
      if (pos_ + 1 >= text_.size()) return ErrorAt(start, "unterminated string literal");
      size_t escape_at = pos_;
      char escaped = text_[pos_ + 1];
      if (escaped == 'u' && HasHex(pos_ + 2, 4)) {
        ARCFLOW_RETURN_NOT_OK(LexUnicodeEscape(escape_at));
        continue;
      }
      if (escaped >= '0' && escaped <= '3' && pos_ + 3 < text_.size() && IsOctal(text_[pos_ + 2]) &&
          IsOctal(text_[pos_ + 3])) {
        // \ooo is a Latin-1 code point in octal.
        uint32_t code = static_cast<uint32_t>((escaped - '0') * 64 + (text_[pos_ + 2] - '0') * 8 +
                                              (text_[pos_ + 3] - '0'));
        AppendCodePoint(code, &out);
        pos_ += 4;
        continue;
      }
      pos_ += 2;
      switch (escaped) {
        case '0':
          out.push_back('\0');
          break;
        case 'b':
          out.push_back('\b');
          break;
        case 'n':
          out.push_back('\n');
          break;
        case 'r':
          out.push_back('\r');
          break;
        case 't':
          out.push_back('\t');
          break;
        case 'Z':
          out.push_back('\x1A');
          break;
        case '%':
        case '_':
          // Spark keeps the backslash of these two, as MySQL does, for LIKE patterns.
          out.push_back('\\');
          out.push_back(escaped);
          break;
        default:
          // Any other escaped character stands for itself.
          out.push_back(escaped);
      }
    }
    token_.kind = TokenKind::kString;
    return Status::OK();
  }

  static bool IsOctal(char c) { return c >= '0' && c <= '7'; }

  bool HasHex(size_t at, size_t count) const {
    if (at + count > text_.size()) return false;
    for (size_t k = 0; k < count; ++k) {
      char c = text_[at + k];
      bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
      if (!hex) return false;
    }
    return true;
  }

  uint32_t Hex4(size_t at) const {
    uint32_t value = 0;
    for (size_t k = 0; k < 4; ++k) {
      char c = text_[at + k];
      uint32_t digit = (c >= '0' && c <= '9')   ? static_cast<uint32_t>(c - '0')
                       : (c >= 'a' && c <= 'f') ? static_cast<uint32_t>(c - 'a' + 10)
                                                : static_cast<uint32_t>(c - 'A' + 10);
      value = value * 16 + digit;
    }
    return value;
  }

  static void AppendCodePoint(uint32_t code_point, std::string* out) {
    if (code_point < 0x80) {
      out->push_back(static_cast<char>(code_point));
    } else if (code_point < 0x800) {
      out->push_back(static_cast<char>(0xC0 | (code_point >> 6)));
      out->push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
    } else if (code_point < 0x10000) {
      out->push_back(static_cast<char>(0xE0 | (code_point >> 12)));
      out->push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
    } else {
      out->push_back(static_cast<char>(0xF0 | (code_point >> 18)));
      out->push_back(static_cast<char>(0x80 | ((code_point >> 12) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
    }
  }

  // REQUIRES: text_ at `at` is \u followed by four hex digits.
  Status LexUnicodeEscape(size_t at) {
    uint32_t unit = Hex4(at + 2);
    pos_ = at + 6;
    if (unit >= 0xDC00 && unit <= 0xDFFF) {
      return ErrorAt(at, "unpaired low surrogate in \\u escape");
    }
    if (unit >= 0xD800 && unit <= 0xDBFF) {
      // Java strings spell characters past U+FFFF as a surrogate pair of \u escapes.
      if (!(pos_ + 1 < text_.size() && text_[pos_] == '\\' && text_[pos_ + 1] == 'u' &&
            HasHex(pos_ + 2, 4))) {
        return ErrorAt(at, "unpaired high surrogate in \\u escape");
      }
      uint32_t low = Hex4(pos_ + 2);
      if (low < 0xDC00 || low > 0xDFFF) {
        return ErrorAt(at, "unpaired high surrogate in \\u escape");
      }
      pos_ += 6;
      unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
    }
    AppendCodePoint(unit, &token_.text);
    return Status::OK();
  }

  // Parses `field (',' field)*`, ending at '>' inside a struct and at the end of input at the
  // top level.
  Status ParseFieldList(bool in_struct, int depth, std::vector<Field>* fields) {
    // Lower-cased name → index in `fields`; a map keeps long hostile lists linear-logarithmic.
    std::map<std::string, size_t> seen;
    while (true) {
      size_t name_pos = token_.begin;
      ARCFLOW_ASSIGN_OR_RETURN(Field field, ParseField(in_struct, !fields->empty(), depth));
      auto [it, inserted] = seen.emplace(ascii::ToLower(field.name), fields->size());
      if (!inserted) {
        return Status::Invalid(
            "schema: duplicate {} name '{}' at {}; names are case-insensitive and '{}' is "
            "already defined",
            in_struct ? "field" : "column", Printable(field.name),
            Where(name_pos, /*with_excerpt=*/false), Printable((*fields)[it->second].name));
      }
      fields->push_back(std::move(field));
      if (IsSymbol(',')) {
        ARCFLOW_RETURN_NOT_OK(Advance());
        continue;
      }
      if (in_struct && IsSymbol('>')) return Advance();
      if (!in_struct && token_.kind == TokenKind::kEnd) return Status::OK();
      std::string what = in_struct ? "expected ',' or '>' after a struct field"
                                   : "expected ',' or end of input after a column";
      if (IsWord("NOT")) what += " (NOT NULL must come before COMMENT)";
      return ErrorAt(token_.begin, what);
    }
  }

  Result<Field> ParseField(bool in_struct, bool after_comma, int depth) {
    std::string_view noun = in_struct ? "a field name" : "a column name";
    if (after_comma && (token_.kind == TokenKind::kEnd || (in_struct && IsSymbol('>')))) {
      return ErrorAt(token_.begin,
                     fmt::format("expected {} (a trailing comma is not allowed)", noun));
    }
    bool is_name = token_.kind == TokenKind::kQuotedName ||
                   (token_.kind == TokenKind::kWord && !IsDigits(token_.text));
    if (!is_name) return ErrorAt(token_.begin, fmt::format("expected {}", noun));
    std::string name = std::move(token_.text);
    ARCFLOW_RETURN_NOT_OK(Advance());
    if (in_struct && IsSymbol(':')) ARCFLOW_RETURN_NOT_OK(Advance());
    ARCFLOW_ASSIGN_OR_RETURN(DataTypePtr type, ParseType(depth));

    bool nullable = true;
    if (IsWord("NOT")) {
      ARCFLOW_RETURN_NOT_OK(Advance());
      if (!IsWord("NULL")) return ErrorAt(token_.begin, "expected NULL after NOT");
      ARCFLOW_RETURN_NOT_OK(Advance());
      nullable = false;
    }
    FieldMetadata metadata;
    if (IsWord("COMMENT")) {
      ARCFLOW_RETURN_NOT_OK(Advance());
      if (token_.kind != TokenKind::kString) {
        return ErrorAt(token_.begin, "expected a quoted string after COMMENT");
      }
      metadata.emplace_back("comment", QuoteJsonString(token_.text));
      ARCFLOW_RETURN_NOT_OK(Advance());
    }
    return Field(std::move(name), std::move(type), nullable, std::move(metadata));
  }

  struct Parameter {
    int64_t value;  // -1 when too large to be meaningful
    size_t pos;
  };

  // Parses an optional "(n, m, ...)" after a type name.
  Status ParseParameters(std::vector<Parameter>* parameters) {
    if (!IsSymbol('(')) return Status::OK();
    ARCFLOW_RETURN_NOT_OK(Advance());
    while (true) {
      if (token_.kind != TokenKind::kWord || !IsDigits(token_.text)) {
        return ErrorAt(token_.begin, "expected an integer type parameter");
      }
      int64_t value = -1;
      if (token_.text.size() <= 9) value = std::stoll(token_.text);
      parameters->push_back({value, token_.begin});
      ARCFLOW_RETURN_NOT_OK(Advance());
      if (IsSymbol(')')) return Advance();
      if (!IsSymbol(',')) return ErrorAt(token_.begin, "expected ',' or ')' in type parameters");
      ARCFLOW_RETURN_NOT_OK(Advance());
    }
  }

  Result<DataTypePtr> ParseDecimal(std::string_view written,
                                   const std::vector<Parameter>& parameters) {
    if (parameters.size() > 2) {
      return ErrorAt(parameters[2].pos,
                     fmt::format("type '{}' takes at most precision and scale", written));
    }
    int64_t precision = parameters.empty() ? kDefaultDecimalPrecision : parameters[0].value;
    int64_t scale = parameters.size() == 2 ? parameters[1].value : 0;
    if (precision < 1 || precision > kMaxDecimalPrecision) {
      return Status::Invalid(
          "schema: decimal precision {} at {} is out of range; must be "
          "between 1 and {}",
          parameters[0].value < 0 ? std::string("(too large)")
                                  : std::to_string(parameters[0].value),
          Where(parameters[0].pos, false), kMaxDecimalPrecision);
    }
    if (scale < 0 || scale > precision) {
      return Status::Invalid(
          "schema: decimal scale {} at {} is out of range; must be between 0 "
          "and the precision {}",
          scale < 0 ? std::string("(too large)") : std::to_string(scale),
          Where(parameters[1].pos, false), precision);
    }
    return types::Decimal(static_cast<int32_t>(precision), static_cast<int32_t>(scale));
  }

  Result<DataTypePtr> ParseType(int depth) {
    if (depth >= kMaxDdlNestingDepth) {
      return ErrorAt(token_.begin,
                     fmt::format("types nested deeper than {} levels", kMaxDdlNestingDepth));
    }
    if (token_.kind != TokenKind::kWord || IsDigits(token_.text)) {
      return ErrorAt(token_.begin, "expected a type");
    }
    size_t name_pos = token_.begin;
    std::string written = std::move(token_.text);
    std::string upper = AsciiUpper(written);
    ARCFLOW_RETURN_NOT_OK(Advance());

    if (upper == "ARRAY") {
      ARCFLOW_RETURN_NOT_OK(Expect('<', "'<' after ARRAY"));
      ARCFLOW_ASSIGN_OR_RETURN(DataTypePtr element, ParseType(depth + 1));
      ARCFLOW_RETURN_NOT_OK(Expect('>', "'>' to close ARRAY<"));
      return types::List(std::move(element));
    }
    if (upper == "MAP") {
      ARCFLOW_RETURN_NOT_OK(Expect('<', "'<' after MAP"));
      ARCFLOW_ASSIGN_OR_RETURN(DataTypePtr key, ParseType(depth + 1));
      ARCFLOW_RETURN_NOT_OK(Expect(',', "',' between the key and value types of MAP<"));
      ARCFLOW_ASSIGN_OR_RETURN(DataTypePtr value, ParseType(depth + 1));
      ARCFLOW_RETURN_NOT_OK(Expect('>', "'>' to close MAP<"));
      return types::Map(std::move(key), std::move(value));
    }
    if (upper == "STRUCT") {
      ARCFLOW_RETURN_NOT_OK(Expect('<', "'<' after STRUCT"));
      std::vector<Field> fields;
      if (IsSymbol('>')) {
        ARCFLOW_RETURN_NOT_OK(Advance());
      } else {
        ARCFLOW_RETURN_NOT_OK(ParseFieldList(/*in_struct=*/true, depth + 1, &fields));
      }
      return types::Struct(std::move(fields));
    }

    DataTypePtr type;
    bool takes_length = false;
    bool is_decimal = false;
    if (upper == "STRING") {
      type = types::String();
    } else if (upper == "VARCHAR" || upper == "CHAR" || upper == "CHARACTER") {
      type = types::String();
      takes_length = true;
    } else if (upper == "BOOLEAN") {
      type = types::Boolean();
    } else if (upper == "TINYINT" || upper == "BYTE") {
      type = types::Int8();
    } else if (upper == "SMALLINT" || upper == "SHORT") {
      type = types::Int16();
    } else if (upper == "INT" || upper == "INTEGER") {
      type = types::Int32();
    } else if (upper == "BIGINT" || upper == "LONG") {
      type = types::Int64();
    } else if (upper == "FLOAT" || upper == "REAL") {
      type = types::Float32();
    } else if (upper == "DOUBLE") {
      type = types::Float64();
    } else if (upper == "DATE") {
      type = types::Date32();
    } else if (upper == "TIMESTAMP" || upper == "TIMESTAMP_LTZ") {
      type = types::Timestamp();
    } else if (upper == "TIMESTAMP_NTZ") {
      type = types::TimestampNtz();
    } else if (upper == "BINARY") {
      type = types::Binary();
    } else if (upper == "DECIMAL" || upper == "DEC" || upper == "NUMERIC") {
      is_decimal = true;
    } else if (std::find(std::begin(kUnsupportedTypeKeywords), std::end(kUnsupportedTypeKeywords),
                         upper) != std::end(kUnsupportedTypeKeywords)) {
      return Status::NotImplemented(
          "schema: type '{}' at {} is a Spark type that arcflow cannot represent", written,
          Where(name_pos, /*with_excerpt=*/false));
    } else {
      std::string suggestion;
      if (std::optional<std::string_view> close = SuggestType(upper)) {
        suggestion = fmt::format(" (did you mean {}?)", *close);
      }
      return Status::Invalid("schema: unknown type '{}' at {}; expected one of {}{}", written,
                             Where(name_pos, /*with_excerpt=*/false), kTypeNamesForErrors,
                             suggestion);
    }

    size_t parameters_pos = token_.begin;
    std::vector<Parameter> parameters;
    ARCFLOW_RETURN_NOT_OK(ParseParameters(&parameters));
    if (is_decimal) return ParseDecimal(written, parameters);
    if (takes_length) {
      if (parameters.size() != 1) {
        return ErrorAt(parameters.empty() ? parameters_pos : parameters[0].pos,
                       fmt::format("type '{}' takes exactly one length parameter, as in {}(10)",
                                   written, upper));
      }
      if (parameters[0].value < 0) {
        return ErrorAt(parameters[0].pos, fmt::format("length of '{}' is too large", written));
      }
    } else if (!parameters.empty()) {
      return ErrorAt(parameters_pos, fmt::format("type '{}' takes no parameters", written));
    }
    if (upper == "STRING" && IsWord("COLLATE")) {
      return Status::NotImplemented("schema: string collations are not supported, at {}",
                                    Where(token_.begin));
    }
    return type;
  }

  std::string_view text_;
  size_t pos_ = 0;
  Token token_;
};

// ---------------------------------------------------------------------------------------------
// Printer

bool IsReservedWord(std::string_view upper_word) {
  return std::find(std::begin(kReservedWords), std::end(kReservedWords), upper_word) !=
         std::end(kReservedWords);
}

void AppendName(std::string_view name, std::string* out) {
  bool plain = !name.empty() && !(name[0] >= '0' && name[0] <= '9') &&
               std::all_of(name.begin(), name.end(), IsWordChar) &&
               !IsReservedWord(AsciiUpper(name));
  if (plain) {
    out->append(name);
    return;
  }
  out->push_back('`');
  for (char c : name) {
    if (c == '`') out->push_back('`');
    out->push_back(c);
  }
  out->push_back('`');
}

// Writes `text` as a single-quoted Spark SQL string literal that LexString reads back exactly.
void AppendStringLiteral(std::string_view text, std::string* out) {
  out->push_back('\'');
  for (char c : text) {
    switch (c) {
      case '\'':
        out->append("\\'");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      case '\b':
        out->append("\\b");
        break;
      case '\x1A':
        out->append("\\Z");
        break;
      default: {
        auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte == 0x7F) {
          // \u rather than \0 so that a following digit cannot turn it into an octal escape.
          out->append(fmt::format("\\u{:04X}", byte));
        } else {
          out->push_back(c);
        }
      }
    }
  }
  out->push_back('\'');
}

void AppendDdlType(const DataType& type, std::string* out);

void AppendDdlField(const Field& field, bool in_struct, std::string* out) {
  AppendName(field.name, out);
  out->append(in_struct ? ": " : " ");
  AppendDdlType(*field.type, out);
  if (!field.nullable) out->append(" NOT NULL");
  if (std::optional<std::string_view> raw = field.GetMetadata("comment")) {
    if (std::optional<std::string> comment = UnquoteJsonString(*raw)) {
      out->append(" COMMENT ");
      AppendStringLiteral(*comment, out);
    }
  }
}

void AppendDdlType(const DataType& type, std::string* out) {
  switch (type.id()) {
    case TypeId::kBoolean:
      out->append("BOOLEAN");
      return;
    case TypeId::kInt8:
      out->append("TINYINT");
      return;
    case TypeId::kInt16:
      out->append("SMALLINT");
      return;
    case TypeId::kInt32:
      out->append("INT");
      return;
    case TypeId::kInt64:
      out->append("BIGINT");
      return;
    case TypeId::kFloat32:
      out->append("FLOAT");
      return;
    case TypeId::kFloat64:
      out->append("DOUBLE");
      return;
    case TypeId::kDecimal128:
      out->append(fmt::format("DECIMAL({},{})", type.precision(), type.scale()));
      return;
    case TypeId::kString:
      out->append("STRING");
      return;
    case TypeId::kBinary:
      out->append("BINARY");
      return;
    case TypeId::kDate32:
      out->append("DATE");
      return;
    case TypeId::kTimestamp:
      out->append(type.utc_adjusted() ? "TIMESTAMP" : "TIMESTAMP_NTZ");
      return;
    case TypeId::kList:
      out->append("ARRAY<");
      AppendDdlType(*type.element_field().type, out);
      out->push_back('>');
      return;
    case TypeId::kMap:
      out->append("MAP<");
      AppendDdlType(*type.key_field().type, out);
      out->append(", ");
      AppendDdlType(*type.value_field().type, out);
      out->push_back('>');
      return;
    case TypeId::kStruct:
      out->append("STRUCT<");
      for (int i = 0; i < type.num_fields(); ++i) {
        if (i > 0) out->append(", ");
        AppendDdlField(type.field(i), /*in_struct=*/true, out);
      }
      out->push_back('>');
      return;
  }
}

}  // namespace

Result<SchemaPtr> ParseDdlSchema(std::string_view ddl) { return DdlParser(ddl).ParseSchema(); }

Result<DataTypePtr> ParseDdlType(std::string_view ddl) { return DdlParser(ddl).ParseSingleType(); }

std::string ToDdl(const Schema& schema) {
  std::string out;
  for (int i = 0; i < schema.num_fields(); ++i) {
    if (i > 0) out.append(", ");
    AppendDdlField(schema.field(i), /*in_struct=*/false, &out);
  }
  return out;
}

std::string ToDdl(const DataType& type) {
  std::string out;
  AppendDdlType(type, &out);
  return out;
}

}  // namespace arcflow
