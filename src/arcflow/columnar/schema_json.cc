#include "arcflow/columnar/schema_json.h"

#include "arcflow/base/ascii.h"
#include "arcflow/base/utf8.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <set>
#include <utility>
#include <vector>

#include "arcflow/base/logging.h"

namespace arcflow {
namespace {

// Bounds the recursion of the reader and of the type conversion on hostile input. A struct
// nested n levels deep takes about 3n JSON levels, so this admits every schema the DDL parser
// accepts with room to spare.
constexpr int kMaxJsonDepth = 512;

// Spark's default decimal, used for the bare name "decimal".
constexpr int32_t kDefaultDecimalPrecision = 10;

// ---------------------------------------------------------------------------------------------
// JSON strings

struct JsonStringError {
  size_t offset;  // into the string body
  const char* reason;
};

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Reads the four hex digits at body[at, at + 4); -1 if they are missing or malformed.
int32_t ReadHex4(std::string_view body, size_t at) {
  if (at + 4 > body.size()) return -1;
  int32_t code = 0;
  for (size_t k = 0; k < 4; ++k) {
    int digit = HexValue(body[at + k]);
    if (digit < 0) return -1;
    code = code * 16 + digit;
  }
  return code;
}

// Decodes the body of a JSON string literal (the text between the quotes) into `out`.
std::optional<JsonStringError> DecodeJsonStringBody(std::string_view body, std::string* out) {
  out->clear();
  out->reserve(body.size());
  size_t i = 0;
  while (i < body.size()) {
    char c = body[i];
    if (c == '"') return JsonStringError{i, "unescaped quote inside a string"};
    if (static_cast<unsigned char>(c) < 0x20) {
      return JsonStringError{i, "unescaped control character inside a string"};
    }
    if (c != '\\') {
      out->push_back(c);
      ++i;
      continue;
    }
    if (i + 1 >= body.size()) return JsonStringError{i, "incomplete escape sequence"};
    char escaped = body[i + 1];
    switch (escaped) {
      case '"':
      case '\\':
      case '/':
        out->push_back(escaped);
        break;
      case 'b':
        out->push_back('\b');
        break;
      case 'f':
        out->push_back('\f');
        break;
      case 'n':
        out->push_back('\n');
        break;
      case 'r':
        out->push_back('\r');
        break;
      case 't':
        out->push_back('\t');
        break;
      case 'u': {
        int32_t unit = ReadHex4(body, i + 2);
        if (unit < 0) return JsonStringError{i, "\\u must be followed by four hex digits"};
        uint32_t code_point = static_cast<uint32_t>(unit);
        if (unit >= 0xDC00 && unit <= 0xDFFF) {
          return JsonStringError{i, "unpaired low surrogate in \\u escape"};
        }
        if (unit >= 0xD800 && unit <= 0xDBFF) {
          // A high surrogate must be followed by an escaped low surrogate.
          int32_t low = -1;
          if (i + 7 < body.size() && body[i + 6] == '\\' && body[i + 7] == 'u') {
            low = ReadHex4(body, i + 8);
          }
          if (low < 0xDC00 || low > 0xDFFF) {
            return JsonStringError{i, "unpaired high surrogate in \\u escape"};
          }
          code_point = 0x10000 + ((static_cast<uint32_t>(unit) - 0xD800) << 10) +
                       (static_cast<uint32_t>(low) - 0xDC00);
          i += 6;
        }
        utf8::Append(code_point, out);
        i += 6;
        continue;
      }
      default:
        return JsonStringError{i, "invalid escape sequence"};
    }
    i += 2;
  }
  return std::nullopt;
}

// ---------------------------------------------------------------------------------------------
// A small JSON document model. Schemas are small, and a tree gives the converter JSON paths
// for its errors and the raw token texts it needs to keep metadata values exactly.

struct JsonMember;

struct JsonValue {
  enum class Kind : uint8_t { kNull, kBoolean, kNumber, kString, kArray, kObject };

