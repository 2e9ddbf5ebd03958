#pragma once
// placedist's own HTTP request and response, so that handlers never see the transport
// (http_server.hpp, Boost.Beast). Header names are stored lower-case; the path, its matched
// segments and the query parameters are percent-decoded.
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace placedist::serve {

struct Request {
  std::string method;                                        // "GET", "POST", "HEAD", "OPTIONS", ...
  std::string target;                                        // as sent: path and query
  std::string path;                                          // percent-decoded, without the query
  std::vector<std::pair<std::string, std::string>> params;   // decoded query parameters, in order
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-case
  std::string body;
  std::vector<std::string> matches;  // [0] the path, [1..] the route's {segments}
  int route = -1;                    // the route the head check matched (Router index); -1: none yet

  bool has_param(std::string_view name) const;
  std::string get_param_value(std::string_view name) const;  // first value; "" when absent
  bool has_header(std::string_view lower_name) const;
  std::string get_header_value(std::string_view name) const;  // any case; "" when absent
};

struct Response {
  int status = 200;
  std::string body;
  std::string content_type;
  std::vector<std::pair<std::string, std::string>> headers;
  bool close = false;  // close the connection after this answer
  // When set, the body is written in pieces with chunked transfer coding instead of `body`
  // (gathered into one body for an HTTP/1.0 client): each call appends the next piece to the
  // string it is given (empty) and returns false once nothing follows. It runs on the
  // connection's I/O thread, so a piece should be small (tens of KiB, well under a millisecond);
  // an exception cuts the answer off (the client sees an incomplete chunked body, not a whole one).
  std::function<bool(std::string& piece)> stream;
  // For /metrics: the route that answered (0: none) and the error code ("" when none).
  int route = 0;
  const char* error_code = "";

  void set_content(std::string content, std::string_view type) {
    body = std::move(content);
    content_type = type;
  }
  void set_header(std::string name, std::string value) { headers.emplace_back(std::move(name), std::move(value)); }
};

// Splits a request target into its decoded path and query parameters ('+' is a space in the
// query only). False when a percent escape is malformed.
bool parse_target(std::string_view target, std::string& path, std::vector<std::pair<std::string, std::string>>& params);

}  // namespace placedist::serve
