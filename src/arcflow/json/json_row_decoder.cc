#include "arcflow/json/json_row_decoder.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <optional>
#include <string_view>
#include <type_traits>

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
      spellings_.push_back(MakeSpelling(names_[i]));
    }
    predicted_.assign(names_.size() * 2 + 4, -1);
  }

  // The member the key at `position` named in the previous object, when the raw key (the
  // input after the opening quote) spells the same name; else -1.
  int MatchPredicted(const char* raw, int position) const {
    if (static_cast<size_t>(position) >= predicted_.size()) return -1;
    int guess = predicted_[static_cast<size_t>(position)];
    if (guess < 0) return -1;
    const Spelling& spelling = spellings_[static_cast<size_t>(guess)];
    if (spelling.length <= 16) {
      // Two 8-byte loads: the input is padded well past any key.
      uint64_t low;
      uint64_t high;
      std::memcpy(&low, raw, 8);
      std::memcpy(&high, raw + 8, 8);
      if (((low & spelling.mask[0]) ^ spelling.word[0]) |
          ((high & spelling.mask[1]) ^ spelling.word[1])) {
        return -1;
      }
    } else if (spelling.length >= simdjson::SIMDJSON_PADDING ||
               std::memcmp(raw, names_[static_cast<size_t>(guess)].data(), spelling.length) != 0) {
      return -1;
    }
    return raw[spelling.length] == '"' ? guess : -1;
  }

  // The index of the member named `key`, or -1. `position` is the key's position within its
  // object, or -1 when unknown.
  int Find(std::string_view key, int position) {
    int found = Lookup(key);
    if (position >= 0 && static_cast<size_t>(position) < predicted_.size()) {
      predicted_[static_cast<size_t>(position)] = found;
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
  // first 16 bytes as two words with masks. Names that JSON spells differently (with a quote or
  // backslash, which it escapes) or that are too long to compare within the input's padding
  // never match this way.
  struct Spelling {
    uint64_t word[2] = {0, 0};
    uint64_t mask[2] = {0, 0};
    size_t length = simdjson::SIMDJSON_PADDING;
  };

  static Spelling MakeSpelling(std::string_view name) {
    Spelling spelling;
    if (name.size() >= simdjson::SIMDJSON_PADDING ||
        name.find_first_of("\"\\") != std::string_view::npos) {
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
  std::vector<int> predicted_;
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

  const std::string& error() {
    if (message_.empty() && !failure_.reason.empty()) message_ = ComposeMessage();
    return message_;
  }
  bool iterator_broken() const { return failure_.broken; }

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

  // Reads a string value's text, in place in the input when it has no escapes (nearly always),
  // else unescaped by the parser.
  static error_code GetText(od::value& value, std::string_view* text) {
    std::string_view token = TrimTrailingWhitespace(value.raw_json_token());
    // Stage 1 ends a string token at its closing quote: no unescaped quote lies inside.
    if (token.size() >= 2 && token.back() == '"') {
      std::string_view inner = token.substr(1, token.size() - 2);
      if (std::memchr(inner.data(), '\\', inner.size()) == nullptr) {
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
};

Result<std::unique_ptr<JsonRowDecoder>> JsonRowDecoder::Make(std::vector<Field> columns,
                                                             const JsonReadOptions& options) {
  auto impl = std::make_unique<Impl>();
  ARCFLOW_RETURN_NOT_OK(impl->Init(std::move(columns), options));
  return std::unique_ptr<JsonRowDecoder>(new JsonRowDecoder(std::move(impl)));
}

JsonRowDecoder::JsonRowDecoder(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
JsonRowDecoder::~JsonRowDecoder() = default;

bool JsonRowDecoder::DecodeRecord(od::document_reference document) {
  return impl_->DecodeRecord(document);
}
const std::string& JsonRowDecoder::error() const { return impl_->error(); }
bool JsonRowDecoder::iterator_broken() const { return impl_->iterator_broken(); }
int64_t JsonRowDecoder::num_rows() const { return impl_->num_rows(); }
void JsonRowDecoder::AppendNullRow() { impl_->AppendNullRow(); }
void JsonRowDecoder::Truncate(int64_t num_rows) { impl_->Truncate(num_rows); }
int64_t JsonRowDecoder::EstimatedBytes() const { return impl_->EstimatedBytes(); }
Result<std::vector<ArrayPtr>> JsonRowDecoder::Finish() { return impl_->Finish(); }

}  // namespace arcflow::json