  Kind kind = Kind::kNull;
  size_t offset = 0;     // of the value's first byte in the document
  std::string_view raw;  // the exact token text of a scalar (strings keep quotes and escapes)
  std::string text;      // the decoded value of a string
  bool boolean = false;
  std::vector<JsonValue> items;     // array elements
  std::vector<JsonMember> members;  // object members, in document order
};

struct JsonMember {
  std::string_view raw_key;  // with quotes and escapes, as written
  std::string key;           // decoded
  size_t key_offset = 0;
  JsonValue value;
};

std::string_view KindName(JsonValue::Kind kind) {
  switch (kind) {
    case JsonValue::Kind::kNull:
      return "null";
    case JsonValue::Kind::kBoolean:
      return "a boolean";
    case JsonValue::Kind::kNumber:
      return "a number";
    case JsonValue::Kind::kString:
      return "a string";
    case JsonValue::Kind::kArray:
      return "an array";
    case JsonValue::Kind::kObject:
      return "an object";
  }
  return "a value";
}

// Appends `value` with all whitespace between tokens removed; every token keeps its text.
void AppendMinified(const JsonValue& value, std::string* out) {
  switch (value.kind) {
    case JsonValue::Kind::kArray:
      out->push_back('[');
      for (size_t i = 0; i < value.items.size(); ++i) {
        if (i > 0) out->push_back(',');
        AppendMinified(value.items[i], out);
      }
      out->push_back(']');
      return;
    case JsonValue::Kind::kObject:
      out->push_back('{');
      for (size_t i = 0; i < value.members.size(); ++i) {
        if (i > 0) out->push_back(',');
        out->append(value.members[i].raw_key);
        out->push_back(':');
        AppendMinified(value.members[i].value, out);
      }
      out->push_back('}');
      return;
    default:
      out->append(value.raw);
      return;
  }
}

// Shows a little of the text at `offset` in an error message, with control bytes made visible.
std::string Near(std::string_view text, size_t offset) {
  if (offset >= text.size()) return "at end of input";
  constexpr size_t kExcerptBytes = 24;
  size_t end = std::min(text.size(), offset + kExcerptBytes);
  // Do not cut a UTF-8 sequence in half.
  while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) ++end;
  std::string excerpt;
  for (size_t i = offset; i < end; ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c == 0x7F) {
      excerpt += fmt::format("\\x{:02X}", c);
    } else {
      excerpt.push_back(static_cast<char>(c));
    }
  }
  return fmt::format("near '{}'", excerpt);
}

// Reads one JSON document into a JsonValue tree. The tree's string_views point into the
// document, which must outlive it.
class JsonReader {
 public:
  explicit JsonReader(std::string_view text) : text_(text) {}

  Status ReadDocument(JsonValue* out) {
    size_t bad = utf8::FindInvalid(text_);
    if (bad != std::string_view::npos) {
      return Status::Invalid("schema json: invalid UTF-8 at offset {}", bad);
    }
    SkipWhitespace();
    ARCFLOW_RETURN_NOT_OK(ReadValue(/*depth=*/0, out));
    SkipWhitespace();
    if (pos_ != text_.size()) return SyntaxError("unexpected text after the JSON value");
    return Status::OK();
  }

 private:
  Status SyntaxError(std::string_view what) const { return SyntaxErrorAt(what, pos_); }
  Status SyntaxErrorAt(std::string_view what, size_t offset) const {
    return Status::Invalid("schema json: {} at offset {} {}", what, offset, Near(text_, offset));
  }

