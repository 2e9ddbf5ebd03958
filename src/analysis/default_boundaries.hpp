#pragma once
// The council polygons an analysis uses when none are named: the ONS 500 m generalised
// counties and unitaries of the gazetteer's era (2019 for gazetteers before 2020, else 2021),
// the other era's when the first lacks the council. Each file is loaded once, on first use,
// and then shared read-only (thread-safe), so that a long-running service pays for it once.
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>

#include "shapes/boundaries.hpp"

namespace placedist::analysis {

class DefaultBoundaries {
 public:
  struct Choice {
    const shapes::Boundaries* boundaries = nullptr;  // valid while this object lives
    std::filesystem::path source;
  };
  // `year`: the gazetteer's latest source year (0 when unknown: today's era).
  Choice for_council(int year, const std::string& la_code);

 private:
  struct Era {
    std::once_flag loaded;
    std::unique_ptr<const shapes::Boundaries> boundaries;
    std::filesystem::path source;
  };
  Choice load(Era& era, const char* file);

  Era m_utla19, m_utla21;
};

}  // namespace placedist::analysis
