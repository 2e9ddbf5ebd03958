#!/usr/bin/env bash
# Preprocessing time and peak memory per extract: runs `placedist roads build` on each real
# network in the shared data under /usr/bin/time (one process each, so peak RSS is per build).
# Usage: tools/bench/roads_build_bench.sh [build-dir]   (default build)
set -euo pipefail
cd "$(dirname "$0")/../.."
bin="${1:-build}/src/placedist"
data="${PLACEDIST_DATA:-../shared/data}/roads"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
printf '%-14s %10s %12s %10s\n' extract seconds peak_MB file_MB
run() {
  local name="$1"; shift
  /usr/bin/time -f '%e %M' -o "$out/time" "$bin" roads build "$@" -o "$out/$name.roads" 2>"$out/log" >/dev/null
  read -r secs kb <"$out/time"
  printf '%-14s %10s %12.0f %10.1f\n' "$name" "$secs" "$((kb))e-3" "$(stat -c %s "$out/$name.roads")e-6"
}
run bucks --edges "$data/bucks/osm2016_graphhopper_car/bucks_osm2016_car_edges.csv"
run rutland "$data/uk/rutland-2018-02-27.osm.pbf"
run oxford "$data/bucks/osm_small_extracts/oxford_centre_2015-02-25.osm.pbf"
run leeds "$data/uk/leeds-its-example.osm.pbf"
run andorra "$data/test_extracts/andorra.osm.pbf"
run monaco "$data/test_extracts/monaco.osm.pbf"
run liechtenstein "$data/test_extracts/liechtenstein-2013-08-03.osm.pbf"
run open_roads --edges "$data/os_open_roads_samples/open_roads_thornbury_west_yorkshire.geojson"
run gb_motorways --edges "$data/uk/os_open_roads_gb_motorways.fgb"
