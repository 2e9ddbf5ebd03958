#include "src/analysis/placement_input.hpp"

#include <algorithm>
#include <charconv>
#include <map>
#include <memory>

#include "geo/io/csv_reader.hpp"
#include "src/analysis/input_error.hpp"

using namespace placedist::geo;
using namespace placedist::maps;

namespace placedist::analysis {
namespace {

using std::chrono::year_month_day;

std::string upper(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::toupper(c); });
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

int find_column(const std::vector<std::string>& header, std::initializer_list<std::string_view> names) {
  for (std::string_view name : names)
    for (std::size_t i = 0; i < header.size(); ++i)
      if (header[i] == upper(name)) return static_cast<int>(i);
  return -1;
}

// An explicit override must exist; else the first of the usual names.
int choose(const std::vector<std::string>& header, const std::string& wanted,
           std::initializer_list<std::string_view> names) {
  if (!wanted.empty()) {
    int i = find_column(header, {wanted});
    if (i < 0) throw InputError("no column named '" + wanted + "' in the header");
    return i;
  }
  return find_column(header, names);
}

bool truthy(std::string_view value) {
  std::string v = upper(trim(value));
  return v == "1" || v == "Y" || v == "YES" || v == "TRUE" || v == "T";
}

int number(std::string_view s, bool& ok) {
  int value = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  ok = ok && ec == std::errc() && ptr == s.data() + s.size();
  return value;
}

struct Field {
  const CsvReader& csv;
  std::string_view operator()(int column) const {
    return column >= 0 && static_cast<std::size_t>(column) < csv.size() ? trim(csv[column]) : std::string_view();
  }
};

}  // namespace

const char* to_string(InputKind kind) { return kind == InputKind::ssda903 ? "SSDA903 episodes" : "plain placements"; }

std::optional<year_month_day> parse_date(std::string_view text) {
  text = trim(text);
  if (text.size() > 10 && (text[10] == ' ' || text[10] == 'T')) text = text.substr(0, 10);
  bool ok = true;
  int y = 0, m = 0, d = 0;
  if (text.size() == 10 && text[4] == '-' && text[7] == '-') {
    y = number(text.substr(0, 4), ok), m = number(text.substr(5, 2), ok), d = number(text.substr(8, 2), ok);
  } else if (text.size() == 10 && text[2] == '/' && text[5] == '/') {
    d = number(text.substr(0, 2), ok), m = number(text.substr(3, 2), ok), y = number(text.substr(6, 4), ok);
  } else {
    return std::nullopt;
  }
  year_month_day date{std::chrono::year(y), std::chrono::month(static_cast<unsigned>(m)),
                      std::chrono::day(static_cast<unsigned>(d))};
  if (!ok || !date.ok() || y < 1900 || y > 2200) return std::nullopt;
  return date;
}

std::string format_date(year_month_day date) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  return buffer;
}

