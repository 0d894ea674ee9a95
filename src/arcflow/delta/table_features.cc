#include "arcflow/delta/table_features.h"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace arcflow::delta {

namespace {

// Reader features arcflow understands: column mapping and deletion vectors are applied by
// the scan, the others change only types or log layout that the log replay handles.
constexpr std::string_view kReaderFeatures[] = {
    "columnMapping",        "deletionVectors", "timestampNtz",        "typeWidening",
    "typeWidening-preview", "v2Checkpoint",    "vacuumProtocolCheck",
};

// Writer features arcflow honours, plus those it may ignore: the Iceberg compatibility flags
// only ask writers to keep Iceberg metadata in step, which a Delta-only writer can skip without
// corrupting the Delta table. Features that make a writer enforce something per row
// (checkConstraints, generatedColumns, identityColumns, rowTracking, clustering) are absent
// until the writer enforces them.
constexpr std::string_view kWriterFeatures[] = {
    "appendOnly",
    "invariants",
    "changeDataFeed",
    "columnMapping",
    "deletionVectors",
    "timestampNtz",
    "typeWidening",
    "typeWidening-preview",
    "v2Checkpoint",
    "vacuumProtocolCheck",
    "domainMetadata",
    "inCommitTimestamp",
    "icebergCompatV1",
    "icebergCompatV2",
    "icebergCompatV3",
    "icebergWriterCompatV1",
    "icebergWriterCompatV3",
};

std::vector<std::string> Unsupported(const std::optional<std::vector<std::string>>& features,
                                     bool (*supported)(std::string_view)) {
  std::vector<std::string> missing;
  if (!features.has_value()) return missing;
  for (const std::string& feature : *features) {
    if (!supported(feature)) missing.push_back(feature);
  }
  return missing;
}

}  // namespace

const std::vector<std::string_view>& SupportedReaderFeatures() {
  static const std::vector<std::string_view> features(std::begin(kReaderFeatures),
                                                      std::end(kReaderFeatures));
  return features;
}

const std::vector<std::string_view>& SupportedWriterFeatures() {
  static const std::vector<std::string_view> features(std::begin(kWriterFeatures),
                                                      std::end(kWriterFeatures));
  return features;
}

bool IsReaderFeatureSupported(std::string_view feature) {
  const auto& features = SupportedReaderFeatures();
  return std::find(features.begin(), features.end(), feature) != features.end();
}

bool IsWriterFeatureSupported(std::string_view feature) {
  const auto& features = SupportedWriterFeatures();
  return std::find(features.begin(), features.end(), feature) != features.end();
}

namespace {

// Names everything in the way of `action` ("read" or "write"): an unsupported version and the
// unsupported features (listed whenever the protocol lists features).
Status CheckSupported(std::string_view action, std::string_view role, int32_t version,
                      int32_t max_version, int32_t features_version,
                      const std::optional<std::vector<std::string>>& features,
                      bool (*supported)(std::string_view),
                      const std::vector<std::string_view>& supported_list) {
  std::vector<std::string> problems;
  if (version < 1 || version > max_version) {
    problems.push_back(
        fmt::format("{} version {} (arcflow supports 1 to {})", role, version, max_version));
  }
  std::vector<std::string> missing = Unsupported(features, supported);
  if (version >= features_version && !missing.empty()) {
    problems.push_back(fmt::format("{} feature(s) {} (arcflow supports {})", role,
                                   fmt::join(missing, ", "), fmt::join(supported_list, ", ")));
  }
  if (problems.empty()) return Status::OK();
  return Status::NotImplemented("delta: arcflow cannot {} this table: it needs {}", action,
                                fmt::join(problems, " and "));
}

}  // namespace

Status CheckReadSupported(const Protocol& protocol) {
  return CheckSupported("read", "reader", protocol.min_reader_version, 3, 3,
                        protocol.reader_features, &IsReaderFeatureSupported,
                        SupportedReaderFeatures());
}

Status CheckWriteSupported(const Protocol& protocol) {
  ARCFLOW_RETURN_NOT_OK(CheckReadSupported(protocol));
  return CheckSupported("write", "writer", protocol.min_writer_version, 7, 7,
                        protocol.writer_features, &IsWriterFeatureSupported,
                        SupportedWriterFeatures());
}

bool DeletionVectorsEnabled(const Protocol& protocol, const Metadata& metadata) {
  return metadata.Configuration("delta.enableDeletionVectors") == "true" &&
         protocol.HasWriterFeature("deletionVectors");
}

}  // namespace arcflow::delta
