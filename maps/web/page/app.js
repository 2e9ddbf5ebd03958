// The commissioners' map: type a home postcode, see its zone (DfE straight line, or by road when
// the server has a road network), the providers inside and outside it, the home's council and
// that council grown by the distance, and the places within reach of each of the council's
// postcode sectors in fixed classes. By road, the network's extent is drawn and providers that
// could not be routed are drawn and listed apart. With a placement cohort loaded (serve
// --cohort), its analysis layers and its DfE table. Results are a sortable table, downloadable
// as CSV and GeoJSON exactly as shown; "Print" gives an A4 landscape view without controls.
//
// Everything comes from this server's /v1 API; with no tile URL configured the council
// boundaries are the base map, so it works offline. The search lives in the URL fragment
// (#postcode=HP20%201AA&miles=20&mode=road&cohort=E06000060&view=print), never in the query
// string, so that a postcode reaches no server log; an old ?postcode= link is moved into the
// fragment. When the service has a token, API calls answer 401: the page asks for the token
// once, opens a session (POST /v1/session with the bearer token, which sets an HttpOnly cookie)
// and retries; later calls rely on the cookie.
//
// When drawing finishes, body[data-state] is "ready" (or "error") and #summary and
// #cohort-summary carry data-* counts: the browser tests read them. Text from data (names,
// sectors, postcodes, messages) is inserted as text, never as HTML.
(function () {
  'use strict';
  const $ = id => document.getElementById(id);
  const map = L.map('map', { preferCanvas: false, zoomSnap: 0.25 }).setView([52.5, -1.5], 6);
  L.control.scale({ imperial: true, metric: true, maxWidth: 160, position: 'bottomleft' }).addTo(map);
  const layers = {};
  let providers = null;  // GeoJSON of every provider, loaded once
  let extent = null;     // the road network's extent, loaded once in road mode
  let councilLabels = [];  // [{name, latlng}] from the base map
  let districtLabels = [];  // [{name, latlng}] from the sectors of the home's council
  const labelLayer = L.layerGroup().addTo(map);
  const summary = $('summary'), cohortSummary = $('cohort-summary'), banner = $('banner'), nearest = $('nearest');
  const modeSelect = $('mode'), cohortSelect = $('cohort');
  const legend = new Map();  // key -> {swatch, text}: what is on screen

  // Places within reach: fixed classes, the same in both modes, so colours compare.
  const placeClasses = [
    { min: 0, max: 0, colour: '#fff5eb', label: '0' },
    { min: 1, max: 49, colour: '#fdd0a2', label: '1–49' },
    { min: 50, max: 199, colour: '#fdae6b', label: '50–199' },
    { min: 200, max: 499, colour: '#fd8d3c', label: '200–499' },
    { min: 500, max: 999, colour: '#e6550d', label: '500–999' },
    { min: 1000, max: 1999, colour: '#a63603', label: '1,000–1,999' },
    { min: 2000, max: Infinity, colour: '#5a1e02', label: '2,000 or more' }
  ];
  const placeClass = places => placeClasses.find(c => places >= c.min && places <= c.max);

  // ---- the service: session and JSON --------------------------------------------------------
  let session = null;  // the promise of an open session, once a call was refused
  let searchStart = 0;  // performance.now() when the last search began

  function askToken() {
    const dialog = $('token-dialog');
    return new Promise(resolve => {
      $('token-form').onsubmit = ev => { ev.preventDefault(); resolve($('token').value); };
      if (!dialog.open) dialog.showModal();
    });
  }

  async function openSession() {
    for (;;) {
      const token = await askToken();
      const response = await fetch('/v1/session', { method: 'POST', credentials: 'same-origin',
                                                    headers: { Authorization: 'Bearer ' + token } });
      if (response.ok) { $('token').value = ''; $('token-dialog').close(); return; }
      $('token-error').textContent = response.status === 401 ? 'That token was refused; try again.'
                                                            : 'The service could not open a session (' + response.status + ').';
    }
  }

  async function getJson(url) {
    let response = await fetch(url, { credentials: 'same-origin' });
    if (response.status === 401) {
      if (!session) session = openSession();
      await session;
      response = await fetch(url, { credentials: 'same-origin' });
      if (response.status === 401) session = null;  // expired: ask again next time
    }
    const body = await response.json().catch(() => ({}));
    if (!response.ok) {
      const error = new Error(body.message || response.statusText);
      error.code = body.code || body.status || String(response.status);
      throw error;
    }
    return body;
  }

  // ---- small helpers ------------------------------------------------------------------------
  function asText(text) {  // a tooltip's content, as text
    const span = document.createElement('span');
    span.textContent = text;
    return span;
  }

  function replace(name, layer) {
    if (layers[name]) map.removeLayer(layers[name]);
    layers[name] = layer;
    if (layer) layer.addTo(map);
  }

  const number = n => n == null ? '' : Number(n).toLocaleString('en-GB');

  function setLegend(key, swatch, text, colour) {
    if (swatch) legend.set(key, { swatch, text, colour }); else legend.delete(key);
    const list = $('legend');
    list.replaceChildren();
    for (const [k, entry] of legend) {
      const item = document.createElement('li');
      item.dataset.key = k;
      const mark = document.createElement('span');
      mark.className = 'key ' + entry.swatch;
      if (entry.colour) mark.style.background = entry.colour;
      const label = document.createElement('span');
      label.textContent = entry.text;
      item.append(mark, label);
      list.appendChild(item);
    }
  }

  // The fixed classes of places within reach, for the mode shown (none: cleared).
  function setPlaceLegend(mode, miles) {
    for (const c of placeClasses) setLegend('places-' + c.min, null);
    setLegend('places-title', null);
    setLegend('places-unrouted', null);
    if (!mode) return;
    setLegend('places-title', 'heading', 'Places within ' + miles + (mode === 'road' ? ' miles by road' : ' miles') +
              ' of each postcode sector:');
    for (const c of placeClasses) setLegend('places-' + c.min, 'class', c.label, c.colour);
    if (mode === 'road') setLegend('places-unrouted', 'unrouted-sector', 'sector not on the road network');
  }

  // Council names at county zooms, postcode districts closer in.
  function drawLabels() {
    labelLayer.clearLayers();
    const zoom = map.getZoom(), view = map.getBounds();
    const add = (list, cls) => {
      for (const l of list) {
        if (!view.contains(l.latlng)) continue;
        const span = document.createElement('span');
        span.textContent = l.name;
        labelLayer.addLayer(L.marker(l.latlng, { icon: L.divIcon({ className: 'pd-label ' + cls, html: span, iconSize: null }),
                                                 interactive: false, keyboard: false }));
      }
    };
    if (zoom >= 8 && zoom < 11) add(councilLabels, 'council-label');
    if (zoom >= 10) add(districtLabels, 'district-label');
  }
  map.on('zoomend moveend', drawLabels);

  // ---- the URL fragment ---------------------------------------------------------------------
  function readState() {
    const fragment = new URLSearchParams(location.hash.slice(1));
    const query = new URLSearchParams(location.search);
    const get = key => fragment.get(key) ?? query.get(key);
    return { postcode: get('postcode'), miles: get('miles'), mode: get('mode'), cohort: get('cohort'), view: get('view') };
  }

  function writeState(state) {
    const params = new URLSearchParams();
    for (const key of ['postcode', 'miles', 'mode', 'cohort', 'view'])
      if (state[key]) params.set(key, state[key]);
    history.replaceState(null, '', location.pathname + (params.toString() ? '#' + params : ''));
  }

  function formState() {
    return { postcode: $('postcode').value.trim(), miles: $('miles').value, mode: modeSelect.hidden ? '' : modeSelect.value,
             cohort: cohortSelect.value };
  }

  // ---- tables and downloads -----------------------------------------------------------------
  // A sortable table: columns [{key, label, numeric}], rows of objects (with lon/lat for
  // GeoJSON). Sorting is by buttons in the headers (keyboard reachable); downloads follow the
  // rows as shown, in the order shown.
  function fillTable(table, columns, rows, downloads, fileStem) {
    let sortKey = null, ascending = true;
    const render = () => {
      const shown = rows.slice();
      if (sortKey) {
        const col = columns.find(c => c.key === sortKey);
        shown.sort((a, b) => {
          const x = a[sortKey], y = b[sortKey];
          if (x == null && y == null) return 0;
          if (x == null) return 1;
          if (y == null) return -1;
          const d = col.numeric ? x - y : String(x).localeCompare(String(y));
          return ascending ? d : -d;
        });
      }
      const head = document.createElement('thead'), tr = document.createElement('tr');
      for (const c of columns) {
        const th = document.createElement('th');
        th.scope = 'col';
        th.setAttribute('aria-sort', c.key === sortKey ? (ascending ? 'ascending' : 'descending') : 'none');
        const button = document.createElement('button');
        button.type = 'button';
        button.textContent = c.label;
        button.addEventListener('click', () => {
          ascending = sortKey === c.key ? !ascending : true;
          sortKey = c.key;
          render();
          table.querySelector('th[aria-sort]:not([aria-sort="none"]) button').focus();
        });
        th.appendChild(button);
        if (c.numeric) th.className = 'numeric';
        tr.appendChild(th);
      }
      head.appendChild(tr);
      const body = document.createElement('tbody');
      const text = (row, c) => row[c.key] == null ? '' : (c.numeric ? number(row[c.key]) : String(row[c.key]));
      for (const row of shown) {
        const r = document.createElement('tr');
        for (const c of columns) {
          const td = document.createElement('td');
          td.textContent = text(row, c);
          if (c.numeric) td.className = 'numeric';
          r.appendChild(td);
        }
        body.appendChild(r);
      }
      table.replaceChildren(head, body);
      table.dataset.rows = shown.length;
      // The downloads: the columns shown, the rows in the order shown (numbers unformatted).
      const csvField = v => {
        const s = v == null ? '' : String(v);
        return /[",\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
      };
      const csv = [columns.map(c => csvField(c.label)).join(',')]
        .concat(shown.map(row => columns.map(c => csvField(row[c.key])).join(','))).join('\r\n') + '\r\n';
      const geojson = {
        type: 'FeatureCollection',
        features: shown.map(row => ({
          type: 'Feature',
          properties: Object.fromEntries(columns.map(c => [c.key, row[c.key] ?? null])),
          geometry: row.lon != null && row.lat != null ? { type: 'Point', coordinates: [row.lon, row.lat] } : null
        }))
      };
      const link = (a, text, type, name) => {
        if (a.href && a.href.startsWith('blob:')) URL.revokeObjectURL(a.href);
        a.href = URL.createObjectURL(new Blob([text], { type }));
        a.download = name;
      };
      link(downloads.csv, csv, 'text/csv', fileStem + '.csv');
      link(downloads.geojson, JSON.stringify(geojson), 'application/geo+json', fileStem + '.geojson');
      downloads.csv.dataset.text = csv;  // what the CSV holds, for the browser test
    };
    render();
  }

  const fileName = text => text.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_|_$/g, '');

  // ---- start --------------------------------------------------------------------------------
  async function start() {
    const state = readState();
    if (location.search) writeState(state);  // a postcode never stays in the query string
    if (state.view === 'print') {
      document.body.classList.add('print-view');
      map.invalidateSize();
    }
    const config = await getJson('/v1/config');
    if (config.tile_url) {
      L.tileLayer(config.tile_url, { maxZoom: 18, attribution: 'tiles: as configured' }).addTo(map);
    }
    if (config.loaded.boundaries) {
      const councils = await getJson('/v1/layers/councils');
      const base = L.geoJSON(councils, { style: { className: 'pd-base', color: '#888', weight: 0.6, fillColor: '#fff', fillOpacity: 0.9 },
                                         interactive: false }).addTo(map);
      base.eachLayer(l => councilLabels.push({ name: l.feature.properties.name, latlng: l.getBounds().getCenter() }));
      setLegend('base', 'base', 'council boundaries');
      // Asks the service to make the postcode sector areas now (once per gazetteer), not at the first search.
      getJson('/v1/layers/sectors?bbox=0,0,0,0').catch(() => {});
    }
    if (config.loaded.providers) providers = await getJson('/v1/layers/providers');
    if (config.loaded.roads) {
      modeSelect.hidden = false;
      if (state.mode === 'road') modeSelect.value = 'road';
    }
    if (config.loaded.cohorts > 0) {
      for (const c of (await getJson('/v1/cohorts')).cohorts) {
        const option = document.createElement('option');
        option.value = c.la.code;
        option.textContent = c.la.name + (c.census_date ? ', ' + c.census_date : '') + ' (' + c.placements + ')';
        cohortSelect.appendChild(option);
      }
      $('cohort-form').hidden = false;
      if (state.cohort) {
        cohortSelect.value = state.cohort;
        if (!await showCohort(state.cohort)) return;
      }
    }
    if (state.miles) $('miles').value = state.miles;
    if (state.postcode) {
      $('postcode').value = state.postcode;
      await show(state.postcode, Number($('miles').value), modeSelect.value);
    } else {
      document.body.dataset.state = 'ready';
    }
    drawLabels();
  }

  function fail(element, e) {
    element.className = 'error';
    element.textContent = e.message;
    element.dataset.code = e.code || 'error';
    document.body.dataset.state = 'error';
  }

  // ---- a cohort -----------------------------------------------------------------------------
  async function showCohort(la) {
    document.body.dataset.state = 'loading';
    for (const name of ['cohortZone', 'cohortRoadZone', 'journeys', 'placements']) replace(name, null);
    for (const key of ['cohort-zone', 'cohort-road-zone', 'journeys', 'near', 'far']) setLegend(key, null);
    cohortSummary.className = '';
    cohortSummary.textContent = '';
    $('results-cohort').hidden = true;
    if (!la) { document.body.dataset.state = 'ready'; updatePanel(); return true; }
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
      setLegend('cohort-zone', 'cohort-zone', cohort.la.name + ' and the homes grown by 20 miles');
      if (roadZone) setLegend('cohort-road-zone', 'cohort-road-zone', 'within 20 miles by road of the homes');
      setLegend('journeys', 'journey', 'journeys, home area to placement area (' + number(journeys) + ')');
      setLegend('near', 'near', 'placements within 20 miles (' + number(near) + ')');
      setLegend('far', 'far', 'placements over 20 miles (' + number(far) + ')');
      map.fitBounds(zone.getBounds(), { padding: [10, 10] });
      const h = cohort.report.headline;
      cohortSummary.textContent = cohort.la.name + ': ' + h.children + ' children, ' + h.within_20_miles.count +
        ' (' + h.within_20_miles.percentage + '%) placed within 20 miles of home, ' + h.out_of_county.count + ' outside the council';
      Object.assign(cohortSummary.dataset, {
        council: code, children: h.children, within20: h.within_20_miles.count, placementsNear: near,
        placementsFar: far, journeys: journeys, roadZone: roadZone ? 'yes' : 'no'
      });
      // The DfE table in its published style (shareable: suppressed 1-5 as "c").
      const rows = (cohort.report.table || []).map(r => ({ group: r.group, characteristic: r.characteristic,
        count: r.published_style.count, percentage: r.published_style.percentage }))
        .concat((cohort.report.distance_bands || []).map(b => ({ group: 'distance band', characteristic: b.band,
          count: b.published_style.count, percentage: b.published_style.percentage })));
      fillTable($('cohort-table'), [{ key: 'group', label: 'Group' }, { key: 'characteristic', label: 'Characteristic' },
                                    { key: 'count', label: 'Children' }, { key: 'percentage', label: '%' }],
                rows, { csv: $('cohort-csv'), geojson: $('cohort-geojson') }, 'dfe_location_' + code);
      $('cohort-title').textContent = cohort.la.name + ': DfE location of placements (published style)';
      $('results-cohort').hidden = false;
      updatePanel();
      document.body.dataset.state = 'ready';
      return true;
    } catch (e) {
      fail(cohortSummary, e);
      return false;
    }
  }

  // ---- a search -----------------------------------------------------------------------------
  const searchLayers = ['choropleth', 'councilZone', 'extent', 'zone', 'council', 'providers', 'home'];
  const searchLegend = ['extent', 'zone', 'home', 'council', 'council-zone', 'in', 'unrouted', 'out'];

  function clearSearch() {
    for (const name of searchLayers) replace(name, null);
    for (const key of searchLegend) setLegend(key, null);
    setPlaceLegend(null);
    nearest.replaceChildren();
    banner.hidden = true;
    banner.textContent = '';
    $('results-within').hidden = true;
    $('results-unrouted').hidden = true;
    districtLabels = [];
    for (const key of Object.keys(summary.dataset)) delete summary.dataset[key];
    updatePanel();
  }

  function updatePanel() {
    $('panel').hidden = $('results-within').hidden && $('results-unrouted').hidden && $('results-cohort').hidden;
    map.invalidateSize();
  }

  // What to suggest for a postcode the directory does not know: its sector, else its district,
  // whichever the service knows.
  async function suggestion(typed) {
    const compact = typed.toUpperCase().replace(/[^A-Z0-9]/g, '');
    const m = compact.match(/^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9])([A-Z]{0,2})$/);
    const district = m ? m[1] : (compact.match(/^[A-Z]{1,2}[0-9][A-Z0-9]?/) || [null])[0];
    const candidates = [];
    if (m) candidates.push({ kind: 'sector', text: m[1] + ' ' + m[2], url: '/v1/sectors/' });
    if (district) candidates.push({ kind: 'district', text: district, url: '/v1/districts/' });
    for (const c of candidates) {
      try {
        await getJson(c.url + encodeURIComponent(c.text));
        return c;
      } catch (e) { /* not known: try the next */ }
    }
    return null;
  }

  async function showError(typed, e) {
    clearSearch();
    const hint = e.code === 'malformed' || e.code === 'unknown' || e.code === 'non_geographic' ? await suggestion(typed) : null;
    summary.className = 'error';
    summary.textContent = '“' + typed + '”: ' + e.message + '.';
    summary.dataset.code = e.code || 'error';
    summary.dataset.typed = typed;
    if (hint) {
      summary.append(' Try the postcode ' + hint.kind + ' ');
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'suggestion';
      button.textContent = hint.text;
      button.addEventListener('click', () => { $('postcode').value = hint.text; $('search').requestSubmit(); });
      summary.append(button, ' (its centre is used).');
      summary.dataset.suggestion = hint.text;
    }
    document.body.dataset.state = 'error';
  }

  async function show(postcode, miles, mode) {
    document.body.dataset.state = 'loading';
    document.body.dataset.searches = Number(document.body.dataset.searches || 0) + 1;
    searchStart = performance.now();
    clearSearch();
    summary.className = '';
    summary.textContent = 'Looking up ' + postcode + '…';
    const road = mode === 'road';
    let coverage;
    try {
      coverage = await getJson('/v1/coverage?postcode=' + encodeURIComponent(postcode) + '&miles=' + miles +
                               '&mode=' + (road ? 'road' : 'straight'));
    } catch (e) {
      await showError(postcode, e);
      return;
    }
    try {
      await draw(coverage, postcode, miles, road);
    } catch (e) {
      clearSearch();
      fail(summary, e);
    }
  }

  // The postcode sector areas of a council (sector -> Feature), kept once fetched; empty while the
  // service is still building them (503 busy) or has none (no boundaries).
  const sectorAreaCache = new Map();
  let sectorAreasDrawn = 0;
  async function sectorAreas(council) {
    if (sectorAreaCache.has(council)) return sectorAreaCache.get(council);
    try {
      const layer = await getJson('/v1/layers/sectors?council=' + encodeURIComponent(council));
      const areas = new Map(layer.features.map(f => [f.properties.sector, f]));
      sectorAreaCache.set(council, areas);
      return areas;
    } catch (e) {
      if (['busy', 'not_loaded', 'not_found'].includes(e.code)) return new Map();
      throw e;
    }
  }

  async function draw(coverage, typed, miles, road) {
    const centre = coverage.centre;
    const council = centre.utla ? centre.utla.code : null;
    const within = new Map(coverage.providers.map(p => [p.urn, p]));
    const unrouted = new Map((coverage.not_routed || []).map(p => [p.urn, p]));
    const how = road ? ' miles by road' : ' miles';

    let councilLayer = null, councilZone = null, choropleth = null, sectors = 0, sectorPlaces = 0;
    if (council) {
      try {
        councilLayer = L.geoJSON(await getJson('/v1/layers/councils/' + encodeURIComponent(council)),
                                 { style: { className: 'pd-council', color: '#111', weight: 2.5, fill: false } });
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
        sectors = layer.features.length;
        sectorPlaces = counted.reduce((sum, f) => sum + f.properties.places_within, 0);
        const byDistrict = new Map();
        for (const f of layer.features) {
          const d = f.properties.sector.split(' ')[0];
          const [lon, lat] = f.geometry.coordinates;
          const entry = byDistrict.get(d) || { lon: 0, lat: 0, n: 0 };
          entry.lon += lon; entry.lat += lat; entry.n++;
          byDistrict.set(d, entry);
        }
        districtLabels = [...byDistrict].map(([name, e]) => ({ name, latlng: L.latLng(e.lat / e.n, e.lon / e.n) }));
        // Each sector as its area (GET /v1/layers/sectors) where the service has built them; at its
        // centroid while they are being built or for a sector without an area of its own.
        const areas = await sectorAreas(council);
        const tooltip = p => asText(p.places_within != null
          ? p.sector + ': ' + number(p.places_within) + ' places within ' + miles + how
          : p.sector + ': not on the road network (' + p.road_status + ')');
        const fill = p => { const cls = p.places_within != null ? placeClass(p.places_within) : null;
                            return cls ? cls.colour : '#9ca3af'; };
        const shaped = {
          type: 'FeatureCollection',
          features: layer.features.map(f => {
            const area = areas.get(f.properties.sector);
            return area ? { type: 'Feature', properties: f.properties, geometry: area.geometry } : f;
          })
        };
        sectorAreasDrawn = shaped.features.filter(f => f.geometry.type !== 'Point').length;
        // Leaflet applies `style` to circle markers too, so it answers for both kinds.
        choropleth = L.geoJSON(shaped, {
          style: f => f.geometry.type === 'Point'
            ? { className: 'pd-choropleth', radius: 7, weight: 0.5, color: '#7c2d12', fillColor: fill(f.properties), fillOpacity: 0.9 }
            : { className: 'pd-choropleth pd-sector-area', weight: 0.4, color: '#7c2d12', opacity: 0.6,
                fillColor: fill(f.properties), fillOpacity: 0.75 },
          pointToLayer: (f, at) => L.circleMarker(at),
          onEachFeature: (f, l) => l.bindTooltip(tooltip(f.properties))
        });
      } catch (e) { if (e.code !== 'not_loaded' && e.code !== 'not_found') throw e; }
    }
    if (road && !extent) {
      try { extent = await getJson('/v1/layers/roads/extent'); } catch (e) { if (e.code !== 'not_loaded' && e.code !== 'not_found') throw e; }
    }
    const extentLayer = road && extent
      ? L.geoJSON(extent, { style: { className: 'pd-network-extent', color: '#334155', weight: 1.5, dashArray: '1 5',
                                     fillColor: '#334155', fillOpacity: 0.04 }, interactive: false })
      : null;
    const zone = L.geoJSON(coverage.zone, { style: road
      ? { className: 'pd-road-zone', color: '#dc2626', weight: 2, fillOpacity: 0.12 }
      : { className: 'pd-zone', color: '#2563eb', weight: 2, fillOpacity: 0.12 } });
    let inside = 0, outside = 0, notRouted = 0;
    const providerLayer = providers ? L.geoJSON(providers, {
      pointToLayer: (f, at) => {
        const p = f.properties, w = within.get(p.urn), u = unrouted.get(p.urn);
        const places = p.places != null ? ' (' + number(p.places) + ' places)' : ' (places not published)';
        if (w) {
          inside++;
          const far = w.shortest_road_miles != null ? w.shortest_road_miles + ' miles by road, ' + w.road_minutes + ' minutes; '
                                                    : '';
          return L.circleMarker(at, { className: 'pd-provider-in', radius: 4, weight: 1, color: '#14532d', fillColor: '#16a34a',
                                      fillOpacity: 0.95 })
            .bindTooltip(asText(p.name + places + ': ' + far + w.dfe_miles + ' DfE miles'));
        }
        if (u) {
          notRouted++;
          return L.circleMarker(at, { className: 'pd-provider-unrouted', radius: 4, weight: 1.5, color: '#c2410c',
                                      dashArray: '2 2', fillColor: '#fff', fillOpacity: 0.9 })
            .bindTooltip(asText(p.name + places + ': not routed (' + u.road_status.replace(/_/g, ' ') + '), ' + u.dfe_miles +
                                ' DfE miles'));
        }
        outside++;
        return L.circleMarker(at, { className: 'pd-provider-out', radius: 2.5, weight: 0, fillColor: '#9ca3af', fillOpacity: 0.6 })
          .bindTooltip(asText(p.name + places + ': beyond ' + miles + how));
      }
    }) : null;
    const home = L.circleMarker([centre.lat, centre.lon], { className: 'pd-home', radius: 7, color: '#000', weight: 2,
                                                            fillColor: '#facc15', fillOpacity: 1 })
      .bindTooltip(asText(centre.postcode + (centre.match && centre.match !== 'unit' ? ' (' + centre.match + ' centre)' : '')));

    replace('choropleth', choropleth);
    replace('extent', extentLayer);
    replace('councilZone', councilZone);
    replace('zone', zone);
    replace('council', councilLayer);
    replace('providers', providerLayer);
    replace('home', home);
    const bounds = (councilZone || zone).getBounds();
    if (bounds.isValid()) map.fitBounds(bounds, { padding: [10, 10] });

    // The legend: what is drawn, for this mode.
    if (extentLayer) setLegend('extent', 'extent', 'road network loaded (routes start and end inside)');
    setLegend('zone', road ? 'road-zone' : 'zone', 'within ' + miles + how + ' of the home');
    setLegend('home', 'home', 'the home (' + centre.postcode + ')');
    if (councilLayer) setLegend('council', 'council', centre.utla.name);
    if (councilZone) setLegend('council-zone', 'council-zone', centre.utla.name + ' grown by ' + miles + how);
    if (providerLayer) {
      setLegend('in', 'in', 'provider within reach (' + number(inside) + ')');
      if (road) setLegend('unrouted', 'unrouted', 'provider not routed: off the road network (' + number(notRouted) + ')');
      setLegend('out', 'out', 'provider beyond (' + number(outside) + ')');
    }
    if (choropleth) setPlaceLegend(road ? 'road' : 'straight', miles);

    // What was used for the home, said plainly.
    const notes = [];
    if (centre.match && centre.match !== 'unit') notes.push('the ' + centre.match + ' centre was used, not a unit postcode');
    if (centre.status === 'terminated') notes.push('this postcode is terminated: its last known position was used');
    else if (centre.status !== 'ok' && !(centre.match && centre.match !== 'unit')) notes.push(centre.status.replace(/_/g, ' '));
    summary.textContent = centre.postcode + (notes.length ? ' (' + notes.join('; ') + ')' : '') + ', ' +
      (centre.utla ? centre.utla.name : 'no council') + ': ' + number(coverage.providers_within) + ' providers and ' +
      number(coverage.places_within) + ' places within ' + miles + how + ' (' +
      number(coverage.providers_without_places) + ' providers publish no places' +
      (road ? ', ' + number(coverage.providers_not_routed) + ' could not be routed' : '') + ')';
    if (road && coverage.road_status !== 'ok') {
      banner.textContent = 'The home is not on the road network: ' + (coverage.message || coverage.road_status) +
        '. No road distances can be given from it; try the straight line.';
      banner.hidden = false;
    } else if (road && coverage.providers_not_routed > 0) {
      banner.textContent = number(coverage.providers_not_routed) + ' providers within the search could not be routed ' +
        '(the road network loaded ends at its edge): they are drawn as open rings and listed apart, not counted.';
      banner.hidden = false;
    }
    // The nearest providers within reach, by name.
    const byDistance = coverage.providers.slice().sort((a, b) =>
      (a.shortest_road_miles ?? a.dfe_miles ?? Infinity) - (b.shortest_road_miles ?? b.dfe_miles ?? Infinity));
    for (const p of byDistance.slice(0, 5)) {
      const item = document.createElement('li');
      const m = p.shortest_road_miles ?? p.dfe_miles;
      item.textContent = p.name + (m != null ? ' (' + m + how + ')' : '');
      nearest.appendChild(item);
    }
    // The tables.
    const stem = fileName(centre.postcode) + '_' + miles + (road ? '_road_miles' : '_miles');
    const columns = [{ key: 'name', label: 'Provider' }, { key: 'type', label: 'Type' },
                     { key: 'places', label: 'Places', numeric: true }, { key: 'dfe_miles', label: 'DfE miles', numeric: true }];
    if (road) columns.push({ key: 'shortest_road_miles', label: 'Road miles', numeric: true },
                           { key: 'road_minutes', label: 'Minutes', numeric: true });
    const rowOf = p => ({ urn: p.urn, name: p.name, type: p.type, places: p.places, dfe_miles: p.dfe_miles,
                          shortest_road_miles: p.shortest_road_miles, road_minutes: p.road_minutes,
                          road_status: p.road_status ? p.road_status.replace(/_/g, ' ') : undefined, lon: p.lon, lat: p.lat });
    fillTable($('within-table'), columns, byDistance.map(rowOf), { csv: $('within-csv'), geojson: $('within-geojson') },
              'providers_within_' + stem);
    $('within-title').textContent = number(coverage.providers_within) + ' providers within ' + miles + how + ' of ' + centre.postcode;
    $('results-within').hidden = false;
    if (road && unrouted.size > 0) {
      fillTable($('unrouted-table'), [{ key: 'name', label: 'Provider' }, { key: 'type', label: 'Type' },
                                      { key: 'places', label: 'Places', numeric: true },
                                      { key: 'dfe_miles', label: 'DfE miles', numeric: true },
                                      { key: 'road_status', label: 'Why not routed' }],
                [...unrouted.values()].map(rowOf), { csv: $('unrouted-csv'), geojson: $('unrouted-geojson') },
                'providers_not_routed_' + stem);
      $('unrouted-title').textContent = number(unrouted.size) + ' providers could not be routed';
      $('results-unrouted').hidden = false;
    }
    updatePanel();
    if (bounds.isValid()) map.fitBounds(bounds, { padding: [10, 10] });
    $('print-subtitle').textContent = centre.postcode + ', ' + (centre.utla ? centre.utla.name : 'no council') + ': within ' +
      miles + how + (road ? ' (shortest route)' : ' (DfE straight line)') + '. Printed ' +
      new Date().toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric' }) + '.';

    Object.assign(summary.dataset, {
      postcode: centre.postcode, council: council || '', mode: road ? 'road' : 'straight', match: centre.match || '',
      status: centre.status, providersWithin: coverage.providers_within,
      placesWithin: coverage.places_within, providersInside: inside, providersOutside: outside, providersUnrouted: notRouted,
      notRouted: road ? coverage.providers_not_routed : 0, roadStatus: road ? coverage.road_status : '',
      choroplethSectors: sectors, choroplethPlaces: sectorPlaces, sectorAreas: sectorAreasDrawn, zoneAreaKm2: Math.round(coverage.zone.properties.area_km2),
      extent: extentLayer ? 'yes' : 'no', zoneHoles: coverage.zone.geometry.coordinates.reduce((n, poly) => n + poly.length - 1, 0)
    });
    drawLabels();
    timings();
    document.body.dataset.state = 'ready';
  }

  // For tools/bench/web-timing: first paint, the last search (typed to drawn) and since the page
  // was opened, and the bytes the page fetched (uncompressed, and as transferred).
  function timings() {
    const paint = performance.getEntriesByName('first-contentful-paint')[0];
    const resources = performance.getEntriesByType('resource').concat(performance.getEntriesByType('navigation'));
    Object.assign(document.body.dataset, {
      firstPaintMs: paint ? Math.round(paint.startTime) : '', searchMs: Math.round(performance.now() - searchStart),
      drawnMs: Math.round(performance.now()),
      pageBytes: resources.reduce((n, r) => n + (r.decodedBodySize || 0), 0),
      transferBytes: resources.reduce((n, r) => n + (r.transferSize || 0), 0)
    });
  }

  // ---- events -------------------------------------------------------------------------------
  $('search').addEventListener('submit', ev => {
    ev.preventDefault();
    const state = formState();
    writeState(state);
    show(state.postcode, Number(state.miles), state.mode);
  });

  // A fragment typed or followed (back, forward, a shared link in the same tab) is a search.
  window.addEventListener('hashchange', () => {
    const state = readState();
    if (!state.postcode) return;
    $('postcode').value = state.postcode;
    if (state.miles) $('miles').value = state.miles;
    if (state.mode && !modeSelect.hidden) modeSelect.value = state.mode;
    show(state.postcode, Number($('miles').value), modeSelect.value);
  });

  cohortSelect.addEventListener('change', () => {
    writeState(formState());
    showCohort(cohortSelect.value);
  });

  // Print: the A4 landscape view (no controls), the map fitted to it, then the browser's dialog.
  $('print').addEventListener('click', () => {
    document.body.classList.add('print-view');
    map.invalidateSize();
    const zone = layers.councilZone || layers.zone || layers.cohortZone;
    if (zone) map.fitBounds(zone.getBounds(), { padding: [10, 10], animate: false });
    setTimeout(() => {
      window.print();
      if (readState().view !== 'print') {
        document.body.classList.remove('print-view');
        map.invalidateSize();
      }
    }, 300);
  });

  start().catch(e => {
    summary.className = 'error';
    summary.textContent = 'Could not start: ' + e.message;
    document.body.dataset.state = 'error';
  });
})();
