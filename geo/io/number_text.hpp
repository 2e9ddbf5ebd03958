#pragma once
// Decimal text of measured quantities, the one way: round half away from zero to the
// quantity's places (as the DfE rounds miles), then write fixed-point digits. Negative zero is
// written without its sign. Units are the caller's: pass the value already in the unit written.
#include <string>

namespace placedist::geo {

// `value` rounded half away from zero to `decimals` places (0..9); NaN and infinities pass through.
double round_to(double value, int decimals);

// "12.30" for (12.3, 2); appends nothing for NaN or an infinity (an empty CSV field).
void append_fixed(std::string& out, double value, int decimals);
// As append_fixed, but a whole result loses its fraction: "482158" for (482158.0, 1), "12.30".
void append_number(std::string& out, double value, int decimals);
// At most `decimals` places, trailing zeros dropped: "52.5", "20" for (52.5, 6), (20.0, 6).
void append_trimmed(std::string& out, double value, int decimals);
// As append_number, but `null` for NaN or an infinity.
void append_json_number(std::string& out, double value, int decimals);

}  // namespace placedist::geo
