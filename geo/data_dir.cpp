#include "geo/data_dir.hpp"

#include <cstdlib>
#include <system_error>

namespace placedist::geo {
namespace fs = std::filesystem;

namespace {
const char* env(const char* name) {
  const char* value = std::getenv(name);
  return value && *value ? value : nullptr;
}
}  // namespace

fs::path data_dir() {
  if (const char* set = env("PLACEDIST_DATA")) {
    if (!fs::is_directory(set)) throw DataMissing("PLACEDIST_DATA=" + std::string(set) + " is not a directory");
    return set;
  }
  for (const fs::path& candidate : {fs::path("../shared/data"), fs::path(PLACEDIST_DEFAULT_DATA)}) {
    std::error_code ec;
    if (fs::is_directory(candidate, ec)) return fs::canonical(candidate);
  }
  throw DataMissing(
      "no data folder: set PLACEDIST_DATA to the folder holding postcodes/, boundaries/, geodesy/ "
      "and roads/ (tools/fetch-data downloads them from their publishers)");
}

fs::path data_file(const fs::path& relative) {
  fs::path path = data_dir() / relative;
  if (!fs::exists(path)) throw DataMissing(path.string() + " is missing from the data folder (PLACEDIST_DATA)");
  return path;
}

fs::path cache_dir() {
  fs::path dir;
  if (const char* set = env("PLACEDIST_CACHE"))
    dir = set;
  else if (const char* xdg = env("XDG_CACHE_HOME"))
    dir = fs::path(xdg) / "placedist";
  else if (const char* home = env("HOME"))
    dir = fs::path(home) / ".cache" / "placedist";
  else
    dir = fs::temp_directory_path() / "placedist";
  fs::create_directories(dir);
  return dir;
}

}  // namespace placedist::geo
