#pragma once
// Where placedist finds the open data it reads in place (postcode directories,
// boundaries, OSTN15, road extracts) and where it keeps files it generates.
#include <filesystem>
#include <stdexcept>
#include <string>

#include "geo/outcome.hpp"

namespace placedist::geo {

// Thrown when a data file or folder placedist needs is absent; the message names
// $PLACEDIST_DATA so that users know what to set.
class DataMissing : public Failure {
 public:
  explicit DataMissing(const std::string& message) : Failure(Outcome::unreadable, message) {}
};

// $PLACEDIST_DATA when set, else ../shared/data (relative to the working directory,
// then to the source checkout) when that exists. Throws DataMissing otherwise.
std::filesystem::path data_dir();

// data_dir() / relative, throwing DataMissing (naming the variable) when absent.
std::filesystem::path data_file(const std::filesystem::path& relative);

// Folder for generated files (the OSTN15 grid, the default gazetteer):
// $PLACEDIST_CACHE, else $XDG_CACHE_HOME/placedist, else ~/.cache/placedist. Created on demand.
std::filesystem::path cache_dir();

}  // namespace placedist::geo
