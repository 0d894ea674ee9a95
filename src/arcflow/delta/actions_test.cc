#include "arcflow/delta/actions.h"

#include <gtest/gtest.h>

#include <string>

namespace arcflow::delta {
namespace {

Action ParseOne(std::string_view line) {
  Result<std::optional<Action>> parsed = ParseAction(line, "test.json:1");
  EXPECT_TRUE(parsed.ok()) << parsed.status().ToString();
  if (!parsed.ok() || !parsed->has_value()) return Action(Protocol{});
  return **parsed;
}

// Serializes, parses back and checks equality; returns the serialized text.
std::string ExpectRoundTrip(const Action& action) {
  std::string text = SerializeAction(action);
  Result<std::optional<Action>> parsed = ParseAction(text, "round-trip");
  EXPECT_TRUE(parsed.ok()) << parsed.status().ToString() << " for " << text;
  if (parsed.ok()) {
    EXPECT_TRUE(parsed->has_value()) << text;
    if (parsed->has_value()) {
      EXPECT_TRUE(**parsed == action) << text;
    }
  }
  return text;
}

DeletionVectorDescriptor SampleDeletionVector() {
  DeletionVectorDescriptor dv;
  dv.storage_type = 'u';
  dv.path_or_inline_dv = "ab^-aqEH.-t@S}K{vb[*k^";
  dv.offset = 4;
  dv.size_in_bytes = 40;
  dv.cardinality = 6;
  return dv;
}

TEST(ActionsTest, SerializesAddLikeSpark) {
  AddFile add;
  add.path = "x=A%20B/part-0.parquet";
  add.partition_values = {{"x", "A B"}, {"y", std::nullopt}};
  add.size = 635;
  add.modification_time = 1677811178336;
  add.data_change = true;
  add.stats = R"({"numRecords":10})";
  EXPECT_EQ(SerializeAction(add),
            R"({"add":{"path":"x=A%20B/part-0.parquet","partitionValues":{"x":"A B","y":null},)"
            R"("size":635,"modificationTime":1677811178336,"dataChange":true,)"
            R"("stats":"{\"numRecords\":10}"}})");
}

TEST(ActionsTest, RoundTripsEveryKind) {
  Protocol legacy;
  legacy.min_reader_version = 1;
  legacy.min_writer_version = 2;
  EXPECT_EQ(ExpectRoundTrip(legacy), R"({"protocol":{"minReaderVersion":1,"minWriterVersion":2}})");

  Protocol features;
  features.min_reader_version = 3;
  features.min_writer_version = 7;
  features.reader_features = std::vector<std::string>{"deletionVectors", "columnMapping"};
  features.writer_features = std::vector<std::string>{"deletionVectors", "appendOnly"};
  ExpectRoundTrip(features);

  Metadata metadata;
  metadata.id = "6fbb1b5e-6ba1-4bd1-a4a8-4e0a2b3b1a9f";
  metadata.name = "orders";
  metadata.description = "tab\there \"quoted\" \\ and unicode é";
  metadata.format.options = {{"compression", "zstd"}};
  metadata.schema_string =
      R"({"type":"struct","fields":[{"name":"a","type":"integer","nullable":true,"metadata":{}}]})";
  metadata.partition_columns = {"a"};
  metadata.configuration = {{"delta.appendOnly", "true"}, {"delta.checkpointInterval", "10"}};
  metadata.created_time = 1600000000000;
  ExpectRoundTrip(metadata);

  Metadata minimal;
  minimal.id = "id";
  minimal.schema_string = "{}";
  EXPECT_EQ(ExpectRoundTrip(minimal),
            R"({"metaData":{"id":"id","format":{"provider":"parquet","options":{}},)"
            R"("schemaString":"{}","partitionColumns":[],"configuration":{}}})");

  AddFile add;
  add.path = "part-00000.parquet";
  add.partition_values = {{"p", std::nullopt}, {"q", "1"}};
  add.size = 1;
  add.modification_time = 2;
  add.data_change = false;
  add.stats = R"({"numRecords":1,"minValues":{"s":"a\"b"}})";
  add.tags = StringMap{{"INSERTION_TIME", "1677811178336000"}};
  add.deletion_vector = SampleDeletionVector();
  add.base_row_id = 10;
  add.default_row_commit_version = 3;
  add.clustering_provider = "liquid";
  ExpectRoundTrip(add);

  RemoveFile remove;
  remove.path = "part-00000.parquet";
  remove.deletion_timestamp = 1677811194426;
  remove.data_change = true;
  remove.extended_file_metadata = true;
  remove.partition_values = PartitionValues{{"p", std::nullopt}};
  remove.size = 635;
  remove.stats = R"({"numRecords":1})";
  remove.tags = StringMap{{"k", "v"}};
  remove.deletion_vector = SampleDeletionVector();
  remove.base_row_id = 1;
  remove.default_row_commit_version = 2;
  ExpectRoundTrip(remove);

  RemoveFile bare_remove;
  bare_remove.path = "a b.parquet";
  EXPECT_EQ(ExpectRoundTrip(bare_remove), R"({"remove":{"path":"a b.parquet","dataChange":true}})");

  AddCdcFile cdc;
  cdc.path = "_change_data/cdc-00000.parquet";
  cdc.partition_values = {{"p", "x"}};
  cdc.size = 12;
  cdc.tags = StringMap{};
  ExpectRoundTrip(cdc);

  Transaction txn;
  txn.app_id = "stage-uuid";
  txn.version = 42;
  txn.last_updated = 1700000000000;
  EXPECT_EQ(ExpectRoundTrip(txn),
            R"({"txn":{"appId":"stage-uuid","version":42,"lastUpdated":1700000000000}})");

  CommitInfo info;
  info.timestamp = 1;
  info.in_commit_timestamp = 2;
  info.operation = "WRITE";
  info.operation_parameters = {{"mode", R"("Append")"}, {"partitionBy", R"("[]")"}};
  info.read_version = 0;
  info.is_blind_append = true;
  info.operation_metrics = {{"numFiles", R"("1")"}};
  info.engine_info = "arcflow/0.1";
  // Built from the fields when `json` is empty; parsing keeps the whole object in `json`.
  std::string built = SerializeAction(info);
  EXPECT_EQ(built, R"({"commitInfo":{"inCommitTimestamp":2,"timestamp":1,"operation":"WRITE",)"
                   R"("operationParameters":{"mode":"Append","partitionBy":"[]"},"readVersion":0,)"
                   R"("isBlindAppend":true,"operationMetrics":{"numFiles":"1"},)"
                   R"("engineInfo":"arcflow/0.1"}})");
  CommitInfo with_json = info;
  with_json.json = built.substr(std::string_view(R"({"commitInfo":)").size(),
                                built.size() - std::string_view(R"({"commitInfo":)").size() - 1);
  ExpectRoundTrip(with_json);

  DomainMetadata domain;
  domain.domain = "delta.clustering";
  domain.configuration = R"({"clusteringColumns":[["id"]]})";
  ExpectRoundTrip(domain);
  domain.removed = true;
  ExpectRoundTrip(domain);

  CheckpointMetadata checkpoint;
  checkpoint.version = 7;
  checkpoint.tags = StringMap{{"a", "b"}};
  ExpectRoundTrip(checkpoint);

  Sidecar sidecar;
  sidecar.path = "00001.checkpoint.0000000001.0000000001.uuid.parquet";
  sidecar.size_in_bytes = 9268;
  sidecar.modification_time = 1724440637000;
  ExpectRoundTrip(sidecar);
}

