// GET /v1/layers/roads/extent: the loaded road network's extent (src/analysis/network_extent_layer),
// built on first request and kept (gzip, ETag, 304: src/serve/cached_answer).
#include <memory>
#include <mutex>
#include <string>

#include "src/analysis/network_extent_layer.hpp"
#include "src/serve/api_error.hpp"
#include "src/serve/cached_answer.hpp"
#include "src/serve/http_message.hpp"
#include "src/serve/router.hpp"
#include "src/serve/routes.hpp"
#include "src/serve/service_data.hpp"

namespace placedist::serve {

void add_extent_routes(Router& router, const RouteContext& context) {
  const ServiceData& data = context.data;
  auto built = std::make_shared<OnceAnswer>("application/geo+json");
  router.get("/v1/layers/roads/extent", [&data, built](const Request& req, Response& res) {
    if (!data.roads)
      throw ApiError(ApiCode::not_loaded, "no road network is loaded: start the server with --roads FILE");
    built->answer(req, res, [&] { return analysis::network_extent_geojson(*data.roads); });
  }, Work::heavy);  // the first request builds it
}

}  // namespace placedist::serve
