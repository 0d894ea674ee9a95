#include <map>

#include "table_commands.h"

namespace arcflow::cli {

CommandAction AddTableCommand(CLI::App& app) {
  CLI::App* table = app.add_subcommand("table", "Read, write and maintain Delta Lake tables");
  table->require_subcommand(1);
  auto actions = std::make_shared<std::map<CLI::App*, CommandAction>>();
  auto add = [&](CommandAction action) {
    (*actions)[table->get_subcommands({}).back()] = std::move(action);
  };
  add(AddTableWriteCommand(*table));
  add(AddTableShowCommand(*table));
  add(AddTableDescribeCommand(*table));
  add(AddTableHistoryCommand(*table));
  add(AddTableCheckpointCommand(*table));
  add(AddTableOptimizeCommand(*table));
  add(AddTableVacuumCommand(*table));
  add(AddTableRestoreCommand(*table));
  return [actions]() -> Status {
    for (const auto& [command, action] : *actions) {
      if (command->parsed()) return action();
    }
    return Status::Invalid("table: no subcommand given");
  };
}

}  // namespace arcflow::cli
