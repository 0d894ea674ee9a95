#pragma once

#include <unistd.h>

#include <filesystem>
#include <random>
#include <string>

namespace arcflow::io {

// A fresh directory under the system temp directory, removed with everything in it when the
// object goes away. For tests.
class ScratchDirectory {
 public:
  ScratchDirectory() {
    std::random_device random;
    path_ = (std::filesystem::temp_directory_path() /
             ("arcflow-test-" + std::to_string(getpid()) + "-" + std::to_string(random())))
                .string();
    std::filesystem::create_directories(path_);
  }
  ~ScratchDirectory() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  ScratchDirectory(const ScratchDirectory&) = delete;
  ScratchDirectory& operator=(const ScratchDirectory&) = delete;

  const std::string& path() const { return path_; }
  std::string Join(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

}  // namespace arcflow::io
