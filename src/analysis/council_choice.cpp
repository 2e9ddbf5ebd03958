#include "src/analysis/council_choice.hpp"

#include <algorithm>
#include <string_view>
#include <vector>

#include "geo/gazetteer.hpp"
#include "geo/io/ascii_case.hpp"
#include "src/analysis/input_error.hpp"

using namespace placedist::geo;

namespace placedist::analysis {
namespace {

bool upper_tier(std::string_view code) { return !code.starts_with("E07"); }

}  // namespace

std::pair<std::string, std::string> resolve_council(const Gazetteer& gazetteer, const std::string& wanted) {
  std::vector<std::pair<std::string, std::string>> hits;
  for (std::size_t i = 0; i < gazetteer.council_count(); ++i) {
    Council c = gazetteer.council(i);
    if (equals_ignoring_ascii_case(c.code, wanted)) return {std::string(c.code), std::string(c.name)};
    if (equals_ignoring_ascii_case(c.name, wanted)) hits.emplace_back(c.code, c.name);
  }
  std::erase_if(hits, [&](const auto& h) { return hits.size() > 1 && !upper_tier(h.first); });
  if (hits.size() == 1) return hits.front();
  if (hits.empty())
    throw InputError("--la " + wanted +
                     ": no council with that code or name in the gazetteer (use a GSS code such as "
                     "E06000060, or the name as the postcode directory spells it)");
  std::string list;
  for (const auto& h : hits) list += (list.empty() ? "" : ", ") + h.first + " " + h.second;
  throw InputError("--la " + wanted + " is ambiguous: " + list + "; give the code");
}

}  // namespace placedist::analysis
