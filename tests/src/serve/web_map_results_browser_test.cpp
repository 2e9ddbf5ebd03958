// The map page's honesty and take-aways in headless Chromium: by road, the network's extent and
// the providers that could not be routed (drawn, listed, counted in a banner); a home off the
// network says so; a failed second search clears the first and suggests a sector; a centroid
// says it is one; the legend shows only what is drawn; the results table sorts from its header
// buttons and its CSV is the table as shown; the print view is one A4 landscape page without
// controls (printed to PDF and read back with poppler-utils). ctest label "browser".
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <regex>

#include <nlohmann/json.hpp>

#include "browser.hpp"
#include "geo/lonlat_polygon.hpp"
#include "geo/roads/built_network.hpp"
#include "serve_fixture.hpp"
#include "src/analysis/road_zone.hpp"

namespace placedist {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::attribute;
using testing::chromium;
using testing::count_class;
using testing::element_text;
using testing::run_chromium;
using testing::RunningService;

// The steps a driver page can take (testing::driver_page), served beside the page.
std::unique_ptr<serve::ServiceData> load_with_driver(const fs::path& roads, const std::string& steps_js) {
  serve::DataPaths paths{
      testing::serve_gazetteer(), testing::serve_boundaries(), testing::serve_providers(), roads, {}, {}, {}};
  auto data = serve::ServiceData::load(paths, {});
  fs::remove(paths.providers);
  data->web["driver.html"] = {testing::driver_page(steps_js), "text/html; charset=utf-8"};
  return data;
}

const serve::ServiceData& road_data() {
  static auto data = load_with_driver(testing::built_bucks_roads(), "[]");
  return *data;
}

std::string percent_encode(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.') {
      out.push_back(static_cast<char>(c));
    } else {
      char hex[4];
      std::snprintf(hex, sizeof hex, "%%%02X", c);
      out += hex;
    }
  }
  return out;
}

json get_json(const RunningService& server, const std::string& path) {
  auto res = server.client().Get(path);
  EXPECT_TRUE(res && res->status == 200) << path;
  return json::parse(res ? res->body : "{}");
}

std::vector<std::string> legend_keys(const std::string& dom) {
  std::vector<std::string> keys;
  std::regex key("<li data-key=\"([^\"]+)\"");
  for (auto it = std::sregex_iterator(dom.begin(), dom.end(), key); it != std::sregex_iterator(); ++it)
    keys.push_back((*it)[1]);
  return keys;
}

bool has(const std::vector<std::string>& keys, const std::string& key) {
  return std::find(keys.begin(), keys.end(), key) != keys.end();
}

