# Tests of what is installed rather than of the code, included from CMakeLists.txt after the
# test directories:
#   cli_docs  (label docs)    the man page, the bash completion and docs/cli.md name exactly
#                             the commands and options of the built binary's --help;
#   package   (label package) the .deb builds, unpacks (dpkg -x, never onto the system), and
#                             its binary, man page and completion work; runs cli_docs on the
#                             unpacked files too.
if(NOT VMOODLE_BUILD_TESTS OR NOT VMOODLE_BUILD_MANPAGE)
  return()
endif()

add_test(NAME cli_docs
  COMMAND ${CMAKE_SOURCE_DIR}/scripts/check-cli-docs.sh
    --binary $<TARGET_FILE:vmoodle-apply>
    --man ${VMOODLE_MANPAGE_DIR}/vmoodle-apply.1
    --completion ${CMAKE_SOURCE_DIR}/completions/vmoodle-apply.bash
    --cli-doc ${CMAKE_SOURCE_DIR}/docs/cli.md)
set_tests_properties(cli_docs PROPERTIES LABELS docs TIMEOUT 60)

# --no-build: ctest runs after the build, and rebuilding here could relink the binary while
# other tests run it. The package is made in a temporary directory, not in the build tree.
add_test(NAME package
  COMMAND ${CMAKE_SOURCE_DIR}/scripts/check-package.sh --no-build ${CMAKE_BINARY_DIR})
set_tests_properties(package PROPERTIES LABELS package TIMEOUT 180)
