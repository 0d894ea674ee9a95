#include "arcflow/json/json_row_decoder.h"

#include <algorithm>
#include <cfloat>
#include <charconv>
#include <cstring>
#include <limits>
#include <optional>
#include <string_view>
#include <type_traits>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "arcflow/columnar/schema_ddl.h"
#include "arcflow/columnar/value_parse.h"
#include "arcflow/json/base64_decode.h"
#include "arcflow/json/json_token.h"
#include "arcflow/json/json_value_parse.h"
#include "arcflow/json/rollback_builder.h"

namespace arcflow::json {

namespace od = simdjson::ondemand;
using simdjson::error_code;

namespace {

// The conversions the decoder knows, one per Spark type it reads.
enum class Kind : uint8_t {
  kBoolean,
  kInt8,
  kInt16,
  kInt32,
  kInt64,
  kFloat32,
  kFloat64,
  kDecimal,
  kString,
  kBinary,
  kDate,
  kTimestamp,
  kTimestampNtz,
  // The nested kinds come last.
  kStruct,
  kList,
  kMap,
};

Kind KindOf(const DataType& type) {
  switch (type.id()) {
    case TypeId::kBoolean:
      return Kind::kBoolean;
    case TypeId::kInt8:
      return Kind::kInt8;
    case TypeId::kInt16:
      return Kind::kInt16;
    case TypeId::kInt32:
      return Kind::kInt32;
    case TypeId::kInt64:
      return Kind::kInt64;
    case TypeId::kFloat32:
      return Kind::kFloat32;
    case TypeId::kFloat64:
      return Kind::kFloat64;
    case TypeId::kDecimal128:
      return Kind::kDecimal;
    case TypeId::kString:
      return Kind::kString;
    case TypeId::kBinary:
      return Kind::kBinary;
    case TypeId::kDate32:
      return Kind::kDate;
    case TypeId::kTimestamp:
      return type.utc_adjusted() ? Kind::kTimestamp : Kind::kTimestampNtz;
    case TypeId::kStruct:
      return Kind::kStruct;
    case TypeId::kList:
      return Kind::kList;
    case TypeId::kMap:
      return Kind::kMap;
  }
  return Kind::kString;
}

constexpr int64_t kMicrosPerSecond = 1000000;

// Finds struct members by the raw bytes of a JSON key. Records of one file nearly always list
// their keys in the same order, so the member found at each position of the previous object is
// tried first, straight against the input; a hash table answers the rest.
class FieldIndex {
 public:
  void Build(std::vector<std::string_view> names) {
    names_ = std::move(names);
    size_t slots = 8;
    while (slots < names_.size() * 2) slots *= 2;
    slots_.assign(slots, 0);
    mask_ = slots - 1;
    spellings_.clear();
    for (size_t i = 0; i < names_.size(); ++i) {
      size_t slot = Hash(names_[i]) & mask_;
      // The first of duplicate names wins, as the lookup of a name by index does.
      bool duplicate = false;
      while (slots_[slot] != 0) {
        if (names_[static_cast<size_t>(slots_[slot] - 1)] == names_[i]) duplicate = true;
        slot = (slot + 1) & mask_;
      }
      if (!duplicate) slots_[slot] = static_cast<int32_t>(i + 1);
      spellings_.push_back(MakeSpelling(names_[i], static_cast<int>(i)));
    }
    predicted_.assign(names_.size() * 2 + 4, Spelling());
  }

  // The member the key at `position` named in the previous object, when the raw key (the
  // input after the opening quote) spells the same name (`*length` bytes); else -1.
  int MatchPredicted(const char* raw, int position, size_t* length) const {
    if (static_cast<size_t>(position) >= predicted_.size()) return -1;
    // The guess is kept whole in predicted_, so that it is one load away.
    const Spelling& guess = predicted_[static_cast<size_t>(position)];
    if (guess.length <= 16) {
      // Two 8-byte loads: the input is padded well past any key.
      uint64_t low;
      uint64_t high;
      std::memcpy(&low, raw, 8);
      std::memcpy(&high, raw + 8, 8);
      if (((low & guess.mask[0]) ^ guess.word[0]) | ((high & guess.mask[1]) ^ guess.word[1])) {
        return -1;
      }
    } else if (guess.length >= simdjson::SIMDJSON_PADDING ||
               std::memcmp(raw, names_[static_cast<size_t>(guess.index)].data(), guess.length) !=
                   0) {
      return -1;
    }
    *length = guess.length;
    return raw[guess.length] == '"' ? guess.index : -1;
  }
  int MatchPredicted(const char* raw, int position) const {
    size_t length;
    return MatchPredicted(raw, position, &length);
  }

  // The index of the member named `key`, or -1. `position` is the key's position within its
  // object, or -1 when unknown.
  int Find(std::string_view key, int position) {
    int found = Lookup(key);
    if (position >= 0 && static_cast<size_t>(position) < predicted_.size()) {
      predicted_[static_cast<size_t>(position)] =
          found >= 0 ? spellings_[static_cast<size_t>(found)] : Spelling();
    }
    return found;
  }

 private:
  static size_t Hash(std::string_view key) {
    uint64_t hash = 1469598103934665603ULL;
    for (char c : key) {
      hash ^= static_cast<uint8_t>(c);
      hash *= 1099511628211ULL;
    }
    return static_cast<size_t>(hash ^ (hash >> 29));
  }

  int Lookup(std::string_view key) const {
    size_t slot = Hash(key) & mask_;
    while (slots_[slot] != 0) {
      int index = slots_[slot] - 1;
      if (names_[static_cast<size_t>(index)] == key) return index;
      slot = (slot + 1) & mask_;
    }
    return -1;
  }

  // A name as its bytes appear in JSON input, for comparison straight against the input: the
  // first 16 bytes as two words with masks. Names that JSON spells differently (with a quote,
  // backslash or control character, which it escapes), that are not valid UTF-8 (and so never
  // in valid input) or that are too long to compare within the input's padding never match
  // this way; nor does the default Spelling.
  struct Spelling {
    uint64_t word[2] = {0, 0};
    uint64_t mask[2] = {0, 0};
    size_t length = simdjson::SIMDJSON_PADDING;
    int index = -1;  // The member spelled.
  };

  static Spelling MakeSpelling(std::string_view name, int index) {
    Spelling spelling;
    spelling.index = index;
    if (name.size() >= simdjson::SIMDJSON_PADDING ||
        std::any_of(
            name.begin(), name.end(),
            [](char c) { return c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20; }) ||
        !simdjson::validate_utf8(name.data(), name.size())) {
      return spelling;
    }
    spelling.length = name.size();
    char bytes[16] = {};
    char ones[16] = {};
    size_t prefix = std::min<size_t>(name.size(), 16);
    std::memcpy(bytes, name.data(), prefix);
    std::memset(ones, 0xFF, prefix);
    std::memcpy(spelling.word, bytes, 16);
    std::memcpy(spelling.mask, ones, 16);
    return spelling;
  }

