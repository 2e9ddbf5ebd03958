// `placedist providers demo`: the real providers with published postcodes, and each council's
// real number of children's homes and places at synthetic postcodes inside that council.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "geo/built_gazetteer.hpp"
#include "geo/data_dir.hpp"
#include "geo/io/csv_reader.hpp"

using namespace placedist::geo;

namespace placedist {
namespace {

namespace fs = std::filesystem;

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(ProvidersDemo, RealCountsPerCouncilAtPostcodesInsideIt) {
  fs::path gazetteer = testing::built_gazetteer("providers_default", default_gazetteer_options());
  fs::path work = fs::path(PLACEDIST_TEST_WORK);
  fs::path a = work / "providers_demo_a.csv", b = work / "providers_demo_b.csv";
  for (const fs::path& out : {a, b}) {
    std::string command = std::string(PLACEDIST_BINARY) + " providers demo --gazetteer " + gazetteer.string() + " -o " +
                          out.string() + " 2>/dev/null";
    int status = std::system(command.c_str());
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  EXPECT_EQ(slurp(a), slurp(b));  // fixed seed: the same file every time

  Gazetteer g = Gazetteer::open(gazetteer);
  std::map<std::string, int> homes, places;  // by council code
  std::size_t real = 0, synthetic = 0;
  CsvReader csv(a);
  ASSERT_TRUE(csv.next());
  ASSERT_EQ(csv.raw(), "urn,name,type,postcode,places,synthetic");
  while (csv.next()) {
    if (csv[5] == "false") {
      ++real;
      continue;
    }
    ++synthetic;
    std::string urn(csv[0]);
    ASSERT_EQ(urn.substr(0, 4), "SYN-");
    ASSERT_EQ(std::string(csv[1]).rfind("Synthetic", 0), 0u);
    std::string council = urn.substr(4, 9);
    GeocodeResult r = g.lookup(csv[3]);
    ASSERT_EQ(r.status, GeocodeStatus::ok) << csv[3];
    ASSERT_EQ(r.utla.code, council) << csv[3];  // inside its council
    ++homes[council];
    places[council] += std::stoi(std::string(csv[4]));
  }
  EXPECT_EQ(real, 687u);
  EXPECT_EQ(synthetic, 4009u);  // PROVENANCE: 4,009 homes and 15,742 places in 147 LAs
  int total_places = 0;
  for (auto& [code, n] : places) total_places += n;
  EXPECT_EQ(total_places, 15742);
  EXPECT_EQ(homes.size(), 147u);
  EXPECT_EQ(homes["E06000060"], 23);  // Buckinghamshire 23 homes / 123 places
  EXPECT_EQ(places["E06000060"], 123);
  EXPECT_EQ(homes["E06000042"], 13);  // Milton Keynes 13 / 52
  EXPECT_EQ(places["E06000042"], 52);
  fs::remove(a);
  fs::remove(b);
}

}  // namespace
}  // namespace placedist
