#include "src/serve/cached_answer.hpp"

#include <zlib.h>

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string_view>

namespace placedist::serve {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

// Calls visit(item) for each comma-separated item.
template <class Visit>
void for_each_item(std::string_view list, Visit visit) {
  while (!list.empty()) {
    const std::size_t comma = list.find(',');
    visit(trim(list.substr(0, comma)));
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
}

}  // namespace

std::string gzip(const std::string& text) {
  z_stream z{};
  // windowBits 15 + 16: a gzip wrapper rather than zlib's.
  if (deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK)
    throw std::runtime_error("zlib: deflateInit2 failed");
  std::string out(deflateBound(&z, static_cast<uLong>(text.size())) + 32, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  z.avail_in = static_cast<uInt>(text.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const int status = deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  if (status != Z_STREAM_END) throw std::runtime_error("zlib: deflate did not finish");
  return out;
}

bool accepts_gzip(const std::string& accept_encoding) {
  int named = -1, star = -1;  // -1: not mentioned; 0: refused (q=0); 1: accepted
  for_each_item(accept_encoding, [&](std::string_view item) {
    const std::size_t semicolon = item.find(';');
    const std::string_view coding = trim(item.substr(0, semicolon));
    double q = 1;
    if (semicolon != std::string_view::npos) {
      std::string_view parameter = trim(item.substr(semicolon + 1));
      if (parameter.size() > 2 && (parameter[0] == 'q' || parameter[0] == 'Q') && parameter[1] == '=')
        q = std::strtod(std::string(parameter.substr(2)).c_str(), nullptr);
    }
    if (iequals(coding, "gzip") || iequals(coding, "x-gzip")) named = q > 0;
    else if (coding == "*") star = q > 0;
  });
  return named >= 0 ? named == 1 : star == 1;
}

bool etag_matches(const std::string& if_none_match, const std::string& etag) {
  std::string_view want = etag;
  if (want.substr(0, 2) == "W/") want.remove_prefix(2);
  bool match = false;
  for_each_item(if_none_match, [&](std::string_view item) {
    if (item.substr(0, 2) == "W/") item.remove_prefix(2);  // If-None-Match compares weakly
    match |= item == "*" || item == want;
  });
  return match;
}

CachedAnswer::CachedAnswer(std::string content, std::string content_type)
    : m_content(std::move(content)), m_gzip(gzip(m_content)), m_type(std::move(content_type)) {
  char tag[40];
  std::snprintf(tag, sizeof tag, "W/\"%08lx-%zx\"", crc32(0L, reinterpret_cast<const Bytef*>(m_content.data()),
                                                           static_cast<uInt>(m_content.size())),
                m_content.size());
  m_etag = tag;  // weak: the gzip and identity bodies are the same content
}

void CachedAnswer::answer(const Request& req, Response& res) const {
  res.set_header("ETag", m_etag);
  res.set_header("Cache-Control", "private, max-age=3600, must-revalidate");
  res.set_header("Vary", "Accept-Encoding");
  if (etag_matches(req.get_header_value("if-none-match"), m_etag)) {
    res.status = 304;
    res.content_type = m_type;
    return;
  }
  if (accepts_gzip(req.get_header_value("accept-encoding")) && m_gzip.size() < m_content.size()) {
    res.set_header("Content-Encoding", "gzip");
    res.set_content(m_gzip, m_type);
    return;
  }
  res.set_content(m_content, m_type);
}

}  // namespace placedist::serve
