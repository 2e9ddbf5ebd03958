#pragma once
// The service's routes, one file per group. Each add_* registers its routes on the Router;
// /v1/openapi.json (openapi.cpp) documents exactly these (tests/src/serve checks both ways).
#include <string>

#include "src/serve/options.hpp"

namespace placedist::serve {

class Metrics;
class Router;
class ServiceData;

struct RouteContext {
  const ServiceData& data;
  const ServeOptions& options;
  Metrics& metrics;
};

void add_meta_routes(Router& router, const RouteContext& context);      // health, version, config, metrics, openapi
void add_postcode_routes(Router& router, const RouteContext& context);  // postcodes, nearest, sectors, districts
void add_distance_routes(Router& router, const RouteContext& context);  // distance, matrix
void add_coverage_routes(Router& router, const RouteContext& context);  // coverage (GET, POST)
void add_layer_routes(Router& router, const RouteContext& context);     // GeoJSON layers
void add_extent_routes(Router& router, const RouteContext& context);    // the road network's extent layer
void add_analyse_routes(Router& router, const RouteContext& context);   // analyse (placements -> rows + report)
void add_cohort_routes(Router& router, const RouteContext& context);    // loaded cohorts, their report and layers
void add_postcodes_io_routes(Router& router, const RouteContext& context);  // postcodes.io-compatible surface
void add_web_routes(Router& router, const RouteContext& context);       // the map page and its files
class Access;
void add_session_routes(Router& router, const Access& access);          // POST /v1/session (cookie for the page)

// The OpenAPI 3 document (JSON text).
const std::string& openapi_document();

}  // namespace placedist::serve
