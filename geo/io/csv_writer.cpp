#include "geo/io/csv_writer.hpp"

namespace placedist::geo {

namespace {
bool needs_quotes(std::string_view field) {
  for (char c : field)  // a plain loop: find_first_of calls memchr once per character
    if (c == ',' || c == '"' || c == '\r' || c == '\n') return true;
  return false;
}
}  // namespace

void append_csv_field(std::string& out, std::string_view field) {
  if (!needs_quotes(field)) {
    out.append(field);
    return;
  }
  out.push_back('"');
  for (char c : field) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

}  // namespace placedist::geo
