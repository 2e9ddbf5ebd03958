/* The libmicrohttpd side of tools/bench/serve-mhd-compare: the smallest server that answers
 * GET /v1/health as placedist does (same body), on libmicrohttpd 0.9.75 (Debian 12's
 * libmicrohttpd-dev) set up as a placedist transport on it would be: epoll, one thread per core,
 * a connection cap, a timeout for idle and slow connections. 404 for anything else.
 *   serve_mhd_health PORT THREADS */
#include <microhttpd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char kHealth[] = "{\"status\":\"ok\"}";

static enum MHD_Result answer(void* cls, struct MHD_Connection* connection, const char* url, const char* method,
                              const char* version, const char* upload_data, size_t* upload_data_size,
                              void** state) {
  (void)cls, (void)version, (void)upload_data, (void)state;
  if (*upload_data_size) { /* no bodies wanted: discard */
    *upload_data_size = 0;
    return MHD_YES;
  }
  const int ok = strcmp(method, "GET") == 0 && strcmp(url, "/v1/health") == 0;
  const char* body = ok ? kHealth : "{\"code\":\"not_found\"}";
  struct MHD_Response* response =
      MHD_create_response_from_buffer(strlen(body), (void*)body, MHD_RESPMEM_PERSISTENT);
  MHD_add_response_header(response, "Content-Type", "application/json");
  enum MHD_Result r = MHD_queue_response(connection, ok ? MHD_HTTP_OK : MHD_HTTP_NOT_FOUND, response);
  MHD_destroy_response(response);
  return r;
}

static volatile sig_atomic_t stop;
static void on_signal(int s) { (void)s, stop = 1; }

int main(int argc, char** argv) {
  if (argc < 3) return fprintf(stderr, "usage: serve_mhd_health PORT THREADS\n"), 2;
  struct MHD_Daemon* d = MHD_start_daemon(
      MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG, (unsigned short)atoi(argv[1]), NULL, NULL, answer, NULL,
      MHD_OPTION_THREAD_POOL_SIZE, (unsigned)atoi(argv[2]), MHD_OPTION_CONNECTION_LIMIT, (unsigned)10000,
      MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)10, MHD_OPTION_END);
  if (!d) return fprintf(stderr, "serve_mhd_health: cannot start\n"), 1;
  fprintf(stderr, "serve_mhd_health: listening on http://127.0.0.1:%s/\n", argv[1]);
  signal(SIGTERM, on_signal);
  signal(SIGINT, on_signal);
  while (!stop) sleep(1); /* the signal may land on any thread: look once a second */
  MHD_stop_daemon(d);
  return 0;
}
