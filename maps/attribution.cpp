#include "maps/attribution.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <regex>

#include "geo/gazetteer.hpp"

using namespace placedist::geo;

namespace placedist::maps {

SourceVintages source_vintages(const Gazetteer& gazetteer) {
  SourceVintages out;
  try {
    auto meta = nlohmann::json::parse(gazetteer.metadata_json());
    static const std::regex four_digits("(19|20)[0-9]{2}");
    for (const auto& source : meta.value("sources", nlohmann::json::array())) {
      std::string v = source.value("vintage", "");
      out.text += (out.text.empty() ? "" : "; ") + v;
      std::smatch m;
      if (std::regex_search(v, m, four_digits)) out.year = std::max(out.year, std::stoi(m.str()));
    }
  } catch (const std::exception&) {
    // A gazetteer without readable metadata still answers; it just goes undated.
  }
  return out;
}

std::string data_attribution(int year, bool dfe) {
  std::string y = std::to_string(year > 0 ? year : 2025);
  std::string text = "Contains OS data © Crown copyright and database right " + y +
                     "; Contains Royal Mail data © Royal Mail copyright and database right " + y +
                     "; Contains National Statistics data © Crown copyright and database right " + y +
                     ". Open Government Licence v3.0.";
  if (dfe) text += " Department for Education, Children looked after in England including adoption, OGL v3.";
  return text;
}

}  // namespace placedist::maps