// The CSV a download link holds (data-text, HTML-escaped in the dump), as lines.
std::vector<std::string> csv_lines(const std::string& dom, const std::string& id) {
  std::smatch m;
  if (!std::regex_search(dom, m, std::regex("<a id=\"" + id + "\"[^>]*data-text=\"([^\"]*)\""))) return {};
  std::string text = m[1];
  for (auto [from, to] :
       {std::pair{"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#10;", "\n"}, {"&#13;", "\r"}})
    text = std::regex_replace(text, std::regex(from), to);
  std::vector<std::string> lines;
  std::stringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

TEST(WebMapResults, RoadModeDrawsTheNetworkAndListsWhatCouldNotBeRoutedApart) {
  ASSERT_FALSE(chromium().empty());
  RunningService server({}, road_data());
  const std::string base = "http://127.0.0.1:" + std::to_string(server.port());
  const std::string dom = run_chromium("--dump-dom", base + "/#postcode=HP20%201AA&miles=20&mode=road");
  ASSERT_NE(dom.find("data-state=\"ready\""), std::string::npos) << dom.substr(0, 2000);
  json road = get_json(server, "/v1/coverage?postcode=HP20%201AA&miles=20&mode=road");
  const std::size_t not_routed = road["providers_not_routed"].get<std::size_t>();
  const std::size_t within = road["providers_within"].get<std::size_t>();
  ASSERT_GT(not_routed, 5u);  // the 20-mile circle runs off the county's network

  EXPECT_EQ(count_class(dom, "pd-network-extent"), 1u);
  EXPECT_EQ(attribute(dom, "data-extent"), "yes");
  EXPECT_EQ(count_class(dom, "pd-provider-unrouted"), not_routed);
  EXPECT_EQ(count_class(dom, "pd-provider-in"), within);
  EXPECT_EQ(attribute(dom, "data-providers-unrouted"), std::to_string(not_routed));
  const std::string banner = element_text(dom, "banner");
  EXPECT_NE(banner.find(std::to_string(not_routed) + " providers within the search could not be routed"),
            std::string::npos)
      << banner;
  EXPECT_EQ(attribute(dom, "data-rows", "within-table", "table"), std::to_string(within));
  EXPECT_EQ(attribute(dom, "data-rows", "unrouted-table", "table"), std::to_string(not_routed));
  // The unrouted list: name, DfE miles and the reason, as the server gave them.
  std::vector<std::string> lines = csv_lines(dom, "unrouted-csv");
  ASSERT_EQ(lines.size(), not_routed + 1);
  EXPECT_EQ(lines[0], "Provider,Type,Places,DfE miles,Why not routed");
  for (const json& p : road["not_routed"]) {
    const std::string reason = std::regex_replace(p["road_status"].get<std::string>(), std::regex("_"), " ");
    const std::string tail = "," + p["dfe_miles"].dump() + "," + reason;
    EXPECT_TRUE(std::any_of(lines.begin(), lines.end(),
                            [&](const std::string& l) {
                              return l.size() > tail.size() &&
                                     l.compare(l.size() - tail.size(), tail.size(), tail) == 0;
                            }))
        << p["name"] << tail;
  }
  // The legend: what road mode draws, the fixed classes, nothing of the cohort view.
  std::vector<std::string> keys = legend_keys(dom);
  for (const char* key : {"base", "extent", "zone", "home", "council", "council-zone", "in", "unrouted", "out",
                          "places-0", "places-2000", "places-unrouted"})
    EXPECT_TRUE(has(keys, key)) << key;
  EXPECT_FALSE(has(keys, "near"));
  EXPECT_NE(dom.find("within 20 miles by road of the home"), std::string::npos);

  // The served zone has no pin-holes: every hole left is at least the stated area.
  std::size_t holes = 0;
  for (const json& polygon : road["zone"]["geometry"]["coordinates"])
    for (std::size_t r = 1; r < polygon.size(); ++r, ++holes) {
      geo::LonLatRing ring;
      for (const json& p : polygon[r]) ring.push_back({p[0].get<double>(), p[1].get<double>()});
      EXPECT_GE(std::abs(geo::area_m2({{ring}})), analysis::kRoadZoneMinHoleKm2 * 1e6);
    }
  EXPECT_EQ(attribute(dom, "data-zone-holes"), std::to_string(holes));
}

TEST(WebMapResults, AHomeOffTheRoadNetworkSaysSo) {
  ASSERT_FALSE(chromium().empty());
  RunningService server({}, road_data());
  const std::string dom = run_chromium(
      "--dump-dom", "http://127.0.0.1:" + std::to_string(server.port()) + "/#postcode=GU1%201AA&mode=road");
  ASSERT_NE(dom.find("data-state=\"ready\""), std::string::npos) << dom.substr(0, 2000);
  json road = get_json(server, "/v1/coverage?postcode=GU1%201AA&miles=20&mode=road");
  ASSERT_NE(road["road_status"], "ok");
  ASSERT_TRUE(road.contains("message"));
  EXPECT_EQ(attribute(dom, "data-road-status"), road["road_status"].get<std::string>());
  EXPECT_EQ(attribute(dom, "data-providers-within"), "0");
  const std::string banner = element_text(dom, "banner");
  EXPECT_NE(banner.find("The home is not on the road network"), std::string::npos) << banner;
  EXPECT_NE(banner.find(road["message"].get<std::string>()), std::string::npos) << banner;
}

TEST(WebMapResults, AFailedSecondSearchClearsTheFirstRepeatsTheInputAndSuggestsTheSector) {
  ASSERT_FALSE(chromium().empty());
  auto data = load_with_driver({}, "[{hash: 'postcode=HP20%201A'}]");
  RunningService server({}, *data);
  const std::string base = "http://127.0.0.1:" + std::to_string(server.port());
  const std::string dom = run_chromium(
      "--dump-dom", base + "/static/driver.html#" + percent_encode(base + "/#postcode=HP20%201AA&miles=20"));
  ASSERT_NE(dom.find("data-searches=\"2\""), std::string::npos) << dom.substr(0, 3000);
  ASSERT_NE(dom.find("data-state=\"error\""), std::string::npos) << dom.substr(0, 3000);
  EXPECT_EQ(attribute(dom, "data-code"), "malformed");
  EXPECT_EQ(attribute(dom, "data-typed"), "HP20 1A");
  EXPECT_EQ(attribute(dom, "data-suggestion"), "HP20 1");
  EXPECT_NE(element_text(dom, "summary").find("“HP20 1A”"), std::string::npos) << element_text(dom, "summary");
  // Nothing of the first search is left drawn or listed.
  for (const char* cls : {"pd-zone", "pd-home", "pd-council", "pd-council-zone", "pd-provider-in", "pd-choropleth"})
    EXPECT_EQ(count_class(dom, cls), 0u) << cls;
  EXPECT_EQ(attribute(dom, "data-providers-within"), "<absent>");
  EXPECT_NE(dom.find("<section id=\"results-within\" hidden"), std::string::npos);
  EXPECT_EQ(legend_keys(dom), std::vector<std::string>{"base"});
}

TEST(WebMapResults, ASectorCentreIsSaidToBeOne) {
  ASSERT_FALSE(chromium().empty());
  RunningService server;
  const std::string dom =
      run_chromium("--dump-dom", "http://127.0.0.1:" + std::to_string(server.port()) + "/#postcode=HP20%201");
  ASSERT_NE(dom.find("data-state=\"ready\""), std::string::npos) << dom.substr(0, 2000);
  EXPECT_EQ(attribute(dom, "data-match"), "sector");
  EXPECT_NE(element_text(dom, "summary").find("the sector centre was used, not a unit postcode"), std::string::npos)
      << element_text(dom, "summary");
}

TEST(WebMapResults, TheLegendShowsWhatIsDrawnAndTheTableSortsFromItsHeaderButtons) {
  ASSERT_FALSE(chromium().empty());
  // Before any search: only the base map.
  {
    RunningService server;
    const std::string dom = run_chromium("--dump-dom", "http://127.0.0.1:" + std::to_string(server.port()) + "/");
    ASSERT_NE(dom.find("data-state=\"ready\""), std::string::npos);
    EXPECT_EQ(legend_keys(dom), std::vector<std::string>{"base"});
  }
  // Places, ascending then descending (two clicks on the Places button), unpublished last.
  auto data = load_with_driver(
      {}, "[{click: '#within-table th:nth-child(3) button'}, {click: '#within-table th:nth-child(3) button'}]");
  RunningService server({}, *data);
  const std::string base = "http://127.0.0.1:" + std::to_string(server.port());
  const std::string dom = run_chromium(
      "--dump-dom", base + "/static/driver.html#" + percent_encode(base + "/#postcode=HP20%201AA&miles=20"));
  ASSERT_NE(dom.find("data-state=\"ready\""), std::string::npos) << dom.substr(0, 3000);
  std::vector<std::string> keys = legend_keys(dom);
  for (const char* key : {"base", "zone", "home", "council", "council-zone", "in", "out", "places-0", "places-2000"})
    EXPECT_TRUE(has(keys, key)) << key;
  for (const char* key : {"extent", "unrouted", "places-unrouted", "near", "far"}) EXPECT_FALSE(has(keys, key)) << key;
  EXPECT_TRUE(
      std::regex_search(dom, std::regex("aria-sort=\"descending\"[^>]*><button type=\"button\">Places</button>")));

  json straight = get_json(server, "/v1/coverage?postcode=HP20%201AA&miles=20");
  std::vector<std::string> lines = csv_lines(dom, "within-csv");
  ASSERT_EQ(lines.size(), straight["providers"].size() + 1);
  EXPECT_EQ(lines[0], "Provider,Type,Places,DfE miles");
  // The places column as downloaded: descending, then the providers that publish none.
  std::vector<long> places;
  std::size_t blank = 0;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    std::smatch m;
    ASSERT_TRUE(std::regex_search(lines[i], m, std::regex(",([0-9]*),[0-9.]+$"))) << lines[i];
    if (m[1].length() == 0) {
      ++blank;
    } else {
      EXPECT_EQ(blank, 0u) << "a provider with places after one without: " << lines[i];
      places.push_back(std::stol(m[1]));
    }
  }
  EXPECT_TRUE(std::is_sorted(places.rbegin(), places.rend()));
  EXPECT_EQ(blank, straight["providers_without_places"].get<std::size_t>());
}

