#pragma once
// Choosing the responsible council from what a user typed (--la, or la= in the service):
// a GSS code or a name the gazetteer's postcode directory knows, upper tier preferred when a
// name is shared (e.g. a county and a district of the same name).
#include <string>
#include <utility>

namespace placedist::geo {
class Gazetteer;
}

namespace placedist::analysis {}

namespace placedist::analysis {

// {code, name}. Throws InputError when no council or several match (the message says which).
std::pair<std::string, std::string> resolve_council(const geo::Gazetteer& gazetteer, const std::string& wanted);

}  // namespace placedist::analysis
