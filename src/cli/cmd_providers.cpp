// placedist providers demo [-o FILE] [--gazetteer FILE] [--published FILE] [--homes FILE] [--seed N]
//
// Writes the providers file `placedist serve --providers` reads (urn,name,type,postcode,places,
// synthetic) for the demo: the real Ofsted providers whose postcodes are published, plus, since
// Ofsted withholds children's homes' addresses, each council's real number of children's homes
// and places (by sector: private, local authority, voluntary, health authority) placed at live
// postcodes drawn at random inside that council (upper tier, from the gazetteer) with a fixed
// seed. Those rows say synthetic=true and their names begin "Synthetic".
#include <array>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <map>
#include <random>
#include <set>

#include "geo/data_dir.hpp"
#include "geo/gazetteer.hpp"
#include "geo/io/ascii_case.hpp"
#include "geo/io/atomic_file.hpp"
#include "geo/io/csv_reader.hpp"
#include "geo/io/csv_writer.hpp"
#include "src/cli/commands.hpp"
#include "src/cli/run_status.hpp"

using namespace placedist::geo;

namespace placedist::cli {
namespace {

struct DemoArgs {
  std::string output = "providers_demo.csv", gazetteer, published, homes;
  std::uint64_t seed = 20250331;
};

// "Bristol, City of" and "Bristol", "County Durham" and "Durham", "Southend-on-Sea" and
// "Southend on Sea" compare equal.
std::string name_key(std::string_view name) {
  std::string key;
  for (std::size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    if (c == '&')
      key += "and";
    else if (std::isalpha(static_cast<unsigned char>(c)))
      key.push_back(ascii_lower(c));
  }
  for (const char* noise : {"cityof", "countyof"})
    if (auto at = key.find(noise); at != std::string::npos) key.erase(at, std::strlen(noise));
  if (key.rfind("county", 0) == 0) key.erase(0, 6);
  return key;
}

int whole(std::string_view text) {
  int n = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || ptr != text.data() + text.size()) throw UsageError("not a whole number in the homes file");
  return n;
}

void row(std::string& out, std::initializer_list<std::string_view> fields) {
  bool first = true;
  for (std::string_view f : fields) {
    if (!first) out.push_back(',');
    first = false;
    append_csv_field(out, f);
  }
  out.push_back('\n');
}

void run_demo(const DemoArgs& args) {
  Gazetteer gazetteer =
      Gazetteer::open(args.gazetteer.empty() ? Gazetteer::default_path() : std::filesystem::path(args.gazetteer));
  std::string out = "urn,name,type,postcode,places,synthetic\n";
  std::size_t real = 0, synthetic = 0;

  // The real providers with published postcodes.
  CsvReader published(args.published.empty() ? data_file("providers/derived_2025_providers_with_published_postcode.csv")
                                             : std::filesystem::path(args.published));
  if (!published.next()) throw UsageError("the published providers file is empty");
  std::map<std::string, std::size_t> column;
  for (std::size_t i = 0; i < published.size(); ++i) column[std::string(published[i])] = i;
  for (const char* need : {"urn", "name", "provision_type", "postcode", "places"})
    if (!column.count(need)) throw UsageError(std::string("published providers file: no column ") + need);
  while (published.next()) {
    row(out, {published[column["urn"]], published[column["name"]], published[column["provision_type"]],
              published[column["postcode"]], published[column["places"]], "false"});
    ++real;
  }

  // Live units of every upper-tier council, in postcode order (so the draw is reproducible).
  std::map<std::string, std::string> council_by_key;  // name key -> code
  std::map<std::string, std::string> council_name;
  std::map<std::string, std::vector<std::array<char, 9>>> units;
  gazetteer.for_each_unit([&](const Postcode& pc, const GeocodeResult& r) {
    if (r.status != GeocodeStatus::ok || r.utla.empty()) return;
    std::string code(r.utla.code);
    auto& list = units[code];
    if (list.empty()) {
      council_by_key.emplace(name_key(r.utla.name), code);
      council_name[code] = r.utla.name;
    }
    std::array<char, 9> text{};
    std::memcpy(text.data(), pc.text, pc.length);
    list.push_back(text);
  });

  CsvReader homes(args.homes.empty() ? data_file("providers/derived_2025_childrens_homes_by_local_authority.csv")
                                     : std::filesystem::path(args.homes));
  if (!homes.next()) throw UsageError("the children's homes file is empty");
  std::map<std::string, std::size_t> hcol;
  for (std::size_t i = 0; i < homes.size(); ++i) hcol[std::string(homes[i])] = i;
  static const char* const kSectors[] = {"Private", "Local Authority", "Voluntary", "Health Authority"};
  for (const char* s : kSectors)
    if (!hcol.count(std::string("homes_") + s) || !hcol.count(std::string("places_") + s))
      throw UsageError(std::string("children's homes file: no column homes_/places_") + s);
  std::mt19937_64 random(args.seed);
  std::set<std::string> unmatched;
  while (homes.next()) {
    std::string la(homes[0]);
    auto code = council_by_key.find(name_key(la));
    if (code == council_by_key.end()) {
      unmatched.insert(la);
      continue;
    }
    const auto& pool = units[code->second];
    int number = 0;
    for (const char* sector : kSectors) {
      int n = whole(homes[hcol[std::string("homes_") + sector]]);
      int places = whole(homes[hcol[std::string("places_") + sector]]);
      for (int i = 0; i < n; ++i) {
        // The council's places in this sector shared out as evenly as whole numbers allow.
        int share = places / n + (i < places % n ? 1 : 0);
        const auto& postcode = pool[random() % pool.size()];
        char urn[48], name[160];
        std::snprintf(urn, sizeof urn, "SYN-%s-%03d", code->second.c_str(), ++number);
        std::snprintf(name, sizeof name, "Synthetic children's home %d, %s (%s)", number,
                      council_name[code->second].c_str(), sector);
        row(out, {urn, name, "Children's home", postcode.data(), std::to_string(share), "true"});
        ++synthetic;
      }
    }
  }
  AtomicFile file(args.output);
  file.write(out);
  file.commit();
  std::fprintf(stderr, "placedist: %zu real providers and %zu synthetic children's homes (seed %llu) written to %s\n",
               real, synthetic, static_cast<unsigned long long>(args.seed), args.output.c_str());
  for (const auto& la : unmatched)
    std::fprintf(stderr, "placedist: warning: no council in the gazetteer is named like %s; its homes are left out\n",
                 la.c_str());
  set_exit_code(unmatched.empty() ? kExitOk : kExitRowsFailed);
}

}  // namespace

void add_providers_command(CLI::App& app) {
  auto args = std::make_shared<DemoArgs>();
  CLI::App* providers = app.add_subcommand("providers", "Care provider files for coverage");
  providers->require_subcommand(1);
  CLI::App* demo = providers->add_subcommand(
      "demo", "Real providers with published postcodes plus synthetic children's homes at real per-council counts");
  demo->add_option("-o,--output", args->output, "Output CSV")->capture_default_str();
  demo->add_option("--gazetteer", args->gazetteer, "Gazetteer file (default: the built one in the cache)");
  demo->add_option("--published", args->published, "Providers with postcodes (default: $PLACEDIST_DATA/providers/...)");
  demo->add_option("--homes", args->homes, "Children's homes by council (default: $PLACEDIST_DATA/providers/...)");
  demo->add_option("--seed", args->seed, "Random seed for the synthetic postcodes")->capture_default_str();
  demo->callback([args] { run_demo(*args); });
}

}  // namespace placedist::cli
