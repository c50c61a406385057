# Installation rules and the Debian package (CPack), included from CMakeLists.txt after the
# vmoodle-apply target is defined.
#
#   cmake --install build --prefix /usr/local     # binary, schemas, man page, completion, docs
#   cmake --build build --target package          # build/vmoodle-apply_<version>_<arch>.deb
#
# Layout (relative to the prefix; the .deb uses /usr):
#   bin/vmoodle-apply
#   share/vmoodle-apply/schemas/*.json                    for editors; the binary has its own copy
#   share/man/man1/vmoodle-apply.1.gz                     from docs/vmoodle-apply.1.md
#   share/bash-completion/completions/vmoodle-apply       from completions/vmoodle-apply.bash
#   share/doc/vmoodle-apply/{README.md,CHANGELOG.md,docs/,examples/}
include(GNUInstallDirs)

# --- version and commit -------------------------------------------------------------------
# `vmoodle-apply --version` names the commit it was built from. It is read at configure time;
# the HEAD file and the current branch's ref are configure dependencies, so a new commit
# re-runs the configuration on the next build. A source tree that is not its own git checkout
# (a tarball, or one unpacked inside another repository) says "unknown"; distributors may set
# -DVMOODLE_GIT_COMMIT=... themselves.
set(VMOODLE_GIT_COMMIT "" CACHE STRING "Commit shown by --version (empty: ask git)")
set(vmoodle_commit "${VMOODLE_GIT_COMMIT}")
if(vmoodle_commit STREQUAL "")
  set(vmoodle_commit unknown)
  find_package(Git QUIET)
  if(GIT_FOUND)
    execute_process(COMMAND ${GIT_EXECUTABLE} rev-parse --show-toplevel --short HEAD
      WORKING_DIRECTORY ${CMAKE_SOURCE_DIR}
      RESULT_VARIABLE git_result OUTPUT_VARIABLE git_output ERROR_QUIET
      OUTPUT_STRIP_TRAILING_WHITESPACE)
    if(git_result EQUAL 0)
      string(REPLACE "\n" ";" git_output "${git_output}")
      list(GET git_output 0 git_toplevel)
      list(GET git_output 1 git_short)
      file(REAL_PATH "${git_toplevel}" git_toplevel)
      file(REAL_PATH "${CMAKE_SOURCE_DIR}" source_dir_real)
      if(git_toplevel STREQUAL source_dir_real AND git_short MATCHES "^[0-9a-f]+$")
        set(vmoodle_commit "${git_short}")
        execute_process(COMMAND ${GIT_EXECUTABLE} rev-parse --git-path HEAD
          WORKING_DIRECTORY ${CMAKE_SOURCE_DIR} OUTPUT_VARIABLE git_head_file
          OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
        execute_process(COMMAND ${GIT_EXECUTABLE} symbolic-ref -q HEAD
          WORKING_DIRECTORY ${CMAKE_SOURCE_DIR} OUTPUT_VARIABLE git_branch_ref
          OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
        set(git_watch "${git_head_file}")
        if(git_branch_ref)
          execute_process(COMMAND ${GIT_EXECUTABLE} rev-parse --git-path "${git_branch_ref}"
            WORKING_DIRECTORY ${CMAKE_SOURCE_DIR} OUTPUT_VARIABLE git_ref_file
            OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
          list(APPEND git_watch "${git_ref_file}")
        endif()
        foreach(watched IN LISTS git_watch)
          cmake_path(ABSOLUTE_PATH watched BASE_DIRECTORY ${CMAKE_SOURCE_DIR})
          # A packed ref has no file of its own; watching a missing file would reconfigure
          # on every build.
          if(EXISTS "${watched}")
            set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${watched}")
          endif()
        endforeach()
      endif()
    endif()
  endif()
endif()
target_compile_definitions(vmoodle-apply PRIVATE VMOODLE_GIT_COMMIT="${vmoodle_commit}")
message(STATUS "vmoodle-apply ${PROJECT_VERSION}, commit ${vmoodle_commit}")

# --- man page -------------------------------------------------------------------------------
# Written in Markdown (docs/vmoodle-apply.1.md, readable on the web as well) and turned into
# roff by go-md2man: a Debian package of one static binary with no dependencies, where
# pandoc would pull in hundreds of megabytes and ronn a Ruby stack.
option(VMOODLE_BUILD_MANPAGE "Build the vmoodle-apply(1) man page (needs go-md2man)" ON)
set(VMOODLE_MANPAGE_DIR ${CMAKE_BINARY_DIR}/man)
if(VMOODLE_BUILD_MANPAGE)
  find_program(VMOODLE_GO_MD2MAN go-md2man)
  if(NOT VMOODLE_GO_MD2MAN)
    message(FATAL_ERROR "go-md2man not found: it builds the man page. Install it with "
      "scripts/install-deps.sh (Debian package go-md2man), or configure with "
      "-DVMOODLE_BUILD_MANPAGE=OFF to build without the man page.")
  endif()
  configure_file(docs/vmoodle-apply.1.md ${VMOODLE_MANPAGE_DIR}/vmoodle-apply.1.md @ONLY)
  add_custom_command(
    OUTPUT ${VMOODLE_MANPAGE_DIR}/vmoodle-apply.1 ${VMOODLE_MANPAGE_DIR}/vmoodle-apply.1.gz
    COMMAND ${VMOODLE_GO_MD2MAN} -in vmoodle-apply.1.md -out vmoodle-apply.1
    # -n: no name or time stamp in the archive, so that the package is reproducible.
    COMMAND gzip -9 -n -k -f vmoodle-apply.1
    DEPENDS ${VMOODLE_MANPAGE_DIR}/vmoodle-apply.1.md
    WORKING_DIRECTORY ${VMOODLE_MANPAGE_DIR}
    COMMENT "Building the man page vmoodle-apply(1)"
    VERBATIM)
  add_custom_target(vmoodle_manpage ALL
    DEPENDS ${VMOODLE_MANPAGE_DIR}/vmoodle-apply.1 ${VMOODLE_MANPAGE_DIR}/vmoodle-apply.1.gz)
endif()

# --- install rules --------------------------------------------------------------------------
# Directories 0755 whatever the umask of whoever builds the package.
set(CMAKE_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS
  OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)

install(TARGETS vmoodle-apply RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY schemas/ DESTINATION ${CMAKE_INSTALL_DATADIR}/vmoodle-apply/schemas
  FILES_MATCHING PATTERN "*.json")
if(VMOODLE_BUILD_MANPAGE)
  install(FILES ${VMOODLE_MANPAGE_DIR}/vmoodle-apply.1.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
endif()
install(FILES completions/vmoodle-apply.bash
  DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME vmoodle-apply)
install(FILES README.md CHANGELOG.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
# docs/ keeps its name so that the README's links work in the installed copy too.
install(DIRECTORY docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/docs
  FILES_MATCHING PATTERN "*.md" PATTERN "vmoodle-apply.1.md" EXCLUDE)
# The quick start's .run/ holds a live sandbox (sockets, data) when one is running.
install(DIRECTORY examples/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples
  PATTERN ".run" EXCLUDE PATTERN ".*" EXCLUDE)

# --- Debian package -------------------------------------------------------------------------
set(VMOODLE_PACKAGE_MAINTAINER "vmoodle-apply maintainers <vmoodle-apply@localhost>"
  CACHE STRING "Maintainer field of the Debian package")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME vmoodle-apply)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "vmoodle-apply")
set(CPACK_PACKAGE_CONTACT "${VMOODLE_PACKAGE_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
  "manage a fleet of VMoodle virtual Moodle sites from a YAML manifest")
set(CPACK_PACKAGE_DESCRIPTION
  "vmoodle-apply manages the virtual Moodle sites of the VMoodle plugin from one declarative
YAML manifest kept in git, the way Terraform manages infrastructure: `validate` checks the
manifest, `plan` shows what would change, and `apply` creates, updates, migrates, snapshots
or destroys sites (registry row, MariaDB/MySQL database and dataroot) to match it.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
# dpkg-shlibdeps (package dpkg-dev) derives Depends from the libraries the binary links, with
# the minimum versions their symbols need. Without it, the Debian 12 names are listed by hand.
find_program(VMOODLE_DPKG_SHLIBDEPS dpkg-shlibdeps)
if(VMOODLE_DPKG_SHLIBDEPS)
  set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
else()
  message(STATUS "dpkg-shlibdeps not found: the package's Depends are the Debian 12 names")
  set(CPACK_DEBIAN_PACKAGE_DEPENDS "libc6, libstdc++6, libgcc-s1, libyaml-cpp0.7, libgit2-1.5, \
libmariadb3, libfmt9, libssl3")
endif()

# `cmake --build build --target package_source`: the sources without build trees or sandboxes.
set(CPACK_SOURCE_GENERATOR TGZ)
set(CPACK_SOURCE_IGNORE_FILES "/\\\\.git/" "/build[^/]*/" "/\\\\.sandbox/" "/\\\\.quickstart/"
  "/\\\\.run/")

include(CPack)
