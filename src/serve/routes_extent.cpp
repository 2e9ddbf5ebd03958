// GET /v1/layers/roads/extent: the loaded road network's extent (src/analysis/network_extent_layer),
// built on first request and kept.
#include <memory>
#include <mutex>
#include <string>

#include "src/analysis/network_extent_layer.hpp"
#include "src/serve/api_error.hpp"
#include "src/serve/http_message.hpp"
#include "src/serve/router.hpp"
#include "src/serve/routes.hpp"
#include "src/serve/service_data.hpp"

namespace placedist::serve {

void add_extent_routes(Router& router, const RouteContext& context) {
  const ServiceData& data = context.data;
  struct Built {
    std::once_flag once;
    std::string text;
  };
  auto built = std::make_shared<Built>();
  router.get("/v1/layers/roads/extent", [&data, built](const Request&, Response& res) {
    if (!data.roads)
      throw ApiError(ApiCode::not_loaded, "no road network is loaded: start the server with --roads FILE");
    std::call_once(built->once, [&] { built->text = analysis::network_extent_geojson(*data.roads); });
    res.set_header("Cache-Control", "private, max-age=3600");
    res.set_content(built->text, "application/geo+json");
  }, Work::heavy);  // the first request builds it
}

}  // namespace placedist::serve
