// `placedist serve` as a process: it prints its port, answers, and stops cleanly on SIGTERM;
// it refuses to bind beyond loopback without a token.
#include <gtest/gtest.h>
#include <httplib.h>

#include <filesystem>
#include <fstream>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <regex>
#include <thread>

#include "serve_fixture.hpp"

namespace placedist {
namespace {

struct Child {
  pid_t pid = -1;
  int err_fd = -1;
};

Child spawn(const std::vector<std::string>& args) {
  int pipe_fds[2];
  EXPECT_EQ(pipe(pipe_fds), 0);
  Child child;
  child.pid = fork();
  if (child.pid == 0) {
    dup2(pipe_fds[1], 2);
    close(pipe_fds[0]);
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(PLACEDIST_BINARY));
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(PLACEDIST_BINARY, argv.data());
    _exit(127);
  }
  close(pipe_fds[1]);
  child.err_fd = pipe_fds[0];
  return child;
}

// Reads stderr until the pattern matches (or the child closes it).
std::string read_until(int fd, const std::regex& pattern, std::smatch& match, std::string& text) {
  char buffer[4096];
  while (!std::regex_search(text, match, pattern)) {
    ssize_t n = read(fd, buffer, sizeof buffer);
    if (n <= 0) break;
    text.append(buffer, static_cast<std::size_t>(n));
  }
  return text;
}

int wait_exit(pid_t pid, int seconds) {
  for (int i = 0; i < seconds * 100; ++i) {
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
  return -2;
}

TEST(ServeProcess, AnswersAndStopsCleanlyOnSigterm) {
  Child child = spawn({"serve", "--gazetteer", testing::serve_gazetteer().string(), "--port", "0", "--threads", "4"});
  std::string text;
  std::smatch match;
  read_until(child.err_fd, std::regex("listening on http://127\\.0\\.0\\.1:(\\d+)/"), match, text);
  ASSERT_EQ(match.size(), 2u) << text;
  int port = std::stoi(match[1]);
  httplib::Client c("127.0.0.1", port);
  auto r = c.Get("/v1/postcodes/HP20%201AA");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  // A keep-alive connection is open; SIGTERM still stops the server promptly.
  kill(child.pid, SIGTERM);
  EXPECT_EQ(wait_exit(child.pid, 15), 0);
  read_until(child.err_fd, std::regex("stopped"), match, text);
  EXPECT_NE(text.find("SIGTERM received, stopping"), std::string::npos) << text;
  EXPECT_EQ(text.find("HP20"), std::string::npos) << text;  // no postcodes in the log
  close(child.err_fd);
  EXPECT_FALSE(c.Get("/v1/health"));
}

TEST(ServeProcess, RefusesAnOpenBindWithoutAToken) {
  Child child =
      spawn({"serve", "--gazetteer", testing::serve_gazetteer().string(), "--bind", "0.0.0.0", "--port", "0"});
  std::string text;
  std::smatch match;
  read_until(child.err_fd, std::regex("token"), match, text);
  EXPECT_EQ(wait_exit(child.pid, 15), 2);
  EXPECT_NE(text.find("needs a bearer token"), std::string::npos) << text;
  close(child.err_fd);
}

// As ssh refuses a private key others can read, the service refuses a token file that group or
// others may read, and starts with the same file at 0600.
TEST(ServeProcess, RefusesATokenFileOthersCanRead) {
  std::filesystem::path token = std::filesystem::path(PLACEDIST_TEST_WORK) / ("serve_token_" + std::to_string(getpid()));
  std::filesystem::create_directories(token.parent_path());
  std::ofstream(token) << "0123456789abcdef-process-token\n";
  std::filesystem::permissions(token, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write |
                                          std::filesystem::perms::group_read | std::filesystem::perms::others_read);
  Child open = spawn({"serve", "--gazetteer", testing::serve_gazetteer().string(), "--port", "0", "--token-file",
                      token.string()});
  std::string text;
  std::smatch match;
  read_until(open.err_fd, std::regex("chmod 600"), match, text);
  EXPECT_EQ(wait_exit(open.pid, 15), 2);
  EXPECT_NE(text.find("accessible by group or others"), std::string::npos) << text;
  EXPECT_EQ(text.find("0123456789abcdef"), std::string::npos) << text;  // the token is not echoed
  close(open.err_fd);

  std::filesystem::permissions(token, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  Child ok = spawn({"serve", "--gazetteer", testing::serve_gazetteer().string(), "--port", "0", "--token-file",
                    token.string()});
  text.clear();
  read_until(ok.err_fd, std::regex("listening on http://127\\.0\\.0\\.1:(\\d+)/"), match, text);
  ASSERT_EQ(match.size(), 2u) << text;
  httplib::Client c("127.0.0.1", std::stoi(match[1]));
  auto r = c.Get("/v1/version");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 401);
  kill(ok.pid, SIGTERM);
  EXPECT_EQ(wait_exit(ok.pid, 15), 0);
  close(ok.err_fd);
  std::filesystem::remove(token);
}

}  // namespace
}  // namespace placedist
