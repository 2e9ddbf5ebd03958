#pragma once
// Runs the placedist binary for end-to-end tests and captures its exit code and both streams.
// The captures go to files in this process's own name, since CTest runs tests side by side.
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace placedist::testing {

struct CliRun {
  int exit_code;
  std::string out, err;
};

inline std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// `arguments` is a shell fragment (quote postcodes with spaces).
// A golden file of the end-to-end tests (tests/src/cli/golden).
inline std::filesystem::path golden(const std::string& name) {
  return std::filesystem::path(PLACEDIST_TEST_DIR) / "src" / "cli" / "golden" / name;
}

inline CliRun run_placedist(const std::string& arguments) {
  namespace fs = std::filesystem;
  fs::path work = fs::path(PLACEDIST_TEST_WORK);
  fs::create_directories(work);
  fs::path out = work / ("cli_out_" + std::to_string(::getpid()));
  fs::path err = work / ("cli_err_" + std::to_string(::getpid()));
  std::string command = std::string(PLACEDIST_BINARY) + " " + arguments + " >" + out.string() + " 2>" + err.string();
  int status = std::system(command.c_str());
  CliRun run{WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(out), slurp(err)};
  fs::remove(out);
  fs::remove(err);
  return run;
}

// Runs a shell command: its standard output, and its exit code in *exit_code (-1 when it did
// not exit normally); standard error passes through.
inline std::string capture(const std::string& command, int* exit_code) {
  std::string out;
  *exit_code = -1;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return out;
  std::array<char, 4096> buffer;
  while (std::size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe)) out.append(buffer.data(), n);
  int status = pclose(pipe);
  *exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return out;
}

}  // namespace placedist::testing
