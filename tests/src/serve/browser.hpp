#pragma once
// Headless Chromium for the browser tests (label "browser"): run it on a URL (--dump-dom,
// --screenshot, --print-to-pdf), read data-* attributes and pd-* classes from the DOM it dumps,
// and drive the page through steps it cannot take alone (a second search, a click) with a small
// driver page that loads the map in a frame and copies the frame's final DOM into its own.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

namespace placedist::testing {

inline std::string chromium() {
  for (const char* candidate : {"/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"})
    if (std::filesystem::exists(candidate)) return candidate;
  return {};
}

// Runs headless Chromium on the URL with extra flags; returns its standard output.
inline std::string run_chromium(const std::string& flags, const std::string& url) {
  namespace fs = std::filesystem;
  fs::path work = fs::path(PLACEDIST_TEST_WORK);
  fs::create_directories(work);
  fs::path profile = work / ("chromium_profile_" + std::to_string(::getpid()));
  fs::path out = work / ("chromium_out_" + std::to_string(::getpid()));
  std::string command = "timeout 120 " + chromium() +
                        " --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --disable-background-networking"
                        " --disable-extensions --disable-sync --no-first-run --mute-audio --hide-scrollbars"
                        " --user-data-dir=" +
                        profile.string() + " --virtual-time-budget=30000 " + flags + " '" + url + "' >" + out.string() +
                        " 2>/dev/null";
  int status = std::system(command.c_str());
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << command;
  std::ifstream in(out);
  std::stringstream text;
  text << in.rdbuf();
  fs::remove(out);
  fs::remove_all(profile);
  return text.str();
}

// The standard output of a shell command (pdfinfo, pdftotext on a printed page).
inline std::string command_output(const std::string& command) {
  std::string text;
  FILE* p = ::popen(command.c_str(), "r");
  char buffer[4096];
  while (p && std::fgets(buffer, sizeof buffer, p)) text += buffer;
  if (p) ::pclose(p);
  return text;
}

// A data-* attribute of an element with the id (a div by default: #summary).
inline std::string attribute(const std::string& dom, const std::string& name, const std::string& id = "summary",
                             const std::string& tag = "div") {
  std::smatch m;
  if (std::regex_search(dom, m, std::regex("<" + tag + " id=\"" + id + "\"[^>]*\\s" + name + "=\"([^\"]*)\"")))
    return m[1];
  return "<absent>";
}

inline std::size_t count_class(const std::string& dom, const std::string& cls) {
  std::regex pattern("class=\"" + cls + "[\" ]");
  return static_cast<std::size_t>(
      std::distance(std::sregex_iterator(dom.begin(), dom.end(), pattern), std::sregex_iterator()));
}

// The text content of the element with the id (tags stripped), or "<absent>".
inline std::string element_text(const std::string& dom, const std::string& id) {
  std::smatch m;
  if (!std::regex_search(dom, m, std::regex("<([a-z0-9]+) id=\"" + id + "\"[^>]*>"))) return "<absent>";
  const std::string tag = m[1];
  std::size_t start = static_cast<std::size_t>(m.position(0) + m.length(0));
  std::size_t end = dom.find("</" + tag + ">", start);
  std::string inner = dom.substr(start, end == std::string::npos ? std::string::npos : end - start);
  return std::regex_replace(inner, std::regex("<[^>]*>"), "");
}

// A driver page (serve it as a web file): loads the map at the frame URL given after '#', waits
// for each search to finish (body[data-state] ready or error, data-searches counted), then runs
// the steps in window.steps (set by `steps_js`): {hash: "..."} starts another search through
// the fragment, {click: "selector"} clicks an element. Its own body is then the frame's body.
inline std::string driver_page(const std::string& steps_js) {
  return R"(<!doctype html><html><body><iframe id="f" style="width:1200px;height:900px"></iframe><script>
window.steps = )" +
         steps_js +
         R"(;
const frame = document.getElementById('f');
const sleep = ms => new Promise(r => setTimeout(r, ms));
async function settled(searches) {
  for (let i = 0; i < 600; i++) {
    const body = frame.contentDocument && frame.contentDocument.body;
    if (body && (body.dataset.state === 'ready' || body.dataset.state === 'error') &&
        Number(body.dataset.searches || 0) >= searches) return;
    await sleep(50);
  }
}
(async () => {
  frame.src = decodeURIComponent(location.hash.slice(1));
  await sleep(100);
  let searches = 1;
  await settled(0);
  for (const step of window.steps) {
    if (step.hash) { frame.contentWindow.location.hash = step.hash; searches++; await sleep(50); await settled(searches); }
    if (step.click) { frame.contentDocument.querySelector(step.click).click(); await sleep(100); }
  }
  document.body.replaceWith(document.importNode(frame.contentDocument.body, true));
})();
</script></body></html>)";
}

}  // namespace placedist::testing
