// The OpenAPI 3 description of the routes in routes_*.cpp. tests/src/serve/serve_test.cpp
// checks that every route the server registers is documented here and nothing else is.
#include <string>

#include "src/serve/routes.hpp"

namespace placedist::serve {

namespace {

// The document's head: what the service is, its errors and units; the paths follow.
constexpr char kHead[] = R"json({
  "openapi": "3.0.3",
  "info": {
    "title": "placedist",
    "version": "1",
    "description": "Postcodes, DfE straight-line and geodesic distances, 20-mile coverage of care providers and GIS layers for children's services in England. Errors are JSON {code, message}: 400 bad_request, malformed_json, wrong_type, missing_parameter, invalid_value, invalid_utf8; 401 unauthorized; 404 not_found (and the postcode statuses unknown, non_geographic, no_coordinates); 413 payload_too_large (body over --max-body-bytes, default 16 MiB), too_many_rows (over --max-rows, default 100000); 500 internal; 501 not_loaded (data or feature not loaded: road mode without a road network, coverage without providers, la= without a loaded cohort, layers without boundaries). Distances in miles are the DfE's (km / 1.6093, rounded to 0.1); road miles are international miles (metres / 1609.344) of the shortest route between the points where both ends snap onto the road network. Coordinates: easting/northing British National Grid metres (EPSG:27700), lon/lat WGS84 degrees; GeoJSON is RFC 7946. Contains OS data, Royal Mail data and National Statistics data, Crown copyright and database right 2025 (OGL v3)."
  },
  "servers": [{"url": "/"}],
  "security": [{"bearer": []}, {}],
  "paths": {)json";

// routes_meta.cpp: health, version, config, metrics, this document.
constexpr char kMetaPaths[] = R"json(
    "/v1/health": {"get": {"summary": "Liveness (no token needed)", "security": [], "responses": {"200": {"description": "{\"status\":\"ok\"}", "content": {"application/json": {"schema": {"type": "object"}}}}}}},
    "/v1/version": {"get": {"summary": "Version, build, data vintages, what is loaded, limits", "responses": {"200": {"description": "version", "content": {"application/json": {"schema": {"type": "object"}}}}, "401": {"$ref": "#/components/responses/Error"}}}},
    "/v1/config": {"get": {"summary": "Settings for the map page (tile URL, what is loaded)", "responses": {"200": {"description": "config", "content": {"application/json": {"schema": {"type": "object"}}}}, "401": {"$ref": "#/components/responses/Error"}}}},
    "/metrics": {"get": {"summary": "Prometheus metrics: requests by route and status, latency histograms, errors by code", "responses": {"200": {"description": "Prometheus text format 0.0.4", "content": {"text/plain": {"schema": {"type": "string"}}}}, "401": {"$ref": "#/components/responses/Error"}}}},
    "/v1/session": {"post": {"summary": "Exchanges the bearer token (Authorization: Bearer TOKEN) for the HttpOnly SameSite=Strict cookie placedist_session, which the map page then relies on", "responses": {"200": {"description": "{\"status\":\"ok\",\"cookie\":true} and Set-Cookie (cookie false when no token is configured)", "content": {"application/json": {"schema": {"type": "object"}}}}, "401": {"$ref": "#/components/responses/Error"}}}},
    "/v1/openapi.json": {"get": {"summary": "This document", "responses": {"200": {"description": "OpenAPI 3", "content": {"application/json": {"schema": {"type": "object"}}}}, "401": {"$ref": "#/components/responses/Error"}}}},)json";

// routes_postcodes.cpp: postcodes, nearest, sectors, districts.
constexpr char kPostcodePaths[] = R"json(
    "/v1/postcodes/{postcode}": {"get": {
      "summary": "One postcode. Terminated postcodes answer 200 with status terminated and their last location; missing units fall back to the sector or district centroid (status approximate).",
      "parameters": [{"name": "postcode", "in": "path", "required": true, "schema": {"type": "string"}, "example": "HP20 1AA"}],
      "responses": {"200": {"description": "located (ok, terminated, approximate)", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Geocode"}}}},
                    "400": {"description": "empty or malformed (code = status)", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Geocode"}}}},
                    "401": {"$ref": "#/components/responses/Error"},
                    "404": {"description": "unknown, non_geographic or no_coordinates (code = status)", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Geocode"}}}}}}},
    "/v1/postcodes": {
      "get": {"summary": "Nearest live postcodes to a WGS84 point, nearest first",
        "parameters": [{"name": "lon", "in": "query", "required": true, "schema": {"type": "number", "minimum": -180, "maximum": 180}},
                       {"name": "lat", "in": "query", "required": true, "schema": {"type": "number", "minimum": -90, "maximum": 90}},
                       {"name": "radius", "in": "query", "schema": {"type": "number", "default": 100, "minimum": 0, "maximum": 2000}, "description": "metres"},
                       {"name": "limit", "in": "query", "schema": {"type": "integer", "default": 10, "minimum": 1, "maximum": 100}}],
        "responses": {"200": {"description": "results (each a Geocode with distance_m)", "content": {"application/json": {"schema": {"type": "object", "properties": {"results": {"type": "array", "items": {"$ref": "#/components/schemas/Geocode"}}}}}}},
                      "400": {"$ref": "#/components/responses/Error"}, "401": {"$ref": "#/components/responses/Error"}}},
      "post": {"summary": "Bulk lookup, up to --max-rows postcodes (default 100000), answers in input order",
        "requestBody": {"required": true, "content": {
          "application/json": {"schema": {"oneOf": [{"type": "object", "required": ["postcodes"], "properties": {"postcodes": {"type": "array", "items": {"type": "string"}}}}, {"type": "array", "items": {"type": "string"}}]}},
          "text/plain": {"schema": {"type": "string", "description": "one postcode per line"}}}},
        "responses": {"200": {"description": "count and results", "content": {"application/json": {"schema": {"type": "object", "properties": {"count": {"type": "integer"}, "results": {"type": "array", "items": {"$ref": "#/components/schemas/Geocode"}}}}}}},
                      "400": {"$ref": "#/components/responses/Error"}, "401": {"$ref": "#/components/responses/Error"}, "413": {"$ref": "#/components/responses/Error"}}}},
    "/v1/sectors/{sector}": {"get": {"summary": "A postcode sector's centroid, councils and live unit count",
      "parameters": [{"name": "sector", "in": "path", "required": true, "schema": {"type": "string"}, "example": "HP20 1"}],
      "responses": {"200": {"description": "sector", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Geocode"}}}}, "400": {"$ref": "#/components/responses/Error"}, "401": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}}}},
    "/v1/districts/{district}": {"get": {"summary": "A postcode district (outward code): centroid, councils, sectors, live unit count",
      "parameters": [{"name": "district", "in": "path", "required": true, "schema": {"type": "string"}, "example": "HP20"}],
      "responses": {"200": {"description": "district", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Geocode"}}}}, "400": {"$ref": "#/components/responses/Error"}, "401": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}}}},)json";

// routes_distance.cpp: distance and matrix.
constexpr char kDistancePaths[] = R"json(
    "/v1/distance": {"get": {"summary": "DfE straight-line miles and geodesic distance between two postcodes; with --roads also road (status, miles and minutes of the fastest route, shortest_miles, from_snap_m, to_snap_m; numbers null unless status is ok). mode=road answers 501 not_loaded without a road network",
      "parameters": [{"name": "from", "in": "query", "required": true, "schema": {"type": "string"}},
                     {"name": "to", "in": "query", "required": true, "schema": {"type": "string"}},
                     {"name": "mode", "in": "query", "schema": {"type": "string", "enum": ["straight", "road"], "default": "straight"}}],
      "responses": {"200": {"description": "from, to, mode, dfe_miles, geodesic_metres, geodesic_miles, same_upper_tier_council, road (when a road network is loaded)", "content": {"application/json": {"schema": {"type": "object"}}}},
                    "400": {"$ref": "#/components/responses/Error"}, "401": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}, "501": {"$ref": "#/components/responses/Error"}}}},
    "/v1/matrix": {"post": {"summary": "DfE miles and geodesic metres from every origin to every destination (cells up to --max-rows); mode=road (needs --roads) adds road_miles and road_minutes of the fastest route, shortest_road_miles and road_status per cell (one many-to-many query)",
      "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["from", "to"], "properties": {"from": {"type": "array", "items": {"type": "string"}}, "to": {"type": "array", "items": {"type": "string"}}, "mode": {"type": "string", "enum": ["straight", "road"]}, "format": {"type": "string", "enum": ["cells", "columns"], "default": "cells", "description": "columns: the compact answer, like OSRM's table (no object per postcode or cell)"}}}}}},
      "responses": {"200": {"description": "Streamed (chunked transfer coding; one body for HTTP/1.0). format=cells (default): from, to (an answer per postcode), mode, dfe_miles[i][j], geodesic_metres[i][j] (null where either end is not located); road: road_miles, road_minutes, shortest_road_miles, road_status [i][j] (numbers null unless road_status is ok). format=columns: format, mode, sources and destinations (normalised postcodes, null where not located), source_status and destination_status, dfe_miles[i][j]; road: road_miles, road_minutes, shortest_road_miles [i][j] and road_status[i][j] as numbers indexing statuses (the status codes, in order of first use)", "content": {"application/json": {"schema": {"type": "object"}}}},
                    "400": {"$ref": "#/components/responses/Error"}, "401": {"$ref": "#/components/responses/Error"}, "413": {"$ref": "#/components/responses/Error"}, "501": {"$ref": "#/components/responses/Error"}}}},)json";

// routes_coverage.cpp: coverage and its choropleth layer.
constexpr char kCoveragePaths[] = R"json(
    "/v1/coverage": {
      "get": {"summary": "Providers and places within miles of a postcode, and the zone polygon. mode=straight: DfE miles, the zone a circle. mode=road (needs --roads): road miles of the shortest route (metres / 1609.344) over candidates within the straight radius plus both snap radii, one many-to-many query; providers that cannot be snapped or routed are listed in not_routed and counted in providers_not_routed; a home off the network answers 200 with road_status and message; the zone is the reached roads drawn through 250 m grid cells grown by one cell",
        "parameters": [{"name": "postcode", "in": "query", "required": true, "schema": {"type": "string"}},
                       {"name": "miles", "in": "query", "schema": {"type": "number", "default": 20, "minimum": 0.1, "maximum": 100}},
                       {"name": "mode", "in": "query", "schema": {"type": "string", "enum": ["straight", "road"], "default": "straight"}},
                       {"name": "zone", "in": "query", "description": "false: no zone polygon (by road it costs most of the answer's time)", "schema": {"type": "boolean", "default": true}}],
        "responses": {"200": {"description": "centre, mode, providers_within, places_within, providers_without_places, providers[] (road: shortest_road_miles, the distance that decides reach, and road_minutes of the fastest route), zone (GeoJSON Feature with area_km2; absent with zone=false); road also road_status, home_snap_m, providers_candidates, providers_not_routed, not_routed[], message when the home is off the network", "content": {"application/json": {"schema": {"type": "object"}}}},
                      "400": {"$ref": "#/components/responses/Error"}, "401": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}, "501": {"$ref": "#/components/responses/Error"}}},
      "post": {"summary": "Coverage for a set of homes, or with la (a council code or name) for the children of the cohort loaded with --cohort (rows keyed by child id and postcode sector only; 501 without a cohort, 404 for another council): per home the places within miles (mode=road: road miles, one matrix query per block of 256 homes; share over the homes that snap to the network), the share of homes with at least min_places, a choropleth by postcode sector, timing (seconds, homes_per_second)",
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "properties": {"homes": {"type": "array", "items": {"type": "string"}}, "la": {"type": "string"}, "miles": {"type": "number", "default": 20}, "min_places": {"type": "number", "default": 1}, "mode": {"type": "string", "enum": ["straight", "road"]}}}}}},
        "responses": {"200": {"description": "summary (homes, located, with_min_places, share_with_min_places; road: routed), homes[] (query, postcode or id; status, sector, providers_within, places_within, at_least_min_places; road: road_status, providers_not_routed, and home_snap_m except in la= rows), choropleth (GeoJSON FeatureCollection of sector centroids), timing, la (with la)", "content": {"application/json": {"schema": {"type": "object"}}}},
                      "400": {"$ref": "#/components/responses/Error"}, "401": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}, "413": {"$ref": "#/components/responses/Error"}, "501": {"$ref": "#/components/responses/Error"}}}},
    "/v1/layers/coverage": {"get": {"summary": "Choropleth of a council's postcode sectors (centroids): providers_within and places_within miles of each centroid. mode=straight: DfE miles. mode=road (needs --roads): road miles of the shortest route, the centroids routed as the homes of POST /v1/coverage (one matrix query per block of 256); each feature adds road_status and providers_not_routed, with null counts where the centroid does not snap; the last 16 (council, miles) cached. The collection's properties give mode, unit (postcode sector centroid) and distance",
      "parameters": [{"name": "la", "in": "query", "required": true, "schema": {"type": "string"}, "example": "E06000060"},
                     {"name": "miles", "in": "query", "schema": {"type": "number", "default": 20, "minimum": 0.1, "maximum": 100}},
                     {"name": "mode", "in": "query", "schema": {"type": "string", "enum": ["straight", "road"], "default": "straight"}}],
      "responses": {"200": {"$ref": "#/components/responses/GeoJson"}, "400": {"$ref": "#/components/responses/Error"}, "401": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}, "501": {"$ref": "#/components/responses/Error"}}}},)json";

// routes_layers.cpp: councils, zones, providers.
constexpr char kLayerPaths[] = R"json(
    "/v1/layers/councils": {"get": {"summary": "Council boundaries (--boundaries) as GeoJSON", "responses": {"200": {"$ref": "#/components/responses/GeoJson"}, "401": {"$ref": "#/components/responses/Error"}, "501": {"$ref": "#/components/responses/Error"}}}},
    "/v1/layers/councils/{code}": {"get": {"summary": "One council's boundary",
      "parameters": [{"name": "code", "in": "path", "required": true, "schema": {"type": "string"}, "example": "E06000060"}],
      "responses": {"200": {"$ref": "#/components/responses/GeoJson"}, "401": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}, "501": {"$ref": "#/components/responses/Error"}}}},
    "/v1/layers/zones/{code}": {"get": {"summary": "A council's 20-mile zone: mode=straight its polygon buffered by DfE miles (needs --boundaries); mode=road (needs --roads) the roads within road miles of the nearest of its postcode sector centroids (one multi-source search) drawn through 250 m grid cells grown by one cell, the last 16 cached",
      "parameters": [{"name": "code", "in": "path", "required": true, "schema": {"type": "string"}},
                     {"name": "miles", "in": "query", "schema": {"type": "number", "default": 20}},
                     {"name": "mode", "in": "query", "schema": {"type": "string", "enum": ["straight", "road"], "default": "straight"}}],
      "responses": {"200": {"$ref": "#/components/responses/GeoJson"}, "400": {"$ref": "#/components/responses/Error"}, "401": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}, "501": {"$ref": "#/components/responses/Error"}}}},
    "/v1/layers/providers": {"get": {"summary": "Providers (--providers) as GeoJSON points; synthetic ones say so", "responses": {"200": {"$ref": "#/components/responses/GeoJson"}, "401": {"$ref": "#/components/responses/Error"}, "501": {"$ref": "#/components/responses/Error"}}}},
    "/v1/layers/sectors": {"get": {"summary": "Postcode sector areas (Voronoi cells of the live unit postcodes dissolved by sector and clipped to the --boundaries land; built once per gazetteer and cached) simplified to 25 m, for a council or a box (at most 3,000); 503 with Retry-After while first built",
      "parameters": [{"name": "council", "in": "query", "schema": {"type": "string"}, "description": "the sectors most of whose units lie in this upper-tier council", "example": "E06000060"},
                     {"name": "bbox", "in": "query", "schema": {"type": "string"}, "description": "west,south,east,north in WGS84 degrees", "example": "-0.9,51.75,-0.7,51.85"}],
      "responses": {"200": {"$ref": "#/components/responses/GeoJson"}, "400": {"$ref": "#/components/responses/Error"}, "401": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}, "501": {"$ref": "#/components/responses/Error"}, "503": {"$ref": "#/components/responses/Error"}}}},
    "/v1/layers/roads/extent": {"get": {"summary": "The loaded road network's extent (--roads) as one GeoJSON MultiPolygon Feature: 1 km cells crossed by routable roads, grown one cell, holes under 25 km² filled; built once", "responses": {"200": {"$ref": "#/components/responses/GeoJson"}, "401": {"$ref": "#/components/responses/Error"}, "501": {"$ref": "#/components/responses/Error"}}}},)json";

// routes_analyse.cpp and routes_cohorts.cpp: analyse, cohorts and their layers.
constexpr char kAnalysePaths[] = R"json(
    "/v1/analyse": {"post": {"summary": "A batch of placements -> per-row results (the fields of placements.csv) and the report (report.json), as `placedist analyse`; rows up to --max-rows",
      "parameters": [{"name": "la", "in": "query", "schema": {"type": "string"}, "description": "the responsible council, GSS code or name (or the JSON member la); required", "example": "E10000002"}],
      "requestBody": {"required": true, "content": {
        "application/json": {"schema": {"oneOf": [{"type": "array", "items": {"$ref": "#/components/schemas/Placement"}}, {"type": "object", "required": ["placements"], "properties": {"la": {"type": "string"}, "placements": {"type": "array", "items": {"$ref": "#/components/schemas/Placement"}}}}]}},
        "text/csv": {"schema": {"type": "string", "description": "a header row and one placement a row, as the CLI reads: id, home_postcode, placement_postcode (and UASC), or an SSDA903 episodes file"}}}},
      "responses": {"200": {"description": "la {code, name}; rows[] with id, home_match, placement_match, home_la_code, home_la_name, placement_la_code, placement_la_name, placement_location, dfe_miles, geodesic_miles, within_20_miles, status, message (null where blank), and with --roads road_miles, road_minutes, shortest_road_miles, home_snap_m, placement_snap_m, road_status; report (the content of report.json)", "content": {"application/json": {"schema": {"type": "object", "properties": {"la": {"$ref": "#/components/schemas/Council"}, "rows": {"type": "array", "items": {"type": "object"}}, "report": {"type": "object"}}}}}},
                    "400": {"$ref": "#/components/responses/Error"}, "401": {"$ref": "#/components/responses/Error"}, "413": {"$ref": "#/components/responses/Error"}}}},
    "/v1/cohorts": {"get": {"summary": "Placement cohorts loaded with --cohort LA=FILE: council, source file name, census date, placements, layers",
      "responses": {"200": {"description": "cohorts[]", "content": {"application/json": {"schema": {"type": "object"}}}}, "401": {"$ref": "#/components/responses/Error"}}}},
    "/v1/cohorts/{la}": {"get": {"summary": "One loaded cohort (council code or name) and its report (the content of report.json)",
      "parameters": [{"name": "la", "in": "path", "required": true, "schema": {"type": "string"}, "example": "E06000060"}],
      "responses": {"200": {"description": "la, source, census_date, placements, layers, report", "content": {"application/json": {"schema": {"type": "object"}}}},
                    "401": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}, "501": {"$ref": "#/components/responses/Error"}}}},
    "/v1/layers/analysis/{la}/{layer}": {"get": {"summary": "An analysis layer of a loaded cohort, as `placedist analyse` writes it (homes at postcode-sector centroids)",
      "parameters": [{"name": "la", "in": "path", "required": true, "schema": {"type": "string"}, "example": "E06000060"},
                     {"name": "layer", "in": "path", "required": true, "schema": {"type": "string", "enum": ["placements", "homes", "journeys", "boundary", "councils", "zone_20_miles", "zone_20_road_miles"]}}],
      "responses": {"200": {"$ref": "#/components/responses/GeoJson"}, "401": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}, "501": {"$ref": "#/components/responses/Error"}}}},)json";

