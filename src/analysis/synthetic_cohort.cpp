#include "src/analysis/synthetic_cohort.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "geo/distance.hpp"
#include "geo/io/atomic_file.hpp"
#include "geo/io/csv_reader.hpp"

using namespace placedist::geo;

namespace placedist::analysis {
namespace {

namespace fs = std::filesystem;

struct Place {
  char postcode[9] = {};
  std::int32_t e = 0, n = 0;
  std::uint32_t council = 0;  // index into the council code table
};

class Stream {
 public:
  explicit Stream(std::uint64_t seed) : m_state(seed) {}
  std::uint64_t next() {  // splitmix64
    std::uint64_t z = (m_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  std::uint64_t below(std::uint64_t n) { return n ? next() % n : 0; }
  double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

 private:
  std::uint64_t m_state;
};

std::vector<fs::path> codepoint_files(const fs::path& root) {
  fs::path folder = root;
  if (fs::exists(root / "Data" / "CSV")) folder = root / "Data" / "CSV";
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(folder)) {
    std::string name = entry.path().filename().string();
    if (name.ends_with(".csv") || name.ends_with(".csv.gz")) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  if (files.empty()) throw std::runtime_error("no Code-Point CSV files in " + folder.string());
  return files;
}

double miles(const Place& a, const Place& b) {
  return dfe_miles(GridRef{static_cast<double>(a.e), static_cast<double>(a.n)},
                   GridRef{static_cast<double>(b.e), static_cast<double>(b.n)});
}

std::string date(std::chrono::sys_days day) {
  std::chrono::year_month_day d{day};
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%02u/%02u/%04d", static_cast<unsigned>(d.day()),
                static_cast<unsigned>(d.month()), static_cast<int>(d.year()));
  return buffer;
}

// The kinds of placement, with weights in thousandths shaped on Buckinghamshire's published
// figures (DfE, 2015-2017 and 2021-2025): about half outside the council, 54 % within 20 miles.
enum Kind { in_near, in_far, out_near, out_mid, out_60_100, out_far, not_recorded, kinds };
constexpr int kWeights[kinds] = {400, 40, 150, 250, 80, 25, 30};
constexpr double kLow[kinds] = {0, 20, 0, 20, 60, 100, 0};
constexpr double kHigh[kinds] = {20, 1000, 20, 60, 100, 1000, 0};

}  // namespace

CohortSummary write_cohort(const CohortOptions& options, const fs::path& output) {
  // Every GB postcode with a grid reference, and its upper-tier council (county, else district).
  std::vector<Place> places;
  std::vector<std::string> codes;
  auto intern = [&](std::string_view code) {
    for (std::size_t i = 0; i < codes.size(); ++i)
      if (codes[i] == code) return static_cast<std::uint32_t>(i);
    codes.emplace_back(code);
    return static_cast<std::uint32_t>(codes.size() - 1);
  };
  std::uint32_t last_code = UINT32_MAX;
  std::string last_text;
  for (const fs::path& file : codepoint_files(options.codepoint)) {
    CsvReader csv(file);
    while (csv.next()) {
      if (csv.size() < 9) continue;
      Place p;
      // "HP201YQ" -> "HP20 1YQ": the usual written form, one space before the inward code.
      std::string pc;
      for (char ch : csv[0])
        if (ch != ' ') pc.push_back(ch);
      if (pc.size() < 5 || pc.size() > 7) continue;
      pc.insert(pc.size() - 3, " ");
      std::copy(pc.begin(), pc.end(), p.postcode);
      std::from_chars(csv[2].data(), csv[2].data() + csv[2].size(), p.e);
      std::from_chars(csv[3].data(), csv[3].data() + csv[3].size(), p.n);
      if (p.e == 0 && p.n == 0) continue;  // PQI 90: no coordinates
      std::string_view code = !csv[7].empty() ? csv[7] : csv[8];
      if (code != last_text) {
        last_text = code;
        last_code = intern(code);
      }
      p.council = last_code;
      places.push_back(p);
    }
  }
  std::vector<std::uint32_t> homes, far;
  std::uint32_t council = intern(options.council), far_council = intern(options.far_council);
  for (std::uint32_t i = 0; i < places.size(); ++i) {
    if (places[i].council == council) homes.push_back(i);
    if (places[i].council == far_council) far.push_back(i);
  }
  if (homes.empty()) throw std::runtime_error("Code-Point has no postcode of council " + options.council);

  Stream random(options.seed);
  int total_weight = 0;
  for (int w : kWeights) total_weight += w;
  auto pick_kind = [&] {
    int r = static_cast<int>(random.below(static_cast<std::uint64_t>(total_weight)));
    for (int k = 0; k < kinds; ++k) {
      if (r < kWeights[k]) return static_cast<Kind>(k);
      r -= kWeights[k];
    }
    return in_near;
  };
  // A placement of the kind from this home: rejection sampling on distance, then any of the side.
  auto pick_placement = [&](const Place& home, Kind kind) -> const Place& {
    const bool inside = kind == in_near || kind == in_far;
    for (int attempt = 0; attempt < 20000; ++attempt) {
      const Place& p = inside ? places[homes[random.below(homes.size())]] : places[random.below(places.size())];
      if (!inside && p.council == council) continue;
      double d = miles(home, p);
      if (d > kLow[kind] && d <= kHigh[kind]) return p;
      if (kind == in_near && d <= 20) return p;
    }
    return inside ? places[homes[random.below(homes.size())]] : places[random.below(places.size())];
  };

  const std::chrono::sys_days census{std::chrono::year(options.year) / std::chrono::March / 31};
  static const char* const kPlace[] = {"U1", "U3", "U4", "U4", "U5", "U6", "U6", "K2", "K2", "R1", "P1", "H5", "Z1"};
  static const char* const kLegal[] = {"C2", "C2", "C2", "V2", "E1", "J2", "L1"};
  static const char* const kNeed[] = {"N1", "N1", "N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8"};

  AtomicFile file(output);
  std::string out;
  out.reserve(1 << 20);
  out += options.ssda903 ? "CHILD,SEX,DOB,HOME_POST,PL_POST,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,URN,UASC\n"
                         : "id,home_postcode,placement_postcode,uasc\n";
  CohortSummary summary;
  summary.homes_pool = homes.size();
  summary.postcodes = places.size();
  // A fifth more children than asked left care before the census date: the census-date
  // selection must leave them out.
  const std::uint64_t leavers = options.ssda903 ? options.children / 5 : 0;
  const std::uint64_t everyone = options.children + leavers;
  const std::uint64_t far_count = static_cast<std::uint64_t>(std::max(0, far.empty() ? 0 : options.far_count));
  const std::uint64_t far_slot = std::max<std::uint64_t>(1, options.children / (far_count + 1));
  std::uint64_t far_used = 0;
  for (std::uint64_t c = 0; c < everyone; ++c) {
    const bool looked_after = c < options.children;
    const std::string child = std::to_string(100000 + c);
    const Place& home = places[homes[random.below(homes.size())]];
    Kind kind = pick_kind();
    const bool uasc = random.below(1000) < 25;
    std::string home_pc = home.postcode, placement_pc;
    if (looked_after && far_used < far_count && c > 0 && c % far_slot == 0) {
      placement_pc = places[far[random.below(far.size())]].postcode;
      ++far_used;
    } else if (kind != not_recorded) {
      placement_pc = pick_placement(home, kind).postcode;
    }
    if (uasc && random.below(2) == 0) home_pc.clear();  // often no UK home postcode
    if (options.bad_rows && looked_after) {
      if (c == 11) placement_pc = "XX1 1XX 9";  // not a postcode shape
      if (c == 23) home_pc = "ZZ99 3VZ";        // NHS pseudo-postcode: no place
      if (c == 37) placement_pc = "HP99 9ZZ";   // well-formed, not in the directory
    }
    if (!options.ssda903) {
      out += child + "," + home_pc + "," + placement_pc + "," + (uasc ? "1" : "0") + "\n";
      ++summary.rows;
    } else {
      // One to three episodes; the last is open at the census date for children looked after.
      const int episodes = 1 + static_cast<int>(random.below(3));
      std::chrono::sys_days start = census - std::chrono::days(30 + static_cast<int>(random.below(1000)));
      std::chrono::sys_days dob = start - std::chrono::days(365 + static_cast<int>(random.below(365 * 16)));
      const char* sex = random.below(2) ? "1" : "2";
      for (int e = 0; e < episodes; ++e) {
        const bool last = e == episodes - 1 || start + std::chrono::days(11) >= census;
        std::chrono::sys_days end = last ? census - std::chrono::days(1 + static_cast<int>(random.below(20)))
                                         : start + std::chrono::days(10 + static_cast<int>(random.below(200)));
        if (!last && end >= census) end = census - std::chrono::days(1);
        if (end < start) end = start;
        std::string pl = last ? placement_pc : std::string(pick_placement(home, in_near).postcode);
        const char* place = kPlace[random.below(std::size(kPlace))];
        out += child + "," + sex + "," + date(dob) + "," + home_pc + "," + pl + "," + date(start) + "," +
               (e == 0 ? "S" : "P") + "," + kLegal[random.below(std::size(kLegal))] + "," +
               kNeed[random.below(std::size(kNeed))] + "," + place + "," + (place[0] == 'U' ? "PR1" : "PR4") + "," +
               (last && looked_after ? "" : date(end)) + "," +
               (last && looked_after ? ""
                : last               ? "E13"
                                     : "X1") +
               "," + (place[0] == 'K' ? "SC" + std::to_string(400000 + random.below(99999)) : "") + "," +
               (uasc ? "1" : "0") + "\n";
        ++summary.rows;
        if (last) break;
        start = end;
      }
    }
    ++(looked_after ? summary.children : summary.leavers);
    if (out.size() > (1 << 20)) {
      file.write(out);
      out.clear();
    }
  }
  file.write(out);
  file.commit();
  return summary;
}

}  // namespace placedist::analysis