  std::vector<std::string_view> names_;  // Views of the names held by the schema's types.
  std::vector<Spelling> spellings_;
  std::vector<int32_t> slots_;  // Member index + 1; 0 marks an empty slot.
  size_t mask_ = 0;
  std::vector<Spelling> predicted_;
};

// One column or nested member of the schema: how to convert a JSON value into it and the
// builder that receives it.
struct Node {
  Kind kind = Kind::kString;
  const DataType* type = nullptr;
  RollbackBuilder* builder = nullptr;
  std::string name;         // The member's name, for error messages.
  std::string type_name;    // Spark DDL name of the type, for error messages: "INT".
  std::string a_type_name;  // The same with its article: "an INT".
  // Struct members; a list's element; a map's key and value.
  std::vector<std::unique_ptr<Node>> children;
  // Structs: the member lookup, and which members the current object has set (an entry equal
  // to `generation` means set).
  FieldIndex index;
  std::vector<uint32_t> seen;
  uint32_t generation = 0;
  // Dates and timestamps: the pattern of the dateFormat/timestampFormat options, if given.
  const DateTimePattern* pattern = nullptr;
};

}  // namespace

class JsonRowDecoder::Impl {
 public:
  Status Init(std::vector<Field> columns, const JsonReadOptions& options) {
    if (!options.date_format.empty()) {
      ARCFLOW_ASSIGN_OR_RETURN(date_pattern_, DateTimePattern::Compile(options.date_format));
    }
    if (!options.timestamp_format.empty()) {
      ARCFLOW_ASSIGN_OR_RETURN(timestamp_pattern_,
                               DateTimePattern::Compile(options.timestamp_format));
    }
    if (!options.timestamp_ntz_format.empty()) {
      ARCFLOW_ASSIGN_OR_RETURN(timestamp_ntz_pattern_,
                               DateTimePattern::Compile(options.timestamp_ntz_format));
    }
    DataTypePtr row_type = types::Struct(std::move(columns));
    root_builder_ = std::make_unique<RollbackBuilder>(row_type);
    ARCFLOW_ASSIGN_OR_RETURN(root_, BuildNode(Field("", row_type), root_builder_.get()));
    return Status::OK();
  }

  bool DecodeRecord(od::document_reference document) {
    failure_ = Failure();
    message_.clear();
    od::json_type type;
    error_code error = document.type().get(type);
    if (error != simdjson::SUCCESS) return FailStructure(error);
    if (type == od::json_type::object) {
      od::object object;
      error = document.get_object().get(object);
      if (error != simdjson::SUCCESS) return FailStructure(error);
      return DecodeStruct(object, *root_);
    }
    if (type != od::json_type::array) {
      return Fail(
          fmt::format("a JSON {} is not a record: a record must be an object or an "
                      "array of objects",
                      JsonTypeName(type)));
    }
    od::array array;
    error = document.get_array().get(array);
    if (error != simdjson::SUCCESS) return FailStructure(error);
    int64_t element_index = 0;
    for (auto element_result : array) {
      error = element_result.error();
      if (error != simdjson::SUCCESS) return FailStructure(error);
      od::value& element = element_result.value_unsafe();
      od::json_type element_type;
      error = element.type().get(element_type);
      if (error != simdjson::SUCCESS) return FailStructure(error);
      failure_.root_element = element_index;
      if (element_type != od::json_type::object) {
        return Fail(
            fmt::format("a JSON {} is not a record: the elements of a top-level array "
                        "must be objects",
                        JsonTypeName(element_type)));
      }
      od::object object;
      error = element.get_object().get(object);
      if (error != simdjson::SUCCESS) return FailStructure(error);
      if (!DecodeStruct(object, *root_)) return false;
      ++element_index;
    }
    failure_.root_element = -1;
    return true;
  }

  // ---- The fast path: a record on a line of its own, read straight from its bytes.

  size_t DecodeLine(std::string_view input) {
    const char* p = input.data();
    input_end_ = p + input.size();
    // A line end, or the whitespace after the input, stops every token.
    if (input.empty() || *p != '{' || (input.back() != '\n' && !IsJsonWhitespace(*input_end_)) ||
        !FastStruct(p, *root_, 0)) {
      return 0;
    }
    const size_t length = static_cast<size_t>(p - input.data());
    // Alone on its line.
    SkipWhitespace(p);
    return p == input_end_ || *p == '\n' ? length : 0;
  }

  const std::string& error() {
    if (message_.empty() && !failure_.reason.empty()) message_ = ComposeMessage();
    return message_;
  }
  bool iterator_broken() const { return failure_.broken; }

  const RollbackBuilder* rows() const { return root_builder_.get(); }
  int64_t num_rows() const { return root_builder_->length(); }
  void AppendNullRow() {
    for (int i = 0; i < root_builder_->num_children(); ++i) root_builder_->child(i)->AppendNull();
    root_builder_->CloseStruct();
  }
  void Truncate(int64_t num_rows) { root_builder_->Truncate(num_rows); }
  int64_t EstimatedBytes() const { return root_builder_->EstimatedBytes(); }

  Result<std::vector<ArrayPtr>> Finish() {
    ARCFLOW_ASSIGN_OR_RETURN(auto row_data, root_builder_->Finish());
    std::vector<ArrayPtr> columns;
    columns.reserve(row_data->children.size());
    for (const auto& child : row_data->children) columns.push_back(MakeArray(child));
    return columns;
  }

 private:
  struct Failure {
    std::string reason;
    std::vector<std::string> path;  // Innermost component first.
    int64_t root_element = -1;      // Element of a top-level array, when the record is one.
    bool broken = false;
  };

  Result<std::unique_ptr<Node>> BuildNode(const Field& field, RollbackBuilder* builder) {
    auto node = std::make_unique<Node>();
    node->kind = KindOf(*field.type);
    node->type = field.type.get();
    node->builder = builder;
    node->name = field.name;
    node->type_name = ToDdl(*field.type);
    bool vowel = std::string_view("AEIOU").find(node->type_name.front()) != std::string_view::npos;
    node->a_type_name = (vowel ? "an " : "a ") + node->type_name;
    switch (node->kind) {
      case Kind::kStruct: {
        std::vector<std::string_view> names;
        for (int i = 0; i < field.type->num_fields(); ++i) {
          const Field& member = field.type->field(i);
          ARCFLOW_ASSIGN_OR_RETURN(auto child, BuildNode(member, builder->child(i)));
          node->children.push_back(std::move(child));
          names.push_back(member.name);
        }
        node->index.Build(std::move(names));
        node->seen.assign(node->children.size(), 0);
        break;
      }
      case Kind::kList: {
        ARCFLOW_ASSIGN_OR_RETURN(auto element,
                                 BuildNode(field.type->element_field(), builder->child(0)));
        node->children.push_back(std::move(element));
        break;
      }
      case Kind::kMap: {
        const Field& key_field = field.type->key_field();
        if (key_field.type->is_nested()) {
          return Status::NotImplemented(
              "json: cannot read map keys of type {} (column '{}'): JSON object keys are text",
              ToDdl(*key_field.type), field.name);
        }
        RollbackBuilder* entries = builder->child(0);
        ARCFLOW_ASSIGN_OR_RETURN(auto key, BuildNode(key_field, entries->child(0)));
        ARCFLOW_ASSIGN_OR_RETURN(auto value,
                                 BuildNode(field.type->value_field(), entries->child(1)));
        node->children.push_back(std::move(key));
        node->children.push_back(std::move(value));
        break;
      }
      case Kind::kDate:
        node->pattern = date_pattern_ ? &*date_pattern_ : nullptr;
        break;
      case Kind::kTimestamp:
        node->pattern = timestamp_pattern_ ? &*timestamp_pattern_ : nullptr;
        break;
      case Kind::kTimestampNtz:
        node->pattern = timestamp_ntz_pattern_ ? &*timestamp_ntz_pattern_ : nullptr;
        break;
      default:
        break;
    }
    return node;
  }

