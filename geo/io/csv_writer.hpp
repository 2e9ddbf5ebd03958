#pragma once
// Appends CSV fields to a buffer, quoting only where RFC 4180 requires it.
#include <string>
#include <string_view>

namespace placedist::geo {

void append_csv_field(std::string& out, std::string_view field);

}  // namespace placedist::geo
