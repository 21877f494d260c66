// Control bytes from a file name, a config file's contents, a flag or the environment reach
// the terminal only escaped ("\x1b"), in error lines and log lines alike: none can move the
// cursor, recolour the terminal or forge a line of its own.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "../binary_run.h"

namespace {

namespace fs = std::filesystem;
using iiot::testing::RunBinary;

// The first control byte in `text` other than a line end, as "byte 0x1b at 42"; "" if none.
std::string ControlByteIn(const std::string& text) {
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if ((c < 0x20 && c != '\n') || c == 0x7f) {
      return "byte " + std::to_string(c) + " at " + std::to_string(i);
    }
  }
  return "";
}

// Shell text making `printf` write the bytes: $(printf 'a\033b') for "a\x1bb".
std::string Bytes(const std::string& printf_format) {
  return "\"$(printf '" + printf_format + "')\"";
}

class PrintableOutput : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("iiot_printable_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string dir_;
};

TEST_F(PrintableOutput, AConfigFileNameIsEscaped) {
  const auto missing = RunBinary("--config " + Bytes(dir_ + "/no\\033[31mfile.yaml"));
  EXPECT_EQ(missing.exit_code, 2) << missing.err;
  EXPECT_EQ(ControlByteIn(missing.err), "") << missing.err;
  EXPECT_NE(missing.err.find("no\\x1b[31mfile.yaml"), std::string::npos) << missing.err;

  const std::string name = dir_ + "/c\a.yaml";
  std::ofstream(name) << "devices: 5\n";
  for (const std::string& args : {"--config " + Bytes(dir_ + "/c\\007.yaml") + " --count 1",
                                  "validate-config " + Bytes(dir_ + "/c\\007.yaml")}) {
    const auto r = RunBinary(args);
    EXPECT_EQ(r.exit_code, 2) << args << "\n" << r.err;
    EXPECT_EQ(ControlByteIn(r.err), "") << r.err;
    EXPECT_NE(r.err.find("c\\x07.yaml"), std::string::npos) << r.err;
  }
}

TEST_F(PrintableOutput, AConfigFilesKeysAndValuesAreEscaped) {
  const std::string name = dir_ + "/c.yaml";
  std::ofstream(name) << "fleet:\n  \"dev\x1b]0;title\x07\": 5\n";
  const auto key = RunBinary("validate-config " + name);
  EXPECT_EQ(key.exit_code, 2) << key.err;
  EXPECT_EQ(ControlByteIn(key.err), "") << key.err;
  std::ofstream(name) << "fleet:\n  site: \"a\x1b[2Jb\"\n  devices: \"7\x1b[2J\"\n";
  const auto value = RunBinary("validate-config " + name);
  EXPECT_EQ(value.exit_code, 2) << value.err;
  EXPECT_EQ(ControlByteIn(value.err), "") << value.err;
}

TEST_F(PrintableOutput, FlagsAndTheEnvironmentAreEscaped) {
  for (const auto& [args, env] :
       {std::pair<std::string, std::string>{Bytes("\\055-x\\033[31m"), ""},
        {"--devices " + Bytes("1\\033[2J") + " --count 1", ""},
        {"--count 1", "IIOT_FLEET_DEVICES=" + Bytes("1\\033[2J")}}) {
    const auto r = RunBinary(args, env);
    EXPECT_EQ(r.exit_code, 2) << args << " " << env << "\n" << r.err;
    EXPECT_EQ(ControlByteIn(r.err), "") << args << " " << env << "\n" << r.err;
    EXPECT_NE(r.err.find("\\x1b"), std::string::npos) << r.err;
  }
}

TEST_F(PrintableOutput, ALogLineQuotingAPathIsEscaped) {
  // The output file's directory does not exist: the error is logged, naming the path.
  const auto r =
      RunBinary("--sink file --output " + Bytes(dir_ + "/no\\033[31mdir/out.jsonl") + " --count 1");
  EXPECT_NE(r.exit_code, 0) << r.err;
  EXPECT_EQ(ControlByteIn(r.err), "") << r.err;
  EXPECT_NE(r.err.find("no\\x1b[31mdir"), std::string::npos) << r.err;
}

}  // namespace
