// Temporary files for config tests (YAML files, secret files, certificates): each file is
// unique to the process and test, and removed when the TempFile goes out of scope.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

namespace iiot {

class TempFile {
 public:
  explicit TempFile(std::string_view text, std::string_view suffix = ".yaml") {
    static int counter = 0;
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string test = info != nullptr ? info->name() : "x";
    std::replace(test.begin(), test.end(), '/', '_');  // parameterized: "Suite/Case/3"
    path_ = std::filesystem::temp_directory_path() /
            ("iiot_config_" + std::to_string(::getpid()) + "_" + test + "_" +
             std::to_string(counter++) + std::string(suffix));
    std::ofstream out(path_, std::ios::binary);
    out << text;
  }
  ~TempFile() {
    std::error_code ec;
    std::filesystem::remove(path_, ec);
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace iiot
