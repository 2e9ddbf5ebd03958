#pragma once
// A placedist service on real data for the tests: a gazetteer built from Code-Point 2025 for
// the 12 areas around Buckinghamshire plus the ONSPD sample (terminated AB1 postcodes), the
// ONS 2021 upper-tier boundaries, and the 687 Ofsted providers with published postcodes
// (rewritten into the urn,name,type,postcode,places form). Servers listen on 127.0.0.1 at an
// ephemeral port and answer real HTTP requests.
#include <httplib.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>

#include "geo/built_gazetteer.hpp"
#include "geo/data_dir.hpp"
#include "geo/io/csv_reader.hpp"
#include "geo/io/csv_writer.hpp"
#include "src/analysis/synthetic_cohort.hpp"
#include "src/serve/service.hpp"
#include "src/serve/service_data.hpp"

namespace placedist::testing {

namespace fs = std::filesystem;

inline fs::path serve_gazetteer() {
  using Kind = geo::GazetteerSource::Kind;
  return built_gazetteer(
      "serve_plain_2025",
      {{{Kind::codepoint, geo::data_file("postcodes/codepoint_open_2025_10/plain")},
        {Kind::directory, geo::data_file("postcodes/onspd_sample_postcodes_io/onspd_seed_postcode.csv")}},
       {},
       {geo::data_file("postcodes/onspd_sample_postcodes_io/gss_names_districts.json"),
        geo::data_file("postcodes/onspd_sample_postcodes_io/gss_names_counties.json")},
       {},
       {}});
}

// The real providers file in the form `placedist serve --providers` reads.
inline fs::path serve_providers() {
  fs::path out = fs::path(PLACEDIST_TEST_WORK) / ("serve_providers_" + std::to_string(::getpid()) + ".csv");
  fs::create_directories(out.parent_path());
  geo::CsvReader in(geo::data_file("providers/derived_2025_providers_with_published_postcode.csv"));
  in.next();
  std::string text = "urn,name,type,postcode,places\n";
  while (in.next()) {
    for (int column : {0, 2, 1, 4, 7}) {  // urn, name, provision_type, postcode, places
      if (column != 0) text.push_back(',');
      geo::append_csv_field(text, in[column]);
    }
    text.push_back('\n');
  }
  std::ofstream(out) << text;
  return out;
}

inline fs::path serve_boundaries() {
  return geo::data_file("boundaries/ons_ultra_generalised_500m/boundaries_utla21.geojson");
}

// A synthetic cohort (--cohort): 300 children of Buckinghamshire at 31 March 2025, homes and
// placements drawn with a fixed seed from the 12 Code-Point areas round the county (the far
// placements in Hertfordshire, which those areas cover).
inline fs::path serve_cohort_file() {
  static fs::path path = [] {
    fs::path out = fs::path(PLACEDIST_TEST_WORK) / "serve_cohort_E06000060_2025.csv";
    fs::path temporary = out.string() + "." + std::to_string(::getpid());  // tests run side by side
    analysis::CohortOptions options;
    options.codepoint = geo::data_file("postcodes/codepoint_open_2025_10/plain");
    options.council = "E06000060";
    options.children = 300;
    options.year = 2025;
    options.seed = 31032025;
    options.far_council = "E10000015";
    analysis::write_cohort(options, temporary);
    fs::rename(temporary, out);
    return out;
  }();
  return path;
}

inline const serve::ServiceData& serve_data() {
  static std::unique_ptr<serve::ServiceData> data = [] {
    serve::DataPaths paths{serve_gazetteer(), serve_boundaries(), serve_providers(), {}, {}, {}, {}};
    auto loaded = serve::ServiceData::load(paths, {});
    fs::remove(paths.providers);
    return loaded;
  }();
  return *data;
}

// A service running on its own thread until destroyed.
class RunningService {
 public:
  explicit RunningService(serve::ServeOptions options = {}, const serve::ServiceData& data = serve_data()) {
    options.port = 0;
    options.threads = 8;
    m_service = std::make_unique<serve::Service>(data, options);
    m_port = m_service->bind();
    m_thread = std::thread([this] { m_service->run(); });
    // Bounded: a service that never starts fails the test instead of hanging it.
    for (int ms = 0; !m_service->running(); ++ms) {
      if (ms == 60'000) throw std::runtime_error("the test service did not start within 60 s");
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
  ~RunningService() {
    m_service->stop();
    m_thread.join();
  }
  int port() const { return m_port; }
  httplib::Client client() const {
    httplib::Client c("127.0.0.1", m_port);
    c.set_read_timeout(60, 0);
    return c;
  }
  const serve::Service& service() const { return *m_service; }

 private:
  std::unique_ptr<serve::Service> m_service;
  std::thread m_thread;
  int m_port = 0;
};

}  // namespace placedist::testing
