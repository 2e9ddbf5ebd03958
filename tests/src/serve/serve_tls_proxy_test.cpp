// docs/serve-tls.md run as written: Debian's nginx, configured from the recipe's own server blocks
// (only ports, certificate paths and the upstream port substituted), with a throwaway
// self-signed certificate in a temporary folder, in front of a real `placedist serve` with a
// token. Over https a token-protected lookup answers; without the token 401; plain HTTP only
// redirects; placedist's own port is on loopback only; Host and Origin checks still hold through
// the proxy. Label "tls"; skipped with a message when nginx, openssl or curl is missing.
#include <gtest/gtest.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <thread>

#include "serve_fixture.hpp"

namespace placedist {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const char* const kToken = "tls-proxy-test-token-0123456789abcdef";
const char* const kName = "placedist.example.org";  // the recipe's server name

bool have(const char* program) {
  return std::system((std::string("command -v ") + program + " >/dev/null 2>&1").c_str()) == 0;
}
std::string nginx_path() {
  for (const char* p : {"/usr/sbin/nginx", "/usr/bin/nginx"})
    if (fs::exists(p)) return p;
  return {};
}

std::string run(const std::string& command) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return out;
  char buffer[4096];
  while (std::size_t n = fread(buffer, 1, sizeof buffer, pipe)) out.append(buffer, n);
  pclose(pipe);
  return out;
}

int free_port() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  close(fd);
  return ntohs(a.sin_port);
}

bool can_connect(in_addr_t address, int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = address;
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  bool ok = connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  close(fd);
  return ok;
}

// This machine's first IPv4 address other than loopback (0 when it has none).
in_addr_t outside_address() {
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return 0;
  in_addr_t found = 0;
  for (ifaddrs* i = list; i && !found; i = i->ifa_next)
    if (i->ifa_addr && i->ifa_addr->sa_family == AF_INET) {
      in_addr_t a = reinterpret_cast<sockaddr_in*>(i->ifa_addr)->sin_addr.s_addr;
      if ((ntohl(a) >> 24) != 127) found = a;
    }
  freeifaddrs(list);
  return found;
}

// The recipe's two `server { ... }` blocks, as documented (indented by four spaces).
std::string recipe_servers() {
  std::ifstream in(fs::path(PLACEDIST_TEST_DIR).parent_path() / "docs" / "serve-tls.md");
  std::string line, out;
  bool inside = false;
  int blocks = 0;
  while (std::getline(in, line)) {
    if (line.rfind("    server {", 0) == 0) inside = true;
    if (!inside) continue;
    out += line.substr(std::min<std::size_t>(4, line.size())) + "\n";
    if (line == "    }") inside = false, ++blocks;
  }
  return blocks == 2 ? out : std::string();
}

// The recipe's `placedist serve` command line, its continuation lines joined.
std::string recipe_command() {
  std::ifstream in(fs::path(PLACEDIST_TEST_DIR).parent_path() / "docs" / "serve-tls.md");
  std::string line, out;
  bool inside = false;
  while (std::getline(in, line)) {
    if (line.rfind("    placedist serve", 0) == 0) inside = true;
    if (!inside) continue;
    out += line + " ";
    if (line.empty() || line.back() != '\\') break;
  }
  return out;
}

// Replaces text that must be in the recipe: the test fails when the recipe changes under it.
void substitute(std::string& text, const std::string& from, const std::string& to) {
  std::size_t at = text.find(from);
  ASSERT_NE(at, std::string::npos) << "docs/serve-tls.md no longer has: " << from;
  text.replace(at, from.size(), to);
}

