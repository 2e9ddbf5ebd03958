#pragma once
// Picks a boundary file's code and name fields when the user names none.
// Code field: a name ending in "cd", "_code" or "code" (lad20cd, utla21_code, utla_cd).
// Name field: ending in "nm", "_name" or "name" (lad20nm, utla21_name); "nmw" (Welsh) is not one.
// Among several candidates, a pair sharing a stem (lad17cd / lad17nm) wins.
#include <string>
#include <vector>

namespace placedist::shapes::detail {

struct DetectedFields {
  std::vector<std::string> code_candidates;  // all that matched, in field order
  std::vector<std::string> name_candidates;
  std::string code;  // chosen, empty when none or ambiguous
  std::string name;  // chosen, empty when none
};

DetectedFields detect_fields(const std::vector<std::string>& field_names);

}  // namespace placedist::shapes::detail