  void SkipWhitespace() {
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') break;
      ++pos_;
    }
  }

  Status ReadValue(int depth, JsonValue* out) {
    if (depth >= kMaxJsonDepth) {
      return SyntaxError(fmt::format("JSON nested deeper than {} levels", kMaxJsonDepth));
    }
    if (pos_ >= text_.size()) return SyntaxError("expected a JSON value");
    out->offset = pos_;
    char c = text_[pos_];
    switch (c) {
      case '{':
        return ReadObject(depth, out);
      case '[':
        return ReadArray(depth, out);
      case '"':
        out->kind = JsonValue::Kind::kString;
        return ReadString(&out->raw, &out->text);
      case 't':
        out->kind = JsonValue::Kind::kBoolean;
        out->boolean = true;
        return ReadLiteral("true", out);
      case 'f':
        out->kind = JsonValue::Kind::kBoolean;
        out->boolean = false;
        return ReadLiteral("false", out);
      case 'n':
        out->kind = JsonValue::Kind::kNull;
        return ReadLiteral("null", out);
      default:
        if (c == '-' || (c >= '0' && c <= '9')) return ReadNumber(out);
        return SyntaxError("expected a JSON value");
    }
  }

  Status ReadLiteral(std::string_view literal, JsonValue* out) {
    if (text_.substr(pos_, literal.size()) != literal) return SyntaxError("expected a JSON value");
    out->raw = text_.substr(pos_, literal.size());
    pos_ += literal.size();
    return Status::OK();
  }

  bool AtDigit() const { return pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9'; }

  Status ReadNumber(JsonValue* out) {
    size_t start = pos_;
    if (text_[pos_] == '-') ++pos_;
    if (!AtDigit()) return SyntaxError("expected a digit in a number");
    if (text_[pos_] == '0') {
      ++pos_;
    } else {
      while (AtDigit()) ++pos_;
    }
    if (pos_ < text_.size() && text_[pos_] == '.') {
      ++pos_;
      if (!AtDigit()) return SyntaxError("expected a digit after the decimal point");
      while (AtDigit()) ++pos_;
    }
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      ++pos_;
      if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
      if (!AtDigit()) return SyntaxError("expected a digit in the exponent");
      while (AtDigit()) ++pos_;
    }
    out->kind = JsonValue::Kind::kNumber;
    out->raw = text_.substr(start, pos_ - start);
    return Status::OK();
  }

  // REQUIRES: text_[pos_] == '"'.
  Status ReadString(std::string_view* raw, std::string* decoded) {
    size_t start = pos_;
    size_t i = pos_ + 1;
    while (true) {
      if (i >= text_.size()) return SyntaxErrorAt("unterminated string", start);
      char c = text_[i];
      if (c == '"') break;
      if (c == '\\') {
        i += 2;
        continue;
      }
      ++i;
    }
    *raw = text_.substr(start, i + 1 - start);
    pos_ = i + 1;
    std::optional<JsonStringError> error =
        DecodeJsonStringBody(raw->substr(1, raw->size() - 2), decoded);
    if (error) return SyntaxErrorAt(error->reason, start + 1 + error->offset);
    return Status::OK();
  }

  Status ReadArray(int depth, JsonValue* out) {
    out->kind = JsonValue::Kind::kArray;
    ++pos_;
    SkipWhitespace();
    if (pos_ < text_.size() && text_[pos_] == ']') {
      ++pos_;
      return Status::OK();
    }
    while (true) {
      out->items.emplace_back();
      ARCFLOW_RETURN_NOT_OK(ReadValue(depth + 1, &out->items.back()));
      SkipWhitespace();
      if (pos_ >= text_.size()) return SyntaxError("unterminated array; expected ',' or ']'");
      char c = text_[pos_++];
      if (c == ']') return Status::OK();
      if (c != ',') {
        --pos_;
        return SyntaxError("expected ',' or ']' in an array");
      }
      SkipWhitespace();
    }
  }

  Status ReadObject(int depth, JsonValue* out) {
    out->kind = JsonValue::Kind::kObject;
    ++pos_;
    SkipWhitespace();
    if (pos_ < text_.size() && text_[pos_] == '}') {
      ++pos_;
      return Status::OK();
    }
    while (true) {
      if (pos_ >= text_.size() || text_[pos_] != '"') {
        return SyntaxError("expected a quoted key in an object");
      }
      JsonMember& member = out->members.emplace_back();
      member.key_offset = pos_;
      ARCFLOW_RETURN_NOT_OK(ReadString(&member.raw_key, &member.key));
      SkipWhitespace();
      if (pos_ >= text_.size() || text_[pos_] != ':') {
        return SyntaxError("expected ':' after an object key");
      }
      ++pos_;
      SkipWhitespace();
      ARCFLOW_RETURN_NOT_OK(ReadValue(depth + 1, &member.value));
      SkipWhitespace();
      if (pos_ >= text_.size()) return SyntaxError("unterminated object; expected ',' or '}'");
      char c = text_[pos_++];
      if (c == '}') return Status::OK();
      if (c != ',') {
        --pos_;
        return SyntaxError("expected ',' or '}' in an object");
      }
      SkipWhitespace();
    }
  }

  std::string_view text_;
  size_t pos_ = 0;
};

