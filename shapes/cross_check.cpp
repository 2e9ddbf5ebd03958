// Polygon-versus-code agreement (see cross_check.hpp).
#include "shapes/cross_check.hpp"

#include <cstdio>
#include <unordered_map>

#include "shapes/boundaries.hpp"
#include "shapes/locate.hpp"

using namespace placedist::geo;

namespace placedist::shapes {

const CouncilAgreement* CrossCheck::find(const std::string& code) const {
  for (const auto& c : councils)
    if (c.code == code) return &c;
  return nullptr;
}

CrossCheck cross_check(const Boundaries& boundaries, std::span<const CodedPoint> points) {
  CrossCheck out;
  out.councils.resize(boundaries.size());
  for (std::size_t k = 0; k < boundaries.size(); ++k) {
    out.councils[k].code = boundaries.council(k).code;
    out.councils[k].name = boundaries.council(k).name;
  }
  std::unordered_map<std::string, std::int32_t> index;
  for (std::size_t k = 0; k < boundaries.size(); ++k)
    index.emplace(boundaries.council(k).code, static_cast<std::int32_t>(k));

  for (const CodedPoint& p : points) {
    ++out.points;
    LocateResult hit;
    if (p.council == CodedPoint::kLocateHere) {
      hit = locate(boundaries, p.at);
    } else {
      hit.council = p.council;
      hit.where = p.council < 0 ? Where::outside : p.on_edge ? Where::boundary : Where::inside;
    }
    auto it = index.find(p.code);
    const std::int32_t coded = it == index.end() ? -1 : it->second;
    if (hit.found() && hit.council != coded) ++out.councils[static_cast<std::size_t>(hit.council)].strays;
    if (coded < 0) {
      ++out.coded_unknown;
      if (hit.found()) ++out.unknown_located;
      continue;
    }
    ++out.coded_known;
    CouncilAgreement& c = out.councils[static_cast<std::size_t>(coded)];
    ++c.coded;
    if (hit.council == coded) {
      ++c.agree;
      ++out.agree;
      if (hit.where == Where::boundary) ++c.on_boundary;
    } else {
      ++out.disagree;
      if (hit.found())
        ++c.elsewhere;
      else
        ++c.nowhere;
    }
  }
  return out;
}

std::string format_cross_check(const CrossCheck& check) {
  std::string out;
  char line[256];
  std::snprintf(line, sizeof line, "%-10s %-32s %9s %9s %8s %9s %8s %7s\n", "code", "name", "coded", "agree", "agree%",
                "elsewhere", "nowhere", "strays");
  out += line;
  for (const auto& c : check.councils) {
    if (c.coded == 0 && c.strays == 0) continue;
    std::snprintf(line, sizeof line, "%-10s %-32.32s %9llu %9llu %7.2f%% %9llu %8llu %7llu\n", c.code.c_str(),
                  c.name.c_str(), static_cast<unsigned long long>(c.coded), static_cast<unsigned long long>(c.agree),
                  100.0 * c.agreement(), static_cast<unsigned long long>(c.elsewhere),
                  static_cast<unsigned long long>(c.nowhere), static_cast<unsigned long long>(c.strays));
    out += line;
  }
  const double pct =
      check.coded_known ? 100.0 * static_cast<double>(check.agree) / static_cast<double>(check.coded_known) : 0;
  std::snprintf(line, sizeof line,
                "points %llu; coded to a council in the file %llu, agree %llu (%.2f%%), disagree %llu; "
                "coded elsewhere %llu (%llu of them inside a polygon)\n",
                static_cast<unsigned long long>(check.points), static_cast<unsigned long long>(check.coded_known),
                static_cast<unsigned long long>(check.agree), pct, static_cast<unsigned long long>(check.disagree),
                static_cast<unsigned long long>(check.coded_unknown),
                static_cast<unsigned long long>(check.unknown_located));
  out += line;
  return out;
}

}  // namespace placedist::shapes
