#pragma once
// Reading the placements to analyse from CSV, in either of two shapes told apart by the header:
//  - an SSDA903 episodes file (CHILD, HOME_POST, PL_POST, DECOM, DEC, ... one row per episode):
//    the episode open at a census date is analysed for each child (DECOM <= date and DEC blank
//    or after it; the latest DECOM wins if a child has several), or every episode;
//  - a plain file: id, home_postcode, placement_postcode (names overridable, id optional).
// An unaccompanied asylum-seeking child is marked by a flag column (UASC, IS_UASC, ...; values
// 1/Y/YES/TRUE). The SSDA903 episode codes cannot show it reliably (CIN N8 "absent parenting"
// covers other children), so no code is guessed from.
// Dates: YYYY-MM-DD or DD/MM/YYYY (what SSDA903 extracts use), optionally followed by a time.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "maps/placement.hpp"

namespace placedist::analysis {

enum class InputKind { ssda903, plain };
const char* to_string(InputKind kind);  // "SSDA903 episodes", "plain placements"

std::optional<std::chrono::year_month_day> parse_date(std::string_view text);
std::string format_date(std::chrono::year_month_day date);  // YYYY-MM-DD

struct InputOptions {
  // Column overrides (case-insensitive header names); empty = detect.
  std::string id_column, home_column, placement_column, uasc_column;
  std::optional<std::chrono::year_month_day> at;  // census date; default 31 March of the latest year in the file
  bool all_episodes = false;
  // A damaged file (unclosed quote, NUL byte, not UTF-8) is read as far as it goes, its damaged
  // rows bad_row, rather than refused (geo/io/csv_reader.hpp).
  bool lenient = false;
};

struct InputRead {
  InputKind kind = InputKind::plain;
  std::vector<maps::PlacementInput> rows;                  // what to analyse, in input order
  std::optional<std::chrono::year_month_day> census_date;  // SSDA903 without --all-episodes
  std::uint64_t records = 0;                               // data rows read
  std::uint64_t not_open = 0;                              // SSDA903: episodes not open at the census date
  std::uint64_t superseded = 0;                            // SSDA903: open episodes of a child with a later open one
  std::string uasc_column;                                 // the flag column used, empty when none
  std::vector<std::string> notes;                          // for the summary on stderr and the report
};

// Throws InputError when the file cannot be read or its header fits neither shape (the message
// lists what is missing for each). Bad rows become rows with a problem, never exceptions.
InputRead read_placements(const std::filesystem::path& path, const InputOptions& options);
// The same from CSV text in memory (a request body): no temporary file.
InputRead read_placements_text(std::string_view text, const InputOptions& options);

}  // namespace placedist::analysis