// ---------------------------------------------------------------------------------------------
// JSON tree → DataType

std::string JoinPath(const std::string& path, std::string_view key) {
  if (path.empty()) return std::string(key);
  return fmt::format("{}.{}", path, key);
}

std::string DescribePath(const std::string& path) {
  return path.empty() ? std::string("the top level") : path;
}

Status InvalidAt(const std::string& path, const JsonValue& value, std::string_view what) {
  return Status::Invalid("schema json: {} at {} (offset {})", what, DescribePath(path),
                         value.offset);
}

const JsonValue* FindMember(const JsonValue& object, std::string_view key) {
  for (const JsonMember& member : object.members) {
    if (member.key == key) return &member.value;
  }
  return nullptr;
}

// Rejects keys outside `allowed` and repeated keys: Spark rejects the first, and either would
// otherwise be dropped silently on the way back out.
Status CheckKeys(const JsonValue& object, const std::string& path,
                 std::initializer_list<std::string_view> allowed) {
  for (size_t i = 0; i < object.members.size(); ++i) {
    const JsonMember& member = object.members[i];
    bool known = false;
    for (std::string_view key : allowed) known = known || member.key == key;
    if (!known) {
      std::string expected;
      for (std::string_view key : allowed) {
        if (!expected.empty()) expected += ", ";
        expected += fmt::format("\"{}\"", key);
      }
      return Status::Invalid("schema json: unexpected key {} at {} (offset {}); expected {}",
                             member.raw_key, DescribePath(path), member.key_offset, expected);
    }
    for (size_t j = 0; j < i; ++j) {
      if (object.members[j].key == member.key) {
        return Status::Invalid("schema json: duplicate key {} at {} (offset {})", member.raw_key,
                               DescribePath(path), member.key_offset);
      }
    }
  }
  return Status::OK();
}

Result<const JsonValue*> RequireMember(const JsonValue& object, const std::string& path,
                                       std::string_view key, std::optional<JsonValue::Kind> kind) {
  const JsonValue* value = FindMember(object, key);
  if (value == nullptr) {
    return InvalidAt(path, object, fmt::format("missing key \"{}\"", key));
  }
  if (kind && value->kind != *kind) {
    return InvalidAt(JoinPath(path, key), *value,
                     fmt::format("expected {}, found {}", KindName(*kind), KindName(value->kind)));
  }
  return value;
}

bool IsJsonSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Spark's JSON names of the primitive types that need no parameters.
DataTypePtr PrimitiveFromJsonName(std::string_view name) {
  if (name == "string") return types::String();
  if (name == "long") return types::Int64();
  if (name == "integer") return types::Int32();
  if (name == "short") return types::Int16();
  if (name == "byte") return types::Int8();
  if (name == "float") return types::Float32();
  if (name == "double") return types::Float64();
  if (name == "boolean") return types::Boolean();
  if (name == "binary") return types::Binary();
  if (name == "date") return types::Date32();
  if (name == "timestamp") return types::Timestamp();
  if (name == "timestamp_ntz") return types::TimestampNtz();
  if (name == "decimal") return types::Decimal(kDefaultDecimalPrecision, 0);
  return nullptr;
}