TEST(ActionsTest, EscapesControlCharactersAndQuotes) {
  AddFile add;
  add.path = std::string("we\"ird\\\n\x01path");
  std::string text = ExpectRoundTrip(add);
  EXPECT_NE(text.find(R"(we\"ird\\\n\u0001path)"), std::string::npos) << text;
}

TEST(ActionsTest, ParsesSparkCommitLines) {
  Action action = ParseOne(
      R"({"add":{"path":"part-00000-fae5.snappy.parquet","partitionValues":{"d":null,"e":"1"},)"
      R"("size":635,"modificationTime":1677811178336,"dataChange":true,"stats":"{\"numRecords\":10}",)"
      R"("tags":{"INSERTION_TIME":"1677811178336000"},"deletionVector":{"storageType":"u",)"
      R"("pathOrInlineDv":"vBn[lx{q8@P<9BNH/isA","offset":1,"sizeInBytes":36,"cardinality":2,)"
      R"("maxRowIndex":9},"someFutureField":[1,2,{"x":null}]}})");
  ASSERT_TRUE(std::holds_alternative<AddFile>(action));
  const auto& add = std::get<AddFile>(action);
  EXPECT_EQ(add.path, "part-00000-fae5.snappy.parquet");
  ASSERT_EQ(add.partition_values.size(), 2u);
  EXPECT_EQ(add.partition_values[0].first, "d");
  EXPECT_FALSE(add.partition_values[0].second.has_value());
  EXPECT_EQ(add.partition_values[1].second, "1");
  EXPECT_EQ(add.size, 635);
  EXPECT_EQ(add.stats, R"({"numRecords":10})");
  ASSERT_TRUE(add.deletion_vector.has_value());
  EXPECT_EQ(add.deletion_vector->storage_type, 'u');
  EXPECT_EQ(add.deletion_vector->offset, 1);
  EXPECT_EQ(add.deletion_vector->cardinality, 2);
  EXPECT_EQ(add.deletion_vector->UniqueId(), "uvBn[lx{q8@P<9BNH/isA@1");
  ASSERT_TRUE(add.tags.has_value());
  EXPECT_EQ(add.tags->at(0).second, "1677811178336000");

  Action info_action = ParseOne(
      R"({"commitInfo":{"timestamp":1677811194429,"operation":"DELETE","operationParameters":)"
      R"({"predicate":"[\"x\"]","n":3},"readVersion":0,"isBlindAppend":false,)"
      R"("operationMetrics":{"numRemovedFiles":"0"},"engineInfo":"Databricks-Runtime","txnId":"t"}})");
  ASSERT_TRUE(std::holds_alternative<CommitInfo>(info_action));
  const auto& info = std::get<CommitInfo>(info_action);
  EXPECT_EQ(info.timestamp, 1677811194429);
  EXPECT_EQ(info.operation, "DELETE");
  EXPECT_EQ(info.read_version, 0);
  EXPECT_EQ(info.is_blind_append, false);
  EXPECT_FALSE(info.in_commit_timestamp.has_value());
  ASSERT_EQ(info.operation_parameters.size(), 2u);
  EXPECT_EQ(info.operation_parameters[0].second, R"("[\"x\"]")");
  EXPECT_EQ(info.operation_parameters[1].second, "3");
  EXPECT_EQ(info.engine_info, "Databricks-Runtime");
  EXPECT_NE(info.json.find(R"("txnId":"t")"), std::string::npos) << info.json;
}

TEST(ActionsTest, IgnoresUnknownActionKinds) {
  Result<std::optional<Action>> parsed =
      ParseAction(R"({"someFutureAction":{"x":1}})", "test.json:1");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_FALSE(parsed->has_value());

  Result<std::vector<Action>> commit = ParseCommit(
      "{\"commitInfo\":{\"timestamp\":5}}\n\n{\"unknown\":{}}\r\n"
      "{\"txn\":{\"appId\":\"a\",\"version\":3}}\n",
      "00000000000000000001.json");
  ASSERT_TRUE(commit.ok()) << commit.status().ToString();
  ASSERT_EQ(commit->size(), 2u);
  EXPECT_TRUE(std::holds_alternative<CommitInfo>((*commit)[0]));
  EXPECT_EQ(std::get<Transaction>((*commit)[1]).version, 3);
}

TEST(ActionsTest, MalformedJsonNamesFileAndLine) {
  Result<std::vector<Action>> commit =
      ParseCommit("{\"txn\":{\"appId\":\"a\",\"version\":3}}\n{\"add\":{\"path\":\"x\"\n",
                  "/t/_delta_log/00000000000000000004.json");
  ASSERT_FALSE(commit.ok());
  EXPECT_TRUE(commit.status().IsCorruption()) << commit.status().ToString();
  EXPECT_NE(commit.status().message().find("00000000000000000004.json"), std::string::npos);
  EXPECT_NE(commit.status().message().find("line=2"), std::string::npos)
      << commit.status().message();
}

TEST(ActionsTest, WrongTypesAreCorruption) {
  struct Case {
    const char* line;
    const char* mentions;
  };
  const Case cases[] = {
      {R"({"add":{"path":7}})", "add.path"},
      {R"({"add":{"path":"a","size":"12"}})", "add.size"},
      {R"({"add":{"path":"a","size":1.5}})", "add.size"},
      {R"({"add":{"path":"a","dataChange":"yes"}})", "add.dataChange"},
      {R"({"add":{"path":"a","partitionValues":{"p":1}}})", "add.partitionValues"},
      {R"({"add":{"path":"a","stats":{"numRecords":1}}})", "add.stats"},
      {R"({"add":{"size":1}})", "path"},
      {R"({"add":[1]})", "add"},
      {R"({"protocol":{"minReaderVersion":1}})", "minWriterVersion"},
      {R"({"protocol":{"minReaderVersion":1,"minWriterVersion":99999999999}})", "minWriterVersion"},
      {R"({"protocol":{"minReaderVersion":3,"minWriterVersion":7,"readerFeatures":"x"}})",
       "readerFeatures"},
      {R"({"metaData":{"id":"x","partitionColumns":[1]}})", "partitionColumns"},
      {R"({"txn":{"appId":"a"}})", "version"},
      {R"({"add":{"path":"a","deletionVector":{"storageType":"uu"}}})", "storageType"},
      {R"({"domainMetadata":{"domain":"d","removed":1}})", "removed"},
      {R"({"commitInfo":{"inCommitTimestamp":"soon"}})", "inCommitTimestamp"},
      {R"([1,2])", "not a JSON object"},
  };
  for (const Case& test_case : cases) {
    Result<std::optional<Action>> parsed = ParseAction(test_case.line, "f.json:9");
    ASSERT_FALSE(parsed.ok()) << test_case.line;
    EXPECT_TRUE(parsed.status().IsCorruption()) << parsed.status().ToString();
    EXPECT_NE(parsed.status().message().find(test_case.mentions), std::string::npos)
        << parsed.status().message();
    EXPECT_NE(parsed.status().message().find("f.json:9"), std::string::npos)
        << parsed.status().message();
  }
}

TEST(ActionsTest, NullOptionalFieldsAreUnset) {
  Action action =
      ParseOne(R"({"remove":{"path":"a","deletionTimestamp":null,"size":null,"tags":null,)"
               R"("deletionVector":null,"partitionValues":null,"extendedFileMetadata":null}})");
  const auto& remove = std::get<RemoveFile>(action);
  EXPECT_FALSE(remove.deletion_timestamp.has_value());
  EXPECT_FALSE(remove.size.has_value());
  EXPECT_FALSE(remove.tags.has_value());
  EXPECT_FALSE(remove.deletion_vector.has_value());
  EXPECT_FALSE(remove.partition_values.has_value());
}

TEST(ActionsTest, ProtocolFeatureLookups) {
  Protocol protocol;
  EXPECT_FALSE(protocol.HasReaderFeature("deletionVectors"));
  protocol.reader_features = std::vector<std::string>{"deletionVectors"};
  protocol.writer_features = std::vector<std::string>{"appendOnly"};
  EXPECT_TRUE(protocol.HasReaderFeature("deletionVectors"));
  EXPECT_FALSE(protocol.HasReaderFeature("columnMapping"));
  EXPECT_TRUE(protocol.HasWriterFeature("appendOnly"));

  Metadata metadata;
  metadata.configuration = {{"delta.appendOnly", "true"}};
  EXPECT_EQ(metadata.Configuration("delta.appendOnly"), "true");
  EXPECT_FALSE(metadata.Configuration("delta.other").has_value());
}

TEST(ActionsTest, SerializeCommitWritesOneLinePerAction) {
  Transaction txn;
  txn.app_id = "a";
  txn.version = 1;
  RemoveFile remove;
  remove.path = "p";
  std::vector<Action> actions = {txn, remove};
  std::string text = SerializeCommit(actions);
  EXPECT_EQ(text,
            "{\"txn\":{\"appId\":\"a\",\"version\":1}}\n"
            "{\"remove\":{\"path\":\"p\",\"dataChange\":true}}\n");
  Result<std::vector<Action>> parsed = ParseCommit(text, "x.json");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(*parsed, actions);
}

}  // namespace
}  // namespace arcflow::delta