  // ---- Failures. Each returns false so that decoders can `return Fail(...)`.

  bool Fail(std::string reason) {
    failure_.reason = std::move(reason);
    return false;
  }
  // The parser found the document's structure broken; its iterator is no longer usable.
  bool FailStructure(error_code error) {
    failure_.broken = true;
    return Fail(fmt::format("invalid JSON: {}", simdjson::error_message(error)));
  }
  // A single token is not valid JSON (e.g. `tru`, `12abc`); the iterator is still in step.
  bool FailToken(std::string_view token) {
    return Fail(fmt::format("invalid JSON token {}", Abbreviate(TrimTrailingWhitespace(token))));
  }
  // A well-formed value that the column's type does not accept.
  bool FailMismatch(od::value& value, od::json_type type, const Node& node) {
    if (type == od::json_type::object || type == od::json_type::array) {
      return Fail(fmt::format("a JSON {} is not {}", JsonTypeName(type), node.a_type_name));
    }
    return FailValue(value.raw_json_token(), "is not", node.a_type_name);
  }
  bool FailValue(std::string_view token, std::string_view verb, std::string_view type_name) {
    return Fail(
        fmt::format("value {} {} {}", Abbreviate(TrimTrailingWhitespace(token)), verb, type_name));
  }

  std::string ComposeMessage() const {
    std::string message = failure_.reason;
    if (!failure_.path.empty()) {
      std::string path;
      for (auto it = failure_.path.rbegin(); it != failure_.path.rend(); ++it) {
        if (!path.empty() && !it->empty() && it->front() != '[') path += '.';
        path += *it;
      }
      message += fmt::format(" for field '{}'", path);
    }
    if (failure_.root_element >= 0) {
      message += fmt::format(" in element {} of the top-level array", failure_.root_element);
    }
    return message;
  }

  // ---- Conversions. Each appends exactly one value to node.builder, or fails.

  bool DecodeValue(od::value& value, Node& node) {
    od::json_type type;
    if (value.type().get(type) != simdjson::SUCCESS) return DecodeUnknownToken(value, node);
    if (type == od::json_type::null) {
      bool is_null = false;
      if (value.is_null().get(is_null) != simdjson::SUCCESS || !is_null) {
        return FailToken(value.raw_json_token());
      }
      node.builder->AppendNull();
      return true;
    }
    switch (node.kind) {
      case Kind::kBoolean: {
        if (type != od::json_type::boolean) return FailMismatch(value, type, node);
        bool flag = false;
        if (value.get_bool().get(flag) != simdjson::SUCCESS) {
          return FailToken(value.raw_json_token());
        }
        node.builder->AppendBoolean(flag);
        return true;
      }
      case Kind::kInt8:
        return DecodeInteger<int8_t>(value, type, node);
      case Kind::kInt16:
        return DecodeInteger<int16_t>(value, type, node);
      case Kind::kInt32:
        return DecodeInteger<int32_t>(value, type, node);
      case Kind::kInt64:
        return DecodeInteger<int64_t>(value, type, node);
      case Kind::kFloat32:
        return DecodeFloating<float>(value, type, node);
      case Kind::kFloat64:
        return DecodeFloating<double>(value, type, node);
      case Kind::kDecimal:
        return DecodeDecimal(value, type, node);
      case Kind::kString:
        return DecodeString(value, type, node);
      case Kind::kBinary:
        return DecodeBinary(value, type, node);
      case Kind::kDate:
        return DecodeDate(value, type, node);
      case Kind::kTimestamp:
      case Kind::kTimestampNtz:
        return DecodeTimestamp(value, type, node);
      case Kind::kStruct: {
        if (type != od::json_type::object) return FailMismatch(value, type, node);
        od::object object;
        error_code error = value.get_object().get(object);
        if (error != simdjson::SUCCESS) return FailStructure(error);
        return DecodeStruct(object, node);
      }
      case Kind::kList:
        if (type != od::json_type::array) return FailMismatch(value, type, node);
        return DecodeList(value, node);
      case Kind::kMap: {
        if (type != od::json_type::object) return FailMismatch(value, type, node);
        od::object object;
        error_code error = value.get_object().get(object);
        if (error != simdjson::SUCCESS) return FailStructure(error);
        return DecodeMap(object, node);
      }
    }
    return Fail("internal: unknown conversion");
  }

  // A token that starts like no JSON value: only FLOAT and DOUBLE take the bare NaN and
  // Infinity of Spark's allowNonNumericNumbers.
  bool DecodeUnknownToken(od::value& value, Node& node) {
    std::string_view token = TrimTrailingWhitespace(value.raw_json_token());
    if (node.kind == Kind::kFloat32 || node.kind == Kind::kFloat64) {
      if (std::optional<double> special = NonNumericNumber(token)) {
        AppendFloating(node, *special);
        return true;
      }
    }
    return FailToken(token);
  }

  static void AppendFloating(Node& node, double value) {
    if (node.kind == Kind::kFloat32) {
      node.builder->AppendValue(static_cast<float>(value));
    } else {
      node.builder->AppendValue(value);
    }
  }

  // Whether `text`, within the padded input, holds a backslash. Most strings are short, and one
  // 16-byte compare costs less than a call to memchr.
  static bool HasBackslash(std::string_view text) {
#ifdef __SSE2__
    if (text.size() <= 16) {
      // The input is padded well past any value.
      const __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data()));
      const auto hits =
          static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(chunk, _mm_set1_epi8('\\'))));
      return (hits & ((1u << text.size()) - 1)) != 0;
    }
