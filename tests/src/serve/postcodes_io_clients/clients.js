// Asks placedist serve through two real postcodes.io clients from npm and prints what each
// returned as one JSON document, for serve_postcodes_io_test to check.
//   node clients.js BASE_URL TOKEN
const [base, token] = process.argv.slice(2);
const PostcodesIO = require('postcodesio-client');
const nodePostcodes = require('node-postcodes.io');

async function main() {
  const out = {};
  // postcodesio-client: a base URL and request headers.
  const a = new PostcodesIO(base, { headers: { Authorization: 'Bearer ' + token } });
  out.a_lookup = await a.lookup('HP20 1AA');
  out.a_unknown = await a.lookup('HP20 9ZY');
  out.a_outcode = await a.lookup('HP20');
  out.a_validate = [await a.validate('HP20 1AA'), await a.validate('HP20 9ZY')];
  out.a_near_postcode = await a.near('HP20 1AA');
  out.a_near_point = await a.near(51.81856, -0.809452);
  // node-postcodes.io: only through its instance's endpoint and baseRequest.headers.
  nodePostcodes.endpoint = base.replace(/\/$/, '');
  nodePostcodes.baseRequest.headers.Authorization = 'Bearer ' + token;
  out.b_lookup = await nodePostcodes.lookup('HP20 1AA');
  out.b_bulk = await nodePostcodes.lookup(['HP20 1AA', 'NOT A POSTCODE', 'HP20 1AD']);
  out.b_geo = await nodePostcodes.geo([{ latitude: 51.81856, longitude: -0.809452, limit: 3 }]);
  out.b_nearest = await nodePostcodes.nearest('HP20 1AA', { limit: 2 });
  out.b_validate = await nodePostcodes.validate('HP20 1AA');
  out.b_outcode = await nodePostcodes.outcodes('HP20');
  out.b_unknown = await nodePostcodes.lookup('HP20 9ZY');
  process.stdout.write(JSON.stringify(out));
}

main().catch((e) => {
  process.stderr.write(String(e && e.stack || e));
  process.exit(1);
});