// routes_meta.cpp: the map page and its files; the end of the paths.
// routes_postcodes_io.cpp: the postcodes.io-compatible surface ({status, result}; errors {status, error}).
constexpr char kPostcodesIoPaths[] = R"json(
    "/postcodes/{postcode}": {"get": {"summary": "postcodes.io-compatible lookup: {status, result} with postcode, quality, eastings, northings, country, longitude, latitude, outcode, incode, admin_district, admin_county, codes; 404 {status, error} when not found",
      "parameters": [{"name": "postcode", "in": "path", "required": true, "schema": {"type": "string"}}],
      "responses": {"200": {"description": "found"}, "401": {"$ref": "#/components/responses/Error"}, "404": {"description": "{status: 404, error: Postcode not found | Invalid postcode}"}}}},
    "/postcodes": {
      "get": {"summary": "postcodes.io-compatible reverse geocoding: lon= (or longitude=), lat=, radius= (m, default 100), limit= (default 10); result null when none is near",
        "responses": {"200": {"description": "nearest first, each with distance (m)"}, "400": {"description": "{status, error}"}, "401": {"$ref": "#/components/responses/Error"}}},
      "post": {"summary": "postcodes.io-compatible bulk: {postcodes: [...]} or {geolocations: [{longitude, latitude, radius, limit}]}; result [{query, result}]",
        "responses": {"200": {"description": "in input order"}, "400": {"description": "{status, error}"}, "401": {"$ref": "#/components/responses/Error"}, "413": {"description": "{status, error}"}}}},
    "/postcodes/{postcode}/nearest": {"get": {"summary": "postcodes.io-compatible nearest postcodes to a postcode (radius=, limit=)",
      "parameters": [{"name": "postcode", "in": "path", "required": true, "schema": {"type": "string"}}],
      "responses": {"200": {"description": "nearest first, each with distance (m)"}, "401": {"$ref": "#/components/responses/Error"}, "404": {"description": "{status, error}"}}}},
    "/postcodes/{postcode}/validate": {"get": {"summary": "postcodes.io-compatible validation: result true when the postcode is a live unit",
      "parameters": [{"name": "postcode", "in": "path", "required": true, "schema": {"type": "string"}}],
      "responses": {"200": {"description": "{status: 200, result: true|false}"}, "401": {"$ref": "#/components/responses/Error"}}}},
    "/outcodes/{outcode}": {"get": {"summary": "postcodes.io-compatible outcode: centroid, eastings, northings, admin_district, admin_county, country (from the centroid's councils)",
      "parameters": [{"name": "outcode", "in": "path", "required": true, "schema": {"type": "string"}}],
      "responses": {"200": {"description": "found"}, "401": {"$ref": "#/components/responses/Error"}, "404": {"description": "{status: 404, error: Outcode not found}"}}}},)json";

