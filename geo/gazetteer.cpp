#include "geo/gazetteer.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

#include "geo/data_dir.hpp"
#include "geo/gazetteer_format.hpp"
#include "geo/io/crc32c.hpp"

namespace placedist::geo {

using namespace detail;

struct Gazetteer::Impl {
  void* map = MAP_FAILED;
  std::size_t size = 0;
  std::string path;
  const FileHeader* header = nullptr;
  const std::uint32_t* district_keys = nullptr;
  const DistrictEntry* districts = nullptr;
  const UnitWord* unit_words = nullptr;
  const LocationRecord* units = nullptr;
  const LocationRecord* sectors = nullptr;
  const AreaEntry* areas = nullptr;
  const CouncilEntry* councils = nullptr;
  const char* strings = nullptr;

  std::size_t count(Section s) const { return header->sections[s].count; }
  template <typename T>
  const T* section(Section s) const {
    return reinterpret_cast<const T*>(static_cast<const char*>(map) + header->sections[s].offset);
  }

  ~Impl() {
    if (map != MAP_FAILED) munmap(map, size);
  }

  const DistrictEntry* find_district(OutwardKey outward) const {
    const std::uint32_t* end = district_keys + count(kDistrictKeys);
    const std::uint32_t* it = std::lower_bound(district_keys, end, outward);
    return it != end && *it == outward ? districts + (it - district_keys) : nullptr;
  }

  const LocationRecord* find_unit(const DistrictEntry& district, InwardIndex inward) const {
    const UnitWord& word = unit_words[district.first_word + inward / 64];
    std::uint64_t bit = std::uint64_t{1} << (inward % 64);
    if (!(word.bits & bit)) return nullptr;
    return units + word.rank + std::popcount(word.bits & (bit - 1));
  }

  const LocationRecord* find_sector(const DistrictEntry& district, int digit) const {
    unsigned mask = district.sector_mask;
    if (!(mask & (1u << digit))) return nullptr;
    const LocationRecord* sector = sectors + district.first_sector + std::popcount(mask & ((1u << digit) - 1));
    return (sector->flags & kHasCoordinates) ? sector : nullptr;
  }

  const LocationRecord* find_area(OutwardKey area) const {
    const AreaEntry* begin = areas;
    const AreaEntry* end = areas + count(kAreas);
    const AreaEntry* it =
        std::lower_bound(begin, end, area, [](const AreaEntry& e, OutwardKey key) { return e.area < key; });
    return it != end && it->area == area && (it->centroid.flags & kHasCoordinates) ? &it->centroid : nullptr;
  }

  Council council(std::uint16_t index) const {
    if (index == kNoCouncil || index >= count(kCouncils)) return {};
    const CouncilEntry& entry = councils[index];
    return {std::string_view(entry.code, strnlen(entry.code, sizeof entry.code)),
            std::string_view(strings + entry.name_offset, entry.name_length)};
  }

  GeocodeResult answer(const Postcode& pc) const;

  // Every index and offset a lookup follows, checked once at open so that none can leave the
  // file: what is wrong, or null. Reads the district table, the bitmap words and the council
  // table (a few MB for all of the UK), not the unit records.
  const char* bad_index() const {
    const std::size_t districts_n = count(kDistricts), words_n = count(kUnitWords), units_n = count(kUnits);
    for (std::size_t d = 0; d < districts_n; ++d) {
      if (d > 0 && district_keys[d] <= district_keys[d - 1]) return "district keys out of order";
      const DistrictEntry& district = districts[d];
      if (district.first_word > words_n - kWordsPerDistrict) return "a district's first_word lies outside the file";
      if (district.sector_mask >= (1u << 10) ||
          district.first_sector + std::uint64_t(std::popcount(district.sector_mask)) > count(kSectors))
        return "a district's sectors lie outside the file";
    }
    for (std::size_t w = 0; w < words_n; ++w)
      if (unit_words[w].rank + std::uint64_t(std::popcount(unit_words[w].bits)) > units_n)
        return "a unit bitmap's rank lies outside the file";
    for (std::size_t a = 1; a < count(kAreas); ++a)
      if (areas[a].area <= areas[a - 1].area) return "areas out of order";
    for (std::size_t c = 0; c < count(kCouncils); ++c)
      if (std::uint64_t(councils[c].name_offset) + councils[c].name_length > count(kStrings))
        return "a council name's offset lies outside the file";
    return nullptr;
  }