// Spark types that are valid in a schema but have no arcflow columnar form.
bool IsUnsupportedSparkTypeName(std::string_view name) {
  for (std::string_view exact : {"void", "null", "variant", "calendarinterval"}) {
    if (name == exact) return true;
  }
  for (std::string_view prefix :
       {"interval", "char(", "varchar(", "geometry", "geography", "time(", "string collate"}) {
    if (name.substr(0, prefix.size()) == prefix) return true;
  }
  return false;
}

// Parses the digits at `text[*pos]`, skipping surrounding whitespace. Values past 9 digits are
// reported as out of range through `*value` = -1 rather than overflowing.
bool ReadSmallInteger(std::string_view text, size_t* pos, int64_t* value) {
  while (*pos < text.size() && IsJsonSpace(text[*pos])) ++*pos;
  size_t start = *pos;
  int64_t result = 0;
  while (*pos < text.size() && text[*pos] >= '0' && text[*pos] <= '9') {
    if (*pos - start < 9) result = result * 10 + (text[*pos] - '0');
    ++*pos;
  }
  if (*pos == start) return false;
  *value = (*pos - start > 9) ? -1 : result;
  while (*pos < text.size() && IsJsonSpace(text[*pos])) ++*pos;
  return true;
}

Result<DataTypePtr> DecimalFromJsonName(std::string_view name, const std::string& path,
                                        const JsonValue& value) {
  // Spark writes "decimal(p,s)" and reads it back allowing whitespace around the numbers.
  auto malformed = [&]() {
    return InvalidAt(
        path, value,
        fmt::format("malformed decimal type \"{}\"; expected \"decimal(p,s)\"", value.text));
  };
  size_t pos = std::string_view("decimal(").size();
  int64_t precision = 0;
  int64_t scale = 0;
  if (!ReadSmallInteger(name, &pos, &precision)) return malformed();
  if (pos >= name.size() || name[pos] != ',') return malformed();
  ++pos;
  if (pos < name.size() && name[pos] == '-') {
    return InvalidAt(path, value,
                     fmt::format("decimal type \"{}\" has a negative scale, which arcflow does "
                                 "not support",
                                 value.text));
  }
  if (!ReadSmallInteger(name, &pos, &scale)) return malformed();
  if (pos + 1 != name.size() || name[pos] != ')') return malformed();
  if (precision < 1 || precision > kMaxDecimalPrecision) {
    return InvalidAt(path, value,
                     fmt::format("decimal precision in \"{}\" is out of range; must be between "
                                 "1 and {}",
                                 value.text, kMaxDecimalPrecision));
  }
  if (scale < 0 || scale > precision) {
    return InvalidAt(path, value,
                     fmt::format("decimal scale in \"{}\" is out of range; must be between 0 "
                                 "and the precision",
                                 value.text));
  }
  return types::Decimal(static_cast<int32_t>(precision), static_cast<int32_t>(scale));
}

Result<DataTypePtr> TypeFromJsonName(const JsonValue& value, const std::string& path) {
  const std::string& name = value.text;
  if (DataTypePtr type = PrimitiveFromJsonName(name)) return type;
  if (name.rfind("decimal(", 0) == 0) return DecimalFromJsonName(name, path, value);
  if (IsUnsupportedSparkTypeName(name)) {
    return Status::NotImplemented(
        "schema json: type \"{}\" at {} (offset {}) is a Spark type that arcflow cannot "
        "represent",
        name, DescribePath(path), value.offset);
  }
  return InvalidAt(path, value,
                   fmt::format("unknown type {}; expected one of string, long, integer, short, "
                               "byte, float, double, boolean, binary, date, timestamp, "
                               "timestamp_ntz, decimal(p,s), or a struct, array or map object",
                               value.raw));
}

Result<DataTypePtr> TypeFromJson(const JsonValue& value, const std::string& path);

