#include "arcflow/delta/table_features.h"

#include <gtest/gtest.h>

namespace arcflow::delta {
namespace {

Protocol FeatureProtocol(std::vector<std::string> reader, std::vector<std::string> writer) {
  Protocol protocol;
  protocol.min_reader_version = 3;
  protocol.min_writer_version = 7;
  protocol.reader_features = std::move(reader);
  protocol.writer_features = std::move(writer);
  return protocol;
}

TEST(TableFeaturesTest, AcceptsLegacyProtocols) {
  for (int reader = 1; reader <= 2; ++reader) {
    for (int writer = 1; writer <= 6; ++writer) {
      Protocol protocol;
      protocol.min_reader_version = reader;
      protocol.min_writer_version = writer;
      EXPECT_TRUE(CheckReadSupported(protocol).ok());
      EXPECT_TRUE(CheckWriteSupported(protocol).ok());
    }
  }
}

TEST(TableFeaturesTest, AcceptsSupportedReaderFeatures) {
  Protocol protocol = FeatureProtocol(
      {"columnMapping", "deletionVectors", "timestampNtz", "typeWidening", "typeWidening-preview",
       "v2Checkpoint", "vacuumProtocolCheck"},
      {"columnMapping", "deletionVectors", "icebergCompatV1", "icebergCompatV2", "appendOnly"});
  Status read = CheckReadSupported(protocol);
  EXPECT_TRUE(read.ok()) << read.ToString();
  Status write = CheckWriteSupported(protocol);
  EXPECT_TRUE(write.ok()) << write.ToString();
}

TEST(TableFeaturesTest, NamesEveryUnsupportedReaderFeature) {
  Protocol protocol =
      FeatureProtocol({"deletionVectors", "variantType", "collations"}, {"deletionVectors"});
  Status status = CheckReadSupported(protocol);
  ASSERT_TRUE(status.IsNotImplemented()) << status.ToString();
  EXPECT_NE(status.message().find("variantType"), std::string::npos) << status.message();
  EXPECT_NE(status.message().find("collations"), std::string::npos) << status.message();
  EXPECT_EQ(status.message().find("deletionVectors,"), status.message().rfind("deletionVectors,"))
      << "the supported list names deletionVectors once: " << status.message();
  // Writing needs reading first.
  EXPECT_TRUE(CheckWriteSupported(protocol).IsNotImplemented());

  Status catalog = CheckReadSupported(FeatureProtocol({"catalogOwned"}, {"catalogOwned"}));
  EXPECT_NE(catalog.message().find("catalogOwned"), std::string::npos) << catalog.message();
}

TEST(TableFeaturesTest, NamesUnsupportedWriterFeaturesOnlyForWrites) {
  Protocol protocol = FeatureProtocol({}, {"appendOnly", "rowTracking", "clustering"});
  EXPECT_TRUE(CheckReadSupported(protocol).ok());
  Status status = CheckWriteSupported(protocol);
  ASSERT_TRUE(status.IsNotImplemented());
  EXPECT_NE(status.message().find("rowTracking, clustering"), std::string::npos)
      << status.message();
}

TEST(TableFeaturesTest, RejectsUnknownVersions) {
  Protocol protocol;
  protocol.min_reader_version = 4;
  protocol.min_writer_version = 2;
  Status status = CheckReadSupported(protocol);
  ASSERT_TRUE(status.IsNotImplemented());
  EXPECT_NE(status.message().find("reader version 4"), std::string::npos) << status.message();
  protocol.min_reader_version = 1;
  protocol.min_writer_version = 8;
  EXPECT_TRUE(CheckReadSupported(protocol).ok());
  EXPECT_NE(CheckWriteSupported(protocol).message().find("writer version 8"), std::string::npos);
}

TEST(TableFeaturesTest, FeatureListsAreQueryable) {
  EXPECT_TRUE(IsReaderFeatureSupported("v2Checkpoint"));
  EXPECT_FALSE(IsReaderFeatureSupported("variantType-preview"));
  EXPECT_TRUE(IsWriterFeatureSupported("icebergCompatV2"));
  EXPECT_FALSE(IsWriterFeatureSupported("catalogOwned"));
  EXPECT_EQ(SupportedReaderFeatures().size(), 7u);
}

}  // namespace
}  // namespace arcflow::delta
