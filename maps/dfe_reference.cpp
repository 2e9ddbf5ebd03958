#include "maps/dfe_reference.hpp"

#include <algorithm>
#include <cstdlib>
#include <map>

#include "geo/data_dir.hpp"
#include "geo/io/ascii_case.hpp"
#include "geo/io/csv_reader.hpp"

using namespace placedist::geo;

namespace placedist::maps {
namespace {

// "1. Placed inside ..." -> "Placed inside ..."
std::string_view without_order(std::string_view s) {
  if (s.size() > 3 && s[0] >= '1' && s[0] <= '9' && s[1] == '.' && s[2] == ' ') s.remove_prefix(3);
  return s;
}

}  // namespace

const PublishedFigure* PublishedFigures::find(std::string_view group, std::string_view characteristic) const {
  for (const PublishedFigure& f : figures)
    if (f.group == group && f.characteristic == characteristic) return &f;
  return nullptr;
}

std::filesystem::path default_reference_path() {
  return data_file("reference/dfe_children_looked_after/cla_31_march_placement_distance_locality_by_la.csv");
}

namespace {

// Rows matched by `match` (0: none, 1: a weak match used only when no strong one, 2: strong),
// grouped by year; the year nearest `year` (the earlier on a tie) becomes the figures.
template <typename Match>
std::optional<PublishedFigures> load_matching(const std::filesystem::path& file, int year, Match match) {
  CsvReader csv(file);
  if (!csv.next()) throw std::runtime_error("the DfE reference file is empty: " + file.string());
  std::map<std::string, int> column;
  for (std::size_t i = 0; i < csv.size(); ++i) column[std::string(csv[i])] = static_cast<int>(i);
  for (const char* needed : {"time_period", "geographic_level", "region_code", "region_name", "new_la_code",
                             "old_la_code", "la_name", "cla_group", "characteristic", "cla_31_march_number",
                             "percentage"})
    if (!column.count(needed))
      throw std::runtime_error(std::string("the DfE reference file lacks the column ") + needed + ": " + file.string());
  auto at = [&](const char* name) { return std::string(csv[static_cast<std::size_t>(column[name])]); };

  std::map<int, std::vector<PublishedFigure>> strong, weak;
  std::map<int, std::vector<std::string>> ids_strong, ids_weak;
  while (csv.next()) {
    if (csv.size() < column.size()) continue;
    const int how = match(at);
    if (how == 0) continue;
    int y = std::atoi(at("time_period").c_str());
    PublishedFigure f{at("cla_group"), std::string(without_order(at("characteristic"))), at("cla_31_march_number"),
                      at("percentage")};
    std::vector<std::string> ids{at("new_la_code"), at("old_la_code"), at("la_name"), at("region_code"),
                                 at("region_name")};
    (how == 2 ? strong : weak)[y].push_back(std::move(f));
    (how == 2 ? ids_strong : ids_weak)[y] = std::move(ids);
  }
  auto& rows = strong.empty() ? weak : strong;
  auto& ids = strong.empty() ? ids_weak : ids_strong;
  if (rows.empty()) return std::nullopt;
  PublishedFigures out;
  int best = rows.begin()->first;
  for (const auto& [y, _] : rows) {
    out.years.push_back(y);
    if (std::abs(y - year) < std::abs(best - year) || (std::abs(y - year) == std::abs(best - year) && y < best))
      best = y;
  }
  out.year = best;
  out.exact_year = best == year;
  out.figures = std::move(rows[best]);
  out.la_code = ids[best][0];
  out.old_la_code = ids[best][1];
  out.la_name = ids[best][2];
  out.region_code = ids[best][3];
  out.region_name = ids[best][4];
  return out;
}

}  // namespace

std::optional<PublishedFigures> load_published(const std::filesystem::path& file, std::string_view code,
                                               std::string_view name, int year) {
  // Matched on codes first, then on the name.
  const std::string wanted_name = ascii_lower(name);
  return load_matching(file, year, [&](const auto& at) {
    if (at("geographic_level") != "Local authority") return 0;
    if (!code.empty() && (at("new_la_code") == code || at("old_la_code") == code)) return 2;
    return !wanted_name.empty() && ascii_lower(at("la_name")) == wanted_name ? 1 : 0;
  });
}

std::optional<PublishedFigures> load_published_area(const std::filesystem::path& file, std::string_view region_code,
                                                    int year) {
  auto out = load_matching(file, year, [&](const auto& at) {
    if (region_code.empty()) return at("geographic_level") == "National" ? 2 : 0;
    return at("geographic_level") == "Regional" && at("region_code") == region_code ? 2 : 0;
  });
  if (!out) return out;
  // Region and England rows leave the LA columns empty: name the area itself.
  out->la_code = region_code.empty() ? "E92000001" : out->region_code;
  out->la_name = region_code.empty() ? "England" : out->region_name;
  out->old_la_code.clear();
  return out;
}

}  // namespace placedist::maps