#endif
    return std::memchr(text.data(), '\\', text.size()) != nullptr;
  }

  // Reads a string value's text, in place in the input when it has no escapes (nearly always),
  // else unescaped by the parser.
  static error_code GetText(od::value& value, std::string_view* text) {
    std::string_view token = TrimTrailingWhitespace(value.raw_json_token());
    // Stage 1 ends a string token at its closing quote: no unescaped quote lies inside.
    if (token.size() >= 2 && token.back() == '"') {
      std::string_view inner = token.substr(1, token.size() - 2);
      if (!HasBackslash(inner)) {
        *text = inner;
        return simdjson::SUCCESS;
      }
    }
    return value.get_string().get(*text);
  }

  template <typename T>
  bool DecodeInteger(od::value& value, od::json_type type, Node& node) {
    if (type != od::json_type::number) return FailMismatch(value, type, node);
    int64_t number = 0;
    if (value.get_int64().get(number) != simdjson::SUCCESS) return FailNotInteger(value, node);
    if constexpr (!std::is_same_v<T, int64_t>) {
      if (number < std::numeric_limits<T>::min() || number > std::numeric_limits<T>::max()) {
        return FailValue(value.raw_json_token(), "is out of range for", node.type_name);
      }
    }
    node.builder->AppendValue(static_cast<T>(number));
    return true;
  }

  // Says why a number token did not read as an int64.
  bool FailNotInteger(od::value& value, const Node& node) {
    std::string_view token = TrimTrailingWhitespace(value.raw_json_token());
    if (!IsJsonNumber(token)) return FailToken(token);
    if (!IsIntegralJsonNumber(token)) return FailValue(token, "is not", node.a_type_name);
    return FailValue(token, "is out of range for", node.type_name);
  }

  template <typename T>
  bool DecodeFloating(od::value& value, od::json_type type, Node& node) {
    if (type == od::json_type::number) {
      if constexpr (std::is_same_v<T, double>) {
        double number = 0;
        if (value.get_double().get(number) == simdjson::SUCCESS) {
          node.builder->AppendValue(number);
          return true;
        }
      }
      // FLOAT parses the text itself to round once; a DOUBLE gets here for numbers beyond its
      // range, which become ±Infinity as in Java.
      std::string_view token = TrimTrailingWhitespace(value.raw_json_token());
      if (IsJsonNumber(token)) {
        std::optional<T> parsed;
        if constexpr (std::is_same_v<T, float>) {
          parsed = ParseFloat(token);
        } else {
          parsed = ParseDouble(token);
        }
        if (!parsed) return FailToken(token);
        node.builder->AppendValue(*parsed);
        return true;
      }
      if (std::optional<double> special = NonNumericNumber(token)) {
        AppendFloating(node, *special);
        return true;
      }
      return FailToken(token);
    }
    if (type == od::json_type::string) {
      std::string_view text;
      if (GetText(value, &text) != simdjson::SUCCESS) {
        return FailToken(value.raw_json_token());
      }
      if (std::optional<double> special = NonNumericNumber(text)) {
        AppendFloating(node, *special);
        return true;
      }
    }
    return FailMismatch(value, type, node);
  }

  bool DecodeDecimal(od::value& value, od::json_type type, Node& node) {
    std::string_view text;
    if (type == od::json_type::number) {
      // The token's own digits, not a double, so that no precision is lost.
      text = TrimTrailingWhitespace(value.raw_json_token());
      int128_t fast = 0;
      switch (ParseJsonDecimal(text, node.type->precision(), node.type->scale(), &fast)) {
        case FastParse::kValue:
          node.builder->AppendValue(fast);
          return true;
        case FastParse::kNoFit:
          return FailValue(text, "does not fit", node.type_name);
        case FastParse::kInvalid:
          return FailToken(text);
        case FastParse::kNotHandled:
          break;
      }
      if (!IsJsonNumber(text)) return FailToken(text);
    } else if (type == od::json_type::string) {
      // Spark reads decimals from strings too.
      if (GetText(value, &text) != simdjson::SUCCESS) {
        return FailToken(value.raw_json_token());
      }
    } else {
      return FailMismatch(value, type, node);
    }
    std::optional<int128_t> unscaled =
        ParseDecimal(text, node.type->precision(), node.type->scale());
    if (!unscaled) {
      return type == od::json_type::number
                 ? FailValue(text, "does not fit", node.type_name)
                 : FailValue(value.raw_json_token(), "is not", node.a_type_name);
    }
    node.builder->AppendValue(*unscaled);
    return true;
  }

  bool DecodeString(od::value& value, od::json_type type, Node& node) {
    switch (type) {
      case od::json_type::string: {
        std::string_view text;
        if (GetText(value, &text) != simdjson::SUCCESS) {
          return FailToken(value.raw_json_token());
        }
        node.builder->AppendBytes(text);
        return true;
      }
      case od::json_type::number: {
        // Spark keeps a number's text when a STRING column receives it.
        std::string_view token = TrimTrailingWhitespace(value.raw_json_token());
        if (!IsJsonNumber(token)) return FailToken(token);
        node.builder->AppendBytes(token);
        return true;
      }
      case od::json_type::boolean: {
        bool flag = false;
        if (value.get_bool().get(flag) != simdjson::SUCCESS) {
          return FailToken(value.raw_json_token());
        }
        node.builder->AppendBytes(flag ? "true" : "false");
        return true;
      }
      case od::json_type::object: {
        od::object object;
        std::string_view raw;
        error_code error = value.get_object().get(object);
        if (error == simdjson::SUCCESS) error = object.raw_json().get(raw);
        if (error != simdjson::SUCCESS) return FailStructure(error);
        return AppendCompactJson(raw, node);
      }
      case od::json_type::array: {
        od::array array;
        std::string_view raw;
        error_code error = value.get_array().get(array);
        if (error == simdjson::SUCCESS) error = array.raw_json().get(raw);
        if (error != simdjson::SUCCESS) return FailStructure(error);
        return AppendCompactJson(raw, node);
      }
      case od::json_type::null:
        break;
    }
    return FailMismatch(value, type, node);
  }

  // Appends an object or array given to a STRING column as compact JSON text, as Spark does.
  // On-Demand skips nested values without checking them, so the text is validated first.
  bool AppendCompactJson(std::string_view raw, Node& node) {
    // The raw text lies inside the reader's padded buffer, so the parser may read past its end.
    simdjson::dom::element ignored;
    error_code error = dom_parser_.parse(raw.data(), raw.size(), false).get(ignored);
    if (error != simdjson::SUCCESS) {
      return Fail(
          fmt::format("invalid JSON: {} in {}", simdjson::error_message(error), Abbreviate(raw)));
    }
    scratch_.resize(raw.size());
    size_t length = 0;
    error = simdjson::minify(raw.data(), raw.size(), scratch_.data(), length);
    if (error != simdjson::SUCCESS) return FailStructure(error);
    node.builder->AppendBytes(std::string_view(scratch_.data(), length));
    return true;
  }

  bool DecodeBinary(od::value& value, od::json_type type, Node& node) {
    if (type != od::json_type::string) return FailMismatch(value, type, node);
    std::string_view text;
    if (GetText(value, &text) != simdjson::SUCCESS) {
      return FailToken(value.raw_json_token());
    }
    scratch_.clear();
    if (!DecodeBase64(text, &scratch_)) {
      return Fail(fmt::format("value {} is not base64, as {} must be",
                              Abbreviate(TrimTrailingWhitespace(value.raw_json_token())),
                              node.a_type_name));
    }
    node.builder->AppendBytes(scratch_);
    return true;
  }

  bool DecodeDate(od::value& value, od::json_type type, Node& node) {
    if (type != od::json_type::string) return FailMismatch(value, type, node);
    std::string_view text;
    if (GetText(value, &text) != simdjson::SUCCESS) {
      return FailToken(value.raw_json_token());
    }
    std::optional<int32_t> days = ParseDateText(text, node);
    if (!days) return FailValue(value.raw_json_token(), "is not", node.a_type_name);
    node.builder->AppendValue(*days);
    return true;
  }

  static std::optional<int32_t> ParseDateText(std::string_view text, const Node& node) {
    if (node.pattern != nullptr) return node.pattern->ParseDate(text);
    int32_t fast = 0;
    if (ParseIsoDate(text, &fast) == FastParse::kValue) return fast;
    std::optional<int32_t> days = ParseDate(text);
    // Without a dateFormat Spark also takes a plain day count, as Spark 1.5 wrote dates.
    if (!days && !text.empty() &&
        std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      days = ParseInt32(text);
    }
    return days;
  }

  static std::optional<int64_t> ParseTimestampText(std::string_view text, const Node& node) {
    bool utc_adjusted = node.kind == Kind::kTimestamp;
    if (node.pattern != nullptr) return node.pattern->ParseTimestamp(text, utc_adjusted);
    int64_t fast = 0;
    if (ParseIsoTimestamp(text, utc_adjusted, &fast) == FastParse::kValue) return fast;
    return ParseTimestamp(text, utc_adjusted);
  }

  bool DecodeTimestamp(od::value& value, od::json_type type, Node& node) {
    if (type == od::json_type::string) {
      std::string_view text;
      if (GetText(value, &text) != simdjson::SUCCESS) {
        return FailToken(value.raw_json_token());
      }
      std::optional<int64_t> micros = ParseTimestampText(text, node);
      if (!micros) return FailValue(value.raw_json_token(), "is not", node.a_type_name);
      node.builder->AppendValue(*micros);
      return true;
    }
    if (type == od::json_type::number && node.kind == Kind::kTimestamp) {
      // Spark reads an integer as seconds since the epoch.
      int64_t seconds = 0;
      if (value.get_int64().get(seconds) != simdjson::SUCCESS) return FailNotInteger(value, node);
      int64_t micros = 0;
      if (__builtin_mul_overflow(seconds, kMicrosPerSecond, &micros)) {
        return FailValue(value.raw_json_token(), "is out of range for", node.type_name);
      }
      node.builder->AppendValue(micros);
      return true;
    }
    return FailMismatch(value, type, node);
  }

  bool DecodeStruct(od::object& object, Node& node) {
    if (++node.generation == 0) {
      std::fill(node.seen.begin(), node.seen.end(), 0);
      node.generation = 1;
    }
    const int64_t row = node.builder->length();
    int position = 0;
    size_t members_set = 0;
    for (auto field_result : object) {
      // Used in place: copying a field out of its result costs a store-forwarding stall.
      error_code error = field_result.error();
      if (error != simdjson::SUCCESS) return FailStructure(error);
      od::field& field = field_result.value_unsafe();
      const char* raw = field.key().raw();
      int index = node.index.MatchPredicted(raw, position);
      if (index < 0) {
        // The key's raw bytes end at the closing quote; an escaped key is unescaped first.
        const char* end = raw;
        while (*end != '"' && *end != '\\') ++end;
        if (*end == '"') {
          index = node.index.Find(std::string_view(raw, static_cast<size_t>(end - raw)), position);
        } else {
          std::string_view key;
          error = field.unescaped_key().get(key);
          if (error != simdjson::SUCCESS) return FailStructure(error);
          index = node.index.Find(key, -1);
        }
      }
      ++position;
      if (index < 0) continue;  // Not in the schema: the iterator skips the value.
      Node& child = *node.children[static_cast<size_t>(index)];
      if (node.seen[static_cast<size_t>(index)] == node.generation) {
        // A duplicate key: the last value wins, as in Spark.
        child.builder->Truncate(row);
      } else {
        node.seen[static_cast<size_t>(index)] = node.generation;
        ++members_set;
      }
      if (!DecodeValue(field.value(), child)) {
        failure_.path.push_back(child.name);
        return false;
      }
    }
    if (members_set != node.children.size()) {
      for (size_t i = 0; i < node.children.size(); ++i) {
        if (node.seen[i] != node.generation) node.children[i]->builder->AppendNull();
      }
    }
    node.builder->CloseStruct();
    return true;
  }

  bool DecodeList(od::value& value, Node& node) {
    od::array array;
    error_code error = value.get_array().get(array);
    if (error != simdjson::SUCCESS) return FailStructure(error);
    Node& element_node = *node.children[0];
    int64_t index = 0;
    for (auto element_result : array) {
      error = element_result.error();
      if (error != simdjson::SUCCESS) return FailStructure(error);
      od::value& element = element_result.value_unsafe();
      if (!DecodeValue(element, element_node)) {
        failure_.path.push_back(fmt::format("[{}]", index));
        return false;
      }
      ++index;
    }
    node.builder->CloseList();
    return true;
  }

  bool DecodeMap(od::object& object, Node& node) {
    RollbackBuilder* entries = node.builder->child(0);
    Node& key_node = *node.children[0];
    Node& value_node = *node.children[1];
    const int64_t first_entry = entries->length();
    for (auto field_result : object) {
      // Used in place: copying a field out of its result costs a store-forwarding stall.
      error_code error = field_result.error();
      if (error != simdjson::SUCCESS) return FailStructure(error);
      od::field& field = field_result.value_unsafe();
      std::string_view key;
      error = field.unescaped_key().get(key);
      if (error != simdjson::SUCCESS) return FailStructure(error);
      if (!AppendMapKey(key, key_node)) {
        failure_.path.push_back(fmt::format("[{}]", Abbreviate(key, 40)));
        return false;
      }
      if (!DecodeValue(field.value(), value_node)) {
        failure_.path.push_back(fmt::format("[{}]", Abbreviate(key, 40)));
        return false;
      }
      entries->CloseStruct();
    }
    if (!CheckDistinctKeys(*key_node.builder, first_entry, entries->length())) return false;
    node.builder->CloseList();
    return true;
  }

  // Converts an object key to the map's key type, whose values are written as text in JSON.
  bool AppendMapKey(std::string_view key, Node& node) {
    RollbackBuilder& builder = *node.builder;
    bool ok = true;
    switch (node.kind) {
      case Kind::kString:
        builder.AppendBytes(key);
        break;
      case Kind::kBinary:
        scratch_.clear();
        ok = DecodeBase64(key, &scratch_);
        if (ok) builder.AppendBytes(scratch_);
        break;
      case Kind::kBoolean: {
        std::optional<bool> flag;
        if (key == "true" || key == "false") flag = key == "true";
        ok = flag.has_value();
        if (ok) builder.AppendBoolean(*flag);
        break;
      }
      case Kind::kInt8:
        ok = AppendParsed(builder, ParseInt8(key));
        break;
      case Kind::kInt16:
        ok = AppendParsed(builder, ParseInt16(key));
        break;
      case Kind::kInt32:
        ok = AppendParsed(builder, ParseInt32(key));
        break;
      case Kind::kInt64:
        ok = AppendParsed(builder, ParseInt64(key));
        break;
      case Kind::kFloat32:
        ok = AppendParsed(builder, ParseFloat(key));
        break;
      case Kind::kFloat64:
        ok = AppendParsed(builder, ParseDouble(key));
        break;
      case Kind::kDecimal:
        ok = AppendParsed(builder, ParseDecimal(key, node.type->precision(), node.type->scale()));
        break;
      case Kind::kDate:
        ok = AppendParsed(builder, ParseDateText(key, node));
        break;
      case Kind::kTimestamp:
      case Kind::kTimestampNtz:
        ok = AppendParsed(builder, ParseTimestampText(key, node));
        break;
      case Kind::kStruct:
      case Kind::kList:
      case Kind::kMap:
        ok = false;  // Rejected when the decoder was made.
        break;
    }
    if (!ok) {
      return Fail(fmt::format("map key \"{}\" is not {}", Abbreviate(key), node.a_type_name));
    }
    return true;
  }

  template <typename T>
  static bool AppendParsed(RollbackBuilder& builder, std::optional<T> value) {
    if (!value) return false;
    builder.AppendValue(*value);
    return true;
  }

  // Spark refuses maps with duplicate keys (spark.sql.mapKeyDedupPolicy=EXCEPTION); here the
  // record is rejected.
  bool CheckDistinctKeys(const RollbackBuilder& keys, int64_t begin, int64_t end) {
    int64_t count = end - begin;
    if (count < 2) return true;
    if (count <= 16) {
      for (int64_t i = begin; i < end; ++i) {
        for (int64_t j = i + 1; j < end; ++j) {
          if (keys.EntryBytes(i) == keys.EntryBytes(j)) return FailDuplicateKey(keys, i);
        }
      }
      return true;
    }
    key_views_.clear();
    for (int64_t i = begin; i < end; ++i) key_views_.push_back(keys.EntryBytes(i));
    std::sort(key_views_.begin(), key_views_.end());
    auto duplicate = std::adjacent_find(key_views_.begin(), key_views_.end());
    if (duplicate == key_views_.end()) return true;
    for (int64_t i = begin; i < end; ++i) {
      if (keys.EntryBytes(i) == *duplicate) return FailDuplicateKey(keys, i);
    }
    return FailDuplicateKey(keys, begin);
  }

  bool FailDuplicateKey(const RollbackBuilder& keys, int64_t entry) {
    if (keys.type_id() == TypeId::kString) {
      return Fail(fmt::format("duplicate map key \"{}\"", Abbreviate(keys.EntryBytes(entry))));
    }
    return Fail(fmt::format("duplicate map key (entry {} of the map)", entry));
  }

  // ---- The fast path. Each method reads one value at `p` (before input_end_), appends it to
  // its node like the conversions above, and moves `p` past it; or returns false for anything
  // it does not read: a value it would have to reject or that simdjson may read differently
  // (escapes, bare NaN, objects for STRING columns, duplicate keys, numbers out of range), or
  // JSON that is not plainly valid on one line. The caller then decodes the record with
  // simdjson, which gives the same rows or the reason for rejecting it.
  //
  // No token runs past a line end, nor past the whitespace after the input (DecodeLine()
  // checks that one of them is there), so only whitespace and strings are bounded explicitly.
  // Reads of up to 16 bytes past input_end_ fall in the input's padding. Bytes outside ASCII
  // are only accepted inside strings, as valid UTF-8.

  static constexpr int kMaxFastDepth = 64;

  static bool IsDigit(char c) { return c >= '0' && c <= '9'; }

  // Skips spaces, tabs and carriage returns; never a line end.
  void SkipWhitespace(const char*& p) const {
    while (static_cast<unsigned char>(*p) <= ' ' && (*p == ' ' || *p == '\t' || *p == '\r') &&
           p < input_end_) {
      ++p;
    }
  }

  // Moves past `c` and the whitespace after it; false when `c` (after whitespace) is not there.
  bool Expect(const char*& p, char c) const {
    if (*p != c) {
      SkipWhitespace(p);
      if (*p != c || p >= input_end_) return false;
    }
    ++p;
    SkipWhitespace(p);
    return true;
  }

  // At the start of a string's content: the closing quote, or null when the content holds a
  // backslash, a control character or invalid UTF-8 first, or when no quote comes before
  // input_end_.
  const char* FindStringEnd(const char* p) const {
    const char* const start = p;
    bool ascii = true;
#ifdef __SSE2__
    const __m128i quote = _mm_set1_epi8('"');
    const __m128i backslash = _mm_set1_epi8('\\');
    const __m128i control = _mm_set1_epi8(0x1F);
    for (; p < input_end_; p += 16) {
      __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
      __m128i stop =
          _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(chunk, quote), _mm_cmpeq_epi8(chunk, backslash)),
                       _mm_cmpeq_epi8(_mm_min_epu8(chunk, control), chunk));
      const unsigned stops = static_cast<unsigned>(_mm_movemask_epi8(stop));
      // Bytes with the high bit set: not ASCII.
      const unsigned high = static_cast<unsigned>(_mm_movemask_epi8(chunk));
      if (stops != 0) {
        const unsigned offset = static_cast<unsigned>(__builtin_ctz(stops));
        ascii = ascii && (high & ((1u << offset) - 1)) == 0;
        p += offset;
        break;
      }
      ascii = ascii && high == 0;
    }
