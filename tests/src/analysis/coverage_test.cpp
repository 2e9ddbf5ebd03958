// Coverage of care providers (src/analysis/coverage.hpp) on real data: the 687 Ofsted providers
// with published postcodes, homes at real Code-Point 2025 unit postcodes round Buckinghamshire,
// and the Buckinghamshire road network (OSM 2016). Straight coverage against a brute-force count
// over every provider; road coverage against the straight candidates and plain one-to-one routes.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "geo/built_gazetteer.hpp"
#include "geo/data_dir.hpp"
#include "geo/distance.hpp"
#include "geo/io/csv_reader.hpp"
#include "geo/io/csv_writer.hpp"
#include "geo/roads/built_network.hpp"
#include "src/analysis/coverage.hpp"

using namespace placedist::geo;
using namespace placedist::analysis;

namespace placedist {
namespace {

namespace fs = std::filesystem;

const Gazetteer& gazetteer() {
  static Gazetteer g = [] {
    using Kind = GazetteerSource::Kind;
    return Gazetteer::open(testing::built_gazetteer(
        "coverage_plain_2025",
        {{{Kind::codepoint, data_file("postcodes/codepoint_open_2025_10/plain")}}, {}, {}, {}, {}}));
  }();
  return g;
}

// The real providers file rewritten into the urn,name,type,postcode,places form.
const ProviderSet& providers() {
  static ProviderSet set = [] {
    fs::path path = fs::path(PLACEDIST_TEST_WORK) / ("coverage_providers_" + std::to_string(::getpid()) + ".csv");
    fs::create_directories(path.parent_path());
    CsvReader in(data_file("providers/derived_2025_providers_with_published_postcode.csv"));
    in.next();
    std::string text = "urn,name,type,postcode,places\n";
    while (in.next()) {
      for (int column : {0, 2, 1, 4, 7}) {  // urn, name, provision_type, postcode, places
        if (column != 0) text.push_back(',');
        append_csv_field(text, in[column]);
      }
      text.push_back('\n');
    }
    std::ofstream(path) << text;
    ProviderSet loaded = load_providers(path, gazetteer());
    fs::remove(path);
    return loaded;
  }();
  return set;
}

// Every `stride`-th unit postcode of a plain Code-Point area file, as typed postcodes.
std::vector<std::string> postcodes_of(const std::string& area, std::size_t stride) {
  CsvReader in(data_file("postcodes/codepoint_open_2025_10/plain/" + area + ".csv"));
  std::vector<std::string> out;
  for (std::size_t row = 0; in.next(); ++row)
    if (row % stride == 0) out.emplace_back(in[0]);
  return out;
}

std::vector<CoverageHome> homes_of(const std::vector<std::string>& postcodes) {
  std::vector<CoverageHome> homes;
  for (const std::string& typed : postcodes) {
    Postcode pc = parse_postcode(typed);
    homes.push_back(coverage_home(pc, gazetteer().lookup(pc)));
  }
  return homes;
}

ReachTotals brute_force(const ProviderSet& set, GridRef home, double miles) {
  ReachTotals t;
  for (const Provider& p : set.providers)
    if (p.located() && dfe_miles(home, p.grid) <= miles) count_provider(t, p);
  return t;
}

TEST(Coverage, StraightEqualsABruteForceCountOverEveryProvider) {
  ASSERT_GT(providers().located, 50u);  // those in the 12 areas round Buckinghamshire
  std::vector<std::string> typed = postcodes_of("hp", 20);
  for (const std::string& more : postcodes_of("mk", 40)) typed.push_back(more);
  typed.push_back("not a postcode");
  typed.push_back("HP20");  // a district: located, no sector
  std::vector<CoverageHome> homes = homes_of(typed);
  ASSERT_GT(homes.size(), 1000u);
  for (double miles : {5.0, 20.0, 42.5}) {
    CoverageParameters parameters;
    parameters.miles = miles;
    parameters.min_places = 30;
    parameters.threads = 3;
    CoverageResult result;
    ASSERT_EQ(compute_coverage(providers(), homes, parameters, {}, result), CoverageStatus::ok);
    ASSERT_EQ(result.homes.size(), homes.size());
    std::size_t located = 0, with_min = 0, within_sum = 0;
    std::size_t sector_homes = 0;
    for (std::size_t i = 0; i < homes.size(); ++i) {
      const HomeCoverage& h = result.homes[i];
      ASSERT_EQ(h.located, homes[i].located) << i;
      ASSERT_EQ(h.counted, homes[i].located) << i;
      if (!homes[i].located) continue;
      ++located;
      ReachTotals want = brute_force(providers(), homes[i].grid, miles);
      EXPECT_EQ(h.within.providers, want.providers) << i << " at " << miles;
      EXPECT_EQ(h.within.places, want.places) << i;
      EXPECT_EQ(h.within.providers_without_places, want.providers_without_places) << i;
      EXPECT_EQ(h.at_least_min_places, want.places >= 30) << i;
      with_min += h.at_least_min_places;
      within_sum += h.within.providers;
      sector_homes += !homes[i].sector.empty();
    }
    EXPECT_GT(within_sum, 0u);
    EXPECT_EQ(result.summary.homes, homes.size());
    EXPECT_EQ(result.summary.located, located);
    EXPECT_EQ(result.summary.counted, located);
    EXPECT_EQ(result.summary.with_min_places, with_min);
    std::size_t tallied = 0;
    for (const auto& [sector, tally] : result.sectors) tallied += tally.homes;
    EXPECT_EQ(tallied, sector_homes);
    EXPECT_FALSE(result.homes.back().within.providers == 0 && miles > 20) << "the district home is covered too";
  }
  EXPECT_FALSE(homes[homes.size() - 2].located);
  EXPECT_TRUE(homes.back().located);
  EXPECT_TRUE(homes.back().sector.empty());
}

TEST(Coverage, ThreadsDoNotChangeTheAnswer) {
  std::vector<CoverageHome> homes = homes_of(postcodes_of("sl", 25));
  CoverageParameters one, four;
  four.threads = 4;
  CoverageResult a, b;
  ASSERT_EQ(compute_coverage(providers(), homes, one, {}, a), CoverageStatus::ok);
  ASSERT_EQ(compute_coverage(providers(), homes, four, {}, b), CoverageStatus::ok);
  for (std::size_t i = 0; i < homes.size(); ++i) {
    EXPECT_EQ(a.homes[i].within.providers, b.homes[i].within.providers);
    EXPECT_EQ(a.homes[i].within.places, b.homes[i].within.places);
  }
  EXPECT_EQ(a.summary.with_min_places, b.summary.with_min_places);
}

TEST(Coverage, BadParametersAreStatusesNotAnswers) {
  std::vector<CoverageHome> homes = homes_of({"HP20 1AA"});
  CoverageResult result;
  CoverageParameters p;
  p.miles = 0;
  EXPECT_EQ(compute_coverage(providers(), homes, p, {}, result), CoverageStatus::invalid_miles);
  EXPECT_TRUE(result.homes.empty());
  p.miles = NAN;
  EXPECT_EQ(compute_coverage(providers(), homes, p, {}, result), CoverageStatus::invalid_miles);
  p.miles = 20;
  p.min_places = -1;
  EXPECT_EQ(compute_coverage(providers(), homes, p, {}, result), CoverageStatus::invalid_min_places);
  p.min_places = 1;
  p.mode = CoverageMode::road;
  EXPECT_EQ(compute_coverage(providers(), homes, p, {}, result), CoverageStatus::no_road_network);
  HomeProviders found;
  EXPECT_EQ(providers_near_home(providers(), homes[0], p, nullptr, found), CoverageStatus::no_road_network);
  EXPECT_STREQ(coverage_status_code(CoverageStatus::no_road_network), "no_road_network");
}

std::shared_ptr<const roads::RoadNetwork> bucks_roads() {
  static auto network = roads::RoadNetwork::load(testing::built_bucks_roads());
  return network;
}

// The DfE miles of the candidates' straight reach for a road limit (1,000 m snap radius each end).
double straight_reach_miles(double road_miles) {
  return (road_miles * kMetresPerMile + 2 * 1000.0) * 1.01 / kMetresPerDfeMile + 0.05;
}

// Road coverage of a few homes against one-to-one routes from a plain query: every provider
// within reach is a straight candidate, routed no longer than the limit by the one-to-one route
// too; every other routed candidate is beyond it; the unrouted have no route one-to-one.
TEST(Coverage, RoadCoverageAgreesWithOneToOneRoutes) {
  std::vector<std::string> typed = postcodes_of("hp", 2500);  // some in Hertfordshire, off the network
  for (const std::string& more : postcodes_of("mk", 5000)) typed.push_back(more);
  std::vector<CoverageHome> homes = homes_of(typed);
  roads::RoadQuery matrix_query(bucks_roads()), plain(bucks_roads());
  roads::RoadQuery* queries[] = {&matrix_query};
  CoverageParameters parameters;
  parameters.mode = CoverageMode::road;
  const double limit_m = parameters.miles * kMetresPerMile;
  CoverageResult result;
  ASSERT_EQ(compute_coverage(providers(), homes, parameters, queries, result), CoverageStatus::ok);
  std::vector<RoadCoverage> detail = road_coverage_of(queries, providers(), homes, limit_m);
  std::size_t routed_homes = 0;
  for (std::size_t i = 0; i < homes.size(); ++i) {
    ASSERT_TRUE(homes[i].located) << typed[i];
    const RoadCoverage& c = detail[i];
    const HomeCoverage& h = result.homes[i];
    EXPECT_EQ(h.road_status, c.home_status);
    EXPECT_EQ(h.providers_not_routed, c.unrouted.size());
    if (c.home_status != roads::RoadStatus::ok) {
      EXPECT_FALSE(h.counted);
      continue;
    }
    ++routed_homes;
    std::vector<std::size_t> candidates =
        road_candidates(providers(), homes[i].grid, limit_m, matrix_query.options().snap_radius_m);
    std::set<std::size_t> candidate_set(candidates.begin(), candidates.end()), seen;
    EXPECT_EQ(c.candidates, candidates.size());
    for (const RoadProvider& r : c.within) {
      EXPECT_TRUE(candidate_set.count(r.provider)) << typed[i];
      const Provider& p = providers().providers[r.provider];
      roads::RoadResult one = plain.route(homes[i].position, p.position);
      ASSERT_EQ(one.status, roads::RoadStatus::ok);
      EXPECT_NEAR(one.shortest_metres, r.road_metres, 1.0) << typed[i];
      EXPECT_LE(r.road_metres, limit_m);
      seen.insert(r.provider);
    }
    for (const RoadUnrouted& r : c.unrouted) {
      EXPECT_TRUE(candidate_set.count(r.provider));
      EXPECT_NE(plain.route(homes[i].position, providers().providers[r.provider].position).status,
                roads::RoadStatus::ok);
      seen.insert(r.provider);
    }
    for (std::size_t p : candidates) {
      if (seen.count(p)) continue;
      roads::RoadResult one = plain.route(homes[i].position, providers().providers[p].position);
      ASSERT_EQ(one.status, roads::RoadStatus::ok);
      EXPECT_GT(one.shortest_metres, limit_m - 1.0) << typed[i];
    }
    // Totals as the library counts them; within reach by road is within the candidates' straight reach.
    ReachTotals t;
    for (const RoadProvider& r : c.within) {
      count_provider(t, providers().providers[r.provider]);
      EXPECT_LE(r.dfe_miles, straight_reach_miles(parameters.miles));
    }
    EXPECT_EQ(h.within.providers, t.providers);
    EXPECT_EQ(h.within.places, t.places);
    EXPECT_GT(h.within.providers, 0u) << typed[i];
    // The single-home answer is the same.
    HomeProviders one_home;
    ASSERT_EQ(providers_near_home(providers(), homes[i], parameters, &plain, one_home), CoverageStatus::ok);
    EXPECT_EQ(one_home.totals.providers, h.within.providers);
    EXPECT_EQ(one_home.road.unrouted.size(), h.providers_not_routed);
  }
  EXPECT_GE(routed_homes, 4u);
}

TEST(Coverage, RoadWorkersShareTheBlocksWithoutChangingTheAnswer) {
  std::vector<std::string> typed = postcodes_of("hp", 25);  // > 256 homes: several blocks
  std::vector<CoverageHome> homes = homes_of(typed);
  roads::RoadQuery q1(bucks_roads()), q2(bucks_roads()), q3(bucks_roads());
  roads::RoadQuery* one[] = {&q1};
  roads::RoadQuery* three[] = {&q1, &q2, &q3};
  CoverageParameters parameters;
  parameters.mode = CoverageMode::road;
  parameters.miles = 10;
  CoverageResult a, b;
  ASSERT_EQ(compute_coverage(providers(), homes, parameters, one, a), CoverageStatus::ok);
  parameters.threads = 3;
  ASSERT_EQ(compute_coverage(providers(), homes, parameters, three, b), CoverageStatus::ok);
  ASSERT_GT(a.summary.counted, 300u);
  EXPECT_LT(a.summary.counted, a.summary.located) << "HP reaches beyond the Buckinghamshire extract";
  for (std::size_t i = 0; i < homes.size(); ++i) {
    EXPECT_EQ(a.homes[i].road_status, b.homes[i].road_status);
    EXPECT_EQ(a.homes[i].within.providers, b.homes[i].within.providers);
    EXPECT_EQ(a.homes[i].within.places, b.homes[i].within.places);
    EXPECT_EQ(a.homes[i].providers_not_routed, b.homes[i].providers_not_routed);
    // By road never more than in a straight line plus the snap allowance: a subset of the candidates.
    if (a.homes[i].counted) {
      EXPECT_LE(a.homes[i].within.providers,
                brute_force(providers(), homes[i].grid, straight_reach_miles(parameters.miles)).providers);
    }
  }
  EXPECT_EQ(a.summary.with_min_places, b.summary.with_min_places);
}

}  // namespace
}  // namespace placedist