TEST(WebMapResults, ThePrintViewIsOneA4LandscapePageWithoutControls) {
  ASSERT_FALSE(chromium().empty());
  ASSERT_TRUE(fs::exists("/usr/bin/pdfinfo")) << "poppler-utils is needed: tools/setup installs it";
  RunningService server;
  const fs::path pdf = fs::path(PLACEDIST_TEST_WORK) / "web_map_print_HP20_1AA.pdf";
  fs::remove(pdf);
  run_chromium("--no-pdf-header-footer --print-to-pdf=" + pdf.string(),
               "http://127.0.0.1:" + std::to_string(server.port()) + "/#postcode=HP20%201AA&miles=20&view=print");
  ASSERT_TRUE(fs::exists(pdf));
  const std::string info = testing::command_output("pdfinfo " + pdf.string());
  EXPECT_TRUE(std::regex_search(info, std::regex("Pages: +1\n"))) << info;
  std::smatch size;
  ASSERT_TRUE(std::regex_search(info, size, std::regex("Page size: +([0-9.]+) x ([0-9.]+) pts"))) << info;
  EXPECT_NEAR(std::stod(size[1]), 841.9, 1.0);  // A4 landscape: 297 x 210 mm
  EXPECT_NEAR(std::stod(size[2]), 595.3, 1.0);
  const std::string text = testing::command_output("pdftotext -layout " + pdf.string() + " -");
  for (const char* want :
       {"Providers within reach of a home", "HP20 1AA, Buckinghamshire: within 20 miles (DfE straight line)", "Printed",
        "within 20 miles of the home", "Places within 20 miles of each postcode sector", "Contains OS data"})
    EXPECT_NE(text.find(want), std::string::npos) << want << "\n" << text;
  EXPECT_TRUE(std::regex_search(text, std::regex("[0-9]+ km"))) << "the scale bar";
  EXPECT_TRUE(std::regex_search(text, std::regex("[0-9]+ mi"))) << "the scale bar";
  for (const char* control : {"Home postcode", "Show", "CSV", "GeoJSON", "Sign in"})
    EXPECT_EQ(text.find(control), std::string::npos) << control << "\n" << text;
  std::cout << "print view: " << pdf << '\n';
}

}  // namespace
}  // namespace placedist
