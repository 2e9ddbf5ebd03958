#include "maps/postgis_target.hpp"

#include <libpq-fe.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include "geo/io/ascii_case.hpp"

namespace placedist::maps {
namespace {

// libpq's conninfo quoting: 'value' with \' and \\ inside.
std::string quoted(std::string_view value) {
  std::string out = "'";
  for (char c : value) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

// libpq's messages end with a line break and may run over several lines: the first line.
std::string first_line(const char* message) {
  std::string s = message ? message : "";
  s = s.substr(0, s.find('\n'));
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  return s;
}

struct ConnCloser {
  void operator()(PGconn* c) const { PQfinish(c); }
};
struct ResultCloser {
  void operator()(PGresult* r) const { PQclear(r); }
};
using Result = std::unique_ptr<PGresult, ResultCloser>;

Result query(PGconn* conn, const char* sql, std::initializer_list<const char*> params) {
  std::vector<const char*> values(params);
  Result r(PQexecParams(conn, sql, static_cast<int>(values.size()), nullptr, values.data(), nullptr, nullptr, 0));
  if (PQresultStatus(r.get()) != PGRES_TUPLES_OK)
    throw PostgisUnusable("the server refused a check (" + first_line(PQerrorMessage(conn)) + ")");
  return r;
}

}  // namespace

bool is_postgis_connection(std::string_view out) { return geo::starts_with_ignoring_ascii_case(out, "PG:"); }

PostgisTarget parse_postgis_target(std::string_view out, const std::string& schema) {
  if (!is_postgis_connection(out))
    throw PostgisUnusable("a PostGIS connection begins with PG: (PG:dbname=... host=...)");
  std::string_view text = out.substr(3);
  PostgisTarget target;
  std::size_t i = 0;
  auto skip_space = [&] {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  };
  skip_space();
  if (geo::starts_with_ignoring_ascii_case(text.substr(i), "postgres://") ||
      geo::starts_with_ignoring_ascii_case(text.substr(i), "postgresql://"))
    throw PostgisUnusable("write the connection as keywords, PG:dbname=... host=... port=... user=..., not as a URI");
  while (skip_space(), i < text.size()) {
    std::size_t key_start = i;
    while (i < text.size() && text[i] != '=' && !std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    std::string key(text.substr(key_start, i - key_start));
    skip_space();
    if (key.empty() || i >= text.size() || text[i] != '=')
      throw PostgisUnusable("the connection string is not a list of keyword=value (at '" + key + "')");
    ++i;
    skip_space();
    std::string value;
    if (i < text.size() && text[i] == '\'') {
      ++i;
      bool closed = false;
      while (i < text.size()) {
        char c = text[i++];
        if (c == '\\' && i < text.size())
          value += text[i++];
        else if (c == '\'') {
          closed = true;
          break;
        } else
          value += c;
      }
      if (!closed) throw PostgisUnusable("the connection string has an unclosed quote (after " + key + "=)");
    } else {
      while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i]))) value += text[i++];
    }
    key = geo::ascii_lower(key);
    if (key == "schemas" || key == "active_schema" || key == "tables" || key == "list_all_tables")
      throw PostgisUnusable("the connection string's " + key + "= is GDAL's; name the schema with --pg-schema");
    target.keywords.emplace_back(key, value);
  }
  const bool plain = !schema.empty() && std::all_of(schema.begin(), schema.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '_';
  }) && !std::isdigit(static_cast<unsigned char>(schema[0]));
  if (!plain) throw PostgisUnusable("--pg-schema " + schema + ": use letters, digits and underscores");
  target.schema = schema;
  return target;
}

std::string PostgisTarget::gdal_connection() const {
  const std::string lock_timeout = "-c lock_timeout=" + std::to_string(lock_timeout_s * 1000);
  std::string s = "PG:";
  bool options = false;
  for (const auto& [key, value] : keywords) {
    if (key == "options") {
      options = true;
      s += key + "=" + quoted(value + " " + lock_timeout) + " ";
    } else {
      s += key + "=" + quoted(value) + " ";
    }
  }
  if (!options) s += "options=" + quoted(lock_timeout) + " ";
  return s + "active_schema=" + schema + " schemas=" + schema;
}

std::string PostgisTarget::describe() const {
  std::string s;
  for (const auto& [key, value] : keywords)
    if (key != "password" && key != "sslpassword") s += (s.empty() ? "" : " ") + key + "=" + value;
  return s.empty() ? "libpq's defaults" : s;
}

