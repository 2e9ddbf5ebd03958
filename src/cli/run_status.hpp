#pragma once
// How a subcommand reports its outcome to run(): callbacks cannot return a value
// through CLI11, so they set the exit code here or throw a Failure (geo/outcome.hpp).
#include <string>

#include "geo/outcome.hpp"

namespace placedist::cli {

// Bad arguments or unreadable input: exit code 2 with the message.
class UsageError : public Failure {
 public:
  explicit UsageError(const std::string& message) : Failure(Outcome::invalid_value, message) {}
};

void set_exit_code(int code);
int exit_code();

}  // namespace placedist::cli
