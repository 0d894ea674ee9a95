// libFuzzer target for the schema parsers (columnar/schema_ddl.h, columnar/schema_json.h).
//
// Feeds every input to the DDL schema parser, the DDL type parser and the StructType JSON
// parser. Besides memory errors, it checks the round-trip properties the printers promise:
// whatever a parser accepts prints to text that parses back to the same schema and prints the
// same again, and a schema read from DDL survives the trip through StructType JSON.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "arcflow/columnar/schema_ddl.h"
#include "arcflow/columnar/schema_json.h"

namespace {

[[noreturn]] void Fail(const char* property, const std::string& text) {
  std::fprintf(stderr, "schema fuzzer: %s does not hold for: %s\n", property, text.c_str());
  std::abort();
}

void CheckDdlSchema(std::string_view input) {
  arcflow::Result<arcflow::SchemaPtr> parsed = arcflow::ParseDdlSchema(input);
  if (!parsed.ok()) return;
  const arcflow::Schema& schema = **parsed;
  std::string ddl = arcflow::ToDdl(schema);
  arcflow::Result<arcflow::SchemaPtr> reparsed = arcflow::ParseDdlSchema(ddl);
  if (!reparsed.ok()) Fail("ParseDdlSchema(ToDdl(s)) succeeds", ddl);
  if (!(*reparsed)->Equals(schema)) Fail("ParseDdlSchema(ToDdl(s)) == s", ddl);
  if (arcflow::ToDdl(**reparsed) != ddl) Fail("ToDdl is stable", ddl);

  std::string json = arcflow::ToStructTypeJson(schema);
  arcflow::Result<arcflow::SchemaPtr> from_json = arcflow::ParseStructTypeJson(json);
  if (!from_json.ok()) Fail("ParseStructTypeJson(ToStructTypeJson(s)) succeeds", json);
  if (!(*from_json)->Equals(schema)) Fail("ParseStructTypeJson(ToStructTypeJson(s)) == s", json);
}

void CheckDdlType(std::string_view input) {
  arcflow::Result<arcflow::DataTypePtr> parsed = arcflow::ParseDdlType(input);
  if (!parsed.ok()) return;
  std::string ddl = arcflow::ToDdl(**parsed);
  arcflow::Result<arcflow::DataTypePtr> reparsed = arcflow::ParseDdlType(ddl);
  if (!reparsed.ok()) Fail("ParseDdlType(ToDdl(t)) succeeds", ddl);
  if (!(*reparsed)->Equals(**parsed)) Fail("ParseDdlType(ToDdl(t)) == t", ddl);
}

void CheckStructTypeJson(std::string_view input) {
  arcflow::Result<arcflow::SchemaPtr> parsed = arcflow::ParseStructTypeJson(input);
  if (!parsed.ok()) return;
  std::string json = arcflow::ToStructTypeJson(**parsed);
  arcflow::Result<arcflow::SchemaPtr> reparsed = arcflow::ParseStructTypeJson(json);
  if (!reparsed.ok()) Fail("ParseStructTypeJson(ToStructTypeJson(s)) succeeds", json);
  if (!(*reparsed)->Equals(**parsed)) Fail("ParseStructTypeJson(ToStructTypeJson(s)) == s", json);
  if (arcflow::ToStructTypeJson(**reparsed) != json) Fail("ToStructTypeJson is stable", json);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  CheckDdlSchema(input);
  CheckDdlType(input);
  CheckStructTypeJson(input);
  return 0;
}
