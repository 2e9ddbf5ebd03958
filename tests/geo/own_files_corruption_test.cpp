// placedist's own files damaged in place (issue 13): every byte of the headers and 10,000 random
// bytes of a real gazetteer (.pdg) and road network (.pdr), flipped one at a time. Each open must
// refuse with a message naming the file (a data outcome: exit 3) or answer without a crash, and
// verify() must catch every flipped byte after the header. Each flip runs in a child process, so
// a crash is counted (and fails the test) rather than ending it.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "geo/built_gazetteer.hpp"
#include "geo/data_dir.hpp"
#include "geo/gazetteer.hpp"
#include "geo/gazetteer_format.hpp"
#include "geo/io/csv_reader.hpp"
#include "geo/roads/osm_reader.hpp"
#include "geo/roads/road_network.hpp"
#include "geo/roads/road_query.hpp"

namespace placedist {
namespace {

namespace fs = std::filesystem;
using namespace geo;

// What a child reports by its exit status.
enum Verdict : int {
  kAnsweredAndCaught = 0,  // opened, answered lookups, and verify() found the damage
  kVerifyMissed = 2,       // opened, answered, and verify() passed (damage missed unless a header byte)
  kRefused = 3,            // refused, naming the file, as a data outcome
  kRefusedBadly = 4,       // refused without naming the file, or as something else
};

struct Tally {
  std::size_t flips = 0, refused = 0, answered = 0, crashed = 0, verify_missed = 0, refused_badly = 0;
  std::size_t payload_flips = 0, payload_caught = 0;  // payload: refused at open or caught by verify()
  std::size_t header_refused = 0;
  void count(int status, bool payload) {
    ++flips;
    payload_flips += payload;
    if (!payload && WIFEXITED(status) && WEXITSTATUS(status) == kRefused) ++header_refused;
    if (!WIFEXITED(status)) {
      ++crashed;
      return;
    }
    switch (WEXITSTATUS(status)) {
      case kAnsweredAndCaught: ++answered, payload_caught += payload; break;
      case kVerifyMissed: ++answered, verify_missed += payload; break;
      case kRefused: ++refused, payload_caught += payload; break;
      default: ++refused_badly; break;
    }
  }
  std::string describe() const {
    return std::to_string(flips) + " flips: refused " + std::to_string(refused) + ", answered " +
           std::to_string(answered) + ", crashed " + std::to_string(crashed) + "; payload flips " +
           std::to_string(payload_flips) + ", caught " + std::to_string(payload_caught) + " (verify missed " +
           std::to_string(verify_missed) + "); header flips refused " + std::to_string(header_refused) +
           "; refused badly " + std::to_string(refused_badly);
  }
};

void write_byte(const fs::path& path, std::uint64_t offset, unsigned char value) {
  std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
  f.seekp(static_cast<std::streamoff>(offset));
  f.put(static_cast<char>(value));
}

unsigned char read_byte(const fs::path& path, std::uint64_t offset) {
  std::ifstream f(path, std::ios::binary);
  f.seekg(static_cast<std::streamoff>(offset));
  return static_cast<unsigned char>(f.get());
}

// The offsets to flip: every header byte, then `random` distinct payload bytes (fixed seed).
std::vector<std::uint64_t> offsets_to_flip(std::uint64_t header, std::uint64_t size, std::size_t random) {
  std::vector<std::uint64_t> out;
  for (std::uint64_t i = 0; i < header; ++i) out.push_back(i);
  std::mt19937_64 rng(13);
  std::uniform_int_distribution<std::uint64_t> pick(header, size - 1);
  std::vector<bool> taken(size, false);
  while (out.size() < header + std::min<std::uint64_t>(random, size - header)) {
    std::uint64_t at = pick(rng);
    if (!taken[at]) taken[at] = true, out.push_back(at);
  }
  return out;
}

// Flips each byte in turn (all bits), runs `probe` in a child on the damaged file, restores it.
Tally flip_each(const fs::path& path, std::uint64_t header, std::size_t random, int (*probe)(const fs::path&)) {
  Tally tally;
  for (std::uint64_t at : offsets_to_flip(header, fs::file_size(path), random)) {
    unsigned char original = read_byte(path, at);
    write_byte(path, at, original ^ 0xFF);
    std::fflush(nullptr);
    pid_t child = fork();
    if (child == 0) _exit(probe(path));
    int status = 0;
    waitpid(child, &status, 0);
    tally.count(status, at >= header);
    write_byte(path, at, original);
  }
  return tally;
}

int refusal(const std::exception& e, const fs::path& path, bool data_outcome) {
  return data_outcome && std::string(e.what()).find(path.string()) != std::string::npos ? kRefused : kRefusedBadly;
}

// A gazetteer from the ONSPD sample: units live and terminated, sectors, districts, areas and
// council names, 8,048 postcodes.
fs::path sample_gazetteer() {
  fs::path built = testing::built_gazetteer(
      "onspd_sample",
      {{{GazetteerSource::Kind::directory, data_file("postcodes/onspd_sample_postcodes_io/onspd_seed_postcode.csv")}},
       {},
       {data_file("postcodes/onspd_sample_postcodes_io/gss_names_districts.json")},
       {},
       {}});
  fs::path copy = fs::path(PLACEDIST_TEST_WORK) / ("corrupt_" + std::to_string(::getpid()) + ".pdg");
  fs::copy_file(built, copy, fs::copy_options::overwrite_existing);
  return copy;
}

std::vector<std::string> sample_postcodes() {
  std::vector<std::string> out;
  CsvReader csv(data_file("postcodes/onspd_sample_postcodes_io/onspd_seed_postcode.csv"));
  csv.next();
  for (std::size_t row = 0; csv.next(); ++row)
    if (row % 40 == 0) out.emplace_back(csv[2]);  // pcds: 202 of them
  for (const char* partial : {"AB10", "AB1", "AB10 1", "AB", "HP20", "HP", "JE2 4WD", "ZZ99 3VZ", "S01 0AA"})
    out.emplace_back(partial);
  return out;
}

int probe_gazetteer(const fs::path& path) {
  static const std::vector<std::string> postcodes = sample_postcodes();
  try {
    Gazetteer g = Gazetteer::open(path);
    std::size_t located = 0;
    for (const std::string& typed : postcodes) {
      Postcode pc = g.parse(typed);
      GeocodeResult r = g.lookup(pc);
      located += r.located() + r.ltla.name.size() + r.utla.code.size();
      located += g.units_within(pc) + g.units_within(pc, "S12000033");
    }
    std::vector<Postcode> batch;
    for (const std::string& typed : postcodes) batch.push_back(parse_postcode(typed));
    std::vector<GeocodeResult> results(batch.size());
    g.lookup(batch, results);
    g.for_each_unit([&](const Postcode&, const GeocodeResult& r) { located += r.ltla.code.size(); });
    for (std::size_t c = 0; c < g.council_count(); ++c) located += g.council(c).name.size();
    located += g.metadata_json().size();
    if (located == 0) std::fputs("", stderr);  // keep the work observable
    try {
      g.verify();
    } catch (const GazetteerError& e) {
      return std::string(e.what()).find(path.string()) != std::string::npos ? kAnsweredAndCaught : kRefusedBadly;
    }
    return kVerifyMissed;  // for header flips the parent counts this as answered, unchecked
  } catch (const GazetteerError& e) {
    return refusal(e, path, group(e.outcome()) == OutcomeGroup::data);
  } catch (const std::exception& e) {
    return refusal(e, path, false);
  }
}

TEST(OwnFilesCorruption, GazetteerEveryHeaderByteAndTenThousandPayloadBytes) {
  fs::path path = sample_gazetteer();
  ASSERT_EQ(probe_gazetteer(path), kVerifyMissed);  // undamaged: opens, answers, verifies clean
  Tally t = flip_each(path, sizeof(detail::FileHeader), 10'000, probe_gazetteer);
  std::printf("gazetteer %ju bytes, %s\n", static_cast<std::uintmax_t>(fs::file_size(path)), t.describe().c_str());
  EXPECT_EQ(t.flips, sizeof(detail::FileHeader) + 10'000);
  EXPECT_EQ(t.crashed, 0u) << t.describe();
  EXPECT_EQ(t.refused_badly, 0u) << t.describe();
  EXPECT_EQ(t.verify_missed, 0u) << t.describe();
  EXPECT_EQ(t.payload_caught, t.payload_flips) << t.describe();
  EXPECT_EQ(t.header_refused, sizeof(detail::FileHeader)) << t.describe();  // the header's own checksum
  fs::remove(path);
}

// Monaco's roads (OSM, with turn restrictions, so junction copies too), as a network file.
fs::path monaco_network() {
  roads::OsmRoadReader reader;
  reader.add_file(data_file("roads/test_extracts/monaco.osm.pbf"));
  fs::path path = fs::path(PLACEDIST_TEST_WORK) / ("corrupt_" + std::to_string(::getpid()) + ".pdr");
  fs::create_directories(path.parent_path());
  roads::build_network_file(reader.finish(), path);
  return path;
}

int probe_network(const fs::path& path) {
  try {
    auto net = roads::RoadNetwork::load(path);
    roads::RoadQuery q(net);
    // Around Monaco: the harbour, Monte Carlo casino, Fontvieille, the station, Larvotto.
    const std::vector<LonLat> places = {
        {7.4236, 43.7347}, {7.4277, 43.7396}, {7.4160, 43.7297}, {7.4197, 43.7386}, {7.4355, 43.7450}};
    double total = 0;
    for (const LonLat& a : places)
      for (const LonLat& b : places) {
        roads::RoadResult r = q.route(a, b);
        total += r.status == roads::RoadStatus::ok ? r.fastest_seconds : 0;
        if (r.status == roads::RoadStatus::ok) total += q.route_geometry(a, b, roads::Metric::fastest).points.size();
      }
    for (const roads::RoadResult& r : q.matrix(places, places)) total += r.shortest_metres;
    if (total < 0) std::fputs("", stderr);
    try {
      net->verify();
    } catch (const std::runtime_error& e) {
      return std::string(e.what()).find(path.string()) != std::string::npos ? kAnsweredAndCaught : kRefusedBadly;
    }
    return kVerifyMissed;
  } catch (const std::runtime_error& e) {
    return refusal(e, path, true);  // std::runtime_error: the command's exit 3
  } catch (const std::exception& e) {
    return refusal(e, path, false);
  }
}

TEST(OwnFilesCorruption, RoadNetworkEveryHeaderByteAndTenThousandPayloadBytes) {
  fs::path path = monaco_network();
  ASSERT_EQ(probe_network(path), kVerifyMissed);  // undamaged: loads, routes, verifies clean
  constexpr std::uint64_t kHeader = 24;           // magic, version, byte order
  Tally t = flip_each(path, kHeader, 10'000, probe_network);
  std::printf("road network %ju bytes, %s\n", static_cast<std::uintmax_t>(fs::file_size(path)), t.describe().c_str());
  EXPECT_EQ(t.flips, kHeader + 10'000);
  EXPECT_EQ(t.crashed, 0u) << t.describe();
  EXPECT_EQ(t.refused_badly, 0u) << t.describe();
  EXPECT_EQ(t.verify_missed, 0u) << t.describe();
  EXPECT_EQ(t.payload_caught, t.payload_flips) << t.describe();
  EXPECT_EQ(t.header_refused, kHeader) << t.describe();  // magic, version and byte order are exact
  fs::remove(path);
}

}  // namespace
}  // namespace placedist
