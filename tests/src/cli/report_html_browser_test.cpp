// report.html, written by `placedist analyse` beside report.md, opened where people look: in
// headless Chromium (rendered, and printed to PDF, read back with poppler-utils). The demo's
// cohort (651 synthetic Buckinghamshire children, 2017, fixed seed) with --compare: the charts
// are there, every figure is in the published style of report.json (a "c" there is a "c" here),
// the file needs no network, and Buckinghamshire County's figures come from its successor,
// labelled. ctest label "browser".
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <regex>

#include <nlohmann/json.hpp>

#include "geo/built_gazetteer.hpp"
#include "geo/data_dir.hpp"
#include "src/cli/run_placedist.hpp"
#include "src/serve/browser.hpp"

namespace placedist {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

fs::path analysed_demo() {
  static fs::path out = [] {
    fs::path folder = fs::path(PLACEDIST_TEST_WORK) / ("report_html_" + std::to_string(::getpid()));
    fs::remove_all(folder);
    fs::create_directories(folder);
    fs::path gazetteer = testing::codepoint_2018_gazetteer();
    testing::CliRun cohort = testing::run_placedist(
        "cohort --la E10000002 --children 651 --year 2017 --seed 20170331 -o " + (folder / "cohort.csv").string());
    EXPECT_EQ(cohort.exit_code, 0) << cohort.err;
    testing::CliRun run = testing::run_placedist("analyse " + (folder / "cohort.csv").string() +
                                                 " --la Buckinghamshire --compare --no-layers --gazetteer " +
                                                 gazetteer.string() + " --out " + (folder / "out").string());
    EXPECT_LE(run.exit_code, 1) << run.err;
    return folder / "out";
  }();
  return out;
}

std::string read(const fs::path& file) { return testing::slurp(file); }

TEST(ReportHtml, IsSelfContainedWithChartsAtThePublishedPrecision) {
  const std::string html = read(analysed_demo() / "report.html");
  const json report = json::parse(read(analysed_demo() / "report.json"));
  ASSERT_GT(html.size(), 1000u);
  // No network and no script: nothing to fetch, nothing to run.
  EXPECT_FALSE(std::regex_search(html, std::regex("(src|href)=\"[a-z]+:", std::regex::icase)));
  EXPECT_EQ(html.find("<script"), std::string::npos);
  for (const char* chart :
       {"class=\"chart bands\"", "class=\"chart inside\"", "class=\"chart destinations\"", "class=\"chart history\""})
    EXPECT_NE(html.find(chart), std::string::npos) << chart;
  // The distance bands as report.json publishes them: "45% (123)", or "c (c)".
  for (const json& band : report["distance_bands"]) {
    const std::string p = band["published_style"]["percentage"], n = band["published_style"]["count"];
    const std::string shown = (p == "c" || p == "k" ? p : p + "%") + " (" + n + ")";
    EXPECT_NE(html.find(">" + shown + "</text>"), std::string::npos) << shown;
  }
  // The destination councils: as report.json publishes them (a "c" there is a "c" here).
  std::size_t shown_councils = 0;
  for (const json& d : report["destinations"]) {
    const std::string name = d["name"], shown = d["published_style"];
    std::smatch m;
    if (!std::regex_search(html, m,
                           std::regex(">" + std::regex_replace(name, std::regex("[()]"), "\\$&") +
                                      "</text>(?:<rect[^>]*/>)?<text class=\"value\"[^>]*>([^<]*)<")))
      continue;  // beyond the ten shown
    EXPECT_EQ(m[1], shown) << name;
    ++shown_councils;
  }
  EXPECT_EQ(shown_councils, std::min<std::size_t>(10, report["destinations"].size()));
  // Buckinghamshire County (E10000002) is published under its successor, said so.
  EXPECT_NE(html.find("E10000002 is not published under its own code"), std::string::npos);
  EXPECT_NE(html.find("(E06000060), its successor"), std::string::npos);
  // Over the years, beside its region and England, as published (2021 and 2025 rows of the file).
  auto bar = [&](const std::string& label, const std::string& css) {
    std::smatch m;
    if (!std::regex_search(html, m,
                           std::regex(">" + label + "</text><rect class=\"bar " + css +
                                      "\"[^>]*/><text class=\"value\"[^>]*>([^<]*)<")))
      return std::string("(missing)");
    return std::string(m[1]);
  };
  EXPECT_EQ(bar("31 March 2021: Buckinghamshire", "council"), "55%");
  EXPECT_EQ(bar("31 March 2021: South East", "region"), "63%");
  EXPECT_EQ(bar("31 March 2021: England", "england"), "73%");
  EXPECT_EQ(bar("31 March 2025: Buckinghamshire", "council"), "45%");
  EXPECT_EQ(bar("31 March 2025: South East", "region"), "56%");
  EXPECT_EQ(bar("31 March 2025: England", "england"), "69%");
}

TEST(ReportHtml, TheOverviewMapShowsTheReportsCountsAndNoneOfOneToFive) {
  const std::string html = read(analysed_demo() / "report.html");
  const json report = json::parse(read(analysed_demo() / "report.json"));
  ASSERT_NE(html.find("<svg class=\"map placements\""), std::string::npos);
  std::map<std::string, std::string> shown;  // council code -> data-placements
  const std::regex path("<path class=\"council( responsible)?\" data-code=\"([A-Z0-9]+)\" data-placements=\"([0-9c]+)\"");
  std::size_t responsible = 0;
  for (auto it = std::sregex_iterator(html.begin(), html.end(), path); it != std::sregex_iterator(); ++it) {
    shown[(*it)[2]] = (*it)[3];
    if ((*it)[1].matched) ++responsible;
    const std::string n = (*it)[3];
    if (n != "c") EXPECT_TRUE(std::stoi(n) == 0 || std::stoi(n) > 5) << (*it)[2] << " shows " << n;
  }
  EXPECT_GT(shown.size(), 10u);
  EXPECT_EQ(responsible, 1u);
  // Every destination council the report names: the same figure (a "c" there is a "c" here).
  std::size_t checked = 0;
  for (const json& d : report["destinations"]) {
    auto it = shown.find(d["code"].get<std::string>());
    if (it == shown.end()) continue;  // not in these boundaries (another nation)
    // The map may suppress more (secondarily, against the report's total), never less.
    if (d["published_style"] == "c") EXPECT_EQ(it->second, "c") << d["name"];
    if (it->second != "c") EXPECT_EQ(std::stoull(it->second), d["count"].get<std::uint64_t>()) << d["name"];
    ++checked;
  }
  EXPECT_GE(checked, 10u);
  EXPECT_NE(shown["E10000015"], "");  // Hertfordshire, where the demo places most outside
}

TEST(ReportHtml, RendersAndPrintsInChromium) {
  ASSERT_FALSE(testing::chromium().empty());
  const fs::path html = analysed_demo() / "report.html";
  const std::string dom = testing::run_chromium("--dump-dom", "file://" + html.string());
  const std::regex svg("<svg ");
  EXPECT_GE(std::distance(std::sregex_iterator(dom.begin(), dom.end(), svg), std::sregex_iterator()), 4);
  const fs::path pdf = fs::path(PLACEDIST_TEST_WORK) / "report_demo.pdf";
  fs::remove(pdf);
  testing::run_chromium("--no-pdf-header-footer --print-to-pdf=" + pdf.string(), "file://" + html.string());
  ASSERT_TRUE(fs::exists(pdf));
  const std::string info = testing::command_output("pdfinfo " + pdf.string());
  std::smatch size;
  ASSERT_TRUE(std::regex_search(info, size, std::regex("Page size: +([0-9.]+) x ([0-9.]+) pts"))) << info;
  EXPECT_NEAR(std::stod(size[1]), 595.3, 1.0);  // A4 portrait
  EXPECT_NEAR(std::stod(size[2]), 841.9, 1.0);
  const std::string text = testing::command_output("pdftotext " + pdf.string() + " -");
  for (const char* want : {"Location of care placements", "Distance from home", "Inside and outside the council",
                           "Councils placed in", "The DfE's published figures over the years", "31 March 2021", "South East", "England"})
    EXPECT_NE(text.find(want), std::string::npos) << want << "\n" << text.substr(0, 3000);
  std::cout << "report.html " << fs::file_size(html) << " bytes; PDF " << pdf << '\n';
}

}  // namespace
}  // namespace placedist
