// The map page draws the coverage choropleth as postcode sector areas (GET /v1/layers/sectors)
// once the service has made them: one filled area for each of the council's sectors that has
// one, a centroid marker for the rest, in headless Chromium. ctest label "browser".
#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <thread>

#include <nlohmann/json.hpp>

#include "browser.hpp"
#include "serve_fixture.hpp"

namespace placedist {
namespace {

using nlohmann::json;
using testing::attribute;
using testing::chromium;
using testing::count_class;
using testing::run_chromium;

TEST(WebMapSectorAreas, TheChoroplethIsDrawnAsSectorAreas) {
  ASSERT_FALSE(chromium().empty());
  testing::RunningService server;
  // Made on first use (from the cache file once built): asked until ready, as the page's own
  // first request at load would.
  auto client = server.client();
  auto res = client.Get("/v1/layers/sectors?council=E06000060");
  for (int tries = 0; res && res->status == 503 && tries < 600; ++tries) {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    res = client.Get("/v1/layers/sectors?council=E06000060");
  }
  ASSERT_TRUE(res && res->status == 200);
  std::set<std::string> with_area;
  const json areas = json::parse(res->body);
  for (const json& f : areas["features"]) with_area.insert(f["properties"]["sector"].get<std::string>());
  std::size_t sectors = 0, drawn_as_areas = 0;
  for (std::size_t i : testing::serve_data().sectors_of("E06000060")) {
    ++sectors;
    drawn_as_areas += with_area.count(testing::serve_data().sectors[i].sector);
  }
  ASSERT_GT(drawn_as_areas, 75u);

  const std::string dom =
      run_chromium("--dump-dom", "http://127.0.0.1:" + std::to_string(server.port()) + "/#postcode=HP20%201AA");
  ASSERT_NE(dom.find("data-state=\"ready\""), std::string::npos) << dom.substr(0, 2000);
  EXPECT_EQ(attribute(dom, "data-choropleth-sectors"), std::to_string(sectors));
  EXPECT_EQ(attribute(dom, "data-sector-areas"), std::to_string(drawn_as_areas));
  EXPECT_EQ(count_class(dom, "pd-choropleth pd-sector-area"), drawn_as_areas);
  EXPECT_EQ(count_class(dom, "pd-choropleth"), sectors);  // areas and the centroids of the rest
}

}  // namespace
}  // namespace placedist
