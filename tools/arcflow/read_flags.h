#pragma once

#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "arcflow/formats/file_format.h"

namespace arcflow::cli {

// The input flags shared by the commands that read files: the inputs themselves, their format,
// a schema and reader options.
struct ReadFlags {
  std::vector<std::string> inputs;
  std::string input_format;  // Empty: from the files' extension.
  std::string schema_ddl;    // Empty: inferred, or from the files.
  std::vector<std::string> options;

  // Declares the flags on `command`; `with_inputs` adds the positional INPUT... argument.
  void AddTo(CLI::App& command, bool with_inputs);

  // The files the inputs stand for (globs and directories expanded by arcflow) and what to
  // read them with. Fails with a message naming the flag or input at fault.
  struct Resolved {
    std::vector<std::string> paths;
    formats::ReadSpec spec;
  };
  Result<Resolved> Resolve(io::FileSystem& fs) const;
};

// Writes to standard output; false once the reader has gone (EPIPE), so callers stop early.
Status WriteToStdout(std::string_view text);

}  // namespace arcflow::cli
