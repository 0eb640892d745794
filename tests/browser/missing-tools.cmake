# Run by the CTest test that stands in for the browser quality gates when a tool they need
# is missing (see CMakeLists.txt): it fails, saying what is missing and how to get it.
message(FATAL_ERROR "${MESSAGE}")
