#pragma once

// Actions for tests that build Delta logs by hand: a legacy protocol, a one-column table's
// metadata, adds, removes and commit infos with only the fields replay looks at. Test-only; not
// part of the library.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "arcflow/delta/actions.h"

namespace arcflow::delta::testing {

// Protocol (1, 2): no table features.
inline Protocol LegacyProtocol() {
  Protocol protocol;
  protocol.min_reader_version = 1;
  protocol.min_writer_version = 2;
  return protocol;
}

// Metadata of a table with one nullable BIGINT column `id`.
inline Metadata SimpleMetadata(StringMap configuration = {}) {
  Metadata metadata;
  metadata.id = "table-id";
  metadata.schema_string =
      R"({"type":"struct","fields":[{"name":"id","type":"long","nullable":true,"metadata":{}}]})";
  metadata.configuration = std::move(configuration);
  return metadata;
}

inline AddFile Add(std::string path, int64_t size = 1) {
  AddFile add;
  add.path = std::move(path);
  add.size = size;
  return add;
}

inline RemoveFile Remove(std::string path, std::optional<int64_t> deletion_timestamp) {
  RemoveFile remove;
  remove.path = std::move(path);
  remove.deletion_timestamp = deletion_timestamp;
  return remove;
}

inline CommitInfo Info(std::string operation,
                       std::optional<int64_t> in_commit_timestamp = std::nullopt) {
  CommitInfo info;
  info.operation = std::move(operation);
  info.in_commit_timestamp = in_commit_timestamp;
  return info;
}

}  // namespace arcflow::delta::testing
