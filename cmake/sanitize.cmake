# Build options for hostile-input testing (docs/SECURITY.md). Included by the top-level
# CMakeLists.txt before any target is defined, so the flags reach every library, the cypp
# executable and every test.
#
#   CYPP_SANITIZE  AddressSanitizer + UndefinedBehaviorSanitizer, stopping at the first
#                  finding; -O1 keeps the build and the test run short on two cores.
#                  Standard-library assertions are on too (bounds of operator[], front()...).
#   CYPP_FUZZ      the libFuzzer targets in tests/fuzz (clang only: CC=clang CXX=clang++);
#                  every target is instrumented for coverage, ASan and UBSan.

option(CYPP_SANITIZE "Build every target with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)
option(CYPP_FUZZ "Build the libFuzzer targets in tests/fuzz (needs clang)" OFF)

if(CYPP_SANITIZE OR CYPP_FUZZ)
  # Later flags win, so -O1 here overrides the build type's -O2; NDEBUG stays off so that
  # assertions in our code and in nlohmann/json are checked too.
  add_compile_options(-O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined
                      -fno-sanitize-recover=all -D_GLIBCXX_ASSERTIONS -UNDEBUG)
  add_link_options(-fsanitize=address,undefined -fno-sanitize-recover=all)
endif()

if(CYPP_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "CYPP_FUZZ needs clang (libFuzzer): configure a separate build folder with "
                        "CC=clang CXX=clang++ cmake -S . -B ../build-fuzz -DCYPP_FUZZ=ON")
  endif()
  # Coverage instrumentation everywhere; only the fuzz executables link libFuzzer's main.
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()
