#include "maps/placement_columns.hpp"

#include <cmath>

#include "geo/io/number_text.hpp"

using namespace placedist::geo;

namespace placedist::maps {

namespace {

// A match level, blank when that end was not located.
Cell match(bool located, PostcodeLevel level) { return located ? Cell::of_text(to_string(level)) : Cell{}; }

PlacementColumn text(const char* name, Disclosure disclosure, std::function<Cell(const PlacementRow&)> value,
                     std::uint8_t outputs = everywhere) {
  return {name, ColumnType::text, "", 0, disclosure, outputs, std::move(value)};
}

PlacementColumn real(const char* name, const char* unit, int decimals, Disclosure disclosure,
                     double PlacementRow::*member) {
  return {name, ColumnType::real, unit, decimals, disclosure, everywhere, [member, decimals](const PlacementRow& row) {
            return Cell::of_real(row.*member, decimals);
          }};
}

Cell within_20(double dfe_miles) { return std::isfinite(dfe_miles) ? Cell::of_bool(dfe_miles <= 20) : Cell{}; }

PlacementColumn shareable_only(PlacementColumn column) {
  column.audiences = for_shareable;
  return column;
}

PlacementColumn extra(const ExtraColumn& column, std::size_t index) {
  if (!column.codes.empty())
    return {
        column.name, ColumnType::text, "", 0, column.disclosure, everywhere, [column, index](const PlacementRow& row) {
          return Cell::of_text(extra_code(column, index < row.extras.size() ? row.extras[index] : kNoValue));
        }};
  return {column.name,
          ColumnType::real,
          column.unit,
          column.decimals,
          column.disclosure,
          everywhere,
          [decimals = column.decimals, index](const PlacementRow& row) {
            return Cell::of_real(index < row.extras.size() ? row.extras[index] : kNoValue, decimals);
          }};
}

}  // namespace

Cell Cell::of_real(double v, int decimals) {
  if (!std::isfinite(v)) return {};
  return {real, {}, round_to(v, decimals), false};
}

std::vector<PlacementColumn> placement_columns(std::span<const ExtraColumn> extras) {
  using enum Disclosure;
  std::vector<PlacementColumn> columns = {
      // The council's own pseudonymous child id: it joins a child's features, nothing more.
      text("id", shareable, [](const PlacementRow& r) { return Cell::of_text(r.id); }),
      text("home_match", shareable, [](const PlacementRow& r) { return match(r.home_located(), r.home_match); }),
      text("placement_match", shareable,
           [](const PlacementRow& r) { return match(r.placement_located(), r.placement_match); }),
      text("home_la_code", shareable, [](const PlacementRow& r) { return Cell::of_text(r.home_la_code); }),
      text("home_la_name", shareable, [](const PlacementRow& r) { return Cell::of_text(r.home_la_name); }),
      text("placement_la_code", shareable, [](const PlacementRow& r) { return Cell::of_text(r.placement_la_code); }),
      text("placement_la_name", shareable, [](const PlacementRow& r) { return Cell::of_text(r.placement_la_name); }),
      text("placement_location", shareable, [](const PlacementRow& r) { return Cell::of_text(to_string(r.location)); }),
      // The DfE's precision, 0.1 mile, but unit to unit: with the areas it narrows the home.
      real("dfe_miles", "DfE miles", 1, restricted, &PlacementRow::dfe_miles),
      // 0.001 mile (about 1.6 m) from the unit home: enough to single it out.
      real("geodesic_miles", "miles", 3, restricted, &PlacementRow::geodesic_miles),
      {"within_20_miles", ColumnType::boolean, "", 0, restricted, everywhere,
       [](const PlacementRow& r) { return within_20(r.dfe_miles); }},
      text(
          "distance_band", restricted, [](const PlacementRow& r) { return Cell::of_text(to_string(r.band())); },
          in_layers),
      // Shareable layers: the published areas and the DfE miles between them, never the units'.
      text(
          "home_area", shareable, [](const PlacementRow& r) { return Cell::of_text(r.home_sector); }, in_layers),
      text(
          "placement_area", shareable, [](const PlacementRow& r) { return Cell::of_text(r.placement_area); },
          in_layers),
      {"area_miles", ColumnType::real, "DfE miles", 1, shareable, in_layers,
       [](const PlacementRow& r) { return Cell::of_real(r.area_dfe_miles, 1); }},
      shareable_only({"within_20_miles", ColumnType::boolean, "", 0, shareable, in_layers,
                      [](const PlacementRow& r) { return within_20(r.area_dfe_miles); }}),
      shareable_only(text(
          "distance_band", shareable,
          [](const PlacementRow& r) { return Cell::of_text(to_string(distance_band(r.area_dfe_miles))); }, in_layers)),
      text("status", shareable, [](const PlacementRow& r) { return Cell::of_text(to_string(r.status)); }),
      // Free text that may quote a postcode's status and level.
      text("message", restricted, [](const PlacementRow& r) { return Cell::of_text(r.message); }),
  };
  for (std::size_t i = 0; i < extras.size(); ++i) columns.push_back(extra(extras[i], i));
  return columns;
}

std::vector<PlacementColumn> placement_columns(std::span<const ExtraColumn> extras, ColumnOutput output,
                                               Disclosure audience) {
  const std::uint8_t wanted = audience == Disclosure::restricted ? for_restricted : for_shareable;
  std::vector<PlacementColumn> columns = placement_columns(extras);
  std::erase_if(columns, [&](const PlacementColumn& c) { return !(c.outputs & output) || !(c.audiences & wanted); });
  return columns;
}

}  // namespace placedist::maps
