#include "geo/detail/geos_context.hpp"

namespace placedist::geo::detail {
namespace {

thread_local std::string t_last_error;

void on_error(const char* message, void*) { t_last_error = message ? message : ""; }
void on_notice(const char*, void*) {}

}  // namespace

GeosContext::GeosContext() : m_handle(GEOS_init_r()) {
  GEOSContext_setErrorMessageHandler_r(m_handle, on_error, nullptr);
  GEOSContext_setNoticeMessageHandler_r(m_handle, on_notice, nullptr);
}

GeosContext::~GeosContext() { GEOS_finish_r(m_handle); }

GEOSContextHandle_t thread_geos_context() {
  thread_local GeosContext context;
  return context.get();
}

std::string last_geos_error() { return t_last_error; }

}  // namespace placedist::geo::detail
