#pragma once
// A PostGIS database as the target of the analysis layers, for teams sharing one database in
// QGIS. The connection is GDAL's "PG:..." string: libpq keywords (dbname, host, port, user,
// password, service, sslmode, ...), values optionally 'quoted'; libpq's environment variables
// (PGHOST, PGPORT, PGUSER, ...) fill in what it leaves out. The schema is given apart
// (--pg-schema), so that GDAL and the checks agree on it.
//
// check_postgis_target() asks the server, before any analysis runs, whether the layers could be
// written at all: it connects, and checks the PostGIS extension, the schema, the right to
// create tables in it, and that every table of the same name is a table the user may replace.
// Passwords never appear in messages or in the QGIS datasource.
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace placedist::maps {

// The target cannot take the layers; what() names the problem (a usage error, exit code 2).
class PostgisUnusable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct PostgisTarget {
  std::vector<std::pair<std::string, std::string>> keywords;  // libpq keyword -> value, as given
  std::string schema = "public";
  // How long the write may wait for a lock another session holds on a table it replaces
  // (e.g. a colleague's open transaction) before it fails and rolls back; 0: for ever.
  int lock_timeout_s = 60;

  // "PG:key='value' ... active_schema=SCHEMA schemas=SCHEMA" for GDAL's PostgreSQL driver,
  // with the lock timeout added to libpq's server `options`.
  std::string gdal_connection() const;
  // The keywords without the password, for messages: "dbname=x host=y".
  std::string describe() const;
};

// True when `out` names a database ("PG:..."), not a folder.
bool is_postgis_connection(std::string_view out);

// Parses "PG:dbname=... host=..."; throws PostgisUnusable when it is not a key=value list,
// holds GDAL's own schema keys (use the schema argument instead) or the schema is not a plain
// identifier (letters, digits, underscore).
PostgisTarget parse_postgis_target(std::string_view out, const std::string& schema);

// Where the server was found (libpq's resolved values) and what it has.
struct PostgisServer {
  std::string dbname, host, port, user;
  std::string postgis_version;               // e.g. "3.3.2"
  std::vector<std::string> replaced_tables;  // tables of the layers' names that exist and will be replaced
};

// Throws PostgisUnusable naming the problem: connection refused or no such database, no PostGIS
// extension, no such schema, no right to use it or create tables in it, a read-only server, or
// a table of one of `tables`' names that is not a table, or not the user's to replace, or that
// a view or another table's foreign key depends on (replacing it would drop those too).
PostgisServer check_postgis_target(const PostgisTarget& target, std::span<const std::string> tables);

// A layer's QGIS style for the database's layer_styles table.
struct PostgisStyle {
  std::string table;          // in target.schema
  std::string geometry_type;  // QGIS's word: "Point", "Line" or "Polygon"
  std::string_view qml;
};

// Writes each table's style as its default into the layer_styles table QGIS 3.22 reads (found
// through the search path, normally public; created in public when absent), replacing
// placedist's earlier styles of the same tables, in one transaction of its own: styles never
// roll back the layers. Returns "" or, when the role may not (PostgreSQL 15 no longer lets
// every role create in public) or anything else fails, why not, for a warning.
std::string write_postgis_styles(const PostgisTarget& target, std::span<const PostgisStyle> styles);

// QGIS's postgres provider connection for the server: "dbname='x' host=y port=z" plus the
// user, service and sslmode when the connection string gave them; never a password.
std::string qgis_postgres_connection(const PostgisTarget& target, const PostgisServer& server);

}  // namespace placedist::maps
