// arcflow: the command-line entry point. Each subcommand lives in its own *_command.cc.

#include <csignal>
#include <cstdio>
#include <map>

#include <CLI/CLI.hpp>

#include "arcflow/base/allocator_policy.h"
#include "commands.h"

int main(int argc, char** argv) {
  // The heap on transparent huge pages, and freed buffers kept for the next file instead of
  // faulting in anew (allocator_policy.h). It may start the binary again, so it comes before
  // anything else.
  arcflow::UseAllocatorPolicies(argv);
  // A closed pipe (arcflow cat big.json | head) ends output quietly instead of killing us.
  std::signal(SIGPIPE, SIG_IGN);

  CLI::App app{"arcflow: stateful lakehouse ELT in one native binary"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "arcflow 0.1.0");

  std::map<CLI::App*, arcflow::cli::CommandAction> actions;
  auto add = [&](arcflow::cli::CommandAction action) {
    actions[app.get_subcommands({}).back()] = std::move(action);
  };
  add(arcflow::cli::AddCatCommand(app));
  add(arcflow::cli::AddSchemaCommand(app));
  add(arcflow::cli::AddConvertCommand(app));
  add(arcflow::cli::AddParquetMetaCommand(app));
  add(arcflow::cli::AddTableCommand(app));

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return app.exit(error);
  }

  for (const auto& [command, action] : actions) {
    if (!command->parsed()) continue;
    arcflow::Status status = action();
    std::fflush(stdout);
    if (status.ok() || status.code() == arcflow::StatusCode::kCancelled) return 0;
    std::fprintf(stderr, "arcflow %s: error: %s\n", command->get_name().c_str(),
                 status.message().c_str());
    return 1;
  }
  return 0;
}
