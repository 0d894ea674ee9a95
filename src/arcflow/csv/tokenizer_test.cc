#include "arcflow/csv/tokenizer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace arcflow::csv {
namespace {

using ::testing::ElementsAre;

// A record copied out of the tokenizer, for comparisons.
struct Record {
  std::vector<std::string> fields;
  std::vector<bool> quoted;
  std::string raw;
  RecordProblem problem = RecordProblem::kNone;
  int64_t problem_field = -1;
  int64_t line_breaks = 0;

  bool operator==(const Record&) const = default;
};

Record Copy(const ParsedRecord& parsed) {
  Record record;
  for (const CsvField& field : parsed.fields) {
    record.fields.emplace_back(field.text);
    record.quoted.push_back(field.quoted);
  }
  record.raw = std::string(parsed.raw);
  record.problem = parsed.problem;
  record.problem_field = parsed.problem_field;
  record.line_breaks = parsed.line_breaks;
  return record;
}

// Tokenizes all of `text` with the input complete.
std::vector<Record> TokenizeAll(std::string_view text, const TokenizerOptions& options = {}) {
  CsvTokenizer tokenizer(options);
  std::vector<Record> records;
  ParsedRecord parsed;
  while (true) {
    TokenizeResult result = tokenizer.Next(text, /*at_end_of_input=*/true, &parsed);
    EXPECT_NE(result, TokenizeResult::kNeedMoreData);
    if (result == TokenizeResult::kEndOfInput || result == TokenizeResult::kNeedMoreData) break;
    if (result == TokenizeResult::kRecord) records.push_back(Copy(parsed));
    EXPECT_GT(parsed.consumed, 0);
    text.remove_prefix(static_cast<size_t>(parsed.consumed));
  }
  return records;
}

// Checks that every prefix of the input either asks for more data or yields exactly the record
// the complete input yields: the property that lets the record reader cut the input anywhere.
void ExpectPrefixesAgree(std::string_view text, const TokenizerOptions& options = {}) {
  CsvTokenizer complete(options);
  CsvTokenizer partial(options);
  ParsedRecord expected;
  ParsedRecord actual;
  while (!text.empty()) {
    TokenizeResult result = complete.Next(text, true, &expected);
    ASSERT_NE(result, TokenizeResult::kEndOfInput);
    Record want = Copy(expected);
    for (size_t cut = 0; cut <= text.size(); ++cut) {
      TokenizeResult got = partial.Next(text.substr(0, cut), false, &actual);
      if (got == TokenizeResult::kNeedMoreData) continue;
      ASSERT_EQ(got, result) << "cut " << cut << " of '" << text << "'";
      ASSERT_EQ(actual.consumed, expected.consumed) << "cut " << cut << " of '" << text << "'";
      if (got == TokenizeResult::kRecord) {
        ASSERT_EQ(Copy(actual), want) << "cut " << cut << " of '" << text << "'";
      }
      break;
    }
    text.remove_prefix(static_cast<size_t>(expected.consumed));
  }
}

std::vector<std::vector<std::string>> Fields(const std::vector<Record>& records) {
  std::vector<std::vector<std::string>> fields;
  for (const Record& record : records) fields.push_back(record.fields);
  return fields;
}

using Rows = std::vector<std::vector<std::string>>;

TEST(CsvTokenizerTest, SplitsSimpleRecords) {
  EXPECT_EQ(Fields(TokenizeAll("a,b,c\n1,2,3\n")), (Rows{{"a", "b", "c"}, {"1", "2", "3"}}));
  EXPECT_EQ(Fields(TokenizeAll("a,b\n1,2")), (Rows{{"a", "b"}, {"1", "2"}}));
}

TEST(CsvTokenizerTest, KeepsEmptyFields) {
  std::vector<Record> records = TokenizeAll(",a,,\n");
  ASSERT_EQ(records.size(), 1u);
  EXPECT_THAT(records[0].fields, ElementsAre("", "a", "", ""));
  EXPECT_THAT(records[0].quoted, ElementsAre(false, false, false, false));
}

TEST(CsvTokenizerTest, AcceptsEveryLineEnding) {
  EXPECT_EQ(Fields(TokenizeAll("a,b\r\nc,d\re,f\ng,h")),
            (Rows{{"a", "b"}, {"c", "d"}, {"e", "f"}, {"g", "h"}}));
  std::vector<Record> records = TokenizeAll("a\r\nb\r\n");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].raw, "a");
  EXPECT_EQ(records[0].line_breaks, 1);
}

