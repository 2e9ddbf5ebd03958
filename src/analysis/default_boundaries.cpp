#include "src/analysis/default_boundaries.hpp"

#include "geo/data_dir.hpp"

namespace placedist::analysis {

DefaultBoundaries::Choice DefaultBoundaries::load(Era& era, const char* file) {
  std::call_once(era.loaded, [&] {
    era.source = geo::data_file("boundaries/ons_ultra_generalised_500m") / file;
    era.boundaries = std::make_unique<const shapes::Boundaries>(shapes::Boundaries::load(era.source, {}));
  });
  return {era.boundaries.get(), era.source};
}

DefaultBoundaries::Choice DefaultBoundaries::for_council(int year, const std::string& la_code) {
  const bool before_2020 = year > 0 && year < 2020;
  Choice first =
      before_2020 ? load(m_utla19, "boundaries_utla19.geojson") : load(m_utla21, "boundaries_utla21.geojson");
  if (la_code.empty() || first.boundaries->find(la_code)) return first;
  Choice second =
      before_2020 ? load(m_utla21, "boundaries_utla21.geojson") : load(m_utla19, "boundaries_utla19.geojson");
  return second.boundaries->find(la_code) ? second : first;
}

}  // namespace placedist::analysis
