#pragma once
// Input the analysis cannot use as a whole (an unreadable placements file, a header that fits
// neither shape, a council nobody knows): invalid_value (geo/outcome.hpp), with a message for
// the user. The command exits 2; the service answers 400. Bad ROWS are never errors: they get a
// status.
#include <string>

#include "geo/outcome.hpp"

namespace placedist::analysis {

class InputError : public Failure {
 public:
  explicit InputError(const std::string& message) : Failure(Outcome::invalid_value, message) {}
};

}  // namespace placedist::analysis
