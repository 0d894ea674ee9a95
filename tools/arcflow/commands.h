#pragma once

#include <CLI/CLI.hpp>

#include "arcflow/base/status.h"

namespace arcflow::cli {

// Each command adds its subcommand to the application and returns the action to run when the
// subcommand is chosen. Actions report failure through Status; main() prints it.
using CommandAction = std::function<Status()>;

CommandAction AddCatCommand(CLI::App& app);
CommandAction AddSchemaCommand(CLI::App& app);
CommandAction AddConvertCommand(CLI::App& app);
CommandAction AddParquetMetaCommand(CLI::App& app);
CommandAction AddTableCommand(CLI::App& app);

}  // namespace arcflow::cli