#else
    for (; p < input_end_; ++p) {
      if (*p == '"' || *p == '\\' || static_cast<unsigned char>(*p) < 0x20) break;
      ascii = ascii && static_cast<unsigned char>(*p) < 0x80;
    }
#endif
    if (p >= input_end_ || *p != '"') return nullptr;
    if (!ascii && !simdjson::validate_utf8(start, static_cast<size_t>(p - start))) return nullptr;
    return p;
  }

  // A string at `p` (its opening quote) without escapes: its content, with `p` moved past it.
  bool FastText(const char*& p, std::string_view* text) const {
    if (*p != '"') return false;
    const char* end = FindStringEnd(p + 1);
    if (end == nullptr) return false;
    *text = std::string_view(p + 1, static_cast<size_t>(end - p - 1));
    p = end + 1;
    return true;
  }

  // `word` at `p` (which cannot run past the whitespace at input_end_).
  static bool FastLiteral(const char*& p, std::string_view word) {
    if (std::memcmp(p, word.data(), word.size()) != 0) return false;
    p += word.size();
    return true;
  }

  // A number of the JSON grammar at `p`: its text, with `p` moved past it.
  static bool FastNumber(const char*& p, std::string_view* token) {
    const char* q = p;
    if (*q == '-') ++q;
    if (!IsDigit(*q)) return false;
    if (*q == '0') {
      ++q;
    } else {
      while (IsDigit(*q)) ++q;
    }
    if (*q == '.') {
      ++q;
      if (!IsDigit(*q)) return false;
      while (IsDigit(*q)) ++q;
    }
    if (*q == 'e' || *q == 'E') {
      ++q;
      if (*q == '+' || *q == '-') ++q;
      if (!IsDigit(*q)) return false;
      while (IsDigit(*q)) ++q;
    }
    *token = std::string_view(p, static_cast<size_t>(q - p));
    p = q;
    return true;
  }

  // An integral number that fits an int64 (as simdjson's get_int64 reads it).
  static bool FastInt64(const char*& p, int64_t* value) {
    const char* q = p;
    const bool negative = *q == '-';
    if (negative) ++q;
    const char* digits = q;
    uint64_t magnitude = 0;
    while (IsDigit(*q) && q - digits < 19) {
      magnitude = magnitude * 10 + static_cast<uint64_t>(*q - '0');
      ++q;
    }
    const size_t count = static_cast<size_t>(q - digits);
    // No digits, a leading zero, more digits, a fraction or an exponent: not an int64 the fast
    // way.
    if (count == 0 || (count > 1 && *digits == '0') || IsDigit(*q) || *q == '.' || *q == 'e' ||
        *q == 'E') {
      return false;
    }
    const uint64_t limit = static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) + negative;
    if (magnitude > limit) return false;
    *value = negative ? static_cast<int64_t>(0 - magnitude) : static_cast<int64_t>(magnitude);
    p = q;
    return true;
  }

  bool FastValue(const char*& p, Node& node, int depth) {
    switch (node.kind) {
      case Kind::kStruct:
        return *p == '{' ? FastStruct(p, node, depth + 1) : FastNull(p, node);
      case Kind::kList:
        return *p == '[' ? FastList(p, node, depth + 1) : FastNull(p, node);
      case Kind::kMap:
        return *p == '{' ? FastMap(p, node, depth + 1) : FastNull(p, node);
      default:
        return FastScalar(p, node);
    }
  }

  static bool FastNull(const char*& p, Node& node) {
    if (!FastLiteral(p, "null")) return false;
    node.builder->AppendNull();
    return true;
  }

  // A value of a column of a primitive type. Inlined into the loops over members and elements,
  // which it is most of the work of.
  [[gnu::always_inline]] bool FastScalar(const char*& p, Node& node) {
    if (*p == 'n') return FastNull(p, node);
    switch (node.kind) {
      case Kind::kBoolean:
        if (FastLiteral(p, "true")) {
          node.builder->AppendBoolean(true);
          return true;
        }
        if (FastLiteral(p, "false")) {
          node.builder->AppendBoolean(false);
          return true;
        }
        return false;
      case Kind::kInt8:
        return FastInteger<int8_t>(p, node);
      case Kind::kInt16:
        return FastInteger<int16_t>(p, node);
      case Kind::kInt32:
        return FastInteger<int32_t>(p, node);
      case Kind::kInt64:
        return FastInteger<int64_t>(p, node);
      case Kind::kFloat32:
      case Kind::kFloat64:
        return FastFloating(p, node);
      case Kind::kDecimal:
        return FastDecimal(p, node);
      case Kind::kString:
        return FastString(p, node);
      case Kind::kBinary:
        return FastBinary(p, node);
      case Kind::kDate:
        return FastDate(p, node);
      case Kind::kTimestamp:
      case Kind::kTimestampNtz:
        return FastTimestamp(p, node);
      case Kind::kStruct:
      case Kind::kList:
      case Kind::kMap:
        break;
    }
    return false;
  }

  // A value of a member or element: the nested kinds recurse, the others are inlined.
  [[gnu::always_inline]] bool FastChild(const char*& p, Node& node, int depth) {
    return node.kind >= Kind::kStruct ? FastValue(p, node, depth) : FastScalar(p, node);
  }

  template <typename T>
  static bool FastInteger(const char*& p, Node& node) {
    int64_t number = 0;
    if (!FastInt64(p, &number)) return false;
    if constexpr (!std::is_same_v<T, int64_t>) {
      if (number < std::numeric_limits<T>::min() || number > std::numeric_limits<T>::max()) {
        return false;
      }
    }
    node.builder->AppendValue(static_cast<T>(number));
    return true;
  }

  bool FastFloating(const char*& p, Node& node) const {
    if (*p == '"') {
      std::string_view text;
      if (!FastText(p, &text)) return false;
      std::optional<double> special = NonNumericNumber(text);
      if (!special) return false;
      AppendFloating(node, *special);
      return true;
    }
    std::string_view token;
    if (!FastNumber(p, &token)) return false;
    if (node.kind == Kind::kFloat32) {
      std::optional<float> parsed = ParseFloat(token);
      if (!parsed) return false;
      node.builder->AppendValue(*parsed);
      return true;
    }
    // Correctly rounded, as simdjson's get_double is; out of range is left to simdjson.
    double number = 0;
    if (!ExactDouble(token, &number)) {
      auto [end, error] = std::from_chars(token.data(), token.data() + token.size(), number);
      if (error != std::errc() || end != token.data() + token.size()) return false;
    }
    node.builder->AppendValue(number);
    return true;
  }

  // The value of a JSON number token when Clinger's fast path gives it: at most 19 digits
  // making an integer up to 2^53, scaled by a power of ten within ±22, both exact doubles, so
  // that one correctly rounded multiplication or division gives the correctly rounded value.
  static bool ExactDouble(std::string_view token, double* value) {
#if FLT_EVAL_METHOD == 0
    static constexpr double kPowersOfTen[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                              1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                              1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    const size_t n = token.size();
    size_t i = token[0] == '-' ? 1 : 0;
    uint64_t mantissa = 0;
    int digits = 0;
    int power = 0;
    for (; i < n && IsDigit(token[i]); ++i, ++digits) {
      mantissa = mantissa * 10 + static_cast<uint64_t>(token[i] - '0');
    }
    if (i < n && token[i] == '.') {
      for (++i; i < n && IsDigit(token[i]); ++i, ++digits, --power) {
        mantissa = mantissa * 10 + static_cast<uint64_t>(token[i] - '0');
      }
    }
    if (i < n) {
      // The exponent; the token is a valid JSON number.
      ++i;
      const bool negative_exponent = token[i] == '-';
      if (token[i] == '-' || token[i] == '+') ++i;
      int exponent = 0;
      for (; i < n; ++i) {
        if (exponent > 1000) return false;
        exponent = exponent * 10 + (token[i] - '0');
      }
      power += negative_exponent ? -exponent : exponent;
    }
    if (digits > 19 || mantissa > (uint64_t{1} << 53) || power < -22 || power > 22) return false;
    double result = static_cast<double>(mantissa);
    result = power < 0 ? result / kPowersOfTen[-power] : result * kPowersOfTen[power];
    *value = token[0] == '-' ? -result : result;
    return true;
#else
    return false;
#endif
  }

  bool FastDecimal(const char*& p, Node& node) const {
    std::string_view text;
    if (*p == '"') {
      if (!FastText(p, &text)) return false;
    } else {
      if (!FastNumber(p, &text)) return false;
      int128_t fast = 0;
      switch (ParseJsonDecimal(text, node.type->precision(), node.type->scale(), &fast)) {
        case FastParse::kValue:
          node.builder->AppendValue(fast);
          return true;
        case FastParse::kNotHandled:
          break;
        case FastParse::kNoFit:
        case FastParse::kInvalid:
          return false;
      }
    }
    std::optional<int128_t> unscaled =
        ParseDecimal(text, node.type->precision(), node.type->scale());
    if (!unscaled) return false;
    node.builder->AppendValue(*unscaled);
    return true;
  }

  bool FastString(const char*& p, Node& node) const {
    std::string_view text;
    switch (*p) {
      case '"':
        if (!FastText(p, &text)) return false;
        break;
      case 't':
        if (!FastLiteral(p, "true")) return false;
        text = "true";
        break;
      case 'f':
        if (!FastLiteral(p, "false")) return false;
        text = "false";
        break;
      default:
        // A number keeps its text; objects and arrays are left to simdjson.
        if (!FastNumber(p, &text)) return false;
        break;
    }
    node.builder->AppendBytes(text);
    return true;
  }

  bool FastBinary(const char*& p, Node& node) {
    std::string_view text;
    if (!FastText(p, &text)) return false;
    scratch_.clear();
    if (!DecodeBase64(text, &scratch_)) return false;
    node.builder->AppendBytes(scratch_);
    return true;
  }

  bool FastDate(const char*& p, Node& node) const {
    std::string_view text;
    if (!FastText(p, &text)) return false;
    std::optional<int32_t> days = ParseDateText(text, node);
    if (!days) return false;
    node.builder->AppendValue(*days);
    return true;
  }

  bool FastTimestamp(const char*& p, Node& node) const {
    if (*p == '"') {
      std::string_view text;
      if (!FastText(p, &text)) return false;
      std::optional<int64_t> micros = ParseTimestampText(text, node);
      if (!micros) return false;
      node.builder->AppendValue(*micros);
      return true;
    }
    int64_t seconds = 0;
    int64_t micros = 0;
    if (node.kind != Kind::kTimestamp || !FastInt64(p, &seconds) ||
        __builtin_mul_overflow(seconds, kMicrosPerSecond, &micros)) {
      return false;
    }
    node.builder->AppendValue(micros);
    return true;
  }

  // After a member or element, at `p` (possibly whitespace): moves past the comma and the
  // whitespace after it (true, `more` set) or past the closing bracket (true, `more` cleared).
  bool FastSeparator(const char*& p, char close, bool* more) const {
    if (*p != ',' && *p != close) SkipWhitespace(p);
    if (p >= input_end_) return false;
    if (*p == ',') {
      ++p;
      SkipWhitespace(p);
      *more = true;
      return true;
    }
    *more = false;
    if (*p != close) return false;
    ++p;
    return true;
  }

  // After an opening bracket at `p`: moves past it and the whitespace after it (true, `more` set
  // when a member or element follows) or past an empty container (true, `more` cleared).
  bool FastOpen(const char*& p, char close, bool* more) const {
    ++p;
    SkipWhitespace(p);
    if (p >= input_end_) return false;
    *more = *p != close;
    if (!*more) ++p;
    return true;
  }

  bool FastStruct(const char*& p, Node& node, int depth) {
    bool more = false;
    if (depth > kMaxFastDepth || !FastOpen(p, '}', &more)) return false;
    if (++node.generation == 0) {
      std::fill(node.seen.begin(), node.seen.end(), 0);
      node.generation = 1;
    }
    size_t members_set = 0;
    for (int position = 0; more; ++position) {
      if (*p != '"') return false;
      size_t length = 0;
      int index = node.index.MatchPredicted(p + 1, position, &length);
      if (index >= 0) {
        // The name and its closing quote, checked against the input.
        p += length + 2;
      } else {
        std::string_view key;
        if (!FastText(p, &key)) return false;
        index = node.index.Find(key, position);
      }
      if (!Expect(p, ':')) return false;
      if (index < 0) {
        if (!FastSkip(p, depth + 1)) return false;
      } else {
        auto& seen = node.seen[static_cast<size_t>(index)];
        if (seen == node.generation) return false;  // A duplicate key.
        seen = node.generation;
        ++members_set;
        if (!FastChild(p, *node.children[static_cast<size_t>(index)], depth)) return false;
      }
      if (!FastSeparator(p, '}', &more)) return false;
    }
    if (members_set != node.children.size()) {
      for (size_t i = 0; i < node.children.size(); ++i) {
        if (node.seen[i] != node.generation) node.children[i]->builder->AppendNull();
      }
    }
    node.builder->CloseStruct();
    return true;
  }

  bool FastList(const char*& p, Node& node, int depth) {
    bool more = false;
    if (depth > kMaxFastDepth || !FastOpen(p, ']', &more)) return false;
    Node& element_node = *node.children[0];
    while (more) {
      if (!FastChild(p, element_node, depth) || !FastSeparator(p, ']', &more)) return false;
    }
    node.builder->CloseList();
    return true;
  }

  bool FastMap(const char*& p, Node& node, int depth) {
    bool more = false;
    if (depth > kMaxFastDepth || !FastOpen(p, '}', &more)) return false;
    RollbackBuilder* entries = node.builder->child(0);
    Node& key_node = *node.children[0];
    Node& value_node = *node.children[1];
    const int64_t first_entry = entries->length();
    while (more) {
      std::string_view key;
      if (!FastText(p, &key) || !Expect(p, ':') || !AppendMapKey(key, key_node) ||
          !FastChild(p, value_node, depth)) {
        return false;
      }
      entries->CloseStruct();
      if (!FastSeparator(p, '}', &more)) return false;
    }
    if (!CheckDistinctKeys(*key_node.builder, first_entry, entries->length())) return false;
    node.builder->CloseList();
    return true;
  }

  // Moves past a value of a member that is not in the schema, checking that it is plainly
  // valid JSON (escapes in its strings are allowed; they need not be read).
  bool FastSkip(const char*& p, int depth) const {
    if (depth > kMaxFastDepth) return false;
    std::string_view ignored;
    bool more = false;
    switch (*p) {
      case '"':
        return FastSkipString(p);
      case '{':
        if (!FastOpen(p, '}', &more)) return false;
        while (more) {
          if (!FastSkipString(p) || !Expect(p, ':') || !FastSkip(p, depth + 1) ||
              !FastSeparator(p, '}', &more)) {
            return false;
          }
        }
        return true;
      case '[':
        if (!FastOpen(p, ']', &more)) return false;
        while (more) {
          if (!FastSkip(p, depth + 1) || !FastSeparator(p, ']', &more)) return false;
        }
        return true;
      case 't':
        return FastLiteral(p, "true");
      case 'f':
        return FastLiteral(p, "false");
      case 'n':
        return FastLiteral(p, "null");
      default:
        return FastNumber(p, &ignored);
    }
  }

  // Moves past a string at `p` (its opening quote) whose escapes are not read: a backslash
  // only hides the byte after it.
  bool FastSkipString(const char*& p) const {
    if (*p != '"') return false;
    bool ascii = true;
    for (const char* q = p + 1; q < input_end_; ++q) {
      const auto c = static_cast<unsigned char>(*q);
      if (c == '"') {
        if (!ascii && !simdjson::validate_utf8(p + 1, static_cast<size_t>(q - p - 1))) {
          return false;
        }
        p = q + 1;
        return true;
      }
      if (c < 0x20) return false;
      ascii = ascii && c < 0x80;
      if (c == '\\') {
        ++q;
        if (q >= input_end_ || static_cast<unsigned char>(*q) < 0x20) return false;
        ascii = ascii && static_cast<unsigned char>(*q) < 0x80;
      }
    }
    return false;
  }

  std::optional<DateTimePattern> date_pattern_;
  std::optional<DateTimePattern> timestamp_pattern_;
  std::optional<DateTimePattern> timestamp_ntz_pattern_;
  std::unique_ptr<RollbackBuilder> root_builder_;
  std::unique_ptr<Node> root_;
  Failure failure_;
  std::string message_;
  std::string scratch_;
  std::vector<std::string_view> key_views_;
  simdjson::dom::parser dom_parser_;
  // The end of the input DecodeLine() is reading.
  const char* input_end_ = nullptr;
};

