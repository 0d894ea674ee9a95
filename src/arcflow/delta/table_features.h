#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "arcflow/base/status.h"
#include "arcflow/delta/actions.h"

namespace arcflow::delta {

// Which Delta table features arcflow supports (PROTOCOL.md, "Table Features"), and the checks
// a reader and a writer run on a table's protocol before touching its data. Legacy protocols
// (reader version 1-2, writer version 2-6) imply their features by version. All functions are
// thread-safe.

// The reader features arcflow can read tables with.
const std::vector<std::string_view>& SupportedReaderFeatures();
// The writer features arcflow honours when it writes.
const std::vector<std::string_view>& SupportedWriterFeatures();

bool IsReaderFeatureSupported(std::string_view feature);
bool IsWriterFeatureSupported(std::string_view feature);

// OK when arcflow can read the table's data; NotImplemented naming every unsupported reader
// feature (or the unsupported reader version) otherwise.
Status CheckReadSupported(const Protocol& protocol);

// OK when arcflow can commit to the table; NotImplemented naming every unsupported writer
// feature (or the unsupported writer version) otherwise. Includes CheckReadSupported, since a
// writer reads the table's state first.
Status CheckWriteSupported(const Protocol& protocol);

// Whether row changes to the table's files are written as deletion vectors instead of
// rewriting the files: the table property delta.enableDeletionVectors is "true" and the
// protocol lists the deletionVectors writer feature (Spark asks for both).
bool DeletionVectorsEnabled(const Protocol& protocol, const Metadata& metadata);

}  // namespace arcflow::delta
