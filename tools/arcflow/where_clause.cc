#include "where_clause.h"

#include <cctype>
#include <optional>
#include <string>

#include "arcflow/base/ascii.h"

namespace arcflow::cli {
namespace {

using Op = parquet::ColumnPredicate::Op;

struct Token {
  enum class Kind { kEnd, kIdentifier, kQuotedIdentifier, kString, kNumber, kOperator, kDot };
  Kind kind = Kind::kEnd;
  std::string text;
  size_t position = 0;
};

class WhereParser {
 public:
  explicit WhereParser(std::string_view text) : text_(text) {}

  Result<std::vector<parquet::ColumnPredicate>> Parse() {
    std::vector<parquet::ColumnPredicate> predicates;
    ARCFLOW_RETURN_NOT_OK(Advance());
    while (true) {
      ARCFLOW_ASSIGN_OR_RETURN(parquet::ColumnPredicate predicate, ParseCondition());
      predicates.push_back(std::move(predicate));
      if (token_.kind == Token::Kind::kEnd) return predicates;
      if (!IsKeyword("AND")) return Error("expected AND or the end");
      ARCFLOW_RETURN_NOT_OK(Advance());
    }
  }

 private:
  Result<parquet::ColumnPredicate> ParseCondition() {
    parquet::ColumnPredicate predicate;
    if (token_.kind == Token::Kind::kEnd) return Error("expected a condition");
    if (IsColumnStart()) {
      ARCFLOW_ASSIGN_OR_RETURN(predicate.column, ParseColumn());
      if (IsKeyword("IS")) {
        ARCFLOW_RETURN_NOT_OK(Advance());
        bool negated = false;
        if (IsKeyword("NOT")) {
          negated = true;
          ARCFLOW_RETURN_NOT_OK(Advance());
        }
        if (!IsKeyword("NULL")) return Error("expected NULL");
        ARCFLOW_RETURN_NOT_OK(Advance());
        predicate.op = negated ? Op::kIsNotNull : Op::kIsNull;
        return predicate;
      }
      ARCFLOW_ASSIGN_OR_RETURN(predicate.op, ParseOperator());
      ARCFLOW_ASSIGN_OR_RETURN(predicate.value, ParseLiteral());
      return predicate;
    }
    // literal op column: the comparison is mirrored.
    ARCFLOW_ASSIGN_OR_RETURN(predicate.value, ParseLiteral());
    ARCFLOW_ASSIGN_OR_RETURN(Op op, ParseOperator());
    if (!IsColumnStart()) return Error("expected a column");
    ARCFLOW_ASSIGN_OR_RETURN(predicate.column, ParseColumn());
    switch (op) {
      case Op::kLt:
        predicate.op = Op::kGt;
        break;
      case Op::kLe:
        predicate.op = Op::kGe;
        break;
      case Op::kGt:
        predicate.op = Op::kLt;
        break;
      case Op::kGe:
        predicate.op = Op::kLe;
        break;
      default:
        predicate.op = op;
    }
    return predicate;
  }

  bool IsColumnStart() const {
    if (token_.kind == Token::Kind::kQuotedIdentifier) return true;
    return token_.kind == Token::Kind::kIdentifier && !IsKeyword("TRUE") && !IsKeyword("FALSE") &&
           !IsTypedLiteralKeyword();
  }

  bool IsTypedLiteralKeyword() const { return IsKeyword("DATE") || IsKeyword("TIMESTAMP"); }

  Result<std::string> ParseColumn() {
    std::string column;
    while (true) {
      if (token_.kind != Token::Kind::kIdentifier &&
          token_.kind != Token::Kind::kQuotedIdentifier) {
        return Error("expected a column name");
      }
      // A member name holding a dot keeps its backticks so that the path stays unambiguous.
      if (token_.kind == Token::Kind::kQuotedIdentifier &&
          token_.text.find('.') != std::string::npos) {
        column += "`" + token_.text + "`";
      } else {
        column += token_.text;
      }
      ARCFLOW_RETURN_NOT_OK(Advance());
      if (token_.kind != Token::Kind::kDot) return column;
      column += '.';
      ARCFLOW_RETURN_NOT_OK(Advance());
    }
  }

  Result<Op> ParseOperator() {
    if (token_.kind != Token::Kind::kOperator) return Error("expected =, <, <=, > or >=");
    std::optional<Op> op;
    if (token_.text == "=" || token_.text == "==") op = Op::kEq;
    if (token_.text == "<") op = Op::kLt;
    if (token_.text == "<=") op = Op::kLe;
    if (token_.text == ">") op = Op::kGt;
    if (token_.text == ">=") op = Op::kGe;
    if (!op) return Error("operator '" + token_.text + "' is not supported; use =, <, <=, > or >=");
    ARCFLOW_RETURN_NOT_OK(Advance());
    return *op;
  }

