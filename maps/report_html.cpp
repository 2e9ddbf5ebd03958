#include "maps/report_html.hpp"

#include <algorithm>
#include <cstdio>

namespace placedist::maps {

namespace {

std::string escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

std::string num(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f", v);
  return buffer;
}

// A published percentage as a number for drawing; none for "c", "k" (drawn as a label only).
std::optional<double> drawable(const std::string& published) {
  if (published.empty() || published == "c" || published == "k") return std::nullopt;
  return std::stod(published);
}

struct Bar {
  std::string label;
  std::string shown;  // the published-style figure written beside the bar ("c", "k", "45%", "12")
  std::optional<double> value;
  std::string css = {};  // the bar's class beside "bar", e.g. "region"
};

// Horizontal bars scaled to `max`; a bar with no value is its label alone ("c").
std::string bar_chart(const std::string& title, const std::vector<Bar>& bars, double max, const std::string& css) {
  const int row = 22, label_w = 290, plot_w = 330, height = 30 + row * static_cast<int>(bars.size());
  std::string svg = "<figure><figcaption>" + escape(title) + "</figcaption><svg class=\"chart " + css +
                    "\" role=\"img\" aria-label=\"" + escape(title) + "\" viewBox=\"0 0 " +
                    std::to_string(label_w + plot_w + 60) + " " + std::to_string(height) + "\" width=\"" +
                    std::to_string(label_w + plot_w + 60) + "\" height=\"" + std::to_string(height) + "\">";
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const Bar& b = bars[i];
    const int y = 10 + row * static_cast<int>(i);
    svg += "<text x=\"" + std::to_string(label_w - 6) + "\" y=\"" + std::to_string(y + 14) + "\" text-anchor=\"end\">" +
           escape(b.label) + "</text>";
    double w = b.value && max > 0 ? plot_w * *b.value / max : 0;
    if (b.value)
      svg += "<rect class=\"bar" + (b.css.empty() ? "" : " " + b.css) + "\" x=\"" + std::to_string(label_w) + "\" y=\"" + std::to_string(y + 2) + "\" width=\"" +
             num(w) + "\" height=\"" + std::to_string(row - 6) + "\"/>";
    svg += "<text class=\"value\" x=\"" + num(label_w + w + 4) + "\" y=\"" + std::to_string(y + 14) + "\">" +
           escape(b.shown) + "</text>";
  }
  svg += "<line x1=\"" + std::to_string(label_w) + "\" x2=\"" + std::to_string(label_w) + "\" y1=\"8\" y2=\"" +
         std::to_string(height - 18) + "\" stroke=\"#333\"/></svg></figure>\n";
  return svg;
}

std::string with_percent(const std::string& p) { return p == "c" || p == "k" || p.empty() ? p : p + "%"; }

const char* const kWithin20 = "Placed 20 miles or less from home";

std::string share_within_20(const PublishedFigures& f) {
  for (const PublishedFigure& fig : f.figures)
    if (fig.group == "Distance between home and placement" && fig.characteristic == kWithin20) return fig.percentage;
  return {};
}

// The council's published "Placed 20 miles or less from home" share by year, each year's bar
// followed by its region's and England's (as published, whole percentages).
std::string history_chart(const PublishedHistory& history) {
  if (history.council.empty()) return {};
  auto year_of = [](const std::vector<PublishedFigures>& series, int year) -> const PublishedFigures* {
    for (const PublishedFigures& f : series)
      if (f.year == year) return &f;
    return nullptr;
  };
  std::vector<Bar> bars;
  for (const PublishedFigures& f : history.council) {
    const std::string p = share_within_20(f);
    bars.push_back({"31 March " + std::to_string(f.year) + ": " + f.la_name, with_percent(p), drawable(p), "council"});
    for (const auto* series : {&history.region, &history.england})
      if (const PublishedFigures* area = year_of(*series, f.year)) {
        const std::string q = share_within_20(*area);
        bars.push_back({"31 March " + std::to_string(f.year) + ": " + area->la_name, with_percent(q), drawable(q),
                        series == &history.region ? "region" : "england"});
      }
  }
  const PublishedFigures& last = history.council.back();
  return bar_chart("Placed 20 miles or less from home at 31 March, as the DfE published it: " + last.la_name + " (" +
                       last.la_code + ")" + (history.region.empty() ? "" : ", " + history.region.back().la_name) +
                       (history.england.empty() ? "" : " and England"),
                   bars, 100, "history");
}

}  // namespace

