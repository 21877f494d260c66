// Temporary YAML files for config tests: each file is unique to the process and test, and
// removed when the TempYaml goes out of scope.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

namespace iiot {

class TempYaml {
 public:
  explicit TempYaml(std::string_view text) {
    static int counter = 0;
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = std::filesystem::temp_directory_path() /
            ("iiot_config_" + std::to_string(::getpid()) + "_" +
             (info != nullptr ? std::string(info->name()) : "x") + "_" + std::to_string(counter++) +
             ".yaml");
    std::ofstream out(path_, std::ios::binary);
    out << text;
  }
  ~TempYaml() {
    std::error_code ec;
    std::filesystem::remove(path_, ec);
  }
  TempYaml(const TempYaml&) = delete;
  TempYaml& operator=(const TempYaml&) = delete;

  std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace iiot