PostgisServer check_postgis_target(const PostgisTarget& target, std::span<const std::string> tables) {
  std::vector<const char*> keys, values;
  for (const auto& [key, value] : target.keywords) keys.push_back(key.c_str()), values.push_back(value.c_str());
  keys.push_back("connect_timeout"), values.push_back("10");
  keys.push_back(nullptr), values.push_back(nullptr);
  std::unique_ptr<PGconn, ConnCloser> conn(PQconnectdbParams(keys.data(), values.data(), 0));
  if (!conn) throw PostgisUnusable("libpq could not allocate a connection");
  if (PQstatus(conn.get()) != CONNECTION_OK)
    throw PostgisUnusable("cannot connect to PostgreSQL (" + target.describe() +
                          "): " + first_line(PQerrorMessage(conn.get())));
  PostgisServer server;
  server.dbname = PQdb(conn.get());
  server.host = PQhost(conn.get()) ? PQhost(conn.get()) : "";
  server.port = PQport(conn.get()) ? PQport(conn.get()) : "";
  server.user = PQuser(conn.get()) ? PQuser(conn.get()) : "";
  const std::string where = "database " + server.dbname;

  Result r = query(conn.get(), "SELECT extversion FROM pg_extension WHERE extname = 'postgis'", {});
  if (PQntuples(r.get()) == 0)
    throw PostgisUnusable(where + " has no PostGIS extension (its owner can add it: CREATE EXTENSION postgis)");
  server.postgis_version = PQgetvalue(r.get(), 0, 0);

  r = query(conn.get(), "SELECT pg_is_in_recovery() OR current_setting('default_transaction_read_only') = 'on'", {});
  if (std::string_view(PQgetvalue(r.get(), 0, 0)) == "t") throw PostgisUnusable(where + " is read-only here");

  const char* schema = target.schema.c_str();
  r = query(conn.get(),
            "SELECT has_schema_privilege(oid, 'USAGE'), has_schema_privilege(oid, 'CREATE') FROM pg_namespace "
            "WHERE nspname = $1",
            {schema});
  if (PQntuples(r.get()) == 0)
    throw PostgisUnusable(where + " has no schema " + target.schema + " (CREATE SCHEMA " + target.schema +
                          ", or choose another with --pg-schema)");
  if (std::string_view(PQgetvalue(r.get(), 0, 0)) != "t" || std::string_view(PQgetvalue(r.get(), 0, 1)) != "t")
    throw PostgisUnusable("role " + server.user + " may not create tables in schema " + target.schema + " of " + where +
                          " (GRANT USAGE, CREATE ON SCHEMA " + target.schema + " TO " + server.user + ")");

  // The tables the layers would replace: each must be a plain table the user owns (or is a member of its owner).
  std::string names = "{";
  for (const std::string& t : tables) names += (names.size() > 1 ? "," : "") + t;
  names += "}";
  r = query(conn.get(),
            "SELECT c.relname, c.relkind IN ('r', 'p'), pg_has_role(c.relowner, 'USAGE'), pg_get_userbyid(c.relowner) "
            "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = $1 AND c.relname = ANY($2::text[]) ORDER BY c.relname",
            {schema, names.c_str()});
  for (int row = 0; row < PQntuples(r.get()); ++row) {
    std::string name = target.schema + "." + PQgetvalue(r.get(), row, 0);
    if (std::string_view(PQgetvalue(r.get(), row, 1)) != "t")
      throw PostgisUnusable(name + " in " + where +
                            " is not a table (a view or another object): placedist replaces only "
                            "its own tables; choose another --pg-schema");
    if (std::string_view(PQgetvalue(r.get(), row, 2)) != "t")
      throw PostgisUnusable(name + " in " + where + " belongs to role " + PQgetvalue(r.get(), row, 3) + ": role " +
                            server.user + " may not replace it");
    server.replaced_tables.push_back(name);
  }
  // GDAL replaces a table by DROP TABLE ... CASCADE: a colleague's view on it, or a table
  // referring to it, would silently go too. Such objects stop the run instead.
  r = query(conn.get(),
            "SELECT t.relname, dn.nspname || '.' || v.relname, CASE v.relkind WHEN 'm' THEN 'materialized view' ELSE "
            "'view' END FROM pg_class t JOIN pg_namespace n ON n.oid = t.relnamespace "
            "JOIN pg_depend d ON d.refclassid = 'pg_class'::regclass AND d.refobjid = t.oid AND "
            "d.classid = 'pg_rewrite'::regclass JOIN pg_rewrite w ON w.oid = d.objid "
            "JOIN pg_class v ON v.oid = w.ev_class AND v.oid <> t.oid JOIN pg_namespace dn ON dn.oid = v.relnamespace "
            "WHERE n.nspname = $1 AND t.relname = ANY($2::text[]) "
            "UNION SELECT t.relname, fn.nspname || '.' || f.relname, 'table (a foreign key)' FROM pg_constraint k "
            "JOIN pg_class t ON t.oid = k.confrelid JOIN pg_namespace n ON n.oid = t.relnamespace "
            "JOIN pg_class f ON f.oid = k.conrelid JOIN pg_namespace fn ON fn.oid = f.relnamespace "
            "WHERE k.contype = 'f' AND k.conrelid <> k.confrelid AND n.nspname = $1 AND t.relname = ANY($2::text[]) "
            "ORDER BY 1, 2",
            {schema, names.c_str()});
  if (PQntuples(r.get()) > 0) {
    std::string dependents;
    for (int row = 0; row < PQntuples(r.get()); ++row)
      dependents += std::string(row ? "; " : "") + PQgetvalue(r.get(), row, 2) + " " + PQgetvalue(r.get(), row, 1) +
                    " depends on " + target.schema + "." + PQgetvalue(r.get(), row, 0);
    throw PostgisUnusable(dependents + " (in " + where + "): replacing the tables would drop " +
                          (PQntuples(r.get()) > 1 ? "them" : "it") + "; drop " +
                          (PQntuples(r.get()) > 1 ? "them" : "it") + " first, or choose another --pg-schema");
  }
  return server;
}