  Result<std::string> ParseLiteral() {
    if (IsTypedLiteralKeyword()) {
      ARCFLOW_RETURN_NOT_OK(Advance());
      if (token_.kind != Token::Kind::kString) return Error("expected a quoted value");
    }
    if (token_.kind == Token::Kind::kString || token_.kind == Token::Kind::kNumber) {
      std::string value = token_.text;
      ARCFLOW_RETURN_NOT_OK(Advance());
      return value;
    }
    if (IsKeyword("TRUE") || IsKeyword("FALSE")) {
      std::string value = IsKeyword("TRUE") ? "true" : "false";
      ARCFLOW_RETURN_NOT_OK(Advance());
      return value;
    }
    return Error("expected a value (a number, 'text', true, false, DATE '…' or TIMESTAMP '…')");
  }

  bool IsKeyword(std::string_view keyword) const {
    return token_.kind == Token::Kind::kIdentifier && ascii::EqualsIgnoreCase(token_.text, keyword);
  }

  Status Error(const std::string& what) const {
    std::string found = token_.kind == Token::Kind::kEnd ? "the end" : "'" + token_.text + "'";
    return Status::Invalid("--where: {} at position {}, found {} in: {}", what, token_.position + 1,
                           found, text_);
  }

  // Reads the next token into token_.
  Status Advance() {
    while (position_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[position_]))) {
      ++position_;
    }
    token_ = Token();
    token_.position = position_;
    if (position_ >= text_.size()) return Status::OK();
    const char c = text_[position_];
    auto is_identifier_char = [](char ch) {
      return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' ||
             static_cast<unsigned char>(ch) >= 0x80;
    };
    if (c == '\'' || c == '`') {
      token_.kind = c == '\'' ? Token::Kind::kString : Token::Kind::kQuotedIdentifier;
      ++position_;
      while (true) {
        if (position_ >= text_.size()) {
          return Status::Invalid("--where: unterminated {} starting at position {} in: {}",
                                 c == '\'' ? "string" : "quoted name", token_.position + 1, text_);
        }
        if (text_[position_] == c) {
          // A doubled quote stands for itself.
          if (position_ + 1 < text_.size() && text_[position_ + 1] == c) {
            token_.text += c;
            position_ += 2;
            continue;
          }
          ++position_;
          return Status::OK();
        }
        token_.text += text_[position_++];
      }
    }
    const bool signed_number = (c == '-' || c == '+') && position_ + 1 < text_.size() &&
                               std::isdigit(static_cast<unsigned char>(text_[position_ + 1]));
    if (std::isdigit(static_cast<unsigned char>(c)) || signed_number) {
      token_.kind = Token::Kind::kNumber;
      size_t end = position_ + 1;
      while (end < text_.size() &&
             (std::isalnum(static_cast<unsigned char>(text_[end])) || text_[end] == '.' ||
              ((text_[end] == '-' || text_[end] == '+') &&
               (text_[end - 1] == 'e' || text_[end - 1] == 'E')))) {
        ++end;
      }
      token_.text = std::string(text_.substr(position_, end - position_));
      position_ = end;
      return Status::OK();
    }
    if (is_identifier_char(c)) {
      token_.kind = Token::Kind::kIdentifier;
      size_t end = position_;
      while (end < text_.size() && is_identifier_char(text_[end])) ++end;
      token_.text = std::string(text_.substr(position_, end - position_));
      position_ = end;
      return Status::OK();
    }
    if (c == '.') {
      token_.kind = Token::Kind::kDot;
      token_.text = ".";
      ++position_;
      return Status::OK();
    }
    if (c == '=' || c == '<' || c == '>' || c == '!') {
      token_.kind = Token::Kind::kOperator;
      size_t end = position_ + 1;
      if (end < text_.size() && (text_[end] == '=' || (c == '<' && text_[end] == '>'))) ++end;
      token_.text = std::string(text_.substr(position_, end - position_));
      position_ = end;
      return Status::OK();
    }
    return Status::Invalid("--where: unexpected character '{}' at position {} in: {}", c,
                           position_ + 1, text_);
  }

  std::string_view text_;
  size_t position_ = 0;
  Token token_;
};

}  // namespace

Result<std::vector<parquet::ColumnPredicate>> ParseWhereClause(std::string_view text) {
  return WhereParser(text).Parse();
}

}  // namespace arcflow::cli
