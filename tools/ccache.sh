# Sourced by tools/build and tools/run-sanitized-tests: ccache, when installed, as the compiler
# launcher (the array `launcher`, for cmake), keyed so that clean clones at any path share one
# cache: paths under the checkout are hashed relative to it and the build directory is left out
# of the hash (an object's debug info then names the directory it was first built in).
launcher=()
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
  export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
fi
