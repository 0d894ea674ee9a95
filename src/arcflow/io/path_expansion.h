#pragma once

#include <string>
#include <vector>

#include "arcflow/io/file_system.h"

namespace arcflow::io {

// Turns the inputs a user names (files, directories, glob patterns) into the sorted list of
// data files they stand for, as arcflow itself expands them (the shell is not relied on):
//   - a file stands for itself;
//   - a directory stands for every file below it, skipping names that start with '.' or '_'
//     (hidden files, _delta_log, _SUCCESS), as Spark does;
//   - a pattern may use '*', '?', '[...]' within a path segment and '**' for any depth.
// Fails with NotFound naming the input when an input matches nothing.
Result<std::vector<std::string>> ExpandInputPaths(FileSystem& fs,
                                                  const std::vector<std::string>& inputs);

// True when `text` contains a glob metacharacter.
bool HasGlobCharacters(std::string_view text);

}  // namespace arcflow::io
