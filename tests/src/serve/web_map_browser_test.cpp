// The map page in a real browser: headless Chromium (Debian `chromium`) loads / from a server
// started here, types nothing but ?postcode=, and the test reads what was drawn from the DOM
// (Leaflet's SVG paths carry pd-* classes; #summary carries data-* counts) and compares it with
// the server's own answers. A screenshot is kept as an artefact in the test work folder.
// ctest label "browser" (tools/run-tests runs it; `ctest -LE browser` leaves it out).
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cmath>
#include <fstream>
#include <regex>
#include <sstream>

#include <nlohmann/json.hpp>

#include "browser.hpp"
#include "geo/distance.hpp"
#include "geo/roads/built_network.hpp"
#include "serve_fixture.hpp"

using namespace placedist::geo;
using namespace placedist::maps;

namespace placedist {
namespace {

namespace fs = std::filesystem;
using testing::attribute;
using testing::chromium;
using testing::count_class;
using testing::run_chromium;
using testing::RunningService;
using testing::serve_data;

TEST(WebMapBrowser, DrawsTheZoneProvidersCouncilAndChoropleth) {
  ASSERT_FALSE(chromium().empty()) << "headless Chromium is needed: tools/setup installs the Debian package chromium";
  RunningService server;
  std::string url = "http://127.0.0.1:" + std::to_string(server.port()) + "/#postcode=HP20%201AA&miles=20";
  std::string dom = run_chromium("--dump-dom", url);
  ASSERT_NE(dom.find("data-state=\"ready\""), std::string::npos) << dom.substr(0, 2000);

  // The same questions asked of the library directly.
  GeocodeResult home = serve_data().gazetteer.lookup("HP20 1AA");
  std::size_t within = 0, located = serve_data().providers->located;
  long long places = 0;
  for (const auto& p : serve_data().providers->providers)
    if (p.located() && dfe_miles(home.grid, p.grid) <= 20) ++within, places += std::max(p.places, 0);
  ASSERT_GT(within, 5u);
  EXPECT_EQ(attribute(dom, "data-postcode"), "HP20 1AA");
  EXPECT_EQ(attribute(dom, "data-council"), "E06000060");
  EXPECT_EQ(attribute(dom, "data-providers-within"), std::to_string(within));
  EXPECT_EQ(attribute(dom, "data-places-within"), std::to_string(places));
  EXPECT_EQ(attribute(dom, "data-providers-inside"), std::to_string(within));
  EXPECT_EQ(attribute(dom, "data-providers-outside"), std::to_string(located - within));
  EXPECT_EQ(attribute(dom, "data-choropleth-sectors"), std::to_string(serve_data().sectors_of("E06000060").size()));

  // What Leaflet drew, as SVG elements with our classes.
  EXPECT_EQ(count_class(dom, "pd-zone"), 1u);
  EXPECT_EQ(count_class(dom, "pd-council"), 1u);
  EXPECT_EQ(count_class(dom, "pd-council-zone"), 1u);
  EXPECT_EQ(count_class(dom, "pd-home"), 1u);
  EXPECT_EQ(count_class(dom, "pd-provider-in"), within);
  EXPECT_EQ(count_class(dom, "pd-provider-out"), located - within);
  EXPECT_EQ(count_class(dom, "pd-choropleth"), serve_data().sectors_of("E06000060").size());
  EXPECT_EQ(count_class(dom, "pd-base"), 217u);  // every council: the offline base map
  EXPECT_EQ(dom.find("leaflet-tile-pane\"><div"), std::string::npos);

  // The artefact: a screenshot of the same page.
  fs::path png = fs::path(PLACEDIST_TEST_WORK) / "web_map_HP20_1AA.png";
  fs::remove(png);
  run_chromium("--window-size=1200,900 --screenshot=" + png.string(), url);
  ASSERT_TRUE(fs::exists(png));
  std::ifstream in(png, std::ios::binary);
  char magic[8] = {};
  in.read(magic, 8);
  EXPECT_EQ(std::string(magic + 1, 3), "PNG");
  EXPECT_GT(fs::file_size(png), 50'000u);  // a drawn map, not a blank page
  std::cout << "screenshot: " << png << '\n';
}

// The test service's gazetteer, boundaries and providers, plus roads and cohorts.
std::unique_ptr<serve::ServiceData> load_service(const fs::path& roads, std::vector<std::string> cohorts) {
  serve::DataPaths paths{testing::serve_gazetteer(),
                         testing::serve_boundaries(),
                         testing::serve_providers(),
                         roads,
                         {},
                         std::move(cohorts),
                         {}};
  auto loaded = serve::ServiceData::load(paths, {});
  fs::remove(paths.providers);
  return loaded;
}

// The service with a cohort loaded (--cohort): the page draws its analysis layers.
const serve::ServiceData& cohort_data() {
  static auto data = load_service({}, {"E06000060=" + testing::serve_cohort_file().string()});
  return *data;
}

TEST(WebMapBrowser, DrawsALoadedCohortsPlacementsJourneysAndZones) {
  ASSERT_FALSE(chromium().empty()) << "headless Chromium is needed: tools/setup installs the Debian package chromium";
  RunningService server({}, cohort_data());
  std::string url = "http://127.0.0.1:" + std::to_string(server.port()) + "/#cohort=E06000060&postcode=HP20%201AA";
  std::string dom = run_chromium("--dump-dom", url);
  ASSERT_NE(dom.find("data-state=\"ready\""), std::string::npos) << dom.substr(0, 2000);

  // What the page was given, counted from the cohort the server analysed.
  const serve::Cohort& cohort = cohort_data().cohorts.at("E06000060");
  std::size_t near = 0, far = 0, journeys = 0, within = 0;
  for (const PlacementRow& row : cohort.rows) {
    // Placements and journeys as the shareable layers give them (published areas, miles between
    // them); the headline from the units, as the DfE counts it.
    const bool placed = row.placement_located() && !row.placement_area.empty();
    if (placed && std::isfinite(row.area_dfe_miles)) (row.area_dfe_miles <= 20 ? near : far)++;
    if (std::isfinite(row.dfe_miles)) within += row.dfe_miles <= 20;
    // A journey needs two distinct ends (maps/layers.cpp): none when both published areas coincide.
    const bool same_area =
        std::round(row.home_sector_position.lon * 1e6) == std::round(row.placement_area_position.lon * 1e6) &&
        std::round(row.home_sector_position.lat * 1e6) == std::round(row.placement_area_position.lat * 1e6);
    journeys += row.home_located() && !row.home_sector.empty() && placed && !same_area;
  }
  ASSERT_GT(near, 50u);
  ASSERT_GT(far, 50u);
  auto cohort_attribute = [&](const std::string& name) { return attribute(dom, name, "cohort-summary"); };
  EXPECT_EQ(cohort_attribute("data-council"), "E06000060");
  EXPECT_EQ(cohort_attribute("data-children"), std::to_string(cohort.rows.size()));
  EXPECT_EQ(cohort_attribute("data-within20"), std::to_string(within));
  EXPECT_EQ(cohort_attribute("data-road-zone"), "no");
  EXPECT_EQ(count_class(dom, "pd-placement-near"), near);
  EXPECT_EQ(count_class(dom, "pd-placement-far"), far);
  EXPECT_EQ(count_class(dom, "pd-journey"), journeys);
  EXPECT_EQ(count_class(dom, "pd-cohort-zone"), 2u);  // the council grown by 20 miles; circles round the homes
  // The postcode search still runs beside the cohort.
  EXPECT_EQ(attribute(dom, "data-postcode"), "HP20 1AA");
  EXPECT_EQ(count_class(dom, "pd-zone"), 1u);

  fs::path png = fs::path(PLACEDIST_TEST_WORK) / "web_map_cohort_E06000060.png";
  fs::remove(png);
  run_chromium("--window-size=1200,900 --screenshot=" + png.string(), url);
  EXPECT_GT(fs::exists(png) ? fs::file_size(png) : 0, 50'000u);
}

// The service with the Buckinghamshire road network loaded: the page offers road mode.
const serve::ServiceData& road_data() {
  static auto data = load_service(testing::built_bucks_roads(), {});
  return *data;
}

TEST(WebMapBrowser, RoadModeDrawsTheRoadZoneAndCountsWhatTheServerReaches) {
  ASSERT_FALSE(chromium().empty()) << "headless Chromium is needed: tools/setup installs the Debian package chromium";
  RunningService server({}, road_data());
  std::string url = "http://127.0.0.1:" + std::to_string(server.port()) + "/#postcode=HP20%201AA&miles=20&mode=road";
  std::string dom = run_chromium("--dump-dom", url);
  ASSERT_NE(dom.find("data-state=\"ready\""), std::string::npos) << dom.substr(0, 2000);

  // The server's own road answer, and the straight one for contrast.
  auto ask = [&](const char* mode) {
    auto res = server.client().Get(std::string("/v1/coverage?postcode=HP20%201AA&miles=20&mode=") + mode);
    EXPECT_TRUE(res && res->status == 200);
    return nlohmann::json::parse(res ? res->body : "{}");
  };
  nlohmann::json road = ask("road"), straight = ask("straight");
  ASSERT_GT(road["providers_within"].get<int>(), 0);
  ASSERT_LE(road["providers_within"].get<int>(), straight["providers_within"].get<int>());  // roads are never shorter
  EXPECT_EQ(attribute(dom, "data-mode"), "road");
  EXPECT_EQ(attribute(dom, "data-providers-within"), road["providers_within"].dump());
  EXPECT_EQ(attribute(dom, "data-places-within"), road["places_within"].dump());
  EXPECT_EQ(attribute(dom, "data-providers-inside"), road["providers_within"].dump());
  EXPECT_EQ(count_class(dom, "pd-road-zone"), 1u);
  EXPECT_EQ(count_class(dom, "pd-zone"), 0u);
  EXPECT_EQ(count_class(dom, "pd-council-road-zone"), 1u);
  EXPECT_EQ(count_class(dom, "pd-provider-in"), road["providers_within"].get<std::size_t>());
  // The choropleth is the council's road layer: its sectors, and places summed over the sectors
  // that snap, which are fewer than the straight layer's (the page asked for the road one).
  auto layer_places = [&](const char* mode) {
    auto res = server.client().Get(std::string("/v1/layers/coverage?la=E06000060&miles=20&mode=") + mode);
    EXPECT_TRUE(res && res->status == 200);
    nlohmann::json layer = nlohmann::json::parse(res ? res->body : "{}");
    long long sum = 0;
    for (const auto& f : layer["features"])
      if (!f["properties"]["places_within"].is_null()) sum += f["properties"]["places_within"].get<long long>();
    return std::pair{layer["features"].size(), sum};
  };
  auto [road_sectors, road_places] = layer_places("road");
  auto [straight_sectors, straight_places] = layer_places("straight");
  ASSERT_GT(road_sectors, 50u);
  ASSERT_EQ(road_sectors, straight_sectors);
  ASSERT_LT(road_places, straight_places);
  EXPECT_EQ(attribute(dom, "data-choropleth-sectors"), std::to_string(road_sectors));
  EXPECT_EQ(attribute(dom, "data-choropleth-places"), std::to_string(road_places));
  EXPECT_EQ(count_class(dom, "pd-choropleth"), road_sectors);
  // The mode selector is shown because roads are loaded.
  std::smatch select;
  ASSERT_TRUE(std::regex_search(dom, select, std::regex("<select id=\"mode\"[^>]*>")));
  EXPECT_EQ(select.str().find("hidden"), std::string::npos) << select.str();

  fs::path png = fs::path(PLACEDIST_TEST_WORK) / "web_map_road_HP20_1AA.png";
  fs::remove(png);
  run_chromium("--window-size=1200,900 --screenshot=" + png.string(), url);
  EXPECT_GT(fs::exists(png) ? fs::file_size(png) : 0, 50'000u);
}

TEST(WebMapBrowser, ABadPostcodeIsShownAsAnError) {
  ASSERT_FALSE(chromium().empty()) << "headless Chromium is needed: tools/setup installs the Debian package chromium";
  RunningService server;
  std::string dom =
      run_chromium("--dump-dom", "http://127.0.0.1:" + std::to_string(server.port()) + "/#postcode=not%20a%20postcode");
  EXPECT_NE(dom.find("data-state=\"error\""), std::string::npos) << dom.substr(0, 2000);
  EXPECT_EQ(attribute(dom, "data-code"), "malformed");
  EXPECT_EQ(count_class(dom, "pd-zone"), 0u);
  EXPECT_EQ(count_class(dom, "pd-base"), 217u);
}

// Text from data is text: a provider named like an HTML element is shown as those characters,
// in the list of nearest providers and in its tooltip, and no element is made of it.
TEST(WebMapBrowser, AProvidersNameIsShownAsTextNeverAsHtml) {
  ASSERT_FALSE(chromium().empty()) << "headless Chromium is needed: tools/setup installs the Debian package chromium";
  const fs::path file = fs::path(PLACEDIST_TEST_WORK) / ("html_named_providers_" + std::to_string(::getpid()) + ".csv");
  const std::string name = "<img src=x onerror=alert(1)>";
  std::ofstream(file) << "urn,name,type,postcode,places\n"
                      << "900001,\"" << name << "\",Children's Home,HP20 1AA,3\n"
                      << "900002,\"Fostering & Co <b>bold</b>\",Independent Fostering Agency,HP20 1AA,\n";
  serve::DataPaths paths{testing::serve_gazetteer(), testing::serve_boundaries(), file, {}, {}, {}, {}};
  std::unique_ptr<serve::ServiceData> data = serve::ServiceData::load(paths, {});
  fs::remove(file);
  RunningService server({}, *data);
  const std::string dom = run_chromium(
      "--dump-dom", "http://127.0.0.1:" + std::to_string(server.port()) + "/#postcode=HP20%201AA&miles=20");
  ASSERT_NE(dom.find("data-state=\"ready\""), std::string::npos) << dom.substr(0, 2000);
  EXPECT_EQ(attribute(dom, "data-providers-within"), "2");
  // The characters, escaped in the serialised DOM: text, not markup.
  EXPECT_NE(dom.find("&lt;img src=x onerror=alert(1)&gt;"), std::string::npos) << dom.substr(0, 4000);
  EXPECT_NE(dom.find("Fostering &amp; Co &lt;b&gt;bold&lt;/b&gt;"), std::string::npos);
  EXPECT_FALSE(std::regex_search(dom, std::regex("<img[^>]*onerror", std::regex::icase))) << "an img element was made";
  EXPECT_EQ(dom.find("<b>bold</b>"), std::string::npos);
}

}  // namespace
}  // namespace placedist
