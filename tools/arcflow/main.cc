// arcflow: the command-line entry point. Each subcommand lives in its own *_command.cc.

#include <csignal>
#include <cstdio>
#include <map>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <CLI/CLI.hpp>

#include "commands.h"

namespace {

// By default glibc gives freed blocks above a threshold (at most 32 MiB, usually much less)
// back to the kernel, and a command that reads file after file allocates buffers of the same
// sizes again each time: every one of their pages faults in anew and is zeroed by the kernel,
// about a tenth of the CPU time of `arcflow convert`. The binary keeps freed memory for
// reuse instead: blocks up to 32 MiB (the most glibc allows) come from the heap, and the heap
// shrinks only past 512 MiB of free space at its top. The library leaves such policy to the
// program that embeds it.
void KeepFreedMemoryForReuse() {
#if defined(__GLIBC__)
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 512 << 20);
#endif
}

}  // namespace

int main(int argc, char** argv) {
  // A closed pipe (arcflow cat big.json | head) ends output quietly instead of killing us.
  std::signal(SIGPIPE, SIG_IGN);
  KeepFreedMemoryForReuse();

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