TEST(CsvTokenizerTest, SkipsBlankLines) {
  EXPECT_EQ(Fields(TokenizeAll("\n\na\r\n\r\n\rb\n\n")), (Rows{{"a"}, {"b"}}));
}

TEST(CsvTokenizerTest, HonoursACustomLineSeparator) {
  TokenizerOptions options;
  options.line_separator = LineSeparator::kChar;
  options.line_separator_char = ';';
  EXPECT_EQ(Fields(TokenizeAll("a,b;c\nd,e;", options)), (Rows{{"a", "b"}, {"c\nd", "e"}}));

  TokenizerOptions crlf;
  crlf.line_separator = LineSeparator::kCrLf;
  EXPECT_EQ(Fields(TokenizeAll("a\nb\r\nc\rd\r\n", crlf)), (Rows{{"a\nb"}, {"c\rd"}}));
}

TEST(CsvTokenizerTest, UnquotesFields) {
  std::vector<Record> records = TokenizeAll("\"a,b\",\"\",\"c\"\"d\",\"e\\\"f\"\n");
  ASSERT_EQ(records.size(), 1u);
  EXPECT_THAT(records[0].fields, ElementsAre("a,b", "", "c\"d", "e\"f"));
  EXPECT_THAT(records[0].quoted, ElementsAre(true, true, true, true));
  EXPECT_EQ(records[0].raw, "\"a,b\",\"\",\"c\"\"d\",\"e\\\"f\"");
}

TEST(CsvTokenizerTest, HandlesEscapedEscapes) {
  // \\ before the closing quote is a literal backslash; elsewhere a backslash is literal.
  EXPECT_EQ(Fields(TokenizeAll(R"("a\\","C:\dir","x\\\"y")")),
            (Rows{{"a\\", "C:\\dir", "x\\\"y"}}));
  TokenizerOptions options;
  options.escape_escape = '#';
  EXPECT_EQ(Fields(TokenizeAll(R"("a#\",b)", options)), (Rows{{"a\\", "b"}}));
  // Without charToEscapeQuoteEscaping, \" is a backslash and an escaped quote, so the
  // field runs on.
  options.escape_escape = '\0';
  EXPECT_EQ(Fields(TokenizeAll(R"("a\\",b)", options)), (Rows{{"a\\\",b"}}));
}

TEST(CsvTokenizerTest, SupportsRfc4180Quotes) {
  TokenizerOptions options;
  options.escape = '"';
  options.escape_escape = '\0';
  EXPECT_EQ(Fields(TokenizeAll("\"a\"\"b\",\"\\\"\n", options)), (Rows{{"a\"b", "\\"}}));
}

TEST(CsvTokenizerTest, TreatsQuotesLiterallyWhenQuotingIsOff) {
  TokenizerOptions options;
  options.quote = '\0';
  EXPECT_EQ(Fields(TokenizeAll("\"a,b\"\n", options)), (Rows{{"\"a", "b\""}}));
}

TEST(CsvTokenizerTest, QuoteOnlyOpensAtFieldStart) {
  EXPECT_EQ(Fields(TokenizeAll("a\"b,c\n")), (Rows{{"a\"b", "c"}}));
  // Text after a closing quote is kept.
  EXPECT_EQ(Fields(TokenizeAll("\"ab\"cd,e\n")), (Rows{{"abcd", "e"}}));
}

TEST(CsvTokenizerTest, SpansLinesInMultiLineMode) {
  TokenizerOptions options;
  options.multi_line = true;
  std::vector<Record> records = TokenizeAll("\"a\nb\",\"c\r\nd\"\ne,f\n", options);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_THAT(records[0].fields, ElementsAre("a\nb", "c\r\nd"));
  EXPECT_EQ(records[0].line_breaks, 3);
  EXPECT_THAT(records[1].fields, ElementsAre("e", "f"));
}

TEST(CsvTokenizerTest, MarksUnclosedQuoteInSingleLineMode) {
  std::vector<Record> records = TokenizeAll("x,\"a\nb\"\n");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].problem, RecordProblem::kUnclosedQuote);
  EXPECT_EQ(records[0].problem_field, 1);
  EXPECT_THAT(records[0].fields, ElementsAre("x", "a"));
  EXPECT_EQ(records[0].raw, "x,\"a");
  // The next line starts a record of its own, where a quote after the start is literal.
  EXPECT_EQ(records[1].problem, RecordProblem::kNone);
  EXPECT_THAT(records[1].fields, ElementsAre("b\""));
  EXPECT_THAT(records[1].quoted, ElementsAre(false));
}

TEST(CsvTokenizerTest, MarksUnclosedQuoteAtEndOfInput) {
  TokenizerOptions options;
  options.multi_line = true;
  std::vector<Record> records = TokenizeAll("a,\"b\nc", options);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].problem, RecordProblem::kUnclosedQuote);
  EXPECT_THAT(records[0].fields, ElementsAre("a", "b\nc"));
}

