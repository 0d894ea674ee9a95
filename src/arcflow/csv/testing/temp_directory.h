#pragma once

#include <stdlib.h>

#include <string>
#include <string_view>

#include "arcflow/base/logging.h"
#include "arcflow/io/file_system.h"

namespace arcflow::csv::testing {

// A fresh directory under $TMPDIR (or /tmp) for one test, deleted with everything in it when
// the object goes away. Test-only: failures abort.
class TempDirectory {
 public:
  TempDirectory() {
    const char* base = getenv("TMPDIR");
    std::string pattern =
        std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/arcflow_csv_test_XXXXXX";
    char* created = mkdtemp(pattern.data());
    ARCFLOW_CHECK(created != nullptr, "mkdtemp failed");
    path_ = pattern;
  }
  ~TempDirectory() { (void)io::LocalFileSystem()->DeleteDirectoryRecursively(path_); }
  TempDirectory(const TempDirectory&) = delete;
  TempDirectory& operator=(const TempDirectory&) = delete;

  const std::string& path() const { return path_; }
  std::string PathOf(std::string_view name) const { return io::JoinPath(path_, name); }

  // Writes `contents` to the file `name` and returns its path.
  std::string WriteFile(std::string_view name, std::string_view contents) const {
    std::string file_path = PathOf(name);
    auto file = io::LocalFileSystem()->OpenWritable(file_path);
    ARCFLOW_CHECK(file.ok(), file.status().ToString());
    ARCFLOW_CHECK((*file)->Append(contents).ok(), "append failed");
    ARCFLOW_CHECK((*file)->Close().ok(), "close failed");
    return file_path;
  }

 private:
  std::string path_;
};

}  // namespace arcflow::csv::testing
