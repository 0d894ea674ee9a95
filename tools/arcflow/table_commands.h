#pragma once

#include <CLI/CLI.hpp>

#include "commands.h"

namespace arcflow::cli {

// The subcommands of `arcflow table`, each in its own table_*_command.cc. Each adds itself to
// the `table` command and returns its action.
CommandAction AddTableWriteCommand(CLI::App& table);
CommandAction AddTableShowCommand(CLI::App& table);
CommandAction AddTableDescribeCommand(CLI::App& table);
CommandAction AddTableHistoryCommand(CLI::App& table);
CommandAction AddTableCheckpointCommand(CLI::App& table);
CommandAction AddTableOptimizeCommand(CLI::App& table);
CommandAction AddTableVacuumCommand(CLI::App& table);
CommandAction AddTableRestoreCommand(CLI::App& table);

}  // namespace arcflow::cli