std::string render_html(const LocationTable& t, const ReportContext& c,
                        const std::optional<PublishedFigures>& published,
                        const PublishedHistory& history, const std::string& placements_map) {
  const TableSuppression sup = suppression(t);
  const std::string title =
      "Location of care placements: " + (c.title.empty() ? t.council_name + " (" + t.council_code + ")" : c.title);
  std::string h = "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escape(title) +
                  "</title>\n<style>\n"
                  "body{font:14px/1.45 system-ui,sans-serif;max-width:820px;margin:2em auto;padding:0 1em;color:#111}\n"
                  "h1{font-size:22px}h2{font-size:17px;margin-top:1.6em}figure{margin:1em 0}"
                  "figcaption{font-weight:600;margin-bottom:4px}\n"
                  "svg.chart text,svg.map text{font:11px system-ui,sans-serif}svg.chart .bar{fill:#e6550d}"
                  "svg.history .bar{fill:#3182bd}svg.history .region{fill:#9ecae1}svg.history .england{fill:#bdbdbd}svg.inside .bar{fill:#31a354}\n"
                  "table{border-collapse:collapse}td,th{border-bottom:1px solid #ddd;padding:2px 8px;text-align:left}"
                  "td.n{text-align:right}\n.note{color:#555;font-size:12px}\n"
                  "@page{size:A4;margin:15mm}@media print{body{margin:0;max-width:none}figure{break-inside:avoid}}\n"
                  "</style></head><body>\n";
  h += "<h1>" + escape(title) + "</h1>\n";
  h += "<p>" + escape(t.council_name) + " (" + escape(t.council_code) + ")" +
       (c.census_date.empty() ? "" : ", children looked after on " + escape(c.census_date)) + ": " +
       published_count(t.total, sup.total) +
       " children. Figures in the DfE's published style: counts of 1 to 5, and "
       "the cells that would reveal them, shown as c; k is a share below 0.5%. Distances are DfE miles (straight "
       "line, British National Grid). This report may be shared.</p>\n";

  h += "<h2>Headline</h2>\n<table><tr><th></th><th>Children</th><th>Share</th></tr>\n";
  auto head = [&](const char* label, std::uint64_t n, bool s) {
    h += std::string("<tr><td>") + label + "</td><td class=\"n\">" + published_count(n, s) + "</td><td class=\"n\">" +
         with_percent(published_percentage(n, t.total, s)) + "</td></tr>\n";
  };
  head("Placed 20 miles or less from home", t.within_20, sup.within_20);
  head("Placed inside the council", t.inside, sup.inside);
  head("Placed outside the council", t.outside, sup.outside);
  h += "</table>\n";
  if (!placements_map.empty()) h += "<h2>Where children are placed</h2>\n" + placements_map;

  std::vector<Bar> bands;
  for (int b = 0; b < kDistanceBands; ++b) {
    const std::string p = published_percentage(t.bands[b], t.total, sup.bands[b]);
    const auto band = static_cast<DistanceBand>(b);
    bands.push_back({std::string(to_string(band)) + (band == DistanceBand::not_known ? "" : " miles"),
                     with_percent(p) + " (" + published_count(t.bands[b], sup.bands[b]) + ")", drawable(p)});
  }
  h += "<h2>Distance from home</h2>\n" +
       bar_chart("Children by distance from home to placement (share of all)", bands, 100, "bands");

  const char* const distance[] = {"20 miles or less", "over 20 miles", "distance not known"};
  const char* const place[] = {"inside the council", "outside the council", "locality not known"};
  std::vector<Bar> crossed;
  for (int i = 0; i < 3; ++i)
    for (int d = 0; d < 3; ++d) {
      const std::string n = published_count(t.crossed[i][d], sup.crossed[i][d]);
      const std::string p = published_percentage(t.crossed[i][d], t.total, sup.crossed[i][d]);
      crossed.push_back({std::string(place[i]) + ", " + distance[d], with_percent(p) + " (" + n + ")", drawable(p)});
    }
  h += "<h2>Inside and outside the council, by distance</h2>\n" +
       bar_chart("Children by where and how far they are placed (share of all)", crossed, 100, "inside");

  std::vector<Bar> destinations;
  double most = 0;
  const std::size_t top = std::min<std::size_t>(t.destinations.size(), c.top_destinations ? c.top_destinations : 10);
  for (std::size_t i = 0; i < top; ++i) {
    const Tally& d = t.destinations[i];
    const bool s = sup.destinations[i];
    destinations.push_back({d.label, published_count(d.count, s), s ? std::nullopt : std::optional<double>(d.count)});
    if (!s) most = std::max(most, static_cast<double>(d.count));
  }
  if (!destinations.empty())
    h += "<h2>Councils placed in</h2>\n" +
         bar_chart("Children placed outside the council: the " + std::to_string(top) + " councils placed in most",
                   destinations, most, "destinations");

  if (!history.council.empty()) {
    h += "<h2>The DfE's published figures over the years</h2>\n" + history_chart(history);
    if (published && published->la_code != t.council_code)
      h += "<p class=\"note\">" + escape(t.council_code) + " is not published under its own code: the figures are " +
           escape(published->la_name) + " (" + escape(published->la_code) + "), its successor.</p>\n";
  }
  if (!c.attribution.empty()) h += "<p class=\"note\">" + escape(c.attribution) + "</p>\n";
  h += "</body></html>\n";
  return h;
}

}  // namespace placedist::maps
