#pragma once
// PLACEDIST_ASAN is defined when the tests are built with AddressSanitizer: g++ says so with
// __SANITIZE_ADDRESS__, clang through __has_feature.
#if defined(__SANITIZE_ADDRESS__)
#define PLACEDIST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PLACEDIST_ASAN 1
#endif
#endif