Result<Field> FieldFromJson(const JsonValue& value, const std::string& path) {
  if (value.kind != JsonValue::Kind::kObject) {
    return InvalidAt(path, value,
                     fmt::format("expected a field object, found {}", KindName(value.kind)));
  }
  ARCFLOW_RETURN_NOT_OK(CheckKeys(value, path, {"name", "type", "nullable", "metadata"}));
  ARCFLOW_ASSIGN_OR_RETURN(const JsonValue* name,
                           RequireMember(value, path, "name", JsonValue::Kind::kString));
  ARCFLOW_ASSIGN_OR_RETURN(const JsonValue* type_json,
                           RequireMember(value, path, "type", std::nullopt));
  ARCFLOW_ASSIGN_OR_RETURN(const JsonValue* nullable,
                           RequireMember(value, path, "nullable", JsonValue::Kind::kBoolean));
  ARCFLOW_ASSIGN_OR_RETURN(DataTypePtr type, TypeFromJson(*type_json, JoinPath(path, "type")));

  // Spark writes "metadata" always but reads a field without it as having none.
  FieldMetadata metadata;
  if (const JsonValue* metadata_json = FindMember(value, "metadata")) {
    std::string metadata_path = JoinPath(path, "metadata");
    if (metadata_json->kind != JsonValue::Kind::kObject) {
      return InvalidAt(metadata_path, *metadata_json,
                       fmt::format("expected an object, found {}", KindName(metadata_json->kind)));
    }
    std::set<std::string_view> seen;
    metadata.reserve(metadata_json->members.size());
    for (const JsonMember& member : metadata_json->members) {
      if (!seen.insert(member.key).second) {
        return Status::Invalid("schema json: duplicate key {} at {} (offset {})", member.raw_key,
                               metadata_path, member.key_offset);
      }
      std::string raw;
      AppendMinified(member.value, &raw);
      metadata.emplace_back(member.key, std::move(raw));
    }
  }
  return Field(name->text, std::move(type), nullable->boolean, std::move(metadata));
}

Result<DataTypePtr> StructFromJson(const JsonValue& value, const std::string& path) {
  ARCFLOW_RETURN_NOT_OK(CheckKeys(value, path, {"type", "fields"}));
  ARCFLOW_ASSIGN_OR_RETURN(const JsonValue* fields_json,
                           RequireMember(value, path, "fields", JsonValue::Kind::kArray));
  std::vector<Field> fields;
  fields.reserve(fields_json->items.size());
  std::set<std::string> lower_names;
  std::string fields_path = JoinPath(path, "fields");
  for (size_t i = 0; i < fields_json->items.size(); ++i) {
    std::string field_path = fmt::format("{}[{}]", fields_path, i);
    ARCFLOW_ASSIGN_OR_RETURN(Field field, FieldFromJson(fields_json->items[i], field_path));
    // Delta, like Spark's default case-insensitive resolution, cannot tell apart names that
    // differ only in case.
    if (!lower_names.insert(ascii::ToLower(field.name)).second) {
      return InvalidAt(field_path, fields_json->items[i],
                       fmt::format("duplicate field name {} (names are case-insensitive)",
                                   QuoteJsonString(field.name)));
    }
    fields.push_back(std::move(field));
  }
  return types::Struct(std::move(fields));
}

