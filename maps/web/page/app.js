// The commissioners' map: type a home postcode, see its 20-mile zone (DfE straight line, or by
// road when the server has a road network), the providers inside and outside it, the home's
// council and that council grown by 20 miles, and a choropleth of places within reach of each of
// the council's postcode sectors. With a placement cohort loaded (serve --cohort), its analysis
// layers: placements within / over 20 miles, journeys, the 20-mile zones. Everything comes from
// this server's /v1 API; with no tile URL configured the council boundaries are the base map,
// so it works offline. ?postcode=HP20%201AA&miles=20&mode=road&cohort=E06000060 runs on load.
// When drawing finishes, body[data-state] is "ready" (or "error") and #summary and
// #cohort-summary carry data-* counts: the browser test reads them.
// Text from data (provider and council names, sectors, postcodes, messages) is inserted as
// text, never as HTML: textContent, and tooltips given a DOM node (Leaflet sets a string
// tooltip as innerHTML).
(function () {
  'use strict';
  const map = L.map('map', { preferCanvas: false, zoomSnap: 0.25 }).setView([52.5, -1.5], 6);
  const layers = {};
  let providers = null;  // GeoJSON of every provider, loaded once
  const summary = document.getElementById('summary');
  const cohortSummary = document.getElementById('cohort-summary');
  const nearest = document.getElementById('nearest');
  const modeSelect = document.getElementById('mode');
  const cohortSelect = document.getElementById('cohort');

  async function getJson(url) {
    const response = await fetch(url);
    const body = await response.json().catch(() => ({}));
    if (!response.ok) {
      const error = new Error(body.message || response.statusText);
      error.code = body.code || body.status || String(response.status);
      throw error;
    }
    return body;
  }

  // A tooltip's content: `text` as text.
  function asText(text) {
    const span = document.createElement('span');
    span.textContent = text;
    return span;
  }

  function replace(name, layer) {
    if (layers[name]) map.removeLayer(layers[name]);
    layers[name] = layer;
    if (layer) layer.addTo(map);
  }

  function colour(places, max) {
    const t = max > 0 ? Math.min(1, places / max) : 0;
    const light = Math.round(92 - t * 52);  // 92% (few) .. 40% (many)
    return 'hsl(25, 95%, ' + light + '%)';
  }

  async function start() {
    const config = await getJson('/v1/config');
    if (config.tile_url) {
      L.tileLayer(config.tile_url, { maxZoom: 18, attribution: 'tiles: as configured' }).addTo(map);
    }
    if (config.loaded.boundaries) {
      const councils = await getJson('/v1/layers/councils');
      L.geoJSON(councils, { style: { className: 'pd-base', color: '#888', weight: 0.6, fillColor: '#fff', fillOpacity: 0.9 },
                            interactive: false }).addTo(map);
    }
    if (config.loaded.providers) providers = await getJson('/v1/layers/providers');
    const params = new URLSearchParams(location.search);
    if (config.loaded.roads) {
      modeSelect.hidden = false;
      if (params.get('mode') === 'road') modeSelect.value = 'road';
    }
    if (config.loaded.cohorts > 0) {
      for (const c of (await getJson('/v1/cohorts')).cohorts) {
        const option = document.createElement('option');
        option.value = c.la.code;
        option.textContent = c.la.name + (c.census_date ? ', ' + c.census_date : '') + ' (' + c.placements + ')';
        cohortSelect.appendChild(option);
      }
      document.getElementById('cohort-form').hidden = false;
      if (params.get('cohort')) {
        cohortSelect.value = params.get('cohort');
        if (!await showCohort(params.get('cohort'))) return;
      }
    }
    if (params.get('miles')) document.getElementById('miles').value = params.get('miles');
    if (params.get('postcode')) {
      document.getElementById('postcode').value = params.get('postcode');
      await show(params.get('postcode'), Number(document.getElementById('miles').value), modeSelect.value);
    } else {
      document.body.dataset.state = 'ready';
    }
  }

  function fail(element, e) {
    element.className = 'error';
    element.textContent = e.message;
    element.dataset.code = e.code || 'error';
    document.body.dataset.state = 'error';
  }

  // A loaded cohort's analysis layers; false when it failed (shown as an error).
  async function showCohort(la) {
    document.body.dataset.state = 'loading';
    for (const name of ['cohortZone', 'cohortRoadZone', 'journeys', 'placements']) replace(name, null);
    cohortSummary.className = '';
    cohortSummary.textContent = '';
    if (!la) { document.body.dataset.state = 'ready'; return true; }
    try {
      const base = '/v1/layers/analysis/' + encodeURIComponent(la) + '/';
      const cohort = await getJson('/v1/cohorts/' + encodeURIComponent(la));
      const code = cohort.la.code;
      const zone = L.geoJSON(await getJson(base + 'zone_20_miles'),
                             { style: { className: 'pd-cohort-zone', color: '#0f766e', weight: 1.5, dashArray: '2 4', fill: false } });
      const roadZone = cohort.layers.includes('zone_20_road_miles')
        ? L.geoJSON(await getJson(base + 'zone_20_road_miles'),
                    { style: { className: 'pd-cohort-road-zone', color: '#dc2626', weight: 1.5, dashArray: '2 4', fill: false } })
        : null;
      let journeys = 0, near = 0, far = 0;
      const journeyLayer = L.geoJSON(await getJson(base + 'journeys'), {
        style: () => { journeys++; return { className: 'pd-journey', color: '#475569', weight: 0.6, opacity: 0.5 }; },
        interactive: false
      });
      const placementLayer = L.geoJSON(await getJson(base + 'placements'), {
        pointToLayer: (f, at) => {
          const w = f.properties.within_20_miles;
          const cls = w === true ? 'pd-placement-near' : w === false ? 'pd-placement-far' : 'pd-placement-unknown';
          if (w === true) near++; else if (w === false) far++;
          return L.circleMarker(at, { className: cls, radius: 3.5, weight: 0.5, color: '#111',
                                      fillColor: w === true ? '#0891b2' : w === false ? '#be123c' : '#6b7280', fillOpacity: 0.9 })
            .bindTooltip(asText((f.properties.placement_la_name || '') + ': ' +
                         (f.properties.area_miles != null ? 'about ' + f.properties.area_miles + ' miles from home (between postcode areas)' : 'distance not known')));
        }
      });
      replace('cohortZone', zone);
      replace('cohortRoadZone', roadZone);
      replace('journeys', journeyLayer);
      replace('placements', placementLayer);
      map.fitBounds(zone.getBounds(), { padding: [10, 10] });
      const h = cohort.report.headline;
      cohortSummary.textContent = cohort.la.name + ': ' + h.children + ' children, ' + h.within_20_miles.count +
        ' (' + h.within_20_miles.percentage + '%) placed within 20 miles of home, ' + h.out_of_county.count + ' outside the council';
      Object.assign(cohortSummary.dataset, {
        council: code, children: h.children, within20: h.within_20_miles.count, placementsNear: near,
        placementsFar: far, journeys: journeys, roadZone: roadZone ? 'yes' : 'no'
      });
      document.body.dataset.state = 'ready';
      return true;
    } catch (e) {
      fail(cohortSummary, e);
      return false;
    }
  }

  async function show(postcode, miles, mode) {
    document.body.dataset.state = 'loading';
    summary.className = '';
    summary.textContent = 'Looking up…';
    try {
      const road = mode === 'road';
      const coverage = await getJson('/v1/coverage?postcode=' + encodeURIComponent(postcode) + '&miles=' + miles +
                                     '&mode=' + (road ? 'road' : 'straight'));
      const centre = coverage.centre;
      const council = centre.utla ? centre.utla.code : null;
      const within = new Set(coverage.providers.map(p => p.urn));

      let councilLayer = null, councilZone = null, choropleth = null, sectors = 0, sectorPlaces = 0;
      if (council) {
        try {
          councilLayer = L.geoJSON(await getJson('/v1/layers/councils/' + encodeURIComponent(council)),
                                   { style: { className: 'pd-council', color: '#111', weight: 2.5, fill: false } });
          // The council's zone the same way as the home's: by road in road mode.
          councilZone = L.geoJSON(await getJson('/v1/layers/zones/' + encodeURIComponent(council) + '?miles=' + miles +
                                                (road ? '&mode=road' : '')),
                                  { style: { className: road ? 'pd-council-road-zone' : 'pd-council-zone', color: '#7c3aed',
                                             weight: 2, dashArray: '6 4', fill: false } });
        } catch (e) { if (e.code !== 'not_loaded' && e.code !== 'not_found') throw e; }
        try {
          // By road in road mode too; a sector whose centroid does not snap has null counts (grey).
          const layer = await getJson('/v1/layers/coverage?la=' + encodeURIComponent(council) + '&miles=' + miles +
                                      (road ? '&mode=road' : ''));
          const counted = layer.features.filter(f => f.properties.places_within != null);
          const max = Math.max(1, ...counted.map(f => f.properties.places_within));
          sectors = layer.features.length;
          sectorPlaces = counted.reduce((sum, f) => sum + f.properties.places_within, 0);
          choropleth = L.geoJSON(layer, {
            pointToLayer: (f, at) => {
              const p = f.properties;
              return L.circleMarker(at, { className: 'pd-choropleth', radius: 7, weight: 0.5, color: '#7c2d12',
                                          fillColor: p.places_within != null ? colour(p.places_within, max) : '#9ca3af',
                                          fillOpacity: 0.85 })
                .bindTooltip(asText(p.places_within != null
                  ? p.sector + ': ' + p.places_within + ' places within ' + miles + (road ? ' miles by road' : ' miles')
                  : p.sector + ': not on the road network (' + p.road_status + ')'));
            }
          });
        } catch (e) { if (e.code !== 'not_loaded' && e.code !== 'not_found') throw e; }
      }
      const zone = L.geoJSON(coverage.zone, { style: road
        ? { className: 'pd-road-zone', color: '#dc2626', weight: 2, fillOpacity: 0.12 }
        : { className: 'pd-zone', color: '#2563eb', weight: 2, fillOpacity: 0.12 } });
      let inside = 0, outside = 0;
      const providerLayer = providers ? L.geoJSON(providers, {
        pointToLayer: (f, at) => {
          const isIn = within.has(f.properties.urn);
          if (isIn) inside++; else outside++;
          return L.circleMarker(at, { className: isIn ? 'pd-provider-in' : 'pd-provider-out', radius: isIn ? 4 : 2.5,
                                      weight: isIn ? 1 : 0, color: '#14532d', fillColor: isIn ? '#16a34a' : '#9ca3af',
                                      fillOpacity: isIn ? 0.95 : 0.6 })
            .bindTooltip(asText(f.properties.name + (f.properties.places != null ? ' (' + f.properties.places + ' places)' : '')));
        }
      }) : null;
      const home = L.circleMarker([centre.lat, centre.lon], { className: 'pd-home', radius: 7, color: '#000', weight: 2,
                                                              fillColor: '#facc15', fillOpacity: 1 })
        .bindTooltip(asText(centre.postcode));

      replace('choropleth', choropleth);
      replace('councilZone', councilZone);
      replace('zone', zone);
      replace('council', councilLayer);
      replace('providers', providerLayer);
      replace('home', home);
      const bounds = (councilZone || zone).getBounds();
      if (bounds.isValid()) map.fitBounds(bounds, { padding: [10, 10] });

      summary.textContent = centre.postcode + (centre.status !== 'ok' ? ' (' + centre.status + ')' : '') + ', ' +
        (centre.utla ? centre.utla.name : 'no council') + ': ' + coverage.providers_within + ' providers and ' +
        coverage.places_within + ' places within ' + miles + (road ? ' miles by road' : ' miles') + ' (' +
        coverage.providers_without_places + ' providers publish no places' +
        (road ? ', ' + coverage.providers_not_routed + ' could not be routed' : '') + ')';
      // The nearest providers within reach, by name (as text).
      nearest.replaceChildren();
      const byDistance = coverage.providers.slice().sort((a, b) =>
        (a.shortest_road_miles ?? a.dfe_miles ?? Infinity) - (b.shortest_road_miles ?? b.dfe_miles ?? Infinity));
      for (const p of byDistance.slice(0, 5)) {
        const item = document.createElement('li');
        const miles = p.shortest_road_miles ?? p.dfe_miles;
        item.textContent = p.name + (miles != null ? ' (' + miles + (road ? ' miles by road)' : ' miles)') : '');
        nearest.appendChild(item);
      }
      Object.assign(summary.dataset, {
        postcode: centre.postcode, council: council || '', mode: road ? 'road' : 'straight',
        providersWithin: coverage.providers_within,
        placesWithin: coverage.places_within, providersInside: inside, providersOutside: outside,
        choroplethSectors: sectors, choroplethPlaces: sectorPlaces, zoneAreaKm2: Math.round(coverage.zone.properties.area_km2)
      });
      document.body.dataset.state = 'ready';
    } catch (e) {
      fail(summary, e);
    }
  }

  document.getElementById('search').addEventListener('submit', ev => {
    ev.preventDefault();
    const params = new URLSearchParams({ postcode: document.getElementById('postcode').value,
                                         miles: document.getElementById('miles').value, mode: modeSelect.value });
    if (cohortSelect.value) params.set('cohort', cohortSelect.value);
    history.replaceState(null, '', '?' + params);
    show(params.get('postcode'), Number(params.get('miles')), params.get('mode'));
  });

  cohortSelect.addEventListener('change', () => {
    const params = new URLSearchParams(location.search);
    if (cohortSelect.value) params.set('cohort', cohortSelect.value); else params.delete('cohort');
    history.replaceState(null, '', '?' + params);
    showCohort(cohortSelect.value);
  });

  start().catch(e => {
    summary.className = 'error';
    summary.textContent = 'Could not start: ' + e.message;
    document.body.dataset.state = 'error';
  });
})();
