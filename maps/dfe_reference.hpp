#pragma once
// The DfE's published placement-location figures by council ("Children looked after in
// England including adoption", children looked after at 31 March), as exported in
// $PLACEDIST_DATA/reference/dfe_children_looked_after/cla_31_march_placement_distance_locality_by_la.csv.
// Values are kept as published: counts and whole percentages as text, with the DfE's symbols
// (c suppressed, k below 0.5 %, z not applicable, x not available).
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace placedist::maps {

struct PublishedFigure {
  std::string group;           // cla_group, e.g. "Distance between home and placement"
  std::string characteristic;  // without the DfE's "1. " ordering prefix
  std::string number;          // cla_31_march_number, e.g. "237" or "c"
  std::string percentage;      // e.g. "45" or "k"
};

struct PublishedFigures {
  int year = 0;             // time_period: children looked after at 31 March of this year
  bool exact_year = false;  // false: the nearest year published (the file covers 2021-2025)
  std::string la_code, old_la_code, la_name;  // a region: its code and name; England: E92000001, "England"
  std::string region_code, region_name;      // the council's region as published (London: Inner or Outer)
  std::vector<int> years;  // every year published for this council
  std::vector<PublishedFigure> figures;
  const PublishedFigure* find(std::string_view group, std::string_view characteristic) const;
};

// The default file under data_dir().
std::filesystem::path default_reference_path();

// The council's figures for `year` (31 March), matched by new or old LA code, else by name
// (case-insensitive); the nearest year when that year is not published. nullopt when the
// council is not in the file. Throws std::runtime_error when the file cannot be read.
std::optional<PublishedFigures> load_published(const std::filesystem::path& file, std::string_view code,
                                               std::string_view name, int year);

// The published figures of a region (`region_code`, e.g. "E12000008"; London's LAs are published
// under "E13000001" Inner or "E13000002" Outer London) or, with an empty code, of England, for
// `year` or the nearest year published. nullopt when not in the file. Throws as load_published.
std::optional<PublishedFigures> load_published_area(const std::filesystem::path& file, std::string_view region_code,
                                                    int year);

}  // namespace placedist::maps
