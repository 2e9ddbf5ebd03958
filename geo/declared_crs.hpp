#pragma once
// Checks a CRS read from a file before PROJ is asked to transform from it.
#include <string>

class OGRSpatialReference;

namespace placedist::geo {

// Why a CRS declared by a file must not be handed to PROJ, or "" when it may. A CRS whose ID
// names a different kind of CRS in PROJ's database (a geographic definition labelled with the
// code of a geocentric one, as a damaged file can carry) makes PROJ 9.1 crash while it looks
// for a transformation, so such a file is refused instead: its definition and its ID disagree.
std::string crs_contradiction(const OGRSpatialReference& crs);

}  // namespace placedist::geo
