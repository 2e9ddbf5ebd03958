#pragma once
// Builds a gazetteer file from postcode directories, in order of precedence: for each unit
// postcode the first source with a grid reference wins. Sector, district and area
// centroids are the unweighted means of their live units' grid references.
//
// Terminated postcodes: a source with a doterm column says so; Code-Point lists live
// postcodes only. A unit known only from a directory without doterm (the NSPD subset)
// whose postcode area a Code-Point source covers is taken as terminated ("inferred").
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace placedist::geo {

struct GazetteerSource {
  enum class Kind { codepoint, directory };
  Kind kind;
  std::filesystem::path path;
};

struct GazetteerBuildOptions {
  std::vector<GazetteerSource> sources;                // in order of precedence
  std::vector<std::filesystem::path> council_lookups;  // lower tier -> upper tier (ONS LAD -> UTLA)
  std::vector<std::filesystem::path> council_names;    // GSS code -> name lists; these and the lookups' names
                                                       // win over the names in Code-Point's code list
  std::filesystem::path output;
  std::function<void(const std::string&)> progress;  // stage messages, may be empty
};

struct GazetteerBuildSummary {
  std::uint64_t units = 0;
  std::uint64_t terminated = 0;
  std::uint64_t without_grid = 0;
  std::uint64_t sectors = 0;
  std::uint64_t districts = 0;
  std::uint64_t councils = 0;
  std::uint64_t unnamed_councils = 0;
  std::uint64_t county_districts_without_upper_tier = 0;
  std::string crs_method;
  std::string metadata_json;
};

// The sources, lookup and names the default gazetteer is built from, in $PLACEDIST_DATA:
// Code-Point Open 2025 first, the NSPD November 2025 subset for terminated and
// non-GB postcodes, the ONS LAD23 -> UTLA23 lookup and the ONS/postcodes.io code lists.
GazetteerBuildOptions default_gazetteer_options();

GazetteerBuildSummary build_gazetteer(const GazetteerBuildOptions& options);

}  // namespace placedist::geo
