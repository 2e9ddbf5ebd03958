// The service's small parts on their own: UTF-8 validation, JSON escaping, the outcome ->
// status table, Prometheus rendering, the nearest-postcode grid at its edges, the LRU cache.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "serve_fixture.hpp"
#include "src/serve/api_error.hpp"
#include "src/serve/json_writer.hpp"
#include "src/serve/lru_cache.hpp"
#include "src/serve/metrics.hpp"
#include "src/serve/request.hpp"

using namespace placedist::geo;

namespace placedist::serve {
namespace {

TEST(ServeParts, LruCacheDropsTheLeastRecentlyUsed) {
  LruCache<int, std::string> cache(2);
  EXPECT_FALSE(cache.get(1).has_value());
  cache.put(1, "a");
  cache.put(2, "b");
  EXPECT_EQ(cache.get(1).value_or(""), "a");  // 1 is now the most recent
  cache.put(3, "c");                          // so 2 goes
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_FALSE(cache.get(2).has_value());
  EXPECT_EQ(cache.get(1).value_or(""), "a");
  EXPECT_EQ(cache.get(3).value_or(""), "c");
  cache.put(3, "c2");  // replacing keeps the size and refreshes the entry
  cache.put(4, "d");   // 1 is now the oldest
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_FALSE(cache.get(1).has_value());
  EXPECT_EQ(cache.get(3).value_or(""), "c2");
  EXPECT_EQ(cache.get(4).value_or(""), "d");
  LruCache<int, int> tiny(0);  // a capacity of 0 still keeps the last answer
  tiny.put(1, 1);
  EXPECT_EQ(tiny.size(), 1u);
}

TEST(ServeParts, Utf8Validation) {
  EXPECT_TRUE(valid_utf8(""));
  EXPECT_TRUE(valid_utf8("HP20 1AA"));
  EXPECT_TRUE(valid_utf8("Ynys M\xc3\xb4n"));    // ô
  EXPECT_TRUE(valid_utf8("\xe2\x82\xac"));       // €
  EXPECT_TRUE(valid_utf8("\xf0\x9f\x97\xba"));   // a map emoji, 4 bytes
  EXPECT_FALSE(valid_utf8("\xff"));              // never in UTF-8
  EXPECT_FALSE(valid_utf8("\xc3"));              // truncated
  EXPECT_FALSE(valid_utf8("\xc3\x28"));          // bad continuation
  EXPECT_FALSE(valid_utf8("\xc0\xaf"));          // overlong '/'
  EXPECT_FALSE(valid_utf8("\xe0\x80\xaf"));      // overlong, 3 bytes
  EXPECT_FALSE(valid_utf8("\xed\xa0\x80"));      // a UTF-16 surrogate
  EXPECT_FALSE(valid_utf8("\xf4\x90\x80\x80"));  // past U+10FFFF
  EXPECT_FALSE(valid_utf8(std::string("HP20\0", 5) + "\xfe"));
}

TEST(ServeParts, JsonStringsRoundTripThroughAParser) {
  for (std::string text :
       {std::string("plain"), std::string("quote \" and \\ backslash"), std::string("tab\tnew\nline\r"),
        std::string("\x01\x1f control"), std::string("Ynys M\xc3\xb4n"), std::string("nul\0in", 6)}) {
    std::string out;
    append_json_string(out, text);
    EXPECT_EQ(nlohmann::json::parse(out).get<std::string>(), text) << out;
  }
  std::string n;
  append_json_number(n, 482158.0, 1);
  n += ' ';
  append_json_number(n, -0.8094523, 6);
  n += ' ';
  append_json_number(n, std::nan(""), 1);
  EXPECT_EQ(n, "482158 -0.809452 null");
}

TEST(ServeParts, OneTableOfStatuses) {
  EXPECT_EQ(http_status(ApiCode::malformed_json), 400);
  EXPECT_EQ(http_status(ApiCode::invalid_utf8), 400);
  EXPECT_EQ(http_status(ApiCode::unauthorized), 401);
  EXPECT_EQ(http_status(ApiCode::not_found), 404);
  EXPECT_EQ(http_status(ApiCode::payload_too_large), 413);
  EXPECT_EQ(http_status(ApiCode::too_many_rows), 413);
  EXPECT_EQ(http_status(ApiCode::internal), 500);
  EXPECT_EQ(http_status(ApiCode::not_loaded), 501);
  EXPECT_EQ(http_status(GeocodeStatus::terminated), 200);
  EXPECT_EQ(http_status(GeocodeStatus::approximate), 200);
  EXPECT_EQ(http_status(GeocodeStatus::malformed), 400);
  EXPECT_EQ(http_status(GeocodeStatus::unknown), 404);
  EXPECT_EQ(code_for_status(413), ApiCode::payload_too_large);
  EXPECT_STREQ(to_string(ApiCode::not_loaded), "not_loaded");
}

TEST(ServeParts, PrometheusText) {
  Metrics metrics;
  int route = metrics.add_route("GET", "/v1/postcodes/{postcode}");
  metrics.record(route, 200, 0.0003);
  metrics.record(route, 200, 0.004);
  metrics.record(route, 404, 3.0);
  metrics.record_error("unknown");
  metrics.add_postcodes(3);
  std::string text = metrics.render();
  const std::string labels = "route=\"/v1/postcodes/{postcode}\",method=\"GET\"";
  EXPECT_NE(text.find("placedist_http_requests_total{" + labels + ",status=\"200\"} 2\n"), std::string::npos) << text;
  EXPECT_NE(text.find("placedist_http_requests_total{" + labels + ",status=\"404\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("placedist_http_request_duration_seconds_bucket{" + labels + ",le=\"0.00025\"} 0\n"),
            std::string::npos);
  EXPECT_NE(text.find("placedist_http_request_duration_seconds_bucket{" + labels + ",le=\"0.0005\"} 1\n"),
            std::string::npos);
  EXPECT_NE(text.find("placedist_http_request_duration_seconds_bucket{" + labels + ",le=\"0.005\"} 2\n"),
            std::string::npos);
  EXPECT_NE(text.find("placedist_http_request_duration_seconds_bucket{" + labels + ",le=\"2.5\"} 2\n"),
            std::string::npos);
  EXPECT_NE(text.find("placedist_http_request_duration_seconds_bucket{" + labels + ",le=\"+Inf\"} 3\n"),
            std::string::npos);
  EXPECT_NE(text.find("placedist_http_request_duration_seconds_count{" + labels + "} 3\n"), std::string::npos);
  EXPECT_NE(text.find("placedist_http_errors_total{code=\"unknown\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("placedist_postcodes_looked_up_total 3\n"), std::string::npos);
  EXPECT_NE(text.find("# TYPE placedist_http_request_duration_seconds histogram\n"), std::string::npos);
}

TEST(ServeParts, NearestAtTheGridsEdgesAndOutsideIt) {
  const NearestIndex& index = testing::serve_data().nearest;
  EXPECT_TRUE(index.nearest({-5000, -5000}, 2000, 10).empty());
  EXPECT_TRUE(index.nearest({5e6, 5e6}, 2000, 10).empty());
  EXPECT_TRUE(index.nearest({482158, 213995}, 2000, 0).empty());
  auto hits = index.nearest({482158, 213995}, 0, 100);  // radius 0: units exactly there
  ASSERT_FALSE(hits.empty());
  for (const auto& h : hits) EXPECT_EQ(h.distance_m, 0);
}

}  // namespace
}  // namespace placedist::serve
