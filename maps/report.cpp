#include "maps/report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>

#include <nlohmann/json.hpp>
#include "geo/io/number_text.hpp"

using namespace placedist::geo;

namespace placedist::maps {
namespace {

struct Line {
  const char* group;
  const char* characteristic;
  std::uint64_t count;
  bool suppressed = false;  // published style: "c" (primary or secondary suppression)
  bool ours_only = false;   // not a DfE category
};

const char* const kDistance = "Distance between home and placement";
const char* const kLocality = "Locality of placement";
const char* const kCrossed = "Distance between home and placement and locality of placement";

std::vector<Line> lines(const LocationTable& t, const TableSuppression& s) {
  std::vector<Line> out = {
      {kDistance, "Placed 20 miles or less from home", t.within_20, s.within_20},
      {kDistance, "Placed more than 20 miles from home", t.over_20, s.over_20},
      {kDistance, "Distance not known or not recorded", t.distance_not_known, s.distance_not_known},
      {kDistance, "Total", t.total, s.total},
      {kLocality, "Placed inside the local authority boundary", t.inside, s.inside},
      {kLocality, "Placed outside the local authority boundary", t.outside, s.outside},
  };
  if (t.locality_not_known)
    out.push_back(
        {kLocality, "Locality not known (placement not located)", t.locality_not_known, s.locality_not_known, true});
  out.push_back({kLocality, "Total", t.total, s.total});
  auto crossed = [&](const char* label, int l, int d) {
    out.push_back({kCrossed, label, t.crossed[l][d], s.crossed[l][d]});
  };
  crossed("Placed inside the LA boundary, 20 miles or less from home", 0, 0);
  crossed("Placed outside the LA boundary, 20 miles or less from home", 1, 0);
  crossed("Placed inside the LA boundary, more than 20 miles from home", 0, 1);
  crossed("Placed outside the LA boundary, more than 20 miles from home", 1, 1);
  crossed("Placed inside the LA boundary, distance not known or not recorded", 0, 2);
  crossed("Placed outside the LA boundary, distance not known or not recorded", 1, 2);
  if (t.locality_not_known)
    out.push_back(
        {kCrossed, "Locality not known (placement not located)", t.locality_not_known, s.locality_not_known, true});
  out.push_back({kCrossed, "Total", t.total, s.total});
  return out;
}

// Cell indices of table_cells: the totals, the crossed table (3x3), bands 1 to 3 (band 0 is
// within_20, band 4 distance_not_known), then the destination councils.
enum Cell : std::size_t {
  kT,
  kW,
  kO,
  kDN,
  kI,
  kOut,
  kLnk,
  kCrossed0,
  kBand1 = kCrossed0 + 9,
  kDestination0 = kBand1 + 3
};
std::size_t crossed_cell(int l, int d) { return kCrossed0 + static_cast<std::size_t>(3 * l + d); }

std::vector<Tally> sorted(const std::map<std::pair<std::string, std::string>, std::uint64_t>& counts) {
  std::vector<Tally> out;
  for (const auto& [key, n] : counts) out.push_back({key.first, key.second, n});
  std::stable_sort(out.begin(), out.end(), [](const Tally& a, const Tally& b) { return a.count > b.count; });
  return out;
}

std::string md_escape(std::string s) {
  std::string out;
  for (char c : s) {
    if (c == '|')
      out += "\\|";
    else
      out.push_back(c);
  }
  return out;
}

}  // namespace

std::string thousands(std::uint64_t n) {
  std::string digits = std::to_string(n), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

LocationTable tabulate(std::span<const PlacementRow> rows, const std::string& code, const std::string& name) {
  LocationTable t;
  t.council_code = code;
  t.council_name = name;
  std::map<std::pair<std::string, std::string>, std::uint64_t> destinations, far, failures;
  for (const PlacementRow& row : rows) {
    ++t.total;
    DistanceBand band = row.band();
    ++t.bands[static_cast<int>(band)];
    int d = band == DistanceBand::not_known ? 2 : band == DistanceBand::up_to_20 ? 0 : 1;
    (d == 0 ? t.within_20 : d == 1 ? t.over_20 : t.distance_not_known)++;
    int l = row.location == PlacementLocation::unknown ? 2 : row.location == PlacementLocation::in ? 0 : 1;
    (l == 0 ? t.inside : l == 1 ? t.outside : t.locality_not_known)++;
    ++t.crossed[l][d];
    if (row.location == PlacementLocation::sco) ++t.scotland;
    if (row.location == PlacementLocation::wal) ++t.wales;
    if (row.location == PlacementLocation::nir) ++t.northern_ireland;
    if (row.status == RowStatus::uasc) ++t.uasc;
    if (row.status == RowStatus::approximate) ++t.approximate;
    if (row.status == RowStatus::terminated) ++t.terminated;
    if (outside(row.location))
      ++destinations[{row.placement_la_name.empty() ? row.placement_la_code : row.placement_la_name,
                      row.placement_la_code}];
    if (std::isfinite(row.dfe_miles) && row.dfe_miles > 60)
      ++far[{row.placement_la_name.empty() ? row.placement_la_code : row.placement_la_name, row.placement_la_code}];
    if (failed(row.status)) {
      ++t.failed;
      std::string reason = to_string(row.status);
      if (row.status == RowStatus::bad_row) {
        reason += ": " + row.message;
      } else {
        std::string detail;
        if (!row.home_located()) detail += std::string("home ") + to_string(row.home_status);
        if (!row.placement_located())
          detail += std::string(detail.empty() ? "" : ", ") + "placement " + to_string(row.placement_status);
        reason += " (" + detail + ")";
      }
      ++failures[{reason, ""}];
    }
  }
  t.destinations = sorted(destinations);
  t.far_destinations = sorted(far);
  t.failures = sorted(failures);
  return t;
}

std::string published_count(std::uint64_t count) { return count >= 1 && count <= 5 ? "c" : std::to_string(count); }

std::string published_count(std::uint64_t count, bool suppressed) { return suppressed ? "c" : published_count(count); }

std::string published_percentage(std::uint64_t count, std::uint64_t total, bool suppressed) {
  return suppressed ? "c" : published_percentage(count, total);
}

std::vector<bool> suppress_cells(std::span<const std::uint64_t> cells, std::span<const SuppressionGroup> groups) {
  return suppress_cells(cells, groups, std::vector<bool>(cells.size()));
}

std::vector<bool> suppress_cells(std::span<const std::uint64_t> cells, std::span<const SuppressionGroup> groups,
                                 std::vector<bool> out) {
  out.resize(cells.size());
  for (std::size_t i = 0; i < cells.size(); ++i) out[i] = out[i] || (cells[i] >= 1 && cells[i] <= 5);
  for (bool changed = true; changed;) {
    changed = false;
    for (const SuppressionGroup& g : groups) {
      std::size_t suppressed = out[g.total] ? 1 : 0;
      for (std::size_t p : g.parts) suppressed += out[p] ? 1 : 0;
      if (suppressed != 1) continue;
      // The smallest non-zero part still shown (the first of equals), else the total.
      std::optional<std::size_t> next;
      for (std::size_t p : g.parts)
        if (!out[p] && cells[p] > 0 && (!next || cells[p] < cells[*next])) next = p;
      if (!next && !out[g.total] && cells[g.total] > 0) next = g.total;
      if (!next) continue;  // the others are all zero: the lone cell equals its total, suppressed already
      out[*next] = true;
      changed = true;
    }
  }
  return out;
}

TableCells table_cells(const LocationTable& t) {
  TableCells c;
  c.cells.assign(kDestination0 + t.destinations.size(), 0);
  c.cells[kT] = t.total;
  c.cells[kW] = t.within_20;
  c.cells[kO] = t.over_20;
  c.cells[kDN] = t.distance_not_known;
  c.cells[kI] = t.inside;
  c.cells[kOut] = t.outside;
  c.cells[kLnk] = t.locality_not_known;
  for (int l = 0; l < 3; ++l)
    for (int d = 0; d < 3; ++d) c.cells[crossed_cell(l, d)] = t.crossed[l][d];
  for (std::size_t b = 1; b <= 3; ++b) c.cells[kBand1 + b - 1] = t.bands[b];
  for (std::size_t i = 0; i < t.destinations.size(); ++i) c.cells[kDestination0 + i] = t.destinations[i].count;
  auto row = [](int l) { return std::vector<std::size_t>{crossed_cell(l, 0), crossed_cell(l, 1), crossed_cell(l, 2)}; };
  auto column = [](int d) {
    return std::vector<std::size_t>{crossed_cell(0, d), crossed_cell(1, d), crossed_cell(2, d)};
  };
  c.groups = {
      {kT, {kW, kO, kDN}},     // distance
      {kT, {kI, kOut, kLnk}},  // locality
      {kI, row(0)},
      {kOut, row(1)},
      {kLnk, row(2)},  // crossed: rows
      {kW, column(0)},
      {kO, column(1)},
      {kDN, column(2)},  // crossed: columns
      {kT,
       {crossed_cell(0, 0), crossed_cell(0, 1), crossed_cell(0, 2), crossed_cell(1, 0), crossed_cell(1, 1),
        crossed_cell(1, 2), kLnk}},                     // crossed, as listed
      {kT, {kW, kBand1, kBand1 + 1, kBand1 + 2, kDN}},  // distance bands
      {kO, {kBand1, kBand1 + 1, kBand1 + 2}},           // bands over 20 miles
  };
  if (!t.destinations.empty()) {  // every council outside is listed (report.json)
    SuppressionGroup g{kOut, {}};
    for (std::size_t i = 0; i < t.destinations.size(); ++i) g.parts.push_back(kDestination0 + i);
    c.groups.push_back(std::move(g));
  }
  return c;
}

TableSuppression suppression(const LocationTable& t) {
  const TableCells c = table_cells(t);
  const std::vector<bool> s = suppress_cells(c.cells, c.groups);
  TableSuppression out;
  out.total = s[kT];
  out.within_20 = s[kW];
  out.over_20 = s[kO];
  out.distance_not_known = s[kDN];
  out.inside = s[kI];
  out.outside = s[kOut];
  out.locality_not_known = s[kLnk];
  for (int l = 0; l < 3; ++l)
    for (int d = 0; d < 3; ++d) out.crossed[l][d] = s[crossed_cell(l, d)];
  out.bands[0] = s[kW];
  for (std::size_t b = 1; b <= 3; ++b) out.bands[b] = s[kBand1 + b - 1];
  out.bands[4] = s[kDN];
  for (std::size_t i = 0; i < t.destinations.size(); ++i) out.destinations.push_back(s[kDestination0 + i]);
  return out;
}

std::string published_percentage(std::uint64_t count, std::uint64_t total) {
  if (count >= 1 && count <= 5) return "c";
  if (total == 0) return "z";
  double p = 100.0 * static_cast<double>(count) / static_cast<double>(total);
  if (count > 0 && p < 0.5) return "k";
  return std::to_string(static_cast<long long>(std::floor(p + 0.5)));
}

std::string raw_percentage(std::uint64_t count, std::uint64_t total) {
  if (total == 0) return "";
  std::string out;  // as report.json rounds it
  append_fixed(out, 100.0 * static_cast<double>(count) / static_cast<double>(total), 1);
  return out;
}

std::string render_markdown(const LocationTable& t, const ReportContext& c,
                            const std::optional<PublishedFigures>& published) {
  std::string md;
  md += "# Location of care placements: " + (c.title.empty() ? t.council_name + " (" + t.council_code + ")" : c.title) +
        "\n\n";
  auto bullet = [&](const char* label, const std::string& text) {
    if (!text.empty()) md += std::string("- ") + label + ": " + text + "\n";
  };
  bullet("Responsible council", t.council_name + " (" + t.council_code + ")");
  bullet("Census date",
         c.census_date.empty() ? std::string() : c.census_date + " (children looked after on this date)");
  bullet("Input", c.input);
  bullet("Gazetteer", c.gazetteer);
  bullet("Boundaries", c.boundaries);
  const TableSuppression sup = suppression(t);
  const char* const disclosure =
      "\nDisclosure: the Published style columns are shareable (counts of 1 to 5 and the cells that would "
      "reveal them shown as `c`); the Count and % columns are the council's own figures, restricted.\n";
  md +=
      "\nThe Published style figures of this report may be shared. The Count and % columns are the council's own "
      "unsuppressed figures: restricted, like placements.csv.\n";
  md += "\n## Headline\n\n";
  md += "| | Count | % | Published style |\n|---|---:|---:|---:|\n";
  auto head = [&](const char* label, std::uint64_t n, bool suppressed) {
    const std::string p = published_percentage(n, t.total, suppressed);
    md += std::string("| ") + label + " | " + thousands(n) + " | " + raw_percentage(n, t.total) + " | " + p +
          (p == "c" || p == "k" ? "" : "%") + " |\n";
  };
  head("Within 20 miles of home", t.within_20, sup.within_20);
  head("In county (inside the council)", t.inside, sup.inside);
  head("Out of county (outside the council)", t.outside, sup.outside);
  md += "| Children | " + thousands(t.total) + " | | " + published_count(t.total, sup.total) + " |\n";
  md += disclosure;

  std::string dfe_header = "DfE published";
  if (published) {
    dfe_header += " " + std::to_string(published->year) + " (" + published->la_name + ", " + published->la_code + ")";
  }
  const char* group = nullptr;
  for (const Line& line : lines(t, sup)) {
    if (!group || std::string(group) != line.group) {
      if (group) md += disclosure;
      group = line.group;
      md += std::string("\n## ") + group + "\n\n| Characteristic | Count | % | Published style count | % |" +
            (published ? " " + dfe_header + " count | % |" : "") + "\n|---|---:|---:|---:|---:|" +
            (published ? "---:|---:|" : "") + "\n";
    }
    md += std::string("| ") + line.characteristic + " | " + thousands(line.count) + " | " +
          raw_percentage(line.count, t.total) + " | " + published_count(line.count, line.suppressed) + " | " +
          published_percentage(line.count, t.total, line.suppressed) + " |";
    if (published) {
      const PublishedFigure* f = line.ours_only ? nullptr : published->find(line.group, line.characteristic);
      md += f ? " " + f->number + " | " + f->percentage + " |" : " | |";
    }
    md += "\n";
  }
  md += disclosure;
  if (published && !published->exact_year)
    md += "\nThe DfE has not published this council's figures for the census year; the nearest year published (" +
          std::to_string(published->year) + ") is shown for comparison.\n";

  md +=
      "\n## Distance bands (DfE straight-line miles)\n\n| Band | Count | % | Published style count | % "
      "|\n|---|---:|---:|---:|---:|\n";
  for (int b = 0; b < kDistanceBands; ++b) {
    const char* label = b == 0   ? "0-20 miles"
                        : b == 1 ? "over 20 to 60 miles"
                        : b == 2 ? "over 60 to 100 miles"
                        : b == 3 ? "over 100 miles"
                                 : "not known";
    md += std::string("| ") + label + " | " + thousands(t.bands[b]) + " | " + raw_percentage(t.bands[b], t.total) +
          " | " + published_count(t.bands[b], sup.bands[b]) + " | " +
          published_percentage(t.bands[b], t.total, sup.bands[b]) + " |\n";
  }
  md += disclosure;
  if (t.scotland + t.wales + t.northern_ireland)
    md += "\nPlaced in other nations (counted as outside): Scotland " + published_count(t.scotland) + ", Wales " +
          published_count(t.wales) + ", Northern Ireland " + published_count(t.northern_ireland) +
          " (published style; the nations have no published total of their own, so only counts of 1 to 5 are "
          "suppressed).\n";

  md += "\n## Top destination councils (outside " + t.council_name +
        ")\n\n| Council | Code | Count | % | Published style count |\n|---|---|---:|---:|---:|\n";
  for (std::size_t i = 0; i < t.destinations.size() && i < c.top_destinations; ++i) {
    const Tally& d = t.destinations[i];
    md += "| " + md_escape(d.label) + " | " + d.code + " | " + thousands(d.count) + " | " +
          raw_percentage(d.count, t.total) + " | " + published_count(d.count, sup.destinations[i]) + " |\n";
  }
  if (t.destinations.size() > c.top_destinations)
    md += "| " + thousands(t.destinations.size() - c.top_destinations) + " other councils | | | | |\n";
  md += disclosure;

  if (!t.far_destinations.empty()) {
    md +=
        "\n## Placements more than 60 miles from home, by council\n\n| Council | Code | Count | Published style count "
        "|\n|---|---|---:|---:|\n";
    for (const Tally& d : t.far_destinations)
      md += "| " + md_escape(d.label) + " | " + d.code + " | " + thousands(d.count) + " | " + published_count(d.count) +
            " |\n";
    md += disclosure;
  }

  md += "\n## Rows not fully analysed\n\nDisclosure: restricted (exact counts of the council's rows).\n\n";
  if (t.failed == 0 && t.uasc == 0 && t.approximate == 0 && t.terminated == 0) md += "None: every row was located.\n";
  if (t.uasc)
    md += "- " + thousands(t.uasc) + " unaccompanied asylum-seeking children: distance left blank, as the DfE does.\n";
  if (t.terminated) md += "- " + thousands(t.terminated) + " rows used a terminated postcode's last location.\n";
  if (t.approximate) md += "- " + thousands(t.approximate) + " rows were located only at sector or district level.\n";
  if (t.failed) {
    md += "\n| Reason | Rows |\n|---|---:|\n";
    for (const Tally& f : t.failures) md += "| " + md_escape(f.label) + " | " + thousands(f.count) + " |\n";
  }
  if (!c.notes.empty()) {
    md += "\n## Notes\n\n";
    for (const std::string& n : c.notes) md += "- " + n + "\n";
  }
  md +=
      "\nPublished style follows the DfE's council tables: counts of 1 to 5 are shown as `c`, percentages are whole "
      "numbers of all children, `k` is a share below 0.5%. Secondary suppression is applied: wherever cells add up to "
      "a published total (the distance, locality, crossed and band tables, the destination councils), no group has "
      "a lone `c`, so that no suppressed count can be recovered by subtraction.\n";
  if (!c.attribution.empty()) md += "\n" + c.attribution + "\n";
  return md;
}

std::string render_json(const LocationTable& t, const ReportContext& c,
                        const std::optional<PublishedFigures>& published) {
  using nlohmann::json;
  json out;
  out["council"] = {{"code", t.council_code}, {"name", t.council_name}};
  out["census_date"] = c.census_date.empty() ? json() : json(c.census_date);
  out["input"] = c.input;
  out["gazetteer"] = c.gazetteer;
  out["boundaries"] = c.boundaries;
  auto pct = [&](std::uint64_t n) { return t.total ? json(round_to(100.0 * n / t.total, 1)) : json(); };
  const TableSuppression sup = suppression(t);
  // What may be published: the published_style figures (primary and secondary suppression);
  // every raw count and percentage is the council's own, restricted.
  out["disclosure"] = {{"headline", "restricted"},
                       {"table", "restricted"},
                       {"table.published_style", "shareable"},
                       {"distance_bands", "restricted"},
                       {"distance_bands.published_style", "shareable"},
                       {"destinations", "restricted"},
                       {"destinations.published_style", "shareable"},
                       {"other_nations", "restricted"},
                       {"over_60_miles_by_council", "restricted"},
                       {"rows", "restricted"},
                       {"secondary_suppression", true}};
  out["headline"] = {{"children", t.total},
                     {"within_20_miles", {{"count", t.within_20}, {"percentage", pct(t.within_20)}}},
                     {"in_county", {{"count", t.inside}, {"percentage", pct(t.inside)}}},
                     {"out_of_county", {{"count", t.outside}, {"percentage", pct(t.outside)}}}};
  json table = json::array();
  for (const Line& line : lines(t, sup)) {
    json row = {{"group", line.group},
                {"characteristic", line.characteristic},
                {"count", line.count},
                {"percentage", pct(line.count)},
                {"published_style",
                 {{"count", published_count(line.count, line.suppressed)},
                  {"percentage", published_percentage(line.count, t.total, line.suppressed)}}}};
    if (published) {
      const PublishedFigure* f = line.ours_only ? nullptr : published->find(line.group, line.characteristic);
      row["dfe_published"] = f ? json{{"count", f->number}, {"percentage", f->percentage}} : json();
    }
    table.push_back(row);
  }
  out["table"] = table;
  json bands = json::array();
  for (int b = 0; b < kDistanceBands; ++b)
    bands.push_back({{"band", to_string(static_cast<DistanceBand>(b))},
                     {"count", t.bands[b]},
                     {"percentage", pct(t.bands[b])},
                     {"published_style",
                      {{"count", published_count(t.bands[b], sup.bands[b])},
                       {"percentage", published_percentage(t.bands[b], t.total, sup.bands[b])}}}});
  out["distance_bands"] = bands;
  out["other_nations"] = {{"SCO", t.scotland}, {"WAL", t.wales}, {"NIR", t.northern_ireland}};
  json destinations = json::array();
  for (std::size_t i = 0; i < t.destinations.size(); ++i) {
    const Tally& d = t.destinations[i];
    destinations.push_back({{"code", d.code},
                            {"name", d.label},
                            {"count", d.count},
                            {"published_style", published_count(d.count, sup.destinations[i])}});
  }
  out["destinations"] = destinations;
  json far = json::array();
  for (const Tally& d : t.far_destinations) far.push_back({{"code", d.code}, {"name", d.label}, {"count", d.count}});
  out["over_60_miles_by_council"] = far;
  json failures = json::array();
  for (const Tally& f : t.failures) failures.push_back({{"reason", f.label}, {"count", f.count}});
  out["rows"] = {{"failed", t.failed},
                 {"uasc", t.uasc},
                 {"approximate", t.approximate},
                 {"terminated", t.terminated},
                 {"failures", failures}};
  if (published) {
    out["dfe_published"] = {{"year", published->year},       {"exact_year", published->exact_year},
                            {"la_code", published->la_code}, {"old_la_code", published->old_la_code},
                            {"la_name", published->la_name}, {"years_available", published->years}};
  }
  out["notes"] = c.notes;
  out["attribution"] = c.attribution;
  return out.dump(2) + "\n";
}

std::string render_summary(const LocationTable& t, const std::optional<PublishedFigures>& published) {
  auto find = [&](const char* group, const char* characteristic) -> std::string {
    if (!published) return "";
    const PublishedFigure* f = published->find(group, characteristic);
    return f ? "  (DfE " + std::to_string(published->year) + ": " + f->percentage + "%)" : "";
  };
  std::string s;
  s += t.council_name + " (" + t.council_code + "): " + thousands(t.total) + " children\n";
  s += "  within 20 miles of home  " + thousands(t.within_20) + "  " + raw_percentage(t.within_20, t.total) + "%" +
       find(kDistance, "Placed 20 miles or less from home") + "\n";
  s += "  more than 20 miles       " + thousands(t.over_20) + "  " + raw_percentage(t.over_20, t.total) + "%" +
       find(kDistance, "Placed more than 20 miles from home") + "\n";
  s += "  distance not known       " + thousands(t.distance_not_known) + "  " +
       raw_percentage(t.distance_not_known, t.total) + "%" + find(kDistance, "Distance not known or not recorded") +
       "\n";
  s += "  inside the council       " + thousands(t.inside) + "  " + raw_percentage(t.inside, t.total) + "%" +
       find(kLocality, "Placed inside the local authority boundary") + "\n";
  s += "  outside the council      " + thousands(t.outside) + "  " + raw_percentage(t.outside, t.total) + "%" +
       find(kLocality, "Placed outside the local authority boundary") + "\n";
  s += "  bands 0-20 / 20-60 / 60-100 / 100+ / not known: " + thousands(t.bands[0]) + " / " + thousands(t.bands[1]) +
       " / " + thousands(t.bands[2]) + " / " + thousands(t.bands[3]) + " / " + thousands(t.bands[4]) + "\n";
  return s;
}

}  // namespace placedist::maps
