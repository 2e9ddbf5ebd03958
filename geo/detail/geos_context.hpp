#pragma once
// The one GEOS context wrapper (GEOS C API, reentrant _r functions), for geo/ and shapes/.
// A GEOS context is not thread-safe: a thread uses its own, either an owned GeosContext (an
// object whose geometries were made in it, or one call) or thread_geos_context(). GEOS's error
// messages are kept per thread for last_geos_error(); notices are dropped.
#include <geos_c.h>

#include <string>

namespace placedist::geo::detail {

class GeosContext {
 public:
  GeosContext();
  ~GeosContext();
  GeosContext(const GeosContext&) = delete;
  GeosContext& operator=(const GeosContext&) = delete;
  GEOSContextHandle_t get() const { return m_handle; }

 private:
  GEOSContextHandle_t m_handle;
};

// The calling thread's context, made on first use and finished when the thread ends.
GEOSContextHandle_t thread_geos_context();

// The last error GEOS reported on the calling thread (GEOS writes it while failing).
std::string last_geos_error();

// Owning pointer for a geometry made in a context.
struct GeosGeometryDeleter {
  GEOSContextHandle_t context;
  void operator()(GEOSGeometry* g) const {
    if (g) GEOSGeom_destroy_r(context, g);
  }
};

}  // namespace placedist::geo::detail
