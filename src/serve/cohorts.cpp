#include "src/serve/cohorts.hpp"

#include <stdexcept>

#include "geo/gazetteer.hpp"
#include "maps/layers.hpp"
#include "maps/report.hpp"
#include "src/analysis/input_error.hpp"
#include "src/analysis/pipeline.hpp"

using namespace placedist::geo;
using namespace placedist::maps;
using namespace placedist::analysis;

namespace placedist::serve {

namespace fs = std::filesystem;

std::pair<std::string, fs::path> split_cohort_spec(const std::string& spec) {
  const auto eq = spec.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == spec.size())
    throw Failure(
        Outcome::invalid_value,
        "--cohort " + spec + ": give LA=FILE (the responsible council, code or name, and the placements file)");
  return {spec.substr(0, eq), fs::path(spec.substr(eq + 1))};
}

Cohort load_cohort(const std::string& spec, const CohortSources& sources) {
  auto [wanted, path] = split_cohort_spec(spec);
  // As `placedist analyse` runs it: the same reader, census date, council polygons (the
  // service's, else those of the gazetteer's era), cross-check, zones and road columns.
  AnalysisRequest request;
  request.gazetteer = sources.gazetteer;
  request.la = wanted;
  request.boundaries = sources.boundaries;
  request.default_boundaries = sources.default_boundaries;
  request.roads.network = sources.roads;
  request.roads.source = sources.roads_source;
  request.roads.zone = sources.roads != nullptr;
  request.disclosure = sources.disclosure;
  AnalysisResult result;
  try {
    InputOptions input_options;
    input_options.at = sources.census_date;
    request.input = read_placements(path, input_options);
    if (request.input.rows.empty()) throw InputError("no placements to analyse");
    result = run_analysis(request);
  } catch (const InputError& e) {
    throw std::runtime_error("--cohort " + spec + ": " + e.what());
  }
  Cohort cohort;
  cohort.source = path.filename().string();
  cohort.la_code = result.la_code;
  cohort.la_name = result.la_name;
  if (result.census_date) cohort.census_date = format_date(*result.census_date);
  // Shareable unless the server was started with --disclosure restricted (and a token): homes
  // at their published areas either way.
  cohort.disclosure = sources.disclosure;
  cohort.layers = geojson_layer_texts(result.layer_inputs(HomePrecision::sector, false));
  cohort.report_json = render_json(result.table, result.report, std::nullopt);
  cohort.rows = std::move(result.rows);
  return cohort;
}

}  // namespace placedist::serve
