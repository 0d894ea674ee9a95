#include "arcflow/json/json_schema_inference.h"

#include <algorithm>
#include <charconv>
#include <optional>
#include <string_view>
#include <unordered_map>

#include "arcflow/columnar/data_type.h"
#include "arcflow/json/json_record_scanner.h"
#include "arcflow/json/json_token.h"

namespace arcflow::json {

namespace od = simdjson::ondemand;
using simdjson::error_code;

namespace {

// Deeper values make a record corrupt rather than exhaust the stack; Jackson's limit is 1000.
constexpr int kMaxDepth = 500;
constexpr int64_t kMaxMembers = 100000;

enum class Kind : uint8_t {
  kNull,  // Spark's NullType: nothing but nulls (or empty strings) seen yet.
  kBoolean,
  kInt64,
  kDouble,
  kDecimal,
  kString,
  kStruct,
  kArray,
};

struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view text) const { return std::hash<std::string_view>()(text); }
};

// The type inferred so far for one place in the records, merged in place as values arrive.
struct InferredType {
  Kind kind = Kind::kNull;
  int32_t precision = 0;
  int32_t scale = 0;
  // Structs: members in the order first seen (sorted when the schema is made).
  std::vector<std::pair<std::string, std::unique_ptr<InferredType>>> members;
  std::unordered_map<std::string, size_t, StringHash, std::equal_to<>> member_index;
  // The member found at each key position of the previous object: records usually repeat
  // their key order.
  std::vector<int32_t> predicted;
  // Arrays: the element type.
  std::unique_ptr<InferredType> element;
  // The record that last changed this type, and where its undo entry is.
  uint64_t stamp = 0;
  size_t change = 0;
};

// Precision and scale of a decimal number's text as Java's BigDecimal gives them, or nullopt
// when it is no number (a leading '+' is allowed, as BigDecimal allows).
std::optional<std::pair<int32_t, int32_t>> DecimalShape(std::string_view text) {
  if (!text.empty() && (text.front() == '+' || text.front() == '-')) text.remove_prefix(1);
  int64_t exponent = 0;
  size_t e = text.find_first_of("eE");
  if (e != std::string_view::npos) {
    std::string_view exponent_text = text.substr(e + 1);
    if (!exponent_text.empty() && exponent_text.front() == '+') exponent_text.remove_prefix(1);
    bool negative = !exponent_text.empty() && exponent_text.front() == '-';
    if (negative) exponent_text.remove_prefix(1);
    if (exponent_text.empty() || exponent_text.size() > 6) return std::nullopt;
    for (char c : exponent_text) {
      if (c < '0' || c > '9') return std::nullopt;
      exponent = exponent * 10 + (c - '0');
    }
    if (negative) exponent = -exponent;
    text = text.substr(0, e);
  }
  size_t dot = text.find('.');
  std::string_view integer = text.substr(0, dot);
  std::string_view fraction = dot == std::string_view::npos ? "" : text.substr(dot + 1);
  if (integer.empty() && fraction.empty()) return std::nullopt;
  int64_t digits = 0;
  bool leading = true;
  for (std::string_view part : {integer, fraction}) {
    for (char c : part) {
      if (c < '0' || c > '9') return std::nullopt;
      if (leading && c == '0') continue;
      leading = false;
      ++digits;
    }
  }
  int64_t scale = static_cast<int64_t>(fraction.size()) - exponent;
  int64_t precision = std::max<int64_t>(digits, 1);
  if (precision > 1000 || scale > 1000 || scale < -1000) return std::nullopt;
  return std::make_pair(static_cast<int32_t>(precision), static_cast<int32_t>(scale));
}

// Spark's decimal for a number: DECIMAL(max(precision, scale), scale) when it fits 38 digits
// and the scale is not negative.
std::optional<std::pair<int32_t, int32_t>> DecimalTypeOf(std::string_view text) {
  auto shape = DecimalShape(text);
  if (!shape) return std::nullopt;
  auto [precision, scale] = *shape;
  if (scale < 0) {
    // Integers in exponent form: the digits the value needs, at scale 0.
    precision -= scale;
    scale = 0;
  }
  precision = std::max(precision, scale);
  if (precision > kMaxDecimalPrecision) return std::nullopt;
  return std::make_pair(precision, scale);
}

