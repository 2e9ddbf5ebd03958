#include "geo/roads/core_table.hpp"

#include "geo/roads/ch_search.hpp"
#include "geo/roads/search_graph.hpp"

namespace placedist::geo::roads::detail {

CoreTable build_core_table(const ChView& ch, std::uint32_t size) {
  ChView plain = ch;
  plain.core = nullptr;  // the table is made by searches that do not use one
  ChSearch search(plain);
  const SearchGraph& g = *search.graph();
  CoreTable t;
  t.size = std::min(size, g.node_count());
  t.first = g.node_count() - t.size;
  // Seeds are routing nodes: the core's, in search-id order.
  std::vector<std::vector<Seed>> core(t.size);
  for (std::uint32_t node = 0; node < g.id.size(); ++node)
    if (t.in_core(g.id[node])) core[g.id[node] - t.first] = {Seed{node, 0}};
  t.dist = search.many_to_many(core, core);
  return t;
}

}  // namespace placedist::geo::roads::detail