Result<DataTypePtr> TypeFromJson(const JsonValue& value, const std::string& path) {
  if (value.kind == JsonValue::Kind::kString) return TypeFromJsonName(value, path);
  if (value.kind != JsonValue::Kind::kObject) {
    return InvalidAt(
        path, value,
        fmt::format("expected a type name or a type object, found {}", KindName(value.kind)));
  }
  ARCFLOW_ASSIGN_OR_RETURN(const JsonValue* kind,
                           RequireMember(value, path, "type", JsonValue::Kind::kString));
  const std::string& name = kind->text;
  if (name == "struct") return StructFromJson(value, path);
  if (name == "array") {
    ARCFLOW_RETURN_NOT_OK(CheckKeys(value, path, {"type", "elementType", "containsNull"}));
    ARCFLOW_ASSIGN_OR_RETURN(const JsonValue* element,
                             RequireMember(value, path, "elementType", std::nullopt));
    ARCFLOW_ASSIGN_OR_RETURN(const JsonValue* contains_null,
                             RequireMember(value, path, "containsNull", JsonValue::Kind::kBoolean));
    ARCFLOW_ASSIGN_OR_RETURN(DataTypePtr element_type,
                             TypeFromJson(*element, JoinPath(path, "elementType")));
    return types::List(std::move(element_type), contains_null->boolean);
  }
  if (name == "map") {
    ARCFLOW_RETURN_NOT_OK(
        CheckKeys(value, path, {"type", "keyType", "valueType", "valueContainsNull"}));
    ARCFLOW_ASSIGN_OR_RETURN(const JsonValue* key,
                             RequireMember(value, path, "keyType", std::nullopt));
    ARCFLOW_ASSIGN_OR_RETURN(const JsonValue* map_value,
                             RequireMember(value, path, "valueType", std::nullopt));
    ARCFLOW_ASSIGN_OR_RETURN(
        const JsonValue* value_contains_null,
        RequireMember(value, path, "valueContainsNull", JsonValue::Kind::kBoolean));
    ARCFLOW_ASSIGN_OR_RETURN(DataTypePtr key_type, TypeFromJson(*key, JoinPath(path, "keyType")));
    ARCFLOW_ASSIGN_OR_RETURN(DataTypePtr value_type,
                             TypeFromJson(*map_value, JoinPath(path, "valueType")));
    return types::Map(std::move(key_type), std::move(value_type), value_contains_null->boolean);
  }
  if (name == "udt") {
    return Status::NotImplemented(
        "schema json: user-defined type at {} (offset {}) is a Spark type that arcflow cannot "
        "represent",
        DescribePath(path), value.offset);
  }
  return InvalidAt(JoinPath(path, "type"), *kind,
                   fmt::format("unknown nested type {}; expected \"struct\", \"array\" or "
                               "\"map\"",
                               kind->raw));
}

// ---------------------------------------------------------------------------------------------
// DataType → JSON text

void AppendTypeJson(const DataType& type, std::string* out);

void AppendFieldJson(const Field& field, std::string* out) {
  out->append("{\"name\":");
  out->append(QuoteJsonString(field.name));
  out->append(",\"type\":");
  AppendTypeJson(*field.type, out);
  out->append(field.nullable ? ",\"nullable\":true" : ",\"nullable\":false");
  out->append(",\"metadata\":{");
  for (size_t i = 0; i < field.metadata.size(); ++i) {
    const auto& [key, raw_value] = field.metadata[i];
    ARCFLOW_DCHECK(!raw_value.empty());
    if (i > 0) out->push_back(',');
    out->append(QuoteJsonString(key));
    out->push_back(':');
    out->append(raw_value);
  }
  out->append("}}");
}

void AppendFieldsJson(const std::vector<Field>& fields, std::string* out) {
  out->append("{\"type\":\"struct\",\"fields\":[");
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out->push_back(',');
    AppendFieldJson(fields[i], out);
  }
  out->append("]}");
}