// UTF-16 code units of a UTF-8 name: Spark sorts member names as Java strings.
std::u16string Utf16(std::string_view text) {
  std::u16string units;
  size_t i = 0;
  while (i < text.size()) {
    auto lead = static_cast<unsigned char>(text[i]);
    uint32_t code_point = lead;
    size_t length = 1;
    if (lead >= 0xF0) {
      length = 4;
      code_point = lead & 0x07;
    } else if (lead >= 0xE0) {
      length = 3;
      code_point = lead & 0x0F;
    } else if (lead >= 0xC0) {
      length = 2;
      code_point = lead & 0x1F;
    }
    if (length > 1) {
      if (i + length > text.size()) break;
      for (size_t k = 1; k < length; ++k) {
        code_point = (code_point << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
      }
    }
    if (code_point >= 0x10000) {
      code_point -= 0x10000;
      units.push_back(static_cast<char16_t>(0xD800 + (code_point >> 10)));
      units.push_back(static_cast<char16_t>(0xDC00 + (code_point & 0x3FF)));
    } else {
      units.push_back(static_cast<char16_t>(code_point));
    }
    i += length;
  }
  return units;
}

class SchemaInferrer final : public JsonRecordSink {
 public:
  SchemaInferrer(const JsonReadOptions& options, JsonReadStats* stats)
      : options_(options), stats_(stats) {
    root_.kind = Kind::kStruct;
  }

  void SetPath(const std::string& path) { path_ = path; }

  DecodeOutcome Decode(od::document_reference document) override {
    reason_.clear();
    broken_ = false;
    ++record_;
    changes_.clear();
    if (!InferRecord(document)) {
      // A corrupt record contributes nothing, as in Spark.
      Rollback();
      pending_ = broken_ ? DecodeOutcome::kParserBroken : DecodeOutcome::kRejected;
    } else {
      pending_ = DecodeOutcome::kDecoded;
    }
    return pending_;
  }

  void Retract() override {
    if (pending_ == DecodeOutcome::kDecoded) Rollback();
  }

  Status Settle(std::string_view text, const RecordLocation& location) override {
    ++stats_->records;
    if (pending_ != DecodeOutcome::kDecoded) return Corrupt(location, reason_);
    changes_.clear();
    if (members_ > kMaxMembers) {
      return Status::Invalid(
          "json: more than {} distinct fields while inferring the schema of {}; objects whose "
          "keys are data should be read with a MAP schema",
          kMaxMembers, path_);
    }
    return Status::OK();
  }

  Status OnMalformed(std::string_view text, const RecordLocation& location,
                     std::string_view reason) override {
    ++stats_->records;
    return Corrupt(location, reason);
  }

  bool Full() const override { return false; }

  // The inferred schema, canonicalised as Spark does.
  SchemaPtr MakeSchema() {
    if (corrupt_seen_ && options_.mode == io::ParseMode::kPermissive) {
      InferredType* member = Member(&root_, options_.column_name_of_corrupt_record, -1);
      if (member->kind == Kind::kNull) member->kind = Kind::kString;
    }
    std::optional<DataTypePtr> row = Canonical(root_);
    if (!row) return std::make_shared<const Schema>(std::vector<Field>());
    return std::make_shared<const Schema>((*row)->fields());
  }

 private:
  Status Corrupt(const RecordLocation& location, std::string_view reason) {
    ++stats_->corrupt_records;
    switch (options_.mode) {
      case io::ParseMode::kFailFast:
        return Status::Invalid(
            "json: malformed record at {} line {} (byte {}) while inferring the schema: {}", path_,
            location.line, location.offset, reason);
      case io::ParseMode::kDropMalformed:
        ++stats_->dropped_records;
        break;
      case io::ParseMode::kPermissive:
        corrupt_seen_ = true;
        break;
    }
    return Status::OK();
  }

  // How a type looked before the current record first changed it, so that a record found
  // corrupt halfway can be taken back.
  struct Change {
    InferredType* type = nullptr;
    Kind kind = Kind::kNull;
    int32_t precision = 0;
    int32_t scale = 0;
    size_t member_count = 0;
    bool had_element = false;
    // What BecomeString() took away from the type.
    bool stashed = false;
    std::vector<std::pair<std::string, std::unique_ptr<InferredType>>> members;
    std::unordered_map<std::string, size_t, StringHash, std::equal_to<>> member_index;
    std::unique_ptr<InferredType> element;
  };

  // Records the state of `type` before its first change in this record.
  void Touch(InferredType* type) {
    if (type->stamp == record_) return;
    type->stamp = record_;
    type->change = changes_.size();
    Change& change = changes_.emplace_back();
    change.type = type;
    change.kind = type->kind;
    change.precision = type->precision;
    change.scale = type->scale;
    change.member_count = type->members.size();
    change.had_element = type->element != nullptr;
  }

  void Rollback() {
    for (auto it = changes_.rbegin(); it != changes_.rend(); ++it) {
      InferredType* type = it->type;
      if (it->stashed) {
        type->members = std::move(it->members);
        type->member_index = std::move(it->member_index);
        type->element = std::move(it->element);
      }
      while (type->members.size() > it->member_count) {
        type->member_index.erase(type->members.back().first);
        type->members.pop_back();
        --members_;
      }
      if (!it->had_element) type->element.reset();
      type->kind = it->kind;
      type->precision = it->precision;
      type->scale = it->scale;
      type->stamp = 0;
    }
    changes_.clear();
  }

  void BecomeString(InferredType* type) {
    Touch(type);
    Change& change = changes_[type->change];
    if (!change.stashed) {
      change.stashed = true;
      change.members = std::move(type->members);
      change.member_index = std::move(type->member_index);
      change.element = std::move(type->element);
    }
    type->kind = Kind::kString;
    type->members.clear();
    type->member_index.clear();
    type->predicted.clear();
    type->element.reset();
  }

  void SetKind(InferredType* type, Kind kind) {
    if (type->kind == kind) return;
    Touch(type);
    type->kind = kind;
  }

  // Spark's DecimalType merge: enough integer digits for both and the larger scale.
  static void WidenDecimal(InferredType* type, int32_t precision, int32_t scale) {
    int32_t new_scale = std::max(type->scale, scale);
    int32_t range = std::max(type->precision - type->scale, precision - scale);
    if (range + new_scale > kMaxDecimalPrecision) {
      type->kind = Kind::kDouble;
    } else {
      type->precision = range + new_scale;
      type->scale = new_scale;
    }
  }

  // Merges a scalar kind into `type` (Spark's compatibleType for primitive types).
  void MergeScalar(InferredType* type, Kind kind, int32_t precision = 0, int32_t scale = 0) {
    if (kind == Kind::kNull || type->kind == Kind::kString) return;
    if (type->kind == kind &&
        (kind != Kind::kDecimal || (type->precision == precision && type->scale == scale))) {
      return;
    }
    if (type->kind == Kind::kNull) {
      Touch(type);
      type->kind = kind;
      type->precision = precision;
      type->scale = scale;
      return;
    }
    auto is = [&](Kind a, Kind b) {
      return (type->kind == a && kind == b) || (type->kind == b && kind == a);
    };
    if (type->kind == Kind::kDecimal && kind == Kind::kDecimal) {
      Touch(type);
      WidenDecimal(type, precision, scale);
    } else if (is(Kind::kInt64, Kind::kDouble) || is(Kind::kDecimal, Kind::kDouble)) {
      SetKind(type, Kind::kDouble);
    } else if (is(Kind::kInt64, Kind::kDecimal)) {
      // BIGINT widens as DECIMAL(20, 0).
      Touch(type);
      if (type->kind == Kind::kInt64) {
        type->kind = Kind::kDecimal;
        type->precision = precision;
        type->scale = scale;
      }
      WidenDecimal(type, 20, 0);
    } else {
      BecomeString(type);
    }
  }

  bool Fail(std::string reason) {
    reason_ = std::move(reason);
    return false;
  }
  bool FailParse(error_code error) {
    broken_ = true;
    return Fail(fmt::format("invalid JSON: {}", simdjson::error_message(error)));
  }
  bool FailToken(std::string_view token) {
    return Fail(fmt::format("invalid JSON token {}", Abbreviate(TrimTrailingWhitespace(token))));
  }

  bool InferRecord(od::document_reference document) {
    od::json_type type;
    error_code error = document.type().get(type);
    if (error != simdjson::SUCCESS) return FailParse(error);
    if (type == od::json_type::object) {
      od::object object;
      error = document.get_object().get(object);
      if (error != simdjson::SUCCESS) return FailParse(error);
      return InferObject(object, &root_, 1);
    }
    if (type == od::json_type::null) {
      // The token is checked by hand: is_null() on a top-level scalar of a document stream
      // looks past the document's end.
      std::string_view token;
      error = document.raw_json_token().get(token);
      if (error != simdjson::SUCCESS) return FailParse(error);
      if (TrimTrailingWhitespace(token) != "null") return FailToken(token);
      return true;  // Spark skips a top-level null when inferring.
    }
    if (type != od::json_type::array) {
      return Fail(fmt::format("a JSON {} is not a record", JsonTypeName(type)));
    }
    // The elements' merged type decides, as in Spark: any non-object element voids the record.
    od::array array;
    error = document.get_array().get(array);
    if (error != simdjson::SUCCESS) return FailParse(error);
    // The elements merge into a type of their own, kept until the next record as the undo log
    // may point into it.
    array_elements_ = std::make_unique<InferredType>();
    for (auto element_result : array) {
      od::value element;
      error = std::move(element_result).get(element);
      if (error != simdjson::SUCCESS) return FailParse(error);
      if (!InferValue(element, array_elements_.get(), 1)) return false;
    }
    if (array_elements_->kind == Kind::kNull) return true;
    if (array_elements_->kind != Kind::kStruct) {
      return Fail("a top-level array whose elements are not all objects is not a record");
    }
    MergeInto(&root_, std::move(*array_elements_));
    return true;
  }

  InferredType* Member(InferredType* type, std::string_view name, int position) {
    if (position >= 0 && static_cast<size_t>(position) < type->predicted.size()) {
      int32_t guess = type->predicted[static_cast<size_t>(position)];
      if (guess >= 0 && static_cast<size_t>(guess) < type->members.size() &&
          type->members[static_cast<size_t>(guess)].first == name) {
        return type->members[static_cast<size_t>(guess)].second.get();
      }
    }
    size_t index;
    auto it = type->member_index.find(name);
    if (it != type->member_index.end()) {
      index = it->second;
    } else {
      Touch(type);
      index = type->members.size();
      type->members.emplace_back(std::string(name), std::make_unique<InferredType>());
      type->member_index.emplace(std::string(name), index);
      ++members_;
    }
    if (position >= 0 && position < 4096) {
      if (type->predicted.size() <= static_cast<size_t>(position)) {
        type->predicted.resize(static_cast<size_t>(position) + 1, -1);
      }
      type->predicted[static_cast<size_t>(position)] = static_cast<int32_t>(index);
    }
    return type->members[index].second.get();
  }

  bool InferObject(od::object& object, InferredType* type, int depth) {
    int position = 0;
    for (auto field_result : object) {
      od::field field;
      error_code error = std::move(field_result).get(field);
      if (error != simdjson::SUCCESS) return FailParse(error);
      std::string_view key;
      error = field.unescaped_key().get(key);
      if (error != simdjson::SUCCESS) return FailParse(error);
      InferredType* member = Member(type, key, position++);
      if (!InferValue(field.value(), member, depth + 1)) return false;
    }
    return true;
  }

  bool InferValue(od::value& value, InferredType* type, int depth) {
    if (depth > kMaxDepth) {
      return Fail(fmt::format("values are nested more than {} levels deep", kMaxDepth));
    }
    od::json_type json_type;
    if (value.type().get(json_type) != simdjson::SUCCESS) {
      // Spark reads the bare NaN and Infinity as numbers.
      std::string_view token = TrimTrailingWhitespace(value.raw_json_token());
      if (!NonNumericNumber(token)) return FailToken(token);
      MergeScalar(type, options_.primitives_as_string ? Kind::kString : Kind::kDouble);
      return true;
    }
    switch (json_type) {
      case od::json_type::null: {
        bool is_null = false;
        if (value.is_null().get(is_null) != simdjson::SUCCESS || !is_null) {
          return FailToken(value.raw_json_token());
        }
        return true;
      }
      case od::json_type::boolean: {
        bool flag = false;
        if (value.get_bool().get(flag) != simdjson::SUCCESS) {
          return FailToken(value.raw_json_token());
        }
        MergeScalar(type, options_.primitives_as_string ? Kind::kString : Kind::kBoolean);
        return true;
      }
      case od::json_type::number:
        return InferNumber(TrimTrailingWhitespace(value.raw_json_token()), type);
      case od::json_type::string: {
        std::string_view text;
        if (value.get_string().get(text) != simdjson::SUCCESS) {
          return FailToken(value.raw_json_token());
        }
        if (text.empty()) return true;  // Spark takes "" for null when inferring.
        if (options_.prefers_decimal) {
          auto shape = DecimalShape(text);
          if (shape && shape->second >= 0 && shape->second <= shape->first &&
              shape->first <= kMaxDecimalPrecision) {
            MergeScalar(type, Kind::kDecimal, shape->first, shape->second);
            return true;
          }
        }
        MergeScalar(type, Kind::kString);
        return true;
      }
      case od::json_type::object: {
        if (type->kind != Kind::kNull && type->kind != Kind::kStruct) {
          BecomeString(type);
          return true;
        }
        SetKind(type, Kind::kStruct);
        od::object object;
        error_code error = value.get_object().get(object);
        if (error != simdjson::SUCCESS) return FailParse(error);
        return InferObject(object, type, depth);
      }
      case od::json_type::array: {
        if (type->kind != Kind::kNull && type->kind != Kind::kArray) {
          BecomeString(type);
          return true;
        }
        SetKind(type, Kind::kArray);
        if (!type->element) {
          Touch(type);
          type->element = std::make_unique<InferredType>();
        }
        od::array array;
        error_code error = value.get_array().get(array);
        if (error != simdjson::SUCCESS) return FailParse(error);
        for (auto element_result : array) {
          od::value element;
          error = std::move(element_result).get(element);
          if (error != simdjson::SUCCESS) return FailParse(error);
          if (!InferValue(element, type->element.get(), depth + 1)) return false;
        }
        return true;
      }
    }
    return FailToken(value.raw_json_token());
  }

  bool InferNumber(std::string_view token, InferredType* type) {
    if (!IsJsonNumber(token)) return FailToken(token);
    if (options_.primitives_as_string) {
      MergeScalar(type, Kind::kString);
    } else if (IsIntegralJsonNumber(token)) {
      size_t digits = token.size() - (token.front() == '-' ? 1 : 0);
      if (digits <= 18 || ParseIntegralFits(token)) {
        MergeScalar(type, Kind::kInt64);
      } else if (digits <= static_cast<size_t>(kMaxDecimalPrecision)) {
        MergeScalar(type, Kind::kDecimal, static_cast<int32_t>(digits), 0);
      } else {
        MergeScalar(type, Kind::kDouble);
      }
    } else if (options_.prefers_decimal) {
      if (auto decimal = DecimalTypeOf(token)) {
        MergeScalar(type, Kind::kDecimal, decimal->first, decimal->second);
      } else {
        MergeScalar(type, Kind::kDouble);
      }
    } else {
      MergeScalar(type, Kind::kDouble);
    }
    return true;
  }

  static bool ParseIntegralFits(std::string_view token) {
    int64_t value = 0;
    auto [end, error] = std::from_chars(token.data(), token.data() + token.size(), value);
    return error == std::errc() && end == token.data() + token.size();
  }

  // Merges a type inferred separately (the elements of a top-level array) into `into`.
  void MergeInto(InferredType* into, InferredType&& from) {
    switch (from.kind) {
      case Kind::kNull:
        return;
      case Kind::kStruct:
        if (into->kind == Kind::kNull) into->kind = Kind::kStruct;
        if (into->kind != Kind::kStruct) {
          BecomeString(into);
          return;
        }
        for (auto& [name, member] : from.members) {
          InferredType* target = Member(into, name, -1);
          MergeInto(target, std::move(*member));
        }
        return;
      case Kind::kArray:
        if (into->kind == Kind::kNull) into->kind = Kind::kArray;
        if (into->kind != Kind::kArray) {
          BecomeString(into);
          return;
        }
        if (!into->element) into->element = std::make_unique<InferredType>();
        if (from.element) MergeInto(into->element.get(), std::move(*from.element));
        return;
      default:
        if (into->kind == Kind::kStruct || into->kind == Kind::kArray) {
          BecomeString(into);
        } else {
          MergeScalar(into, from.kind, from.precision, from.scale);
        }
        return;
    }
  }

  // Spark's canonicalizeType: null → STRING (or dropped), empty structs and arrays of dropped
  // elements dropped, members sorted by name.
  std::optional<DataTypePtr> Canonical(const InferredType& type) const {
    switch (type.kind) {
      case Kind::kNull:
        if (options_.drop_field_if_all_null) return std::nullopt;
        return types::String();
      case Kind::kBoolean:
        return types::Boolean();
      case Kind::kInt64:
        return types::Int64();
      case Kind::kDouble:
        return types::Float64();
      case Kind::kDecimal:
        return types::Decimal(type.precision, type.scale);
      case Kind::kString:
        return types::String();
      case Kind::kArray: {
        if (!type.element) {
          if (options_.drop_field_if_all_null) return std::nullopt;
          return types::List(types::String(), true);
        }
        std::optional<DataTypePtr> element = Canonical(*type.element);
        if (!element) return std::nullopt;
        return types::List(*element, true);
      }
      case Kind::kStruct: {
        std::vector<std::pair<std::u16string, size_t>> order;
        for (size_t i = 0; i < type.members.size(); ++i) {
          if (!type.members[i].first.empty()) order.emplace_back(Utf16(type.members[i].first), i);
        }
        std::sort(order.begin(), order.end());
        std::vector<Field> fields;
        for (const auto& [unused, index] : order) {
          const auto& [name, member] = type.members[index];
          std::optional<DataTypePtr> member_type = Canonical(*member);
          if (member_type) fields.emplace_back(name, *member_type, true);
        }
        if (fields.empty()) return std::nullopt;
        return types::Struct(std::move(fields));
      }
    }
    return std::nullopt;
  }

  const JsonReadOptions& options_;
  JsonReadStats* stats_;
  std::string path_;
  InferredType root_;
  std::unique_ptr<InferredType> array_elements_;
  // Undo log of the record being inferred.
  std::vector<Change> changes_;
  uint64_t record_ = 0;
  int64_t members_ = 0;
  bool corrupt_seen_ = false;
  std::string reason_;
  bool broken_ = false;
  DecodeOutcome pending_ = DecodeOutcome::kDecoded;
};

}  // namespace

Result<SchemaPtr> InferJsonSchema(io::FileSystem& fs, const std::vector<std::string>& paths,
                                  const JsonReadOptions& options, JsonReadStats* stats) {
  JsonReadStats local_stats;
  JsonReadStats* counts = stats != nullptr ? stats : &local_stats;
  SchemaInferrer inferrer(options, counts);
  for (const std::string& path : paths) {
    ARCFLOW_ASSIGN_OR_RETURN(auto file, fs.OpenSequential(path));
    inferrer.SetPath(path);
    Result<io::FileInfo> info = fs.GetFileInfo(path);
    JsonRecordScanner scanner(std::move(file), options.framing, options.read_chunk_bytes,
                              info.ok() ? info->size : -1);
    while (true) {
      Result<bool> finished = scanner.Scan(&inferrer);
      if (!finished.ok()) {
        counts->bytes_read += scanner.bytes_read();
        return finished.status();
      }
      if (*finished) break;
    }
    counts->bytes_read += scanner.bytes_read();
  }
  return inferrer.MakeSchema();
}

}  // namespace arcflow::json