struct Process {
  pid_t pid = -1;
  void stop() {
    if (pid <= 0) return;
    kill(pid, SIGTERM);
    for (int i = 0; i < 500; ++i) {
      if (waitpid(pid, nullptr, WNOHANG) == pid) return void(pid = -1);
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
    pid = -1;
  }
};

Process spawn(const std::vector<std::string>& args, const fs::path& log) {
  Process p;
  p.pid = fork();
  if (p.pid == 0) {
    FILE* f = std::fopen(log.c_str(), "w");
    if (f) dup2(fileno(f), 2);
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  return p;
}

std::string slurp(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class TlsProxy : public ::testing::Test {
 protected:
  void SetUp() override {
    if (nginx_path().empty() || !have("openssl") || !have("curl"))
      GTEST_SKIP() << "nginx, openssl or curl is missing (tools/setup installs nginx-light): the TLS recipe is not run";
    dir = fs::temp_directory_path() / ("placedist-tls-" + std::to_string(getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    for (const char* temp : {"body", "proxy", "fastcgi", "uwsgi", "scgi"}) {
      fs::create_directories(dir / temp);
      chmod((dir / temp).c_str(), 0777);  // nginx's workers may run as another user
    }
    // A throwaway self-signed certificate for the recipe's name.
    std::string made =
        run("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 -subj /CN=" +
            std::string(kName) + " -addext subjectAltName=DNS:" + kName + " -keyout " + (dir / "key.pem").string() +
            " -out " + (dir / "cert.pem").string() + " 2>&1");
    ASSERT_TRUE(fs::exists(dir / "cert.pem")) << made;

    // placedist, as the recipe starts it: loopback, a token file only its owner reads, --server-name,
    // --behind-tls.
    const std::string command = recipe_command();
    for (const char* flag : {"--bind 127.0.0.1", "--token-file", "--server-name placedist.example.org", "--behind-tls"})
      ASSERT_NE(command.find(flag), std::string::npos) << "docs/serve-tls.md's command no longer has " << flag << ": "
                                                       << command;
    std::ofstream(dir / "token") << kToken << "\n";
    chmod((dir / "token").c_str(), 0600);
    std::string gazetteer = testing::serve_gazetteer().string();
    placedist = spawn({PLACEDIST_BINARY, "serve", "--gazetteer", gazetteer, "--bind", "127.0.0.1", "--port", "0",
                       "--token-file", (dir / "token").string(), "--server-name", kName, "--behind-tls"},
                      dir / "placedist.log");
    std::smatch match;
    const std::regex listening("listening on http://127\\.0\\.0\\.1:([0-9]+)/");
    for (int i = 0; i < 6000; ++i) {
      std::string log = slurp(dir / "placedist.log");
      if (std::regex_search(log, match, listening)) {
        upstream = std::stoi(match[1]);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ASSERT_GT(upstream, 0) << slurp(dir / "placedist.log");

    // nginx with the recipe's server blocks.
    std::string servers = recipe_servers();
    ASSERT_FALSE(servers.empty()) << "docs/serve-tls.md: the two server blocks were not found";
    https = free_port(), plain = free_port();
    substitute(servers, "listen 443 ssl http2;", "listen 127.0.0.1:" + std::to_string(https) + " ssl http2;");
    substitute(servers, "listen 80;", "listen 127.0.0.1:" + std::to_string(plain) + ";");
    substitute(servers, "/etc/ssl/certs/placedist.pem", (dir / "cert.pem").string());
    substitute(servers, "/etc/ssl/private/placedist.key", (dir / "key.pem").string());
    substitute(servers, "proxy_pass http://127.0.0.1:8080;",
               "proxy_pass http://127.0.0.1:" + std::to_string(upstream) + ";");
    std::ofstream(dir / "nginx.conf") << "pid " << (dir / "nginx.pid").string() << ";\n"
                                      << "error_log " << (dir / "error.log").string() << ";\n"
                                      << "events {}\nhttp {\n"
                                      << "  access_log off;\n"
                                      << "  client_body_temp_path " << (dir / "body").string() << ";\n"
                                      << "  proxy_temp_path " << (dir / "proxy").string() << ";\n"
                                      << "  fastcgi_temp_path " << (dir / "fastcgi").string() << ";\n"
                                      << "  uwsgi_temp_path " << (dir / "uwsgi").string() << ";\n"
                                      << "  scgi_temp_path " << (dir / "scgi").string() << ";\n"
                                      << servers << "}\n";
    std::string checked =
        run(nginx_path() + " -t -p " + dir.string() + " -c " + (dir / "nginx.conf").string() + " 2>&1");
    ASSERT_NE(checked.find("test is successful"), std::string::npos) << checked << slurp(dir / "nginx.conf");
    nginx = spawn({nginx_path(), "-p", dir.string(), "-c", (dir / "nginx.conf").string(), "-g", "daemon off;"},
                  dir / "nginx.stderr");
    for (int i = 0; i < 1000 && !can_connect(htonl(INADDR_LOOPBACK), https); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    ASSERT_TRUE(can_connect(htonl(INADDR_LOOPBACK), https)) << slurp(dir / "error.log");
  }

  void TearDown() override {
    nginx.stop();
    placedist.stop();
    if (!dir.empty()) fs::remove_all(dir);
  }

  struct Answer {
    int status = 0;
    std::string body, headers;  // headers lower-case
  };
  // curl over https to the proxy, the certificate checked against the throwaway one.
  Answer ask(const std::string& path, const std::string& extra = "", int port = 0, const char* scheme = "https") {
    port = port ? port : https;
    fs::path body = dir / "answer", head = dir / "head";
    fs::remove(body);
    std::string target = std::string(scheme) + "://" + kName + ":" + std::to_string(port) + path;
    std::string code = run("curl -s --max-time 20 --cacert " + (dir / "cert.pem").string() + " --resolve " + kName +
                           ":" + std::to_string(port) + ":127.0.0.1 -D " + head.string() + " -o " + body.string() +
                           " -w '%{http_code}' " + extra + " '" + target + "'");
    Answer a;
    a.status = std::atoi(code.c_str());
    a.body = slurp(body);
    a.headers = slurp(head);  // lower-cased: HTTP/2 writes header names so anyway
    for (char& c : a.headers) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return a;
  }

  fs::path dir;
  Process placedist, nginx;
  int upstream = 0, https = 0, plain = 0;
};

const std::string kBearer = std::string("-H 'Authorization: Bearer ") + kToken + "'";

TEST_F(TlsProxy, TokenProtectedLookupOverHttps) {
  Answer a = ask("/v1/postcodes/HP20%201AA", kBearer);
  ASSERT_EQ(a.status, 200) << a.body << slurp(dir / "error.log");
  json body = json::parse(a.body);
  EXPECT_EQ(body["postcode"], "HP20 1AA");
  EXPECT_EQ(body["easting"], 482158);
  EXPECT_EQ(body["northing"], 213995);
  EXPECT_NE(a.headers.find("strict-transport-security"), std::string::npos);
  // A large streamed answer (chunked from placedist) passes through whole.
  Answer bulk = ask("/v1/matrix", kBearer +
                                      " -H 'Content-Type: application/json' --data '{\"from\":[\"HP20 1AA\"],"
                                      "\"to\":[\"HP20 1AA\",\"MK9 1AA\"]}'");
  ASSERT_EQ(bulk.status, 200) << bulk.body;
  EXPECT_EQ(json::parse(bulk.body)["dfe_miles"][0][0], 0);

  Answer none = ask("/v1/postcodes/HP20%201AA");
  EXPECT_EQ(none.status, 401);
  EXPECT_EQ(json::parse(none.body)["code"], "unauthorized");
  EXPECT_EQ(ask("/v1/health").status, 200);  // open, as without the proxy

  // The map page's way in: the session cookie, issued and accepted through the proxy.
  Answer session = ask("/v1/session", kBearer + " -X POST");
  ASSERT_EQ(session.status, 200) << session.body;
  std::smatch cookie;
  ASSERT_TRUE(std::regex_search(session.headers, cookie, std::regex("set-cookie: (placedist_session=[0-9a-f]+);")))
      << session.headers;
  EXPECT_NE(session.headers.find("httponly; samesite=strict"), std::string::npos);
  // --behind-tls: Secure, so a browser never sends the cookie over the plain-HTTP port.
  std::smatch flags;
  ASSERT_TRUE(std::regex_search(session.headers, flags, std::regex("set-cookie: placedist_session=[^\r\n]*")));
  EXPECT_NE(flags.str().find("; secure"), std::string::npos) << flags.str();
  EXPECT_EQ(ask("/v1/postcodes/HP20%201AA", "-H 'Cookie: " + cookie[1].str() + "'").status, 200);
}

TEST_F(TlsProxy, PlainHttpOnlyRedirectsAndPlacedistIsOnLoopbackOnly) {
  Answer redirect = ask("/v1/postcodes/HP20%201AA", kBearer, plain, "http");
  EXPECT_EQ(redirect.status, 301);
  EXPECT_NE(redirect.headers.find("https://"), std::string::npos) << redirect.headers;
  EXPECT_EQ(redirect.body.find("482158"), std::string::npos);  // no answer in clear
  // placedist's own port answers on loopback (nginx's way in) and nowhere else.
  EXPECT_TRUE(can_connect(htonl(INADDR_LOOPBACK), upstream));
  if (in_addr_t outside = outside_address())
    EXPECT_FALSE(can_connect(outside, upstream)) << "placedist's plain port is reachable beyond loopback";
  else
    std::printf("no address beyond loopback on this machine: the exposure check is loopback only\n");
}

TEST_F(TlsProxy, HostAndOriginChecksHoldThroughTheProxy) {
  // A rebound name reaches nginx (its only server answers any name) and placedist refuses it.
  Answer rebound = ask("/v1/postcodes/HP20%201AA", kBearer + " -H 'Host: rebound.example'");
  EXPECT_EQ(rebound.status, 421) << rebound.body;
  EXPECT_EQ(json::parse(rebound.body)["code"], "misdirected");
  Answer foreign = ask("/v1/postcodes/HP20%201AA", kBearer + " -H 'Origin: https://attacker.example'");
  EXPECT_EQ(foreign.status, 403) << foreign.body;
  EXPECT_EQ(json::parse(foreign.body)["code"], "forbidden_origin");
  // The map page's own origin (the name and port the browser used) passes.
  Answer own =
      ask("/v1/postcodes/HP20%201AA", kBearer + " -H 'Origin: https://" + kName + ":" + std::to_string(https) + "'");
  EXPECT_EQ(own.status, 200) << own.body;
}

}  // namespace
}  // namespace placedist
