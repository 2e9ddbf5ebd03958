#pragma once
// The licence attribution every output carries (report, QGIS project, service answers), and
// the gazetteer's source vintages it is dated by. One text, so that the CLI and the service
// credit the publishers the same way.
#include <string>

namespace placedist::geo {
class Gazetteer;
}

namespace placedist::maps {

struct SourceVintages {
  std::string text;  // "Code-Point Open 2025.10.0 (20251015); ..." as the gazetteer records them
  int year = 0;      // the latest year among them (0 when none names one)
};
SourceVintages source_vintages(const geo::Gazetteer& gazetteer);

// OS, Royal Mail and ONS under the Open Government Licence, dated `year` (2025 when 0); with
// `dfe`, the DfE's published statistics the report compares against.
std::string data_attribution(int year, bool dfe);

}  // namespace placedist::maps
