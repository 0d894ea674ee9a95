#pragma once

// The fixture of the end-to-end tests: runs the arcflow binary as a user would, in a scratch
// directory, and captures its output and exit code.

#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "arcflow/io/io_test_util.h"

namespace arcflow {

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

class CliTest : public ::testing::Test {
 protected:
  // Runs `arcflow <arguments>` through the shell; `arguments` is shell text.
  CommandResult Run(const std::string& arguments) {
    std::string err_path = scratch_.Join("stderr.txt");
    std::string command = std::string(ARCFLOW_BINARY) + " " + arguments + " 2>" + err_path;
    CommandResult result;
    FILE* pipe = popen(command.c_str(), "r");
    EXPECT_NE(pipe, nullptr);
    char buffer[4096];
    size_t n;
    while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0) result.out.append(buffer, n);
    int status = pclose(pipe);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    result.err = ReadFile(err_path);
    return result;
  }

  std::string Write(const std::string& name, const std::string& contents) {
    std::string path = scratch_.Join(name);
    std::ofstream(path, std::ios::binary) << contents;
    return path;
  }

  static std::string ReadFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

  io::ScratchDirectory scratch_;
};

}  // namespace arcflow