std::string write_postgis_styles(const PostgisTarget& target, std::span<const PostgisStyle> styles) {
  std::vector<const char*> keys, values;
  for (const auto& [key, value] : target.keywords) keys.push_back(key.c_str()), values.push_back(value.c_str());
  keys.push_back("connect_timeout"), values.push_back("10");
  keys.push_back(nullptr), values.push_back(nullptr);
  std::unique_ptr<PGconn, ConnCloser> conn(PQconnectdbParams(keys.data(), values.data(), 0));
  if (!conn || PQstatus(conn.get()) != CONNECTION_OK)
    return "cannot connect: " + first_line(conn ? PQerrorMessage(conn.get()) : "");
  auto run = [&](const char* sql, std::initializer_list<const char*> params) -> std::string {
    std::vector<const char*> v(params);
    Result r(PQexecParams(conn.get(), sql, static_cast<int>(v.size()), nullptr, v.data(), nullptr, nullptr, 0));
    const ExecStatusType status = PQresultStatus(r.get());
    return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK ? "" : first_line(PQerrorMessage(conn.get()));
  };
  std::string error = run("BEGIN", {});
  // QGIS 3.22's own definition of the table (its postgres provider creates it so).
  if (error.empty())
    error = run(
        "DO $$ BEGIN IF to_regclass('layer_styles') IS NULL THEN CREATE TABLE public.layer_styles(id SERIAL PRIMARY "
        "KEY, f_table_catalog varchar, f_table_schema varchar, f_table_name varchar, f_geometry_column varchar, "
        "styleName text, styleQML xml, styleSLD xml, useAsDefault boolean, description text, owner varchar(63) "
        "DEFAULT CURRENT_USER, ui xml, update_time timestamp DEFAULT CURRENT_TIMESTAMP, type varchar); END IF; END $$",
        {});
  for (const PostgisStyle& style : styles) {
    if (!error.empty()) break;
    const std::string qml(style.qml);
    const char* schema = target.schema.c_str();
    error = run(
        "DELETE FROM layer_styles WHERE f_table_catalog = current_database() AND f_table_schema = $1 AND "
        "f_table_name = $2 AND f_geometry_column = $3 AND description = 'placedist'",
        {schema, style.table.c_str(), "geom"});
    if (error.empty())
      error = run(
          "INSERT INTO layer_styles(f_table_catalog, f_table_schema, f_table_name, f_geometry_column, styleName, "
          "styleQML, useAsDefault, description, type) VALUES (current_database(), $1::text, $2::text, $3::text, $2::text, "
          "XMLPARSE(DOCUMENT "
          "$4), true, 'placedist', $5)",
          {schema, style.table.c_str(), "geom", qml.c_str(), style.geometry_type.c_str()});
  }
  if (error.empty()) error = run("COMMIT", {});
  if (!error.empty()) run("ROLLBACK", {});
  return error;
}

std::string qgis_postgres_connection(const PostgisTarget& target, const PostgisServer& server) {
  std::string s = "dbname=" + quoted(server.dbname);
  if (!server.host.empty()) s += " host=" + quoted(server.host);
  if (!server.port.empty()) s += " port=" + quoted(server.port);
  for (const auto& [key, value] : target.keywords)
    if (key == "user" || key == "service" || key == "sslmode") s += " " + key + "=" + quoted(value);
  return s;
}

}  // namespace placedist::maps
