// The postcodes.io-compatible surface through real clients from npm (postcodesio-client 0.3.4,
// node-postcodes.io 1.0.3; tests/src/serve/postcodes_io_clients, installed by the build with
// `npm ci`), pointed at a real server on 127.0.0.1 with a token, and through raw HTTP for the
// error shapes. Values are checked against the gazetteer and Code-Point Open's HP20 1AA
// (482158, 213995; Buckinghamshire, a unitary council).
#include <gtest/gtest.h>

#include <cstdio>
#include <nlohmann/json.hpp>

#include "serve_fixture.hpp"

namespace placedist {
namespace {

using json = nlohmann::json;
using testing::RunningService;

constexpr const char* kToken = "0123456789abcdef-postcodes-io";

std::filesystem::path clients_dir() {
  return std::filesystem::path(PLACEDIST_TEST_WORK).parent_path().parent_path() / "npm-postcodes-io";
}

json run_clients(int port) {
  std::string command = "node " + (clients_dir() / "clients.js").string() +
                        " http://127.0.0.1:" + std::to_string(port) + "/ " + kToken + " 2>&1";
  std::string text;
  if (FILE* pipe = ::popen(command.c_str(), "r")) {
    char buffer[65536];
    std::size_t n;
    while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) text.append(buffer, n);
    ::pclose(pipe);
  }
  json out = json::parse(text, nullptr, false);
  EXPECT_TRUE(out.is_object()) << text.substr(0, 2000);
  return out;
}

void expect_hp20_1aa(const json& r) {
  ASSERT_TRUE(r.is_object()) << r.dump();
  EXPECT_EQ(r["postcode"], "HP20 1AA");
  EXPECT_EQ(r["eastings"], 482158);
  EXPECT_EQ(r["northings"], 213995);
  EXPECT_NEAR(r["longitude"].get<double>(), -0.809452, 1e-6);
  EXPECT_NEAR(r["latitude"].get<double>(), 51.818560, 1e-6);
  EXPECT_EQ(r["country"], "England");
  EXPECT_EQ(r["outcode"], "HP20");
  EXPECT_EQ(r["incode"], "1AA");
  EXPECT_EQ(r["admin_district"], "Buckinghamshire");
  EXPECT_TRUE(r["admin_county"].is_null());  // unitary, as postcodes.io answers
  EXPECT_EQ(r["codes"]["admin_district"], "E06000060");
  EXPECT_EQ(r["codes"]["admin_county"], "E99999999");
  EXPECT_EQ(r["quality"], 1);  // Code-Point 10: ONSPD 1
}

TEST(ServePostcodesIo, RealNpmClients) {
  ASSERT_TRUE(std::filesystem::exists(clients_dir() / "node_modules" / "postcodesio-client"))
      << "the build installs the clients with npm ci into " << clients_dir();
  serve::ServeOptions options;
  options.token = kToken;
  RunningService server(options);
  json out = run_clients(server.port());
  ASSERT_TRUE(out.is_object());
  // postcodesio-client: results unwrapped, null for 404 (HP20 9ZY: only its sector is known).
  expect_hp20_1aa(out["a_lookup"]);
  EXPECT_TRUE(out["a_unknown"].is_null());
  EXPECT_EQ(out["a_outcode"]["outcode"], "HP20");
  EXPECT_EQ(out["a_outcode"]["admin_district"], json::array({"Buckinghamshire"}));
  EXPECT_EQ(out["a_validate"], json::array({true, false}));
  // Several units share HP20 1AA's grid reference; ties come in postcode order.
  auto has_hp20_1aa = [](const json& list) {
    if (!list.is_array()) return false;
    for (const json& item : list)
      if (item["postcode"] == "HP20 1AA" && item["distance"] == 0) return true;
    return false;
  };
  EXPECT_TRUE(has_hp20_1aa(out["a_near_postcode"])) << out["a_near_postcode"].dump();
  EXPECT_TRUE(has_hp20_1aa(out["a_near_point"])) << out["a_near_point"].dump();
  EXPECT_LE(out["a_near_point"].size(), 10u);
  // node-postcodes.io: whole {status, result} documents.
  EXPECT_EQ(out["b_lookup"]["status"], 200);
  expect_hp20_1aa(out["b_lookup"]["result"]);
  const json& bulk = out["b_bulk"]["result"];
  ASSERT_EQ(bulk.size(), 3u) << out["b_bulk"].dump();
  EXPECT_EQ(bulk[0]["query"], "HP20 1AA");
  expect_hp20_1aa(bulk[0]["result"]);
  EXPECT_TRUE(bulk[1]["result"].is_null());
  EXPECT_EQ(bulk[2]["result"]["postcode"], "HP20 1AD");
  const json& geo = out["b_geo"]["result"];
  ASSERT_EQ(geo.size(), 1u) << out["b_geo"].dump();
  ASSERT_TRUE(geo[0]["result"].is_array()) << geo.dump();
  EXPECT_EQ(geo[0]["result"].size(), 3u);
  EXPECT_EQ(geo[0]["result"][0]["distance"], 0);
  EXPECT_EQ(out["b_nearest"]["result"].size(), 2u);
  EXPECT_EQ(out["b_validate"], json({{"status", 200}, {"result", true}}));
  EXPECT_EQ(out["b_outcode"]["status"], 200);
  EXPECT_EQ(out["b_outcode"]["result"]["outcode"], "HP20");
  EXPECT_EQ(out["b_unknown"], json({{"status", 404}, {"error", "Postcode not found"}}));
}

TEST(ServePostcodesIo, ErrorsHaveItsShape) {
  serve::ServeOptions options;
  options.token = kToken;
  RunningService server(options);
  auto c = server.client();
  c.set_bearer_token_auth(kToken);
  auto invalid = c.Get("/postcodes/NOT%20A%20POSTCODE");
  ASSERT_TRUE(invalid);
  EXPECT_EQ(invalid->status, 404);
  EXPECT_EQ(json::parse(invalid->body), json({{"status", 404}, {"error", "Invalid postcode"}}));
  auto outcode = c.Get("/outcodes/ZZ99");
  ASSERT_TRUE(outcode);
  EXPECT_EQ(json::parse(outcode->body), json({{"status", 404}, {"error", "Outcode not found"}}));
  auto bad = c.Post("/postcodes", "{\"other\": []}", "application/json");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  json body = json::parse(bad->body);
  EXPECT_EQ(body["status"], 400);
  EXPECT_TRUE(body["error"].is_string());
  EXPECT_FALSE(body.contains("code"));
  auto far = c.Get("/postcodes?lon=-0.809452&lat=51.81856&radius=50000");
  ASSERT_TRUE(far);
  EXPECT_EQ(far->status, 400);
  EXPECT_EQ(json::parse(far->body)["status"], 400);
  auto sea = c.Get("/postcodes?lon=-6&lat=50.5");  // the sea off Cornwall: none near
  ASSERT_TRUE(sea);
  EXPECT_EQ(json::parse(sea->body), json({{"status", 200}, {"result", nullptr}}));
  // Without the token: 401, as every route but the open ones.
  c.set_bearer_token_auth("");
  auto none = server.client().Get("/postcodes/HP20%201AA");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, 401);
  // The access check's refusals in postcodes.io's shape on its routes, placedist's on /v1.
  json unauthorised = json::parse(none->body);
  EXPECT_EQ(unauthorised["status"], 401);
  EXPECT_TRUE(unauthorised["error"].is_string());
  EXPECT_FALSE(unauthorised.contains("code"));
  EXPECT_EQ(none->get_header_value("WWW-Authenticate"), "Bearer");
  auto misdirected = c.Get("/postcodes/HP20%201AA", {{"Host", "rebound.example"}});
  ASSERT_TRUE(misdirected);
  EXPECT_EQ(misdirected->status, 421);
  EXPECT_EQ(json::parse(misdirected->body)["status"], 421);
  c.set_bearer_token_auth(kToken);
  auto foreign = c.Post("/postcodes", httplib::Headers{{"Origin", "https://other.example.org"}},
                        "{\"postcodes\": [\"HP20 1AA\"]}", "application/json");
  ASSERT_TRUE(foreign);
  EXPECT_EQ(foreign->status, 403);
  EXPECT_EQ(json::parse(foreign->body)["status"], 403);
  auto v1 = server.client().Get("/v1/postcodes/HP20%201AA");
  ASSERT_TRUE(v1);
  EXPECT_EQ(v1->status, 401);
  EXPECT_EQ(json::parse(v1->body)["code"], "unauthorized");
}

}  // namespace
}  // namespace placedist