namespace {

// The header row, upper-cased and trimmed, and its UASC column (-1 when none).
struct Header {
  std::vector<std::string> names;
  int uasc = -1;
  std::size_t width() const { return names.size(); }
};

// An SSDA903 episodes file's columns (-1 when absent).
struct EpisodeColumns {
  int child, home_post, pl_post, decom, dec;
};

std::string width_problem(const CsvReader& csv, std::size_t width) {
  return "row has " + std::to_string(csv.size()) + " fields, the header has " + std::to_string(width);
}

InputRead read_plain(CsvReader& csv, const Header& header, const InputOptions& options, InputRead read) {
  read.kind = InputKind::plain;
  int id = choose(header.names, options.id_column, {"id", "child_id", "child", "ref"});
  int home = choose(header.names, options.home_column, {"home_postcode", "home_post", "home_pc", "home"});
  int placement =
      choose(header.names, options.placement_column, {"placement_postcode", "pl_post", "placement_pc", "placement"});
  if (home < 0 || placement < 0) {
    std::string missing;
    if (home < 0) missing += "home_postcode";
    if (placement < 0) missing += std::string(missing.empty() ? "" : ", ") + "placement_postcode";
    throw InputError(
        "the header fits neither input shape: a placements file needs id, home_postcode and "
        "placement_postcode (missing: " +
        missing +
        "; name them with --home-column/--placement-column), and an SSDA903 episodes file needs "
        "CHILD, HOME_POST, PL_POST, DECOM and DEC");
  }
  if (id < 0) read.notes.push_back("no id column: rows are numbered by their input line");
  Field field{csv};
  while (csv.next()) {
    ++read.records;
    PlacementInput in;
    in.line = csv.line();
    in.id = id >= 0 ? std::string(field(id)) : std::to_string(csv.line());
    in.home_postcode = field(home);
    in.placement_postcode = field(placement);
    in.uasc = header.uasc >= 0 && truthy(field(header.uasc));
    if (csv.size() < header.width()) in.problem = width_problem(csv, header.width());
    if (!csv.problem().empty()) in.problem = csv.problem();
    read.rows.push_back(std::move(in));
  }
  return read;
}

// Throws when the columns an SSDA903 analysis needs are missing.
void check_episode_columns(const EpisodeColumns& c, const InputOptions& options) {
  std::vector<std::string> missing;
  if (c.home_post < 0) missing.push_back("HOME_POST");
  if (c.pl_post < 0) missing.push_back("PL_POST");
  if (c.decom < 0 && !options.all_episodes) missing.push_back("DECOM");
  if (c.dec < 0 && !options.all_episodes) missing.push_back("DEC");
  if (missing.empty()) return;
  std::string list;
  for (const auto& m : missing) list += (list.empty() ? "" : ", ") + m;
  throw InputError("this looks like an SSDA903 episodes file (it has CHILD) but lacks " + list +
                   (options.all_episodes ? ""
                                         : " (DECOM and DEC pick the episode open at the census date; "
                                           "--all-episodes analyses every row without them)"));
}

struct Episode {
  PlacementInput input;
  std::optional<year_month_day> start, end;
  bool bad = false;
};

// The current row as an episode; `latest_year` grows to the latest year of its dates.
Episode read_episode(const CsvReader& csv, const Header& header, const EpisodeColumns& c, int& latest_year) {
  Field field{csv};
  Episode e;
  e.input.line = csv.line();
  e.input.id = field(c.child);
  e.input.home_postcode = field(c.home_post);
  e.input.placement_postcode = field(c.pl_post);
  e.input.uasc = header.uasc >= 0 && truthy(field(header.uasc));
  if (!csv.problem().empty()) {
    e.input.problem = csv.problem();
  } else if (csv.size() < header.width()) {
    e.input.problem = width_problem(csv, header.width());
  } else if (e.input.id.empty()) {
    e.input.problem = "CHILD is empty";
  }
  if (c.decom >= 0) {
    std::string_view text = field(c.decom);
    e.start = parse_date(text);
    if (!e.start && e.input.problem.empty())
      e.input.problem = text.empty() ? "DECOM is empty" : "DECOM is not a date (YYYY-MM-DD or DD/MM/YYYY)";
    if (e.start) latest_year = std::max(latest_year, static_cast<int>(e.start->year()));
  }
  if (c.dec >= 0 && !field(c.dec).empty()) {
    e.end = parse_date(field(c.dec));
    if (!e.end && e.input.problem.empty()) e.input.problem = "DEC is not a date (YYYY-MM-DD or DD/MM/YYYY)";
    if (e.end) latest_year = std::max(latest_year, static_cast<int>(e.end->year()));
  }
  e.bad = !e.input.problem.empty();
  return e;
}

// Into `read.rows`, per child, the episode open at `read.census_date` with the latest start
// (ties: the later row), and the bad rows of children without one.
void keep_open_episodes(std::vector<Episode>& episodes, InputRead& read) {
  const std::chrono::sys_days at{*read.census_date};
  std::map<std::string, std::size_t> chosen;
  for (std::size_t i = 0; i < episodes.size(); ++i) {
    const Episode& e = episodes[i];
    if (e.bad) continue;
    bool open = std::chrono::sys_days{*e.start} <= at && (!e.end || std::chrono::sys_days{*e.end} > at);
    if (!open) {
      ++read.not_open;
      continue;
    }
    auto [it, fresh] = chosen.try_emplace(e.input.id, i);
    if (!fresh) {
      ++read.superseded;
      if (std::chrono::sys_days{*episodes[it->second].start} <= std::chrono::sys_days{*e.start}) it->second = i;
    }
  }
  std::vector<bool> keep(episodes.size(), false);
  for (const auto& [id, i] : chosen) keep[i] = true;
  // A row that cannot be judged is reported, unless its child has a good open episode anyway.
  std::uint64_t bad_dropped = 0;
  for (std::size_t i = 0; i < episodes.size(); ++i) {
    if (!episodes[i].bad) continue;
    if (chosen.count(episodes[i].input.id))
      ++bad_dropped;
    else
      keep[i] = true;
  }
  for (std::size_t i = 0; i < episodes.size(); ++i)
    if (keep[i]) read.rows.push_back(std::move(episodes[i].input));
  if (read.superseded)
    read.notes.push_back(std::to_string(read.superseded) +
                         " children had more than one episode open at the census date: the latest was used");
  if (bad_dropped)
    read.notes.push_back(std::to_string(bad_dropped) +
                         " unreadable rows belong to children with a good open episode and were left out");
}

InputRead read_ssda903(CsvReader& csv, const Header& header, const EpisodeColumns& c, const InputOptions& options,
                       InputRead read) {
  read.kind = InputKind::ssda903;
  check_episode_columns(c, options);
  std::vector<Episode> episodes;
  int latest_year = 0;
  while (csv.next()) {
    ++read.records;
    episodes.push_back(read_episode(csv, header, c, latest_year));
  }
  if (options.all_episodes) {
    for (Episode& e : episodes) read.rows.push_back(std::move(e.input));
    return read;
  }
  if (options.at) {
    read.census_date = options.at;
  } else if (latest_year > 0) {
    read.census_date = year_month_day{std::chrono::year(latest_year), std::chrono::March, std::chrono::day(31)};
  }
  if (!read.census_date) {
    for (Episode& e : episodes) read.rows.push_back(std::move(e.input));  // every row is bad: say why on each
    return read;
  }
  keep_open_episodes(episodes, read);
  return read;
}

InputRead read_records(CsvReader& csv, const InputOptions& options) {
  csv.set_lenient(options.lenient);
  if (!csv.next()) throw InputError("the input is empty: a header row is needed");
  if (!csv.problem().empty()) throw InputError("the header row is damaged: " + csv.problem());
  Header header;
  for (std::string_view name : csv.fields()) header.names.push_back(upper(trim(name)));

  InputRead read;
  header.uasc = choose(header.names, options.uasc_column, {"UASC", "IS_UASC", "UASC_FLAG", "UNACCOMPANIED"});
  if (header.uasc >= 0) read.uasc_column = header.names[static_cast<std::size_t>(header.uasc)];

  const EpisodeColumns c{find_column(header.names, {"CHILD"}), find_column(header.names, {"HOME_POST"}),
                         find_column(header.names, {"PL_POST"}), find_column(header.names, {"DECOM"}),
                         find_column(header.names, {"DEC"})};
  const bool looks_903 = c.child >= 0 && (c.home_post >= 0 || c.pl_post >= 0 || c.decom >= 0);
  if (!looks_903) return read_plain(csv, header, options, std::move(read));
  return read_ssda903(csv, header, c, options, std::move(read));
}

}  // namespace

InputRead read_placements(const std::filesystem::path& path, const InputOptions& options) {
  std::unique_ptr<CsvReader> csv;
  try {
    csv = std::make_unique<CsvReader>(path);
  } catch (const CsvError& e) {
    throw InputError(e.what());
  }
  return read_records(*csv, options);
}

InputRead read_placements_text(std::string_view text, const InputOptions& options) {
  CsvReader csv = CsvReader::from_text(text);
  return read_records(csv, options);
}

}  // namespace placedist::analysis
