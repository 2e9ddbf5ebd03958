// Code/name field detection (see field_detect.hpp).
#include "shapes/detail/field_detect.hpp"
#include "geo/io/ascii_case.hpp"

#include <algorithm>
#include <cctype>
#include <optional>

namespace placedist::shapes::detail {
namespace {

// The stem before a matching suffix ("lad20" for "lad20cd", "utla21" for "utla21_code").
std::optional<std::string> stem(const std::string& field, const std::vector<std::string>& suffixes) {
  const std::string f = geo::ascii_lower(field);
  for (const std::string& s : suffixes) {
    if (f.size() >= s.size() && f.compare(f.size() - s.size(), s.size(), s) == 0) {
      std::string st = f.substr(0, f.size() - s.size());
      while (!st.empty() && (st.back() == '_' || st.back() == '-')) st.pop_back();
      return st;
    }
  }
  return std::nullopt;
}

}  // namespace

DetectedFields detect_fields(const std::vector<std::string>& field_names) {
  static const std::vector<std::string> code_suffixes{"code", "cd"};
  static const std::vector<std::string> name_suffixes{"name", "nm"};
  DetectedFields out;
  std::vector<std::string> code_stems, name_stems;
  for (const std::string& f : field_names) {
    if (auto s = stem(f, code_suffixes)) {
      out.code_candidates.push_back(f);
      code_stems.push_back(*s);
    } else if (auto n = stem(f, name_suffixes)) {
      out.name_candidates.push_back(f);
      name_stems.push_back(*n);
    }
  }
  if (out.code_candidates.size() == 1) out.code = out.code_candidates[0];
  // Pairs sharing a stem; if exactly one such pair, it decides both fields.
  std::vector<std::pair<std::size_t, std::size_t>> pairs;
  for (std::size_t c = 0; c < code_stems.size(); ++c)
    for (std::size_t n = 0; n < name_stems.size(); ++n)
      if (code_stems[c] == name_stems[n]) pairs.emplace_back(c, n);
  if (pairs.size() == 1) {
    out.code = out.code_candidates[pairs[0].first];
    out.name = out.name_candidates[pairs[0].second];
    return out;
  }
  if (out.name_candidates.size() == 1) out.name = out.name_candidates[0];
  return out;
}

}  // namespace placedist::shapes::detail
