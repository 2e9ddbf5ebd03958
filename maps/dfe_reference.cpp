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

std::optional<PublishedFigures> load_published(const std::filesystem::path& file, std::string_view code,
                                               std::string_view name, int year) {
  CsvReader csv(file);
  if (!csv.next()) throw std::runtime_error("the DfE reference file is empty: " + file.string());
  std::map<std::string, int> column;
  for (std::size_t i = 0; i < csv.size(); ++i) column[std::string(csv[i])] = static_cast<int>(i);
  for (const char* needed : {"time_period", "geographic_level", "new_la_code", "old_la_code", "la_name", "cla_group",
                             "characteristic", "cla_31_march_number", "percentage"})
    if (!column.count(needed))
      throw std::runtime_error(std::string("the DfE reference file lacks the column ") + needed + ": " + file.string());
  auto at = [&](const char* name) { return std::string(csv[static_cast<std::size_t>(column[name])]); };

  // Rows of this council, by year; matched on codes first, then on the name.
  std::map<int, std::vector<PublishedFigure>> by_code, by_name;
  std::map<int, std::vector<std::string>> ids_code, ids_name;
  const std::string wanted_name = ascii_lower(name);
  while (csv.next()) {
    if (csv.size() < column.size() || at("geographic_level") != "Local authority") continue;
    const bool code_match = !code.empty() && (at("new_la_code") == code || at("old_la_code") == code);
    const bool name_match = !wanted_name.empty() && ascii_lower(at("la_name")) == wanted_name;
    if (!code_match && !name_match) continue;
    int y = std::atoi(at("time_period").c_str());
    PublishedFigure f{at("cla_group"), std::string(without_order(at("characteristic"))), at("cla_31_march_number"),
                      at("percentage")};
    std::vector<std::string> ids{at("new_la_code"), at("old_la_code"), at("la_name")};
    (code_match ? by_code : by_name)[y].push_back(std::move(f));
    (code_match ? ids_code : ids_name)[y] = std::move(ids);
  }
  auto& rows = by_code.empty() ? by_name : by_code;
  auto& ids = by_code.empty() ? ids_name : ids_code;
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
  return out;
}

}  // namespace placedist::maps
