#pragma once
// The on-disk layout of a gazetteer file (little-endian, memory-mapped as is).
// Change anything here and bump kGazetteerVersion: old files are then refused.
//
// Version 3: sections lie in the order of `Section`, each aligned to 64 bytes (a cache line, so
// that no 16-byte bitmap word straddles two), with only zero padding
// between them and none after the last; the header carries a CRC-32C of each section's bytes
// from its offset (the first: from the end of the header) to the next section's (padding
// included, so every byte after the header is covered) and a CRC-32C of the header itself (taken with header_crc32c
// zero). The header's is checked on every open; the sections' only by Gazetteer::verify() (gazetteer info --verify,
// serve at start), since reading every byte is what memory-mapping avoids.
#include <cstdint>

namespace placedist::geo::detail {

inline constexpr char kGazetteerMagic[8] = {'P', 'L', 'D', 'G', 'A', 'Z', '\r', '\n'};
inline constexpr std::uint32_t kGazetteerVersion = 3;
inline constexpr std::uint32_t kEndianCheck = 0x01020304;
inline constexpr std::uint16_t kNoCouncil = 0xFFFF;
inline constexpr int kWordsPerDistrict = 106;  // ceil(6760 inward codes / 64)

enum LocationFlags : std::uint8_t {
  kHasCoordinates = 1,
  kTerminated = 2,
  kTerminationInferred = 4,  // terminated because a live list (Code-Point) covering it lacks it
  kNorthernIreland = 8,      // grid reference converted from the Irish Grid by Helmert: nominal BNG
};

// One located thing: a unit postcode or a sector/district/area centroid. 24 bytes.
struct LocationRecord {
  std::int32_t easting_dm;  // British National Grid, decimetres
  std::int32_t northing_dm;
  std::int32_t lon_e7;  // WGS84, 1e-7 degrees
  std::int32_t lat_e7;
  std::uint16_t ltla;  // index into the council table, kNoCouncil if none
  std::uint16_t utla;
  std::uint8_t quality;  // the source's positional quality (Code-Point PQI, ONSPD osgrdind)
  std::uint8_t flags;    // LocationFlags
  std::uint8_t source;   // index of the source it came from (metadata "sources")
  std::uint8_t reserved;
};
static_assert(sizeof(LocationRecord) == 24);

// 64 of a district's 6760 possible inward codes: which exist, and how many units come before
// them in the file. Bits and count share a cache line, so a lookup costs one miss here.
struct UnitWord {
  std::uint64_t bits;
  std::uint32_t rank;
  std::uint32_t reserved;
};
static_assert(sizeof(UnitWord) == 16);

// A postcode district (outward code). Its units are found through kWordsPerDistrict UnitWords.
struct DistrictEntry {
  std::uint32_t first_word;    // index into unit_words
  std::uint32_t first_sector;  // index into sectors
  std::uint16_t sector_mask;   // bit d set when sector digit d exists
  std::uint16_t reserved;
  std::uint32_t unit_count;
  LocationRecord centroid;
};
static_assert(sizeof(DistrictEntry) == 40);

struct AreaEntry {
  std::uint32_t area;  // OutwardKey of the area letters
  std::uint32_t reserved;
  LocationRecord centroid;
};

struct CouncilEntry {
  char code[12];  // GSS code, NUL-padded
  std::uint32_t name_offset;
  std::uint32_t name_length;
};

enum Section : int {
  kDistrictKeys,  // uint32 OutwardKey, sorted
  kDistricts,     // DistrictEntry, parallel to kDistrictKeys
  kUnitWords,     // UnitWord
  kUnits,         // LocationRecord
  kSectors,       // LocationRecord
  kAreas,         // AreaEntry, sorted by area
  kCouncils,      // CouncilEntry
  kStrings,       // council names
  kMetadata,      // JSON text
  kSectionCount
};

inline constexpr std::size_t kSectionRecordSize[kSectionCount] = {4,
                                                                  sizeof(DistrictEntry),
                                                                  sizeof(UnitWord),
                                                                  sizeof(LocationRecord),
                                                                  sizeof(LocationRecord),
                                                                  sizeof(AreaEntry),
                                                                  sizeof(CouncilEntry),
                                                                  1,
                                                                  1};
inline constexpr const char* kSectionName[kSectionCount] = {
    "district keys", "districts", "unit bitmaps", "units", "sectors", "areas", "councils", "council names", "metadata"};

struct SectionEntry {
  std::uint64_t offset;
  std::uint64_t count;
};

struct FileHeader {
  char magic[8];
  std::uint32_t version;
  std::uint32_t endian_check;
  std::uint64_t file_size;
  SectionEntry sections[kSectionCount];
  std::uint32_t section_crc32c[kSectionCount];
  std::uint32_t header_crc32c;
};
static_assert(sizeof(FileHeader) == 208);

}  // namespace placedist::geo::detail
