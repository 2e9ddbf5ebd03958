// Reading placements: telling SSDA903 episodes from plain files, choosing the episode open at the
// census date, and turning every unusable row into a row with a problem rather than an error.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "src/analysis/input_error.hpp"
#include "src/analysis/placement_input.hpp"

using namespace placedist::geo;
using namespace placedist::maps;
using namespace placedist::analysis;

namespace placedist::cli {
namespace {

namespace fs = std::filesystem;

fs::path folder() { return fs::path(PLACEDIST_TEST_WORK) / ("input_" + std::to_string(::getpid())); }

struct RemovedAtExit {
  ~RemovedAtExit() {
    std::error_code ec;
    fs::remove_all(folder(), ec);
  }
} removed_at_exit;

fs::path write(const std::string& name, const std::string& text) {
  // CTest runs these tests in parallel processes: each writes its own files.
  fs::path path = folder() / name;
  fs::create_directories(path.parent_path());
  std::ofstream(path) << text;
  return path;
}

std::vector<std::string> ids(const InputRead& read) {
  std::vector<std::string> out;
  for (const auto& row : read.rows) out.push_back(row.id);
  return out;
}

const char* const kEpisodes =
    "CHILD,HOME_POST,PL_POST,DECOM,RNE,LS,CIN,PLACE,DEC,REC,URN,UASC\n"
    // A: moved on 01/02/2017, open at 31 March 2017: the second episode counts.
    "A,HP20 1AA,HP13 6AA,01/06/2016,S,C2,N1,U1,01/02/2017,X1,,0\n"
    "A,HP20 1AA,MK9 1AA,01/02/2017,P,C2,N1,U4,,,,0\n"
    // B: ceased on the census date itself: not looked after at 31 March.
    "B,HP13 6AA,OX1 1AA,2016-05-01,S,C2,N2,K2,2017-03-31,E13,SC123456,0\n"
    // C: ceased the day after: looked after on 31 March. ISO dates are read too.
    "C,HP13 6AA,EX1 1AE,2015-05-01,S,C2,N4,U5,2017-04-01,E13,,1\n"
    // D: started after the census date.
    "D,SL7 1AA,SL7 1AA,05/04/2017,S,V2,N8,U1,,,,0\n"
    // E: two episodes open at once (bad data): the later start wins.
    "E,SL7 1AA,HP13 6AA,01/01/2016,S,C2,N1,U1,,,,0\n"
    "E,SL7 1AA,CF10 1AA,01/03/2016,P,C2,N1,U1,,,,0\n"
    // F: a start that is not a date: the row is reported, not dropped.
    "F,SL7 1AA,HP13 6AA,31/02/2016,S,C2,N1,U1,,,,0\n"
    // G: too few fields.
    "G,SL7 1AA,HP13 6AA\n";

TEST(PlacementInput, DatesInBothSsda903Forms) {
  auto iso = parse_date("2017-03-31");
  auto uk = parse_date("31/03/2017");
  ASSERT_TRUE(iso && uk);
  EXPECT_EQ(*iso, *uk);
  EXPECT_TRUE(parse_date("2017-03-31 00:00:00"));
  EXPECT_FALSE(parse_date("31/02/2017"));
  EXPECT_FALSE(parse_date("2017-3-31"));
  EXPECT_FALSE(parse_date(""));
  EXPECT_EQ(format_date(*uk), "2017-03-31");
}

TEST(PlacementInput, EpisodeOpenAtTheDefaultCensusDate) {
  InputRead read = read_placements(write("episodes.csv", kEpisodes), {});
  EXPECT_EQ(read.kind, InputKind::ssda903);
  ASSERT_TRUE(read.census_date);
  EXPECT_EQ(format_date(*read.census_date), "2017-03-31");  // the latest year in the file is 2017
  EXPECT_EQ(ids(read), (std::vector<std::string>{"A", "C", "E", "F", "G"}));
  EXPECT_EQ(read.rows[0].placement_postcode, "MK9 1AA");   // A's second episode
  EXPECT_EQ(read.rows[2].placement_postcode, "CF10 1AA");  // E's later start
  EXPECT_TRUE(read.rows[1].uasc);
  EXPECT_EQ(read.uasc_column, "UASC");
  EXPECT_EQ(read.rows[3].problem, "DECOM is not a date (YYYY-MM-DD or DD/MM/YYYY)");
  EXPECT_EQ(read.rows[4].problem, "row has 3 fields, the header has 12");
  EXPECT_EQ(read.records, 9u);
  EXPECT_EQ(read.superseded, 1u);
  EXPECT_EQ(read.not_open, 3u);  // A's first, B, D
}

TEST(PlacementInput, AnotherCensusDateAndEveryEpisode) {
  fs::path file = write("episodes.csv", kEpisodes);
  InputOptions at;
  at.at = parse_date("2016-12-31");
  InputRead read = read_placements(file, at);
  EXPECT_EQ(ids(read), (std::vector<std::string>{"A", "B", "C", "E", "F", "G"}));
  EXPECT_EQ(read.rows[0].placement_postcode, "HP13 6AA");  // A's first episode was open then

  InputOptions all;
  all.all_episodes = true;
  EXPECT_EQ(read_placements(file, all).rows.size(), 9u);
}

TEST(PlacementInput, PlainFileWithRenamedColumns) {
  fs::path file = write("plain.csv", "ref,from,to,flag\n1,HP20 1AA,HP13 6AA,yes\n2,HP20 1AA\n");
  InputOptions options;
  options.id_column = "ref";
  options.home_column = "FROM";
  options.placement_column = "to";
  options.uasc_column = "flag";
  InputRead read = read_placements(file, options);
  EXPECT_EQ(read.kind, InputKind::plain);
  ASSERT_EQ(read.rows.size(), 2u);
  EXPECT_EQ(read.rows[0].home_postcode, "HP20 1AA");
  EXPECT_TRUE(read.rows[0].uasc);
  EXPECT_EQ(read.rows[1].problem, "row has 2 fields, the header has 4");
  EXPECT_FALSE(read.census_date);
}

TEST(PlacementInput, SaysWhatIsMissing) {
  try {
    read_placements(write("nothing.csv", "name,postcode\nx,HP20 1AA\n"), {});
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("missing: home_postcode, placement_postcode"), std::string::npos) << e.what();
  }
  try {
    read_placements(write("half903.csv", "CHILD,HOME_POST,PL_POST\nA,HP20 1AA,HP13 6AA\n"), {});
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("lacks DECOM, DEC"), std::string::npos) << e.what();
  }
  InputOptions all;
  all.all_episodes = true;  // without dates every row is analysed
  EXPECT_EQ(read_placements(write("half903.csv", "CHILD,HOME_POST,PL_POST\nA,HP20 1AA,HP13 6AA\n"), all).rows.size(),
            1u);
  EXPECT_THROW(read_placements(write("empty.csv", ""), {}), InputError);
  EXPECT_THROW(read_placements(fs::path(PLACEDIST_TEST_WORK) / "absent.csv", {}), InputError);
  InputOptions wrong;
  wrong.home_column = "nope";
  EXPECT_THROW(read_placements(write("plain2.csv", "id,home_postcode,placement_postcode\n"), wrong), InputError);
}

}  // namespace
}  // namespace placedist::cli
