#include "maps/report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include <nlohmann/json.hpp>
#include "geo/io/number_text.hpp"

using namespace placedist::geo;

namespace placedist::maps {
namespace {

struct Line {
  const char* group;
  const char* characteristic;
  std::uint64_t count;
  bool ours_only = false;  // not a DfE category
};

const char* const kDistance = "Distance between home and placement";
const char* const kLocality = "Locality of placement";
const char* const kCrossed = "Distance between home and placement and locality of placement";

std::vector<Line> lines(const LocationTable& t) {
  std::vector<Line> out = {
      {kDistance, "Placed 20 miles or less from home", t.within_20},
      {kDistance, "Placed more than 20 miles from home", t.over_20},
      {kDistance, "Distance not known or not recorded", t.distance_not_known},
      {kDistance, "Total", t.total},
      {kLocality, "Placed inside the local authority boundary", t.inside},
      {kLocality, "Placed outside the local authority boundary", t.outside},
  };
  if (t.locality_not_known)
    out.push_back({kLocality, "Locality not known (placement not located)", t.locality_not_known, true});
  out.push_back({kLocality, "Total", t.total});
  out.push_back({kCrossed, "Placed inside the LA boundary, 20 miles or less from home", t.crossed[0][0]});
  out.push_back({kCrossed, "Placed outside the LA boundary, 20 miles or less from home", t.crossed[1][0]});
  out.push_back({kCrossed, "Placed inside the LA boundary, more than 20 miles from home", t.crossed[0][1]});
  out.push_back({kCrossed, "Placed outside the LA boundary, more than 20 miles from home", t.crossed[1][1]});
  out.push_back({kCrossed, "Placed inside the LA boundary, distance not known or not recorded", t.crossed[0][2]});
  out.push_back({kCrossed, "Placed outside the LA boundary, distance not known or not recorded", t.crossed[1][2]});
  if (t.locality_not_known)
    out.push_back({kCrossed, "Locality not known (placement not located)", t.locality_not_known, true});
  out.push_back({kCrossed, "Total", t.total});
  return out;
}

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
  md += "\n## Headline\n\n";
  md += "| | Count | % | Published style |\n|---|---:|---:|---:|\n";
  auto head = [&](const char* label, std::uint64_t n) {
    md += std::string("| ") + label + " | " + thousands(n) + " | " + raw_percentage(n, t.total) + " | " +
          published_percentage(n, t.total) +
          (published_percentage(n, t.total) == "c" || published_percentage(n, t.total) == "k" ? "" : "%") + " |\n";
  };
  head("Within 20 miles of home", t.within_20);
  head("In county (inside the council)", t.inside);
  head("Out of county (outside the council)", t.outside);
  md += "| Children | " + thousands(t.total) + " | | " + published_count(t.total) + " |\n";

  std::string dfe_header = "DfE published";
  if (published) {
    dfe_header += " " + std::to_string(published->year) + " (" + published->la_name + ", " + published->la_code + ")";
  }
  const char* group = nullptr;
  for (const Line& line : lines(t)) {
    if (!group || std::string(group) != line.group) {
      group = line.group;
      md += std::string("\n## ") + group + "\n\n| Characteristic | Count | % | Published style count | % |" +
            (published ? " " + dfe_header + " count | % |" : "") + "\n|---|---:|---:|---:|---:|" +
            (published ? "---:|---:|" : "") + "\n";
    }
    md += std::string("| ") + line.characteristic + " | " + thousands(line.count) + " | " +
          raw_percentage(line.count, t.total) + " | " + published_count(line.count) + " | " +
          published_percentage(line.count, t.total) + " |";
    if (published) {
      const PublishedFigure* f = line.ours_only ? nullptr : published->find(line.group, line.characteristic);
      md += f ? " " + f->number + " | " + f->percentage + " |" : " | |";
    }
    md += "\n";
  }
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
          " | " + published_count(t.bands[b]) + " | " + published_percentage(t.bands[b], t.total) + " |\n";
  }
  if (t.scotland + t.wales + t.northern_ireland)
    md += "\nPlaced in other nations (counted as outside): Scotland " + published_count(t.scotland) + ", Wales " +
          published_count(t.wales) + ", Northern Ireland " + published_count(t.northern_ireland) +
          " (published style).\n";

  md += "\n## Top destination councils (outside " + t.council_name +
        ")\n\n| Council | Code | Count | % | Published style count |\n|---|---|---:|---:|---:|\n";
  for (std::size_t i = 0; i < t.destinations.size() && i < c.top_destinations; ++i) {
    const Tally& d = t.destinations[i];
    md += "| " + md_escape(d.label) + " | " + d.code + " | " + thousands(d.count) + " | " +
          raw_percentage(d.count, t.total) + " | " + published_count(d.count) + " |\n";
  }
  if (t.destinations.size() > c.top_destinations)
    md += "| " + thousands(t.destinations.size() - c.top_destinations) + " other councils | | | | |\n";

  if (!t.far_destinations.empty()) {
    md +=
        "\n## Placements more than 60 miles from home, by council\n\n| Council | Code | Count | Published style count "
        "|\n|---|---|---:|---:|\n";
    for (const Tally& d : t.far_destinations)
      md += "| " + md_escape(d.label) + " | " + d.code + " | " + thousands(d.count) + " | " + published_count(d.count) +
            " |\n";
  }

  md += "\n## Rows not fully analysed\n\n";
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
      "numbers of all children, `k` is a share below 0.5%. Secondary suppression is not applied.\n";
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
  out["headline"] = {{"children", t.total},
                     {"within_20_miles", {{"count", t.within_20}, {"percentage", pct(t.within_20)}}},
                     {"in_county", {{"count", t.inside}, {"percentage", pct(t.inside)}}},
                     {"out_of_county", {{"count", t.outside}, {"percentage", pct(t.outside)}}}};
  json table = json::array();
  for (const Line& line : lines(t)) {
    json row = {{"group", line.group},
                {"characteristic", line.characteristic},
                {"count", line.count},
                {"percentage", pct(line.count)},
                {"published_style",
                 {{"count", published_count(line.count)}, {"percentage", published_percentage(line.count, t.total)}}}};
    if (published) {
      const PublishedFigure* f = line.ours_only ? nullptr : published->find(line.group, line.characteristic);
      row["dfe_published"] = f ? json{{"count", f->number}, {"percentage", f->percentage}} : json();
    }
    table.push_back(row);
  }
  out["table"] = table;
  json bands = json::array();
  for (int b = 0; b < kDistanceBands; ++b)
    bands.push_back(
        {{"band", to_string(static_cast<DistanceBand>(b))},
         {"count", t.bands[b]},
         {"percentage", pct(t.bands[b])},
         {"published_style",
          {{"count", published_count(t.bands[b])}, {"percentage", published_percentage(t.bands[b], t.total)}}}});
  out["distance_bands"] = bands;
  out["other_nations"] = {{"SCO", t.scotland}, {"WAL", t.wales}, {"NIR", t.northern_ireland}};
  json destinations = json::array();
  for (const Tally& d : t.destinations)
    destinations.push_back(
        {{"code", d.code}, {"name", d.label}, {"count", d.count}, {"published_style", published_count(d.count)}});
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
