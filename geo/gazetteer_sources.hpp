#pragma once
// Readers for the postcode directories a gazetteer is built from:
//  - OS Code-Point Open: one headerless CSV per postcode area (gzipped or not), plus its
//    code list for council names;
//  - the ONS postcode directories (ONSPD, NSPD and subsets of them), header-driven, since
//    column names change between releases (pcd7/pcds, oseast1m/east1m, oslaua/lad25cd, ...);
//  - ONS lower-tier -> upper-tier council lookups and GSS code -> name lists.
// Grid references are British National Grid metres (EPSG:27700).
#include <cstdint>
#include <filesystem>
#include <string>
#include <unordered_map>
#include <vector>

#include "geo/postcode.hpp"

namespace placedist::geo::detail {

// Interns GSS council codes as small indices shared by every source of one build.
class CouncilCodes {
 public:
  // "" and the pseudo-codes (E99999999 ...) mean "none" and give kNone.
  std::uint16_t intern(std::string_view code);
  const std::string& code(std::uint16_t index) const { return m_codes[index]; }
  std::size_t size() const { return m_codes.size(); }
  static constexpr std::uint16_t kNone = 0xFFFF;

 private:
  std::vector<std::string> m_codes;
  std::unordered_map<std::string, std::uint16_t> m_index;
};

enum class Termination : std::uint8_t { unknown, live, terminated };

struct SourceUnit {
  OutwardKey outward;
  InwardIndex inward;
  std::uint8_t source;  // precedence: lower is preferred
  std::uint8_t quality;
  std::int32_t easting_dm;  // decimetres; has_grid false when the source gives none
  std::int32_t northing_dm;
  std::uint16_t ltla;
  std::uint16_t utla;  // CouncilCodes::kNone when the source has no county and no lookup applies yet
  Termination termination;
  bool has_grid;
  bool irish_grid;  // Northern Ireland: the directories give Irish Grid (EPSG:29903) references
  std::uint64_t key() const { return (std::uint64_t{outward} << 16) | inward; }
};

struct SourceReport {
  std::string kind;  // "codepoint" or "directory"
  std::string path;
  std::string vintage;  // from the product's metadata or the file name
  std::uint64_t rows = 0;
  std::uint64_t rejected = 0;  // rows whose postcode is not a unit postcode
  std::uint64_t without_grid = 0;
  bool has_termination = false;  // the source says which postcodes are terminated
};

// Appends the units of a Code-Point Open product folder (or its Data/CSV folder).
// Adds the names from Doc/codelist.csv (type,code,name) when present.
SourceReport read_codepoint(const std::filesystem::path& folder, std::uint8_t source, CouncilCodes& codes,
                            std::unordered_map<std::string, std::string>& names, std::vector<SourceUnit>& out);

// Appends the units of an ONS postcode directory CSV (plain or gzipped). Throws
// std::runtime_error naming the columns it needs when the header lacks them.
SourceReport read_directory(const std::filesystem::path& file, std::uint8_t source, CouncilCodes& codes,
                            std::vector<SourceUnit>& out);

// Reads a lower-tier -> upper-tier lookup CSV (e.g. ONS LAD23_UTLA23: ltla23_code, utla23_code,
// and names) into `upper` and `names`.
void read_council_lookup(const std::filesystem::path& file, std::unordered_map<std::string, std::string>& upper,
                         std::unordered_map<std::string, std::string>& names);

// Reads council names from a CSV (type,code,name or code,name) or a JSON object {code: name}.
// Names already known are kept (earlier files take precedence).
void read_council_names(const std::filesystem::path& file, std::unordered_map<std::string, std::string>& names);

}  // namespace placedist::geo::detail