constexpr char kWebPaths[] = R"json(
    "/": {"get": {"summary": "The commissioners' map page", "responses": {"200": {"description": "HTML", "content": {"text/html": {"schema": {"type": "string"}}}}, "404": {"$ref": "#/components/responses/Error"}}}},
    "/static/{path}": {"get": {"summary": "The map page's scripts, styles and Leaflet (bundled by the build)",
      "parameters": [{"name": "path", "in": "path", "required": true, "schema": {"type": "string"}}],
      "responses": {"200": {"description": "file"}, "404": {"$ref": "#/components/responses/Error"}}}}
  },)json";

// Shared responses and schemas; the end of the document.
constexpr char kComponents[] = R"json(
  "components": {
    "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "description": "Required when the server binds to a non-loopback address (--token-file); /v1/health is open."}},
    "responses": {
      "Error": {"description": "Error", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
      "GeoJson": {"description": "GeoJSON (RFC 7946, WGS84)", "content": {"application/geo+json": {"schema": {"type": "object"}}}}
    },
    "schemas": {
      "Error": {"type": "object", "required": ["code", "message"], "properties": {"code": {"type": "string"}, "message": {"type": "string"}}},
      "Placement": {"type": "object", "required": ["home_postcode", "placement_postcode"], "properties": {"id": {"type": "string"}, "home_postcode": {"type": "string"}, "placement_postcode": {"type": "string"}, "uasc": {"type": "boolean"}}},
      "Council": {"type": "object", "nullable": true, "properties": {"code": {"type": "string"}, "name": {"type": "string"}}},
      "Geocode": {"type": "object", "required": ["query", "status"], "properties": {
        "query": {"type": "string"},
        "status": {"type": "string", "enum": ["ok", "terminated", "approximate", "empty", "malformed", "non_geographic", "unknown", "no_coordinates"]},
        "postcode": {"type": "string", "nullable": true},
        "match": {"type": "string", "enum": ["unit", "sector", "district", "area"]},
        "easting": {"type": "number"}, "northing": {"type": "number"},
        "lon": {"type": "number"}, "lat": {"type": "number"},
        "quality": {"type": "integer"},
        "ltla": {"$ref": "#/components/schemas/Council"}, "utla": {"$ref": "#/components/schemas/Council"},
        "code": {"type": "string", "description": "the status, when not located"},
        "message": {"type": "string"},
        "distance_m": {"type": "number"}}}
    }
  }
})json";

}  // namespace

const std::string& openapi_document() {
  static const std::string document = std::string(kHead) + kMetaPaths + kPostcodePaths + kDistancePaths +
                                      kCoveragePaths + kLayerPaths + kAnalysePaths + kPostcodesIoPaths + kWebPaths + kComponents;
  return document;
}

}  // namespace placedist::serve
