#include "src/analysis/analysis.hpp"

#include <algorithm>
#include <thread>

#include "geo/distance.hpp"
#include "geo/gazetteer.hpp"
#include "shapes/boundaries.hpp"
#include "shapes/locate.hpp"
#include "src/analysis/disclosure.hpp"

using namespace placedist::geo;
using namespace placedist::shapes;
using namespace placedist::maps;

namespace placedist::analysis {
namespace {

std::string describe(const char* end, const GeocodeResult& r) {
  std::string out = std::string(end) + " postcode " + to_string(r.status);
  if (*r.message) out += std::string(": ") + r.message;
  return out;
}

// The finest area the postcode names and the directory located it at: the sector of a unit or
// sector, else the district (publish_areas coarsens it further where it holds few units).
std::string finest_area(const Postcode& pc, const GeocodeResult& r) {
  std::string_view text = pc.normalised();
  const bool sector = pc.level >= PostcodeLevel::sector && r.match >= PostcodeLevel::sector;
  if (sector) return std::string(pc.level == PostcodeLevel::unit ? text.substr(0, text.size() - 2) : text);
  if (pc.level >= PostcodeLevel::district && r.match >= PostcodeLevel::district)
    return std::string(text.substr(0, text.find(' ')));
  return {};
}

void append_message(std::string& message, const std::string& more) {
  if (more.empty()) return;
  if (!message.empty()) message += "; ";
  message += more;
}

PlacementRow analyse_placement(const PlacementInput& input, const Gazetteer& gazetteer,
                               const AnalysisOptions& options) {
  PlacementRow row;
  row.id = input.id;
  row.line = input.line;
  row.uasc = input.uasc;
  if (!input.problem.empty()) {
    row.status = RowStatus::bad_row;
    row.message = input.problem;
    return row;
  }

  Postcode home_pc = gazetteer.parse(input.home_postcode);
  GeocodeResult home = gazetteer.lookup(home_pc);
  Postcode placement_pc = gazetteer.parse(input.placement_postcode);
  GeocodeResult placement = gazetteer.lookup(placement_pc);
  row.home_status = home.status;
  row.placement_status = placement.status;
  row.home_match = home.match;
  row.placement_match = placement.match;

  if (home.located()) {
    row.home_grid = home.grid;
    row.home_position = home.position;
    row.home_la_code = home.utla.code;
    row.home_la_name = home.utla.name;
    row.home_sector = finest_area(home_pc, home);
  }
  if (home.located() && options.boundaries) {
    LocateResult where = locate(*options.boundaries, home.grid);
    row.home_polygon = where.council;
    row.home_on_edge = where.where == Where::boundary;
  }
  if (placement.located()) {
    row.placement_area = finest_area(placement_pc, placement);
    row.placement_grid = placement.grid;
    row.placement_position = placement.position;
    row.placement_la_code = placement.utla.code;
    row.placement_la_name = placement.utla.name;
    if (options.boundaries) {
      LocateResult where = locate(*options.boundaries, placement.grid);
      row.placement_polygon = where.council;
      row.placement_on_edge = where.where == Where::boundary;
      if (row.placement_la_code.empty() && where.found()) {
        row.placement_la_code = where.code;
        row.placement_la_name = where.name;
        row.placement_la_from_polygon = true;
        append_message(row.message, "placement council from the boundary polygon (the postcode has no council code)");
      }
    }
    row.location = classify_location(row.placement_la_code, options.responsible_code);
  }

  const bool both = home.located() && placement.located();
  if (row.uasc) {
    row.status = RowStatus::uasc;
    append_message(row.message, "unaccompanied asylum-seeking child: distance left blank, as the DfE does");
    if (!placement.located()) append_message(row.message, describe("placement", placement));
    return row;
  }
  if (!both) {
    row.status = !home.located() && !placement.located() ? RowStatus::not_located
                 : !home.located()                       ? RowStatus::home_not_located
                                                         : RowStatus::placement_not_located;
    if (!home.located()) append_message(row.message, describe("home", home));
    if (!placement.located()) append_message(row.message, describe("placement", placement));
    return row;
  }
  row.dfe_miles = dfe_miles(home.grid, placement.grid);
  row.geodesic_miles = geodesic_miles(home.position, placement.position);
  row.status = RowStatus::ok;
  if (home.status == GeocodeStatus::terminated || placement.status == GeocodeStatus::terminated) {
    row.status = RowStatus::terminated;
    if (home.status == GeocodeStatus::terminated) append_message(row.message, describe("home", home));
    if (placement.status == GeocodeStatus::terminated) append_message(row.message, describe("placement", placement));
  }
  // A sector or district (typed so, or the unit not found) is not the DfE's unit-to-unit distance.
  auto coarse = [](const GeocodeResult& r) {
    return r.status == GeocodeStatus::approximate || r.match != PostcodeLevel::unit;
  };
  auto say_coarse = [&](const char* end, const GeocodeResult& r) {
    if (r.status == GeocodeStatus::approximate)
      append_message(row.message, describe(end, r));
    else
      append_message(row.message, std::string(end) + " postcode located at " + to_string(r.match) + " level only");
  };
  if (coarse(home) || coarse(placement)) {
    row.status = RowStatus::approximate;
    if (coarse(home)) say_coarse("home", home);
    if (coarse(placement)) say_coarse("placement", placement);
  }
  return row;
}

}  // namespace

std::vector<PlacementRow> analyse_placements(std::span<const PlacementInput> inputs, const Gazetteer& gazetteer,
                                             const AnalysisOptions& options) {
  std::vector<PlacementRow> rows(inputs.size());
  unsigned threads = options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  threads = static_cast<unsigned>(std::min<std::size_t>(threads, inputs.size() / 2000 + 1));
  auto work = [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) rows[i] = analyse_placement(inputs[i], gazetteer, options);
  };
  if (threads <= 1) {
    work(0, inputs.size());
  } else {
    std::vector<std::jthread> pool;
    std::size_t step = (inputs.size() + threads - 1) / threads;
    for (std::size_t begin = 0; begin < inputs.size(); begin += step)
      pool.emplace_back(work, begin, std::min(inputs.size(), begin + step));
  }
  publish_areas(rows, gazetteer);
  const std::size_t extras = options.extension.columns.size();
  for (PlacementRow& row : rows) row.extras.assign(extras, kNoValue);
  if (options.extension.fill) options.extension.fill(rows);
  return rows;
}

}  // namespace placedist::analysis
