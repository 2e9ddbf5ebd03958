#pragma once
// Cross-check of council boundaries against the council codes that a postcode directory
// gives its points: how often the polygon a point falls in (shapes/locate.hpp) carries the
// same code. The DfE classifies by code; this measures how far each boundary file can be
// trusted where a code is missing, and lists where they disagree.
// Points are British National Grid (EPSG:27700) metres.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "geo/coords.hpp"

namespace placedist::shapes {

class Boundaries;

struct CodedPoint {
  geo::GridRef at;
  std::string code;  // the council code the directory gives (e.g. "E06000060")
  // Already located in the same Boundaries (index, -1 in none), so that a point is located
  // once per run; kLocateHere: cross_check locates it.
  std::int32_t council = kLocateHere;
  bool on_edge = false;
  static constexpr std::int32_t kLocateHere = -2;
};

struct CouncilAgreement {
  std::string code, name;
  std::uint64_t coded = 0;        // points carrying this council's code
  std::uint64_t agree = 0;        //   of which located in this council (inside or on the edge)
  std::uint64_t on_boundary = 0;  //   of those, within the tolerance of an edge
  std::uint64_t elsewhere = 0;    //   of which located in another council
  std::uint64_t nowhere = 0;      //   of which in no polygon
  std::uint64_t strays = 0;       // points coded to any other code located in this council
  double agreement() const { return coded ? static_cast<double>(agree) / static_cast<double>(coded) : 0.0; }
};

struct CrossCheck {
  std::vector<CouncilAgreement> councils;  // one per council of the Boundaries, same order
  std::uint64_t points = 0;                // all points checked
  std::uint64_t coded_known = 0;           // whose code is a council in the file
  std::uint64_t agree = 0;                 //   located in that council
  std::uint64_t disagree = 0;              //   located elsewhere or nowhere
  std::uint64_t coded_unknown = 0;         // whose code is not in the file (other areas, other tiers)
  std::uint64_t unknown_located = 0;       //   of which nonetheless located in a council

  const CouncilAgreement* find(const std::string& code) const;
};

// Thread-compatible (uses the fast locate(), which is thread-safe).
CrossCheck cross_check(const Boundaries& boundaries, std::span<const CodedPoint> points);

// A plain-text table: one line per council with points coded to it or strays, then totals.
std::string format_cross_check(const CrossCheck& check);

}  // namespace placedist::shapes
