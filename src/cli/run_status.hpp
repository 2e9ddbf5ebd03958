#pragma once
// How a subcommand reports its outcome to run(): callbacks cannot return a value
// through CLI11, so they set the exit code here or throw.
#include <stdexcept>

namespace placedist::cli {

// Bad arguments or unreadable input: exit code 2 with the message.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

void set_exit_code(int code);
int exit_code();

}  // namespace placedist::cli
