#include "maps/report_map.hpp"

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdio>
#include <map>

#include "maps/report.hpp"
#include "shapes/locate.hpp"

namespace placedist::maps {

std::vector<bool> shareable_suppression(std::vector<std::uint64_t> cells, std::uint64_t total,
                                        std::vector<bool> report_suppressed) {
  std::uint64_t counted = 0;
  for (std::uint64_t n : cells) counted += n;
  cells.push_back(total > counted ? total - counted : 0);  // not located, or outside the boundaries
  cells.push_back(total);
  report_suppressed.resize(cells.size());
  SuppressionGroup all{cells.size() - 1, {}};
  for (std::size_t i = 0; i + 1 < cells.size(); ++i) all.parts.push_back(i);
  std::vector<bool> out = suppress_cells(cells, {&all, 1}, std::move(report_suppressed));
  out.resize(cells.size() - 2);
  return out;
}

std::vector<CouncilPlacements> shareable_council_placements(const shapes::Boundaries& b,
                                                            std::span<const PlacementRow> rows,
                                                            const std::string& responsible_code) {
  // By the postcode's council code; by polygon where these boundaries lack that code.
  std::map<std::string, std::uint64_t> placed;
  for (const PlacementRow& row : rows) {
    if (!row.placement_located()) continue;
    std::string code = row.placement_la_code;
    if (code.empty() || !b.find(code)) {
      std::int32_t polygon = row.placement_polygon;
      if (polygon == kNotChecked) polygon = shapes::locate(b, row.placement_grid).council;
      if (polygon >= 0) code = b.council(static_cast<std::size_t>(polygon)).code;
    }
    ++placed[code];
  }
  const LocationTable table = tabulate(rows, responsible_code, "");
  const TableSuppression sup = suppression(table);
  std::map<std::string, bool> report_flag{{responsible_code, sup.inside}};
  for (std::size_t i = 0; i < table.destinations.size(); ++i) report_flag[table.destinations[i].code] = sup.destinations[i];

  std::vector<std::uint64_t> cells(b.size());
  std::vector<bool> forced(b.size());
  for (std::size_t c = 0; c < b.size(); ++c) {
    auto it = placed.find(b.council(c).code);
    cells[c] = it == placed.end() ? 0 : it->second;
    auto flag = report_flag.find(b.council(c).code);
    forced[c] = flag != report_flag.end() && flag->second;
  }
  const std::vector<bool> suppressed = shareable_suppression(cells, table.total, std::move(forced));

  std::vector<CouncilPlacements> out;
  for (std::size_t c = 0; c < b.size(); ++c)
    out.push_back({b.council(c).code, b.council(c).name,
                   suppressed[c] ? std::nullopt : std::optional<std::uint64_t>(cells[c]),
                   b.council(c).code == responsible_code, cells[c] > 0});
  return out;
}

namespace {

std::string escape(const std::string& text) {
  std::string out;
  for (char c : text) out += c == '&' ? "&amp;" : c == '<' ? "&lt;" : c == '>' ? "&gt;" : c == '"' ? "&quot;" : std::string(1, c);
  return out;
}

// Fixed classes (the shown counts are 0 or 6 and over).
const char* fill_of(const CouncilPlacements& c) {
  if (!c.placements) return "url(#pd-c)";
  const std::uint64_t n = *c.placements;
  return n == 0 ? "#f7f7f7" : n < 20 ? "#fdd0a2" : n < 50 ? "#fd8d3c" : n < 100 ? "#e6550d" : "#a63603";
}

}  // namespace

std::string placements_map_svg(const shapes::Boundaries& b, const std::vector<CouncilPlacements>& councils) {
  // The frame: councils placed in and the responsible council, 10 km margin.
  double xmin = 1e18, ymin = 1e18, xmax = -1e18, ymax = -1e18;
  std::vector<shapes::MultiPolygon> shapes(b.size());
  for (std::size_t c = 0; c < councils.size() && c < b.size(); ++c) {
    if (!councils[c].any && !councils[c].responsible) continue;
    shapes[c] = b.polygons(c);
    for (const auto& polygon : shapes[c])
      for (const geo::GridRef& p : polygon.rings.front()) {
        xmin = std::min(xmin, p.easting), xmax = std::max(xmax, p.easting);
        ymin = std::min(ymin, p.northing), ymax = std::max(ymax, p.northing);
      }
  }
  if (xmin > xmax) return {};
  xmin -= 10000, ymin -= 10000, xmax += 10000, ymax += 10000;
  const double width = 520, scale = width / (xmax - xmin), height = std::ceil((ymax - ymin) * scale);
  auto inside = [&](const shapes::MultiPolygon& m) {
    for (const auto& polygon : m)
      for (const geo::GridRef& p : polygon.rings.front())
        if (p.easting >= xmin && p.easting <= xmax && p.northing >= ymin && p.northing <= ymax) return true;
    return false;
  };
  std::string svg = "<figure><figcaption>Children placed, by the council placed in (DfE published style: c is "
                    "suppressed)</figcaption><svg class=\"map placements\" role=\"img\" aria-label=\"Children placed "
                    "by council\" viewBox=\"0 0 " +
                    std::to_string(static_cast<int>(width)) + " " + std::to_string(static_cast<int>(height)) +
                    "\" width=\"" + std::to_string(static_cast<int>(width)) + "\" height=\"" +
                    std::to_string(static_cast<int>(height)) +
                    "\"><defs><pattern id=\"pd-c\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" "
                    "patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#fff\"/><line x1=\"0\" "
                    "y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#888\" stroke-width=\"2\"/></pattern></defs>";
  std::string labels;
  for (std::size_t c = 0; c < councils.size() && c < b.size(); ++c) {
    if (shapes[c].empty()) shapes[c] = b.polygons(c);
    if (!inside(shapes[c])) continue;
    std::string d;
    double sx = 0, sy = 0, sn = 0;
    for (const auto& polygon : shapes[c])
      for (const auto& ring : polygon.rings) {
        // Snapped to whole pixels; repeated pixels dropped: the outline as drawn.
        std::string part;
        int px = INT_MIN, py = INT_MIN, points = 0;
        for (const geo::GridRef& p : ring) {
          const int x = static_cast<int>(std::lround((p.easting - xmin) * scale));
          const int y = static_cast<int>(std::lround((ymax - p.northing) * scale));
          if (x == px && y == py) continue;
          part += (points ? "L" : "M") + std::to_string(x) + " " + std::to_string(y);
          px = x, py = y, ++points;
          sx += x, sy += y, ++sn;
        }
        if (points >= 3) d += part + "Z";
      }
    if (d.empty()) continue;
    const CouncilPlacements& k = councils[c];
    const std::string shown = k.placements ? std::to_string(*k.placements) : "c";
    svg += "<path class=\"council" + std::string(k.responsible ? " responsible" : "") + "\" data-code=\"" + k.code +
           "\" data-placements=\"" + shown + "\" d=\"" + d + "\" fill=\"" + fill_of(k) + "\" stroke=\"" +
           (k.responsible ? "#000\" stroke-width=\"2" : "#666\" stroke-width=\"0.5") + "\"><title>" + escape(k.name) + ": " +
           shown + "</title></path>";
    if (k.placements && *k.placements > 0)  // "c" is the hatching; labels would crowd London
      labels += "<text x=\"" + std::to_string(static_cast<int>(sx / sn)) + "\" y=\"" +
                std::to_string(static_cast<int>(sy / sn)) + "\" text-anchor=\"middle\">" + shown + "</text>";
  }
  svg += labels + "</svg>";
  svg += "<p class=\"note\">Fill: 0 (white), 6–19, 20–49, 50–99, 100 and over; hatched: c. The responsible council "
         "has the heavy outline. Outlines: ONS generalised boundaries drawn at about 1 km.</p></figure>\n";
  return svg;
}

}  // namespace placedist::maps
