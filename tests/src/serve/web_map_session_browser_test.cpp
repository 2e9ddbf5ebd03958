// With a token configured, the map page asks for it once (its dialog), opens a session with
// POST /v1/session (the HttpOnly cookie of h12's contract), and a search then works on the
// cookie alone, in headless Chromium. A driver page in the same origin types the token into the
// page's dialog and counts how often the dialog opened. ctest label "browser".
#include <gtest/gtest.h>

#include <regex>

#include "browser.hpp"
#include "serve_fixture.hpp"

namespace placedist {
namespace {

namespace fs = std::filesystem;
using testing::attribute;
using testing::chromium;
using testing::count_class;
using testing::run_chromium;

// An attribute of the copied body (the driver's own counts).
std::string body_attribute(const std::string& dom, const std::string& name) {
  std::smatch m;
  if (std::regex_search(dom, m, std::regex("<body[^>]*\\s" + name + "=\"([^\"]*)\""))) return m[1];
  return "<absent>";
}

const char* const kToken = "s3cret-token-for-the-test";

// Opens the page in a frame; whenever its token dialog opens, counts it and submits the token;
// when the search is drawn (or failed), copies the frame's body with the count.
std::string session_driver() {
  return std::string(R"(<!doctype html><html><body><iframe id="f" style="width:1200px;height:900px"></iframe><script>
const frame = document.getElementById('f');
const sleep = ms => new Promise(r => setTimeout(r, ms));
(async () => {
  frame.src = decodeURIComponent(location.hash.slice(1));
  let asked = 0, wasOpen = false;
  for (let i = 0; i < 600; i++) {
    await sleep(50);
    const doc = frame.contentDocument;
    const dialog = doc && doc.getElementById('token-dialog');
    const open = !!(dialog && dialog.open);
    if (open && !wasOpen) {
      asked++;
      doc.getElementById('token').value = ')") +
         kToken + R"(';
      doc.getElementById('token-form').requestSubmit();
    }
    wasOpen = open;
    const body = doc && doc.body;
    if (body && (body.dataset.state === 'ready' || body.dataset.state === 'error')) break;
  }
  const copy = document.importNode(frame.contentDocument.body, true);
  copy.dataset.tokenAsked = String(asked);
  copy.dataset.cookieVisible = String(frame.contentDocument.cookie.includes('placedist_session'));
  document.body.replaceWith(copy);
})();
</script></body></html>)";
}

TEST(WebMapSession, ThePageAsksForTheTokenOnceAndSearchesThroughTheSession) {
  ASSERT_FALSE(chromium().empty());
  serve::DataPaths paths{testing::serve_gazetteer(), testing::serve_boundaries(), testing::serve_providers(), {}, {}, {}, {}};
  auto data = serve::ServiceData::load(paths, {});
  fs::remove(paths.providers);
  data->web["driver.html"] = {session_driver(), "text/html; charset=utf-8"};
  serve::ServeOptions options;
  options.token = kToken;
  testing::RunningService server(options, *data);
  const std::string base = "http://127.0.0.1:" + std::to_string(server.port());

  // Without the token the API refuses; the page and its files are open.
  auto client = server.client();
  auto refused = client.Get("/v1/config");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 401);
  auto page = client.Get("/");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);

  const std::string dom =
      run_chromium("--dump-dom", base + "/static/driver.html#" + base + "/%23postcode=HP20%201AA%26miles=20");
  ASSERT_NE(dom.find("data-state=\"ready\""), std::string::npos) << dom.substr(0, 3000);
  EXPECT_EQ(body_attribute(dom, "data-token-asked"), "1");  // once, though several requests met 401
  EXPECT_EQ(body_attribute(dom, "data-cookie-visible"), "false");  // HttpOnly: no script reads it
  EXPECT_EQ(attribute(dom, "data-postcode"), "HP20 1AA");
  EXPECT_GT(std::stoi(attribute(dom, "data-providers-within")), 5);
  EXPECT_EQ(count_class(dom, "pd-home"), 1u);
  EXPECT_EQ(count_class(dom, "pd-base"), 217u);  // the councils layer came through the session too
}

}  // namespace
}  // namespace placedist
