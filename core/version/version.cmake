# core/version.h for every program's --version: project(VERSION) and, when
# the source is a git checkout, `git describe` at configure time (re-run
# cmake to refresh it). Programs link pedisim_version.
set(PEDISIM_GIT_DESCRIBE "")
find_package(Git QUIET)
if(GIT_FOUND)
  execute_process(
    COMMAND ${GIT_EXECUTABLE} describe --always --dirty --abbrev=7
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
    OUTPUT_VARIABLE PEDISIM_GIT_DESCRIBE
    OUTPUT_STRIP_TRAILING_WHITESPACE
    ERROR_QUIET)
endif()
configure_file(${CMAKE_CURRENT_LIST_DIR}/version.h.in
  ${PROJECT_BINARY_DIR}/generated/core/version.h @ONLY)
add_library(pedisim_version INTERFACE)
target_include_directories(pedisim_version INTERFACE ${PROJECT_BINARY_DIR}/generated)
