#include "geo/declared_crs.hpp"

#include <cpl_error.h>
#include <ogr_spatialref.h>

#include <algorithm>
#include <cctype>
#include <string_view>

namespace placedist::geo {
namespace {

const char* kind(const OGRSpatialReference& crs) {
  if (crs.IsCompound()) return "compound";
  if (crs.IsProjected()) return "projected";
  if (crs.IsGeocentric()) return "geocentric";
  if (crs.IsGeographic()) return "geographic";
  if (crs.IsVertical()) return "vertical";
  return "local";
}

// Authority names and codes are words: anything else could make SetFromUserInput read a file
// or a URL.
bool is_word(const char* text) {
  const std::string_view word = text ? text : "";
  return !word.empty() &&
         std::all_of(word.begin(), word.end(), [](unsigned char c) { return std::isalnum(c) || c == '_'; });
}

}  // namespace

std::string crs_contradiction(const OGRSpatialReference& crs) {
  const char* authority = crs.GetAuthorityName(nullptr);
  const char* code = crs.GetAuthorityCode(nullptr);
  if (!is_word(authority) || !is_word(code)) return "";
  const std::string id = std::string(authority) + ":" + code;
  OGRSpatialReference by_id;
  CPLPushErrorHandler(CPLQuietErrorHandler);
  const bool known = by_id.SetFromUserInput(id.c_str()) == OGRERR_NONE;
  CPLPopErrorHandler();
  if (!known) return "";  // PROJ has nothing to confuse it with (an unknown code does not crash it)
  const std::string declared = kind(crs), named = kind(by_id);
  if (declared == named) return "";
  return "the CRS is defined as a " + declared + " CRS but its ID " + id + " is a " + named + " CRS";
}

}  // namespace placedist::geo
