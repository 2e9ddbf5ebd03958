#pragma once
// Synthetic cohorts of looked-after children for demos, tests and benchmarks: homes and
// placements drawn from real Code-Point Open postcodes with a fixed seed, shaped like a
// council's published placement figures (about half placed outside the council, some more
// than 60 miles away, a couple far off in a named council), written as an SSDA903-like episodes
// file or a plain id,home_postcode,placement_postcode file. No real child is represented.
//
// Determinism: the generator uses its own integer arithmetic on a splitmix64 stream (no
// <random> distributions, whose results differ between standard libraries), so a seed gives
// the same file everywhere for the same Code-Point release.
#include <cstdint>
#include <filesystem>
#include <string>

namespace placedist::analysis {

struct CohortOptions {
  std::filesystem::path codepoint;    // Code-Point Open product folder (Data/CSV/*.csv[.gz])
  std::string council = "E10000002";  // the responsible council (Code-Point county, else district code)
  std::uint64_t children = 651;       // looked after at the census date
  int year = 2017;                    // census date 31 March of this year
  std::uint64_t seed = 20170331;
  bool ssda903 = true;                    // episodes file; false: plain id,home_postcode,placement_postcode,uasc
  std::string far_council = "E10000008";  // Devon (2018 county code): where `far_count` children are placed
  int far_count = 2;
  bool bad_rows = true;  // add a few malformed and unknown postcodes, as real returns have
};

struct CohortSummary {
  std::uint64_t rows = 0, homes_pool = 0, postcodes = 0;
  std::uint64_t children = 0;  // looked after at the census date
  std::uint64_t leavers = 0;   // children whose episodes all ended before it (SSDA903 only)
};

// Throws std::runtime_error when Code-Point cannot be read or has no postcode of the council.
CohortSummary write_cohort(const CohortOptions& options, const std::filesystem::path& output);

}  // namespace placedist::analysis
