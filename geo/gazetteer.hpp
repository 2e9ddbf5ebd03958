#pragma once
// Postcode -> location and council, from one versioned binary file built by
// `placedist gazetteer build`. The file is memory-mapped read-only; a Gazetteer is
// immutable once open and may be shared by any number of threads.
//
// Locations are British National Grid metres (EPSG:27700) as the directories give them,
// with WGS84 lon/lat worked out at build time through OSTN15.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>

#include "geo/coords.hpp"
#include "geo/outcome.hpp"
#include "geo/postcode.hpp"

namespace placedist::geo {

// A postcode's outcome (geo/outcome.hpp): ok, terminated, approximate (located), empty,
// malformed, non_geographic, unknown, no_coordinates.
using GeocodeStatus = Outcome;
inline bool located(GeocodeStatus s) {
  return s == GeocodeStatus::ok || s == GeocodeStatus::terminated || s == GeocodeStatus::approximate;
}

struct Council {
  std::string_view code;  // GSS code, e.g. E06000060
  std::string_view name;  // e.g. Buckinghamshire
  bool empty() const { return code.empty(); }
};

struct GeocodeResult {
  GeocodeStatus status = GeocodeStatus::empty;
  PostcodeLevel match = PostcodeLevel::none;  // the level whose location is given
  GridRef grid;
  LonLat position;
  Council ltla;  // lower tier: the local authority district
  Council utla;  // upper tier: the county where there is one, else the unitary authority
  std::uint8_t quality = 0;
  bool terminated = false;
  const char* message = "";  // why, for anything but ok
  bool located() const { return geo::located(status); }
};

class GazetteerError : public Failure {
 public:
  explicit GazetteerError(const std::string& message, Outcome outcome = Outcome::corrupt) : Failure(outcome, message) {}
};

class Gazetteer {
 public:
  // Maps the file; throws GazetteerError (naming the file) on a missing, truncated or foreign
  // file, a version this build cannot read, a damaged header or any index or offset that would
  // lead a lookup outside the file. Replace a gazetteer in use only by renaming a new file over
  // it (`mv`, `install`): never `cp` over it, since a running process maps it and sees it change.
  static Gazetteer open(const std::filesystem::path& path);
  // Reads the whole file and checks each section's CRC-32C: throws GazetteerError naming the file
  // and the first damaged section. For `gazetteer info --verify` and the service's start, not
  // every command (open() reads only what lookups need).
  void verify() const;
  // The file other commands use when --gazetteer is not given: $PLACEDIST_GAZETTEER, else
  // cache_dir()/gazetteer.pdg.
  static std::filesystem::path default_path();

  Gazetteer(Gazetteer&&) noexcept;
  Gazetteer& operator=(Gazetteer&&) noexcept;
  ~Gazetteer();

  // Looks up the reading resolve() chooses; its message says when that was a mend.
  GeocodeResult lookup(const Postcode& postcode) const;
  GeocodeResult lookup(std::string_view typed) const { return lookup(parse_postcode(typed)); }
  // The reading of `postcode` the directory holds: where the outward code had two well-formed
  // readings (O/0, I/1: S01 or SO1), the other one when only it is found, or found at a finer
  // level, with `mended` set; otherwise the postcode as parsed. Without an alternative, free.
  // Call it before writing the normalised postcode beside a lookup's answer.
  Postcode resolve(const Postcode& postcode) const;
  // parse_postcode() with the directory deciding between readings.
  Postcode parse(std::string_view typed) const { return resolve(parse_postcode(typed)); }
  // Many at once, faster for random postcodes (memory loads overlap); same answers.
  void lookup(std::span<const Postcode> postcodes, std::span<GeocodeResult> results) const;

  // Counts and the build description (JSON: sources, vintages, CRS method, build time).
  std::size_t unit_count() const;
  std::size_t sector_count() const;
  std::size_t district_count() const;
  std::size_t council_count() const;
  Council council(std::size_t index) const;
  std::string_view metadata_json() const;

  // How many unit postcodes the file holds (live, terminated or without coordinates) in the
  // sector (for sector and unit postcodes) or district (for districts) of `area`; 0 when none
  // or for other levels. How coarse a published point must be to stand for at least k units.
  std::size_t units_within(const Postcode& area) const;
  // Of those, the units whose upper-tier council is `utla_code` (what a published area with its
  // council code stands for). Reads the area's unit records: a few hundred for a sector.
  std::size_t units_within(const Postcode& area, std::string_view utla_code) const;

  // Every unit postcode in the file, in postcode order (districts by outward code, then inward
  // code), with what lookup() would answer for it: status ok, terminated or no_coordinates, match
  // unit. For building indexes over the units (nearest postcode, units by council) at startup.
  void for_each_unit(const std::function<void(const Postcode&, const GeocodeResult&)>& visit) const;

 private:
  struct Impl;
  explicit Gazetteer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> m_impl;
};

}  // namespace placedist::geo