void AppendTypeJson(const DataType& type, std::string* out) {
  switch (type.id()) {
    case TypeId::kBoolean:
      out->append("\"boolean\"");
      return;
    case TypeId::kInt8:
      out->append("\"byte\"");
      return;
    case TypeId::kInt16:
      out->append("\"short\"");
      return;
    case TypeId::kInt32:
      out->append("\"integer\"");
      return;
    case TypeId::kInt64:
      out->append("\"long\"");
      return;
    case TypeId::kFloat32:
      out->append("\"float\"");
      return;
    case TypeId::kFloat64:
      out->append("\"double\"");
      return;
    case TypeId::kDecimal128:
      out->append(fmt::format("\"decimal({},{})\"", type.precision(), type.scale()));
      return;
    case TypeId::kString:
      out->append("\"string\"");
      return;
    case TypeId::kBinary:
      out->append("\"binary\"");
      return;
    case TypeId::kDate32:
      out->append("\"date\"");
      return;
    case TypeId::kTimestamp:
      out->append(type.utc_adjusted() ? "\"timestamp\"" : "\"timestamp_ntz\"");
      return;
    case TypeId::kStruct:
      AppendFieldsJson(type.fields(), out);
      return;
    case TypeId::kList:
      out->append("{\"type\":\"array\",\"elementType\":");
      AppendTypeJson(*type.element_field().type, out);
      out->append(type.element_field().nullable ? ",\"containsNull\":true}"
                                                : ",\"containsNull\":false}");
      return;
    case TypeId::kMap:
      out->append("{\"type\":\"map\",\"keyType\":");
      AppendTypeJson(*type.key_field().type, out);
      out->append(",\"valueType\":");
      AppendTypeJson(*type.value_field().type, out);
      out->append(type.value_field().nullable ? ",\"valueContainsNull\":true}"
                                              : ",\"valueContainsNull\":false}");
      return;
  }
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Public API

Result<SchemaPtr> ParseStructTypeJson(std::string_view json) {
  JsonValue document;
  ARCFLOW_RETURN_NOT_OK(JsonReader(json).ReadDocument(&document));
  const std::string root;
  if (document.kind != JsonValue::Kind::kObject) {
    return InvalidAt(
        root, document,
        fmt::format("expected a struct type object, found {}", KindName(document.kind)));
  }
  ARCFLOW_ASSIGN_OR_RETURN(const JsonValue* kind,
                           RequireMember(document, root, "type", JsonValue::Kind::kString));
  if (kind->text != "struct") {
    return InvalidAt("type", *kind,
                     fmt::format("expected \"struct\" for a schema, found {}", kind->raw));
  }
  ARCFLOW_ASSIGN_OR_RETURN(DataTypePtr type, StructFromJson(document, root));
  return std::make_shared<const Schema>(type->fields());
}

Result<DataTypePtr> ParseDataTypeJson(std::string_view json) {
  JsonValue document;
  ARCFLOW_RETURN_NOT_OK(JsonReader(json).ReadDocument(&document));
  return TypeFromJson(document, std::string());
}

std::string ToStructTypeJson(const Schema& schema) {
  std::string out;
  AppendFieldsJson(schema.fields(), &out);
  return out;
}

std::string ToDataTypeJson(const DataType& type) {
  std::string out;
  AppendTypeJson(type, &out);
  return out;
}

std::string QuoteJsonString(std::string_view text) {
  static constexpr char kHexDigits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size() + 2);
  out.push_back('"');
  for (char c : text) {
    switch (c) {
      case '"':
        out.append("\\\"");
        break;
      case '\\':
        out.append("\\\\");
        break;
      case '\b':
        out.append("\\b");
        break;
      case '\t':
        out.append("\\t");
        break;
      case '\n':
        out.append("\\n");
        break;
      case '\f':
        out.append("\\f");
        break;
      case '\r':
        out.append("\\r");
        break;
      default: {
        auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20) {
          out.append("\\u00");
          out.push_back(kHexDigits[byte >> 4]);
          out.push_back(kHexDigits[byte & 0xF]);
        } else {
          out.push_back(c);
        }
      }
    }
  }
  out.push_back('"');
  return out;
}

std::optional<std::string> UnquoteJsonString(std::string_view literal) {
  if (literal.size() < 2 || literal.front() != '"' || literal.back() != '"') return std::nullopt;
  if (utf8::FindInvalid(literal) != std::string_view::npos) return std::nullopt;
  std::string decoded;
  if (DecodeJsonStringBody(literal.substr(1, literal.size() - 2), &decoded)) return std::nullopt;
  return decoded;
}

}  // namespace arcflow