  // The first section whose checksum differs, or -1.
  int bad_checksum() const {
    const auto* bytes = static_cast<const std::byte*>(map);
    for (int s = 0; s < kSectionCount; ++s) {
      std::uint64_t begin = s == 0 ? sizeof(FileHeader) : header->sections[s].offset;  // and the padding before it
      std::uint64_t end = s + 1 < kSectionCount ? header->sections[s + 1].offset : header->file_size;
      if (crc32c({bytes + begin, end - begin}) != header->section_crc32c[s]) return s;
    }
    return -1;
  }

  // A sector, district or area asked for by itself: terminated when only terminated units
  // located it (AB1, W1M).
  static void set_partial_status(GeocodeResult& result, const char* terminated_message) {
    result.status = result.terminated ? GeocodeStatus::terminated : GeocodeStatus::ok;
    if (result.terminated) result.message = terminated_message;
  }

  void fill(GeocodeResult& result, const LocationRecord& record, PostcodeLevel level) const {
    result.match = level;
    result.grid = {record.easting_dm / 10.0, record.northing_dm / 10.0};
    result.position = {record.lon_e7 / 1e7, record.lat_e7 / 1e7};
    result.ltla = council(record.ltla);
    result.utla = council(record.utla);
    result.quality = record.quality;
    result.terminated = record.flags & kTerminated;
  }
};

Gazetteer::Gazetteer(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
Gazetteer::Gazetteer(Gazetteer&&) noexcept = default;
Gazetteer& Gazetteer::operator=(Gazetteer&&) noexcept = default;
Gazetteer::~Gazetteer() = default;

std::filesystem::path Gazetteer::default_path() {
  if (const char* set = std::getenv("PLACEDIST_GAZETTEER"); set && *set) return set;
  return cache_dir() / "gazetteer.pdg";
}

Gazetteer Gazetteer::open(const std::filesystem::path& path) {
  auto impl = std::make_unique<Impl>();
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    throw GazetteerError("cannot open gazetteer " + path.string() + ": " + std::strerror(errno) +
                             " (build one with `placedist gazetteer build`)",
                         Outcome::unreadable);
  }
  struct stat st {};
  fstat(fd, &st);
  impl->size = static_cast<std::size_t>(st.st_size);
  if (impl->size >= sizeof(FileHeader)) impl->map = mmap(nullptr, impl->size, PROT_READ, MAP_SHARED, fd, 0);
  ::close(fd);
  auto fail = [&](const std::string& why) { return GazetteerError("gazetteer " + path.string() + ": " + why); };
  if (impl->map == MAP_FAILED) throw fail("not a placedist gazetteer (too short or unreadable)");
  const auto* header = static_cast<const FileHeader*>(impl->map);
  if (std::memcmp(header->magic, kGazetteerMagic, sizeof kGazetteerMagic) != 0)
    throw fail("not a placedist gazetteer (wrong magic number)");
  if (header->endian_check != kEndianCheck) throw fail("written on a machine of the other byte order");
  if (header->version != kGazetteerVersion) {
    throw fail("format version " + std::to_string(header->version) + ", this placedist reads version " +
               std::to_string(kGazetteerVersion) + ": rebuild it with `placedist gazetteer build`");
  }
  FileHeader copy;
  std::memcpy(&copy, header, sizeof copy);
  copy.header_crc32c = 0;
  if (crc32c(std::as_bytes(std::span(&copy, 1))) != header->header_crc32c)
    throw fail("damaged header (checksum mismatch): rebuild it with `placedist gazetteer build`");
  if (header->file_size != impl->size) throw fail("truncated (size differs from its header)");
  // Sections in order, 64-byte aligned, only padding between them, the last ending the file: so
  // that every byte after the header belongs to one section's checksum.
  std::uint64_t previous_end = sizeof(FileHeader);
  for (int s = 0; s < kSectionCount; ++s) {
    const SectionEntry& entry = header->sections[s];
    if (entry.offset % 64 != 0 || entry.offset < previous_end || entry.offset - previous_end >= 64 ||
        entry.offset > impl->size || entry.count > (impl->size - entry.offset) / kSectionRecordSize[s])
      throw fail("corrupt section table");
    previous_end = entry.offset + entry.count * kSectionRecordSize[s];
  }
  if (previous_end != impl->size) throw fail("corrupt section table");
  impl->header = header;
  impl->path = path.string();
  if (impl->count(kDistrictKeys) != impl->count(kDistricts) ||
      impl->count(kUnitWords) != impl->count(kDistricts) * kWordsPerDistrict)
    throw fail("corrupt section sizes");
  impl->district_keys = impl->section<std::uint32_t>(kDistrictKeys);
  impl->districts = impl->section<DistrictEntry>(kDistricts);
  impl->unit_words = impl->section<UnitWord>(kUnitWords);
  impl->units = impl->section<LocationRecord>(kUnits);
  impl->sectors = impl->section<LocationRecord>(kSectors);
  impl->areas = impl->section<AreaEntry>(kAreas);
  impl->councils = impl->section<CouncilEntry>(kCouncils);
  impl->strings = impl->section<char>(kStrings);
  if (const char* why = impl->bad_index()) throw fail(std::string("corrupt: ") + why);
  madvise(impl->map, impl->size, MADV_WILLNEED);
  return Gazetteer(std::move(impl));
}

GeocodeResult Gazetteer::Impl::answer(const Postcode& pc) const {
  GeocodeResult result;
  switch (pc.shape) {
    case PostcodeShape::empty:
      result.status = GeocodeStatus::empty;
      result.message = "no postcode given";
      return result;
    case PostcodeShape::malformed:
      result.status = GeocodeStatus::malformed;
      result.message = "not a UK postcode";
      return result;
    case PostcodeShape::non_geographic:
      result.status = GeocodeStatus::non_geographic;
      result.message = "a non-geographic postcode (BFPO, overseas or pseudo-postcode): no location";
      return result;
    case PostcodeShape::valid: break;
  }
  const Impl& g = *this;
  if (pc.level == PostcodeLevel::area) {
    const LocationRecord* area = g.find_area(pc.outward);
    if (!area) {
      result.status = GeocodeStatus::unknown;
      result.message = "postcode area not in the directory";
      return result;
    }
    g.fill(result, *area, PostcodeLevel::area);
    set_partial_status(result, "only terminated postcodes in this area: the location of its last units is given");
    return result;
  }
  const DistrictEntry* district = g.find_district(pc.outward);
  if (!district) {
    result.status = GeocodeStatus::unknown;
    result.message = "postcode district not in the directory";
    return result;
  }
  // A unit that is missing, or has no grid reference, falls back to its sector, then district.
  bool unit_without_grid = false;
  bool fell_back = false;
  if (pc.level == PostcodeLevel::unit) {
    if (const LocationRecord* unit = g.find_unit(*district, pc.inward)) {
      if (unit->flags & kHasCoordinates) {
        g.fill(result, *unit, PostcodeLevel::unit);
        result.status = result.terminated ? GeocodeStatus::terminated : GeocodeStatus::ok;
        if (result.terminated) result.message = "terminated postcode: its last location is given";
        return result;
      }
      unit_without_grid = true;
    }
    fell_back = true;
  }
  if (pc.level == PostcodeLevel::unit || pc.level == PostcodeLevel::sector) {
    if (const LocationRecord* sector = g.find_sector(*district, pc.sector)) {
      g.fill(result, *sector, PostcodeLevel::sector);
      if (fell_back) {
        result.status = GeocodeStatus::approximate;
        result.message = unit_without_grid ? "postcode has no grid reference; located at its sector centroid"
                                           : "postcode not in the directory; located at its sector centroid";
      } else {
        set_partial_status(result, "only terminated postcodes in this sector: the location of its last units is given");
      }
      return result;
    }
    fell_back = true;
  }
  if (!(district->centroid.flags & kHasCoordinates)) {
    result.status = unit_without_grid ? GeocodeStatus::no_coordinates : GeocodeStatus::unknown;
    result.message =
        unit_without_grid ? "postcode has no grid reference in the directory" : "postcode not in the directory";
    return result;
  }
  g.fill(result, district->centroid, PostcodeLevel::district);
  if (fell_back)
    result.status = GeocodeStatus::approximate;
  else
    set_partial_status(result, "only terminated postcodes in this district: the location of its last units is given");
  if (unit_without_grid)
    result.message = "postcode has no grid reference; located at its district centroid";
  else if (pc.level == PostcodeLevel::unit)
    result.message = "postcode not in the directory; located at its district centroid";
  else if (fell_back)
    result.message = "postcode sector not in the directory; located at its district centroid";
  return result;
}

namespace {
// How far a reading got: not located, or located at area .. unit.
int depth(const GeocodeResult& r) { return r.located() ? 1 + static_cast<int>(r.match) : 0; }

Postcode with_outward(Postcode pc, OutwardKey outward) {
  std::string text = unpack_outward(outward);
  std::memcpy(pc.text, text.data(), text.size());  // the same length as the reading it replaces
  pc.outward = outward;
  pc.alternative = 0;
  return pc;
}
}  // namespace

Postcode Gazetteer::resolve(const Postcode& pc) const {
  if (!pc.alternative || !pc.ok()) return pc;
  Postcode other = with_outward(pc, pc.alternative);
  if (depth(m_impl->answer(other)) <= depth(m_impl->answer(pc))) {
    Postcode typed = pc;
    typed.alternative = 0;
    return typed;
  }
  other.mended = true;
  return other;
}

GeocodeResult Gazetteer::lookup(const Postcode& typed) const {
  if (!typed.alternative && !typed.mended) return m_impl->answer(typed);  // nearly every postcode
  const Postcode pc = typed.alternative ? resolve(typed) : typed;
  GeocodeResult result = m_impl->answer(pc);
  if (pc.mended) {  // say so, unless a graver message (not located, approximate) stands
    if (!*result.message)
      result.message = "postcode mended: an O/0 or I/1 in the outward code read as the directory has it";
    else if (result.status == GeocodeStatus::terminated)
      result.message =
          "postcode mended (an O/0 or I/1 in the outward code read as the directory has it); terminated: "
          "its last location is given";
  }
  return result;
}

void Gazetteer::lookup(std::span<const Postcode> postcodes, std::span<GeocodeResult> results) const {
  if (results.size() != postcodes.size()) throw std::invalid_argument("lookup: results and postcodes differ in size");
  // Random postcodes miss the cache on their bitmap word and then on their record: start the
  // loads for a group together so their latencies overlap, then answer from the cache.
  constexpr std::size_t kGroup = 16;
  const Impl& g = *m_impl;
  for (std::size_t base = 0; base < postcodes.size(); base += kGroup) {
    std::size_t n = std::min(kGroup, postcodes.size() - base);
    const UnitWord* words[kGroup] = {};
    for (std::size_t i = 0; i < n; ++i) {
      const Postcode& pc = postcodes[base + i];
      if (pc.level != PostcodeLevel::unit || !pc.ok()) continue;
      if (const DistrictEntry* d = g.find_district(pc.outward)) {
        words[i] = &g.unit_words[d->first_word + pc.inward / 64];
        __builtin_prefetch(words[i]);
      }
    }
    for (std::size_t i = 0; i < n; ++i) {
      if (!words[i]) continue;
      std::uint64_t bit = std::uint64_t{1} << (postcodes[base + i].inward % 64);
      if (words[i]->bits & bit)
        __builtin_prefetch(g.units + words[i]->rank + std::popcount(words[i]->bits & (bit - 1)));
    }
    for (std::size_t i = 0; i < n; ++i) results[base + i] = lookup(postcodes[base + i]);
  }
}

std::size_t Gazetteer::unit_count() const { return m_impl->count(kUnits); }

void Gazetteer::verify() const {
  if (int s = m_impl->bad_checksum(); s >= 0)
    throw GazetteerError("gazetteer " + m_impl->path + ": damaged " + kSectionName[s] +
                         " section (checksum mismatch): rebuild it with `placedist gazetteer build`");
}

std::size_t Gazetteer::units_within(const Postcode& area, std::string_view utla_code) const {
  const Impl& g = *m_impl;
  if (area.level < PostcodeLevel::district) return 0;
  const DistrictEntry* district = g.find_district(area.outward);
  if (!district) return 0;
  // The district's units, or the sector's: inward codes digit*676 .. digit*676+675.
  const bool sector = area.level >= PostcodeLevel::sector;
  const unsigned first = sector ? static_cast<unsigned>(area.sector) * 676 : 0;
  const unsigned last = sector ? first + 675 : kWordsPerDistrict * 64 - 1;
  std::size_t units = 0;
  for (unsigned w = first / 64; w <= last / 64; ++w) {
    const UnitWord& word = g.unit_words[district->first_word + w];
    std::uint64_t bits = word.bits;
    if (w == first / 64) bits &= ~std::uint64_t{0} << (first % 64);
    if (w == last / 64 && last % 64 != 63) bits &= (std::uint64_t{1} << (last % 64 + 1)) - 1;
    for (; bits; bits &= bits - 1) {
      const std::uint64_t below = word.bits & ((bits & -bits) - 1);
      const LocationRecord& unit = g.units[word.rank + std::popcount(below)];
      units += g.council(unit.utla).code == utla_code;
    }
  }
  return units;
}

std::size_t Gazetteer::units_within(const Postcode& area) const {
  const Impl& g = *m_impl;
  if (area.level < PostcodeLevel::district) return 0;
  const DistrictEntry* district = g.find_district(area.outward);
  if (!district) return 0;
  if (area.level == PostcodeLevel::district) return district->unit_count;
  // A sector's inward codes are digit*676 .. digit*676+675: count the bits over that range.
  const unsigned first = static_cast<unsigned>(area.sector) * 676, last = first + 675;
  std::size_t units = 0;
  for (unsigned w = first / 64; w <= last / 64; ++w) {
    std::uint64_t bits = g.unit_words[district->first_word + w].bits;
    if (w == first / 64) bits &= ~std::uint64_t{0} << (first % 64);
    if (w == last / 64 && last % 64 != 63) bits &= (std::uint64_t{1} << (last % 64 + 1)) - 1;
    units += static_cast<std::size_t>(std::popcount(bits));
  }
  return units;
}
std::size_t Gazetteer::sector_count() const { return m_impl->count(kSectors); }
std::size_t Gazetteer::district_count() const { return m_impl->count(kDistricts); }
std::size_t Gazetteer::council_count() const { return m_impl->count(kCouncils); }
Council Gazetteer::council(std::size_t index) const { return m_impl->council(static_cast<std::uint16_t>(index)); }
void Gazetteer::for_each_unit(const std::function<void(const Postcode&, const GeocodeResult&)>& visit) const {
  const Impl& g = *m_impl;
  for (std::size_t d = 0; d < g.count(kDistricts); ++d) {
    const DistrictEntry& district = g.districts[d];
    Postcode pc;
    pc.shape = PostcodeShape::valid;
    pc.level = PostcodeLevel::unit;
    pc.outward = g.district_keys[d];
    std::string outward = unpack_outward(pc.outward);
    std::memcpy(pc.text, outward.data(), outward.size());
    pc.text[outward.size()] = ' ';
    pc.length = static_cast<std::uint8_t>(outward.size() + 4);
    for (int w = 0; w < kWordsPerDistrict; ++w) {
      const UnitWord& word = g.unit_words[district.first_word + w];
      std::uint64_t bits = word.bits;
      const LocationRecord* record = g.units + word.rank;
      for (; bits; bits &= bits - 1, ++record) {
        int inward = w * 64 + std::countr_zero(bits);
        pc.inward = static_cast<InwardIndex>(inward);
        pc.sector = static_cast<std::int8_t>(inward / 676);
        pc.text[outward.size() + 1] = static_cast<char>('0' + inward / 676);
        pc.text[outward.size() + 2] = static_cast<char>('A' + inward / 26 % 26);
        pc.text[outward.size() + 3] = static_cast<char>('A' + inward % 26);
        GeocodeResult result;
        g.fill(result, *record, PostcodeLevel::unit);
        if (!(record->flags & kHasCoordinates)) {
          result.status = GeocodeStatus::no_coordinates;
          result.message = "postcode has no grid reference in the directory";
        } else if (result.terminated) {
          result.status = GeocodeStatus::terminated;
          result.message = "terminated postcode: its last location is given";
        } else {
          result.status = GeocodeStatus::ok;
        }
        visit(pc, result);
      }
    }
  }
}

std::string_view Gazetteer::metadata_json() const {
  return {m_impl->section<char>(kMetadata), m_impl->count(kMetadata)};
}

}  // namespace placedist::geo
