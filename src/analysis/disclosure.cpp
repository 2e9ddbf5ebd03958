#include "src/analysis/disclosure.hpp"

#include <string>
#include <unordered_map>
#include <utility>

#include "geo/distance.hpp"
#include "geo/gazetteer.hpp"

using namespace placedist::geo;
using namespace placedist::maps;

namespace placedist::analysis {

namespace {

struct Area {
  std::string name;  // "HP20 1", "HP20"; empty: withheld
  PostcodeLevel level = PostcodeLevel::none;
  GridRef grid{kNoValue, kNoValue};
  LonLat position{kNoValue, kNoValue};
};

// The area, coarsened until it holds enough units of the council, once per (area, council).
class AreaChooser {
 public:
  explicit AreaChooser(const Gazetteer& gazetteer) : m_gazetteer(gazetteer) {}

  const Area& choose(const std::string& text, const std::string& council) {
    m_key.assign(text).append(1, '|').append(council);  // one hash per end, no allocation
    auto it = m_chosen.find(m_key);
    if (it == m_chosen.end()) it = m_chosen.emplace(m_key, decide(parse_postcode(text), council)).first;
    return it->second;
  }

 private:
  Area decide(Postcode pc, const std::string& council) const {
    if (pc.level >= PostcodeLevel::sector) {
      if (Area a =
              located(pc.normalised().substr(0, pc.level == PostcodeLevel::unit ? pc.length - 2 : pc.length), council);
          !a.name.empty())
        return a;
    }
    if (pc.level >= PostcodeLevel::district) {
      std::string_view text = pc.normalised();
      return located(text.substr(0, text.find(' ')), council);
    }
    return {};
  }

  Area located(std::string_view text, const std::string& council) const {
    Postcode area = parse_postcode(text);
    if (area.level != PostcodeLevel::sector && area.level != PostcodeLevel::district) return {};
    if (m_gazetteer.units_within(area, council) < kMinUnitsPublished) return {};
    GeocodeResult centroid = m_gazetteer.lookup(area);
    if (!centroid.located() || centroid.match != area.level) return {};
    return {std::string(text), area.level, centroid.grid, centroid.position};
  }

  const Gazetteer& m_gazetteer;
  std::unordered_map<std::string, Area> m_chosen;  // "area|council" -> where it is published
  std::string m_key;
};

}  // namespace

void publish_areas(std::span<PlacementRow> rows, const Gazetteer& gazetteer) {
  AreaChooser chooser(gazetteer);
  for (PlacementRow& row : rows) {
    if (row.home_located()) {
      const Area& home = chooser.choose(row.home_sector, row.home_la_code);
      row.home_sector = home.name;
      row.home_sector_grid = home.grid;
      row.home_sector_position = home.position;
    }
    if (row.placement_located()) {
      const Area& placement = chooser.choose(row.placement_area, row.placement_la_code);
      row.placement_area = placement.name;
      row.placement_area_grid = placement.grid;
      row.placement_area_position = placement.position;
    }
    if (std::isfinite(row.home_sector_grid.easting) && std::isfinite(row.placement_area_grid.easting) &&
        has_distance(row.status))
      row.area_dfe_miles = dfe_miles(row.home_sector_grid, row.placement_area_grid);
  }
}

}  // namespace placedist::analysis
