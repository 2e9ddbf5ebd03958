// The static layers (councils, providers, road network extent) go out as a browser can keep
// them: gzip when accepted (and it decompresses to exactly the plain answer), an ETag that stays
// the same while the service runs, and 304 with no body when the client already holds it.
#include <gtest/gtest.h>
#include <zlib.h>

#include <nlohmann/json.hpp>

#include "serve_fixture.hpp"
#include "src/serve/cached_answer.hpp"

namespace placedist {
namespace {

std::string gunzip(const std::string& in) {
  z_stream z{};
  EXPECT_EQ(inflateInit2(&z, 15 + 16), Z_OK);
  std::string out;
  char buffer[1 << 16];
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  int status = Z_OK;
  while (status == Z_OK) {
    z.next_out = reinterpret_cast<Bytef*>(buffer);
    z.avail_out = sizeof buffer;
    status = inflate(&z, Z_NO_FLUSH);
    out.append(buffer, sizeof buffer - z.avail_out);
  }
  EXPECT_EQ(status, Z_STREAM_END);
  inflateEnd(&z);
  return out;
}

TEST(CachedAnswer, AcceptEncodingAndIfNoneMatchAreReadAsRfc9110Says) {
  EXPECT_TRUE(serve::accepts_gzip("gzip"));
  EXPECT_TRUE(serve::accepts_gzip("gzip, deflate, br"));
  EXPECT_TRUE(serve::accepts_gzip("br;q=1.0, GZIP;q=0.5"));
  EXPECT_TRUE(serve::accepts_gzip("*"));
  EXPECT_FALSE(serve::accepts_gzip(""));
  EXPECT_FALSE(serve::accepts_gzip("identity"));
  EXPECT_FALSE(serve::accepts_gzip("gzip;q=0"));
  EXPECT_FALSE(serve::accepts_gzip("gzip;q=0, *"));  // named refusal beats the wildcard
  EXPECT_FALSE(serve::accepts_gzip("*;q=0"));
  EXPECT_TRUE(serve::etag_matches("W/\"1a2b-10\"", "W/\"1a2b-10\""));
  EXPECT_TRUE(serve::etag_matches("\"x\", W/\"1a2b-10\"", "W/\"1a2b-10\""));
  EXPECT_TRUE(serve::etag_matches("\"1a2b-10\"", "W/\"1a2b-10\""));  // weak comparison
  EXPECT_TRUE(serve::etag_matches("*", "W/\"1a2b-10\""));
  EXPECT_FALSE(serve::etag_matches("W/\"1a2b-11\"", "W/\"1a2b-10\""));
  EXPECT_FALSE(serve::etag_matches("", "W/\"1a2b-10\""));
  EXPECT_EQ(gunzip(serve::gzip("placedist")), "placedist");
}

TEST(CachedLayers, GzipEtagAnd304) {
  testing::RunningService server;
  for (const char* url : {"/v1/layers/councils", "/v1/layers/providers"}) {
    auto client = server.client();
    client.set_decompress(false);
    auto plain = client.Get(url, {{"Accept-Encoding", "identity"}});
    ASSERT_TRUE(plain && plain->status == 200) << url;
    EXPECT_FALSE(plain->has_header("Content-Encoding"));
    const std::string etag = plain->get_header_value("ETag");
    EXPECT_EQ(etag.rfind("W/\"", 0), 0u) << etag;
    EXPECT_EQ(plain->get_header_value("Cache-Control"), "private, max-age=3600, must-revalidate");
    EXPECT_EQ(plain->get_header_value("Vary"), "Accept-Encoding");
    EXPECT_TRUE(nlohmann::json::accept(plain->body));

    auto zipped = client.Get(url, {{"Accept-Encoding", "gzip, deflate, br"}});
    ASSERT_TRUE(zipped && zipped->status == 200);
    EXPECT_EQ(zipped->get_header_value("Content-Encoding"), "gzip");
    EXPECT_EQ(zipped->get_header_value("ETag"), etag);
    EXPECT_LT(zipped->body.size() * 5, plain->body.size() * 2) << url << ": GeoJSON compresses at least 2.5 to 1";
    EXPECT_EQ(gunzip(zipped->body), plain->body);

    auto again = client.Get(url, {{"Accept-Encoding", "gzip"}, {"If-None-Match", etag}});
    ASSERT_TRUE(again);
    EXPECT_EQ(again->status, 304);
    EXPECT_TRUE(again->body.empty());
    EXPECT_EQ(again->get_header_value("ETag"), etag);

    auto other = client.Get(url, {{"If-None-Match", "W/\"00000000-0\""}});
    ASSERT_TRUE(other);
    EXPECT_EQ(other->status, 200);
  }
}

}  // namespace
}  // namespace placedist
