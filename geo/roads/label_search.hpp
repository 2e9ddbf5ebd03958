#pragma once
// Queries on hub labels (hub_labels.hpp): one-to-one by merging a source's forward label with a
// target's backward label, many-to-many by buckets (each target's backward entries grouped by
// hub, then each source's forward label scans the groups of its hubs). A query end with several
// seeds (a point part way along an edge) is answered through one label combining the seeds'
// labels, each shifted by its seed's weight. One object per pooled query, like ChSearch.
#include <cstdint>
#include <span>
#include <vector>

#include "geo/roads/endpoint.hpp"
#include "geo/roads/hub_labels.hpp"

namespace placedist::geo::roads::detail {

class LabelSearch {
 public:
  // Exact least weight from any source seed to any target seed (seed weights included), or
  // kInfinity when there is no route: what ChSearch::distance gives.
  Weight distance(const SearchGraph& g, const HubLabels& l, std::span<const Seed> sources,
                  std::span<const Seed> targets);
  // Row-major |sources| x |targets| least weights (kInfinity when no route).
  std::vector<Weight> many_to_many(const SearchGraph& g, const HubLabels& l,
                                   const std::vector<std::vector<Seed>>& sources,
                                   const std::vector<std::vector<Seed>>& targets);

  // A label to merge: `size` entries, each weight plus `add`.
  struct Ref {
    const std::uint32_t* hub = nullptr;
    const Weight* weight = nullptr;
    std::uint32_t size = 0;
    Weight add = 0;
  };

 private:
  struct Combined {
    std::vector<std::uint32_t> hub;
    std::vector<Weight> weight;
    std::vector<std::pair<std::uint32_t, Weight>> scratch;
  };
  // The label of a query end: the seed's own (shifted) when there is one, else the seeds'
  // labels merged into `c` (least weight per hub).
  static Ref label_of(const SearchGraph& g, const LabelSet& s, std::span<const Seed> seeds, Combined& c);
  Combined m_source, m_target;
  struct BucketEntry {
    std::uint32_t target;
    Weight weight;
  };
  static constexpr std::uint32_t kNoGroup = 0xFFFFFFFFu;
  std::vector<std::uint32_t> m_group_of;  // by hub: its group of bucket entries, kNoGroup if none
  std::vector<std::uint32_t> m_group_hub, m_group_first;
  std::vector<std::pair<std::uint32_t, BucketEntry>> m_found;  // (group, entry) as found
  std::vector<BucketEntry> m_buckets;                          // grouped
};

// The least a.weight + b.weight (plus their `add`s) over the hubs both hold, or kInfinity.
Weight meet(const LabelSearch::Ref& a, const LabelSearch::Ref& b);

}  // namespace placedist::geo::roads::detail
