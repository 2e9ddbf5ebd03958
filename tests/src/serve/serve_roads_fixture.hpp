#pragma once
// The service with everything loaded: the test gazetteer, boundaries, providers, the real
// Buckinghamshire roads and the synthetic Buckinghamshire cohort; loaded once per test process.
#include <filesystem>
#include <memory>

#include "geo/roads/built_network.hpp"
#include "serve_fixture.hpp"

namespace placedist::testing {

inline const serve::ServiceData& serve_data_with_roads() {
  static std::unique_ptr<serve::ServiceData> data = [] {
    serve::DataPaths paths{serve_gazetteer(),
                           serve_boundaries(),
                           serve_providers(),
                           built_bucks_roads(),
                           {},
                           {"E06000060=" + serve_cohort_file().string()},
                           {}};
    auto loaded = serve::ServiceData::load(paths, {});
    std::filesystem::remove(paths.providers);
    return loaded;
  }();
  return *data;
}

}  // namespace placedist::testing