Result<std::unique_ptr<JsonRowDecoder>> JsonRowDecoder::Make(std::vector<Field> columns,
                                                             const JsonReadOptions& options) {
  auto impl = std::make_unique<Impl>();
  ARCFLOW_RETURN_NOT_OK(impl->Init(std::move(columns), options));
  return std::unique_ptr<JsonRowDecoder>(new JsonRowDecoder(std::move(impl)));
}

JsonRowDecoder::JsonRowDecoder(std::unique_ptr<Impl> impl)
    : impl_(std::move(impl)), rows_(impl_->rows()) {}
JsonRowDecoder::~JsonRowDecoder() = default;

bool JsonRowDecoder::DecodeRecord(od::document_reference document) {
  return impl_->DecodeRecord(document);
}
size_t JsonRowDecoder::DecodeLine(std::string_view input) { return impl_->DecodeLine(input); }
const std::string& JsonRowDecoder::error() const { return impl_->error(); }
bool JsonRowDecoder::iterator_broken() const { return impl_->iterator_broken(); }
void JsonRowDecoder::AppendNullRow() { impl_->AppendNullRow(); }
void JsonRowDecoder::Truncate(int64_t num_rows) { impl_->Truncate(num_rows); }
int64_t JsonRowDecoder::EstimatedBytes() const { return impl_->EstimatedBytes(); }
Result<std::vector<ArrayPtr>> JsonRowDecoder::Finish() { return impl_->Finish(); }

}  // namespace arcflow::json
