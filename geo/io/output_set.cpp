#include "geo/io/output_set.hpp"

#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>

#include "geo/io/atomic_file.hpp"

namespace placedist::geo {
namespace {

namespace fs = std::filesystem;
constexpr std::string_view kStagingPrefix = ".placedist-staging-";

[[noreturn]] void fail(const std::string& what, const fs::path& path) {
  throw std::runtime_error(what + " " + path.string() + ": " + std::strerror(errno));
}

// Makes a file's (or a folder's entries') content durable before it is renamed or named.
void sync_path(const fs::path& path, bool folder) {
  const int fd = ::open(path.c_str(), (folder ? O_RDONLY | O_DIRECTORY : O_RDONLY) | O_CLOEXEC);
  if (fd < 0) fail("cannot open", path);
  const int synced = ::fsync(fd);
  const int error = errno;
  ::close(fd);
  errno = error;
  if (synced != 0) fail("cannot sync", path);
}

// A name an output set may hold: a plain file name of the folder, not ours, not hidden.
bool plain_name(const std::string& name) {
  return !name.empty() && name[0] != '.' && name.find('/') == std::string::npos && name != kManifestName;
}

std::string manifest_text(const std::vector<ManifestEntry>& entries) {
  nlohmann::ordered_json files = nlohmann::ordered_json::array();
  for (const ManifestEntry& e : entries) files.push_back({{"name", e.name}, {"size", e.size}, {"sha256", e.sha256}});
  nlohmann::ordered_json doc = {{"placedist_manifest", 1}, {"files", files}};
  return doc.dump(2) + "\n";
}

}  // namespace

std::string file_sha256(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail("cannot read", path);
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1)
    throw std::runtime_error("SHA-256 unavailable (OpenSSL)");
  std::vector<char> buffer(1 << 16);
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    if (in.gcount() > 0) EVP_DigestUpdate(ctx.get(), buffer.data(), static_cast<std::size_t>(in.gcount()));
  }
  if (in.bad()) fail("cannot read", path);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_DigestFinal_ex(ctx.get(), digest, &length);
  static const char* hex = "0123456789abcdef";
  std::string text;
  for (unsigned int i = 0; i < length; ++i) text += {hex[digest[i] >> 4], hex[digest[i] & 15]};
  return text;
}

std::vector<ManifestEntry> read_manifest(const fs::path& folder) {
  std::vector<ManifestEntry> entries;
  std::ifstream in(folder / kManifestName, std::ios::binary);
  if (!in) return entries;
  const nlohmann::json doc = nlohmann::json::parse(in, nullptr, false);
  if (!doc.is_object() || !doc.contains("files") || !doc["files"].is_array()) return {};
  for (const auto& f : doc["files"]) {
    if (!f.is_object() || !f.value("name", nlohmann::json()).is_string() ||
        !f.value("sha256", nlohmann::json()).is_string() || !f.value("size", nlohmann::json()).is_number_unsigned())
      return {};
    entries.push_back({f["name"].get<std::string>(), f["sha256"].get<std::string>(), f["size"].get<std::uintmax_t>()});
  }
  return entries;
}

OutputSet::OutputSet(fs::path folder) : m_folder(std::move(folder)) {
  fs::create_directories(m_folder);
  remove_stale_staging(m_folder, kStagingPrefix);  // a killed run's, whose process is gone
  m_staging = m_folder / (std::string(kStagingPrefix) + std::to_string(::getpid()));
  fs::remove_all(m_staging);  // this process's own, from an OutputSet before (never another's)
  // Private to the user while it is written (0700 whatever the umask).
  if (::mkdir(m_staging.c_str(), 0700) != 0) fail("cannot create", m_staging);
}

OutputSet::~OutputSet() {
  std::error_code ignored;
  fs::remove_all(m_staging, ignored);
}

std::vector<ManifestEntry> OutputSet::publish() {
  if (m_published) throw std::logic_error("an output set is published once");
  std::vector<ManifestEntry> entries;
  for (const fs::directory_entry& e : fs::directory_iterator(m_staging)) {
    const std::string name = e.path().filename().string();
    if (!e.is_regular_file() || !plain_name(name)) continue;  // GDAL's leftovers, temporaries
    sync_path(e.path(), false);
    entries.push_back({name, file_sha256(e.path()), e.file_size()});
  }
  std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  sync_path(m_staging, true);

  // From here until the new manifest is written the folder has none: it is changing.
  const std::vector<ManifestEntry> earlier = read_manifest(m_folder);
  std::error_code ec;
  fs::remove(m_folder / kManifestName, ec);
  if (ec) throw std::runtime_error("cannot remove " + (m_folder / kManifestName).string() + ": " + ec.message());
  sync_path(m_folder, true);
  std::set<std::string> names;
  for (const ManifestEntry& e : entries) {
    fs::rename(m_staging / e.name, m_folder / e.name);
    names.insert(e.name);
  }
  // The earlier set's files that this one does not have (e.g. a road layer of an earlier run).
  for (const ManifestEntry& e : earlier)
    if (plain_name(e.name) && !names.count(e.name)) fs::remove(m_folder / e.name, ec);
  sync_path(m_folder, true);

  // Written in the staging folder and renamed in, so that a run killed while writing it leaves
  // no temporary among the outputs (only its staging folder, which the next run removes).
  AtomicFile manifest(m_staging / kManifestName);
  manifest.write(manifest_text(entries));
  manifest.commit();  // fsyncs the file and the staging folder
  fs::rename(m_staging / kManifestName, m_folder / kManifestName);
  sync_path(m_folder, true);
  m_published = true;
  fs::remove_all(m_staging, ec);
  return entries;
}

}  // namespace placedist::geo
