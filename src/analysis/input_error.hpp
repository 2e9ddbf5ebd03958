#pragma once
// Input the analysis cannot use as a whole (an unreadable placements file, a header that fits
// neither shape, a council nobody knows): the message is for the user. Each front end decides
// what it becomes (the command: exit code 2; the service: 400 invalid_value). Bad ROWS are
// never errors: they get a status.
#include <stdexcept>

namespace placedist::analysis {

class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace placedist::analysis
