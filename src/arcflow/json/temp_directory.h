#pragma once

// For tests only: a fresh directory under the system's temporary directory, removed with
// everything in it when the object is destroyed. Header-only so that it adds nothing to the
// library.

#include <atomic>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <string_view>

#include <unistd.h>

namespace arcflow::testing {

class TempDirectory {
 public:
  TempDirectory() {
    static std::atomic<int> counter{0};
    std::random_device random;
    path_ = std::filesystem::temp_directory_path() /
            ("arcflow_json_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) +
             "_" + std::to_string(random()));
    std::filesystem::create_directories(path_);
  }
  ~TempDirectory() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDirectory(const TempDirectory&) = delete;
  TempDirectory& operator=(const TempDirectory&) = delete;

  std::string path() const { return path_.string(); }
  std::string PathOf(std::string_view name) const { return (path_ / name).string(); }

  // Writes `contents` to a file of this directory and returns its path.
  std::string WriteFile(std::string_view name, std::string_view contents) const {
    std::string file_path = PathOf(name);
    std::ofstream out(file_path, std::ios::binary | std::ios::trunc);
    out.write(contents.data(), static_cast<std::streamsize>(contents.size()));
    return file_path;
  }

 private:
  std::filesystem::path path_;
};

}  // namespace arcflow::testing