TEST(CsvTokenizerTest, SkipsCommentLines) {
  TokenizerOptions options;
  options.comment = '#';
  EXPECT_EQ(Fields(TokenizeAll("#x,y\na,#b\n#\n# last", options)), (Rows{{"a", "#b"}}));
}

TEST(CsvTokenizerTest, TrimsWhiteSpaceOnRequest) {
  EXPECT_EQ(Fields(TokenizeAll(" a , b \n")), (Rows{{" a ", " b "}}));
  TokenizerOptions options;
  options.ignore_leading_white_space = true;
  options.ignore_trailing_white_space = true;
  EXPECT_EQ(Fields(TokenizeAll(" a ,\t\" b \" , c\n", options)), (Rows{{"a", " b ", "c"}}));
  TokenizerOptions tabs;
  tabs.delimiter = '\t';
  tabs.ignore_leading_white_space = true;
  EXPECT_EQ(Fields(TokenizeAll("a\t\tb\n", tabs)), (Rows{{"a", "", "b"}}));
}

TEST(CsvTokenizerTest, EnforcesMaxColumns) {
  TokenizerOptions options;
  options.max_columns = 2;
  std::vector<Record> records = TokenizeAll("a,b,c,d\ne,f\n", options);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].problem, RecordProblem::kTooManyColumns);
  EXPECT_THAT(records[0].fields, ElementsAre("a", "b"));
  EXPECT_EQ(records[1].problem, RecordProblem::kNone);
}

TEST(CsvTokenizerTest, EnforcesMaxCharsPerColumnInCharacters) {
  TokenizerOptions options;
  options.max_chars_per_column = 3;
  std::vector<Record> records = TokenizeAll("abc,\xC3\xA9\xC3\xA9\xC3\xA9\nabcd\n", options);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].problem, RecordProblem::kNone);  // Three two-byte characters.
  EXPECT_EQ(records[1].problem, RecordProblem::kFieldTooLong);
  EXPECT_EQ(records[1].problem_field, 0);
}

TEST(CsvTokenizerTest, AnyPrefixEitherWaitsOrAgrees) {
  const std::vector<std::string> inputs = {
      "a,b,c\n1,2,3\n",
      "a,b\r\nc,d\re\r",
      "\"a\"\"b\",\"c\\\"d\",\"e\\\\\"\r\n\"\",x\n",
      "\"unclosed,\nnext\n",
      "  x , y \r\n\n\r\n#c\nz",
      "\"ab\"  cd,\"\"\"\"\r",
  };
  for (const std::string& input : inputs) {
    ExpectPrefixesAgree(input);
    TokenizerOptions multi;
    multi.multi_line = true;
    multi.comment = '#';
    multi.ignore_leading_white_space = true;
    multi.ignore_trailing_white_space = true;
    ExpectPrefixesAgree(input, multi);
    TokenizerOptions crlf;
    crlf.line_separator = LineSeparator::kCrLf;
    ExpectPrefixesAgree(input, crlf);
  }
}

}  // namespace
}  // namespace arcflow::csv
