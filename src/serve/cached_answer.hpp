#pragma once
// A layer that does not change while the service runs (the councils, the providers, the road
// network's extent), answered as a browser can keep it: compressed once with gzip (level 9), an
// ETag naming the content, Cache-Control, and 304 Not Modified when the client already holds it.
// The transport writes these headers and bodies as given (s12: no compression of its own).
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "src/serve/http_message.hpp"

namespace placedist::serve {

class CachedAnswer {
 public:
  CachedAnswer(std::string content, std::string content_type);
  // 304 when If-None-Match names this content; else the content, gzip-encoded when the request
  // accepts gzip (and it is smaller). Cache-Control "private" since the service may need a token.
  void answer(const Request& req, Response& res) const;
  const std::string& etag() const { return m_etag; }
  std::size_t size() const { return m_content.size(); }
  std::size_t gzip_size() const { return m_gzip.size(); }

 private:
  std::string m_content, m_gzip, m_type, m_etag;
};

// A CachedAnswer made on first request (compressing takes a moment: no service start pays it
// for a layer nobody asks for), then kept.
class OnceAnswer {
 public:
  explicit OnceAnswer(std::string content_type) : m_type(std::move(content_type)) {}
  void answer(const Request& req, Response& res, const std::function<std::string()>& content) {
    std::call_once(m_once, [&] { m_answer = std::make_unique<CachedAnswer>(content(), m_type); });
    m_answer->answer(req, res);
  }

 private:
  std::string m_type;
  std::once_flag m_once;
  std::unique_ptr<CachedAnswer> m_answer;
};

// Whether an Accept-Encoding value accepts gzip (a q-value of 0 refuses it; "*" accepts it).
bool accepts_gzip(const std::string& accept_encoding);
// Whether an If-None-Match value names `etag` (or is "*"); weak validators compare as equal.
bool etag_matches(const std::string& if_none_match, const std::string& etag);
// gzip (RFC 1952) of `text`, level 9. Throws std::runtime_error if zlib fails.
std::string gzip(const std::string& text);

}  // namespace placedist::serve
