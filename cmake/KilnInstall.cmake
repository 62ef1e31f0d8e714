#===- KilnInstall.cmake - what `cmake --install` puts in place -*- cmake -*-===#
#
# Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
#
#===------------------------------------------------------------------------===#
#
# The tools (bin/), the C header of the ABI (include/kiln-c/), the docs
# (share/doc/kiln/) and the CMake package (lib/cmake/Kiln/: KilnConfig.cmake,
# its version file and kiln_add_model). The tools find libMLIR.so and
# libLLVM.so where LLVM is installed.
#
#===------------------------------------------------------------------------===#

include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(KILN_TOOLS kilnc kiln-opt kiln-run)
set_property(TARGET ${KILN_TOOLS} APPEND PROPERTY INSTALL_RPATH
  "${LLVM_LIBRARY_DIR}")
install(TARGETS ${KILN_TOOLS} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${PROJECT_SOURCE_DIR}/include/kiln-c/kiln_types.h
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/kiln-c)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/
  DESTINATION ${CMAKE_INSTALL_DOCDIR} FILES_MATCHING PATTERN "*.md")
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/LICENSE
  DESTINATION ${CMAKE_INSTALL_DOCDIR})

set(KILN_PACKAGE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/Kiln)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/KilnConfig.cmake.in
  ${PROJECT_BINARY_DIR}/cmake/KilnConfig.cmake
  INSTALL_DESTINATION ${KILN_PACKAGE_DIR}
  PATH_VARS CMAKE_INSTALL_BINDIR CMAKE_INSTALL_INCLUDEDIR)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/cmake/KilnConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/cmake/KilnConfig.cmake
  ${PROJECT_BINARY_DIR}/cmake/KilnConfigVersion.cmake
  ${PROJECT_SOURCE_DIR}/cmake/KilnAddModel.cmake
  DESTINATION ${KILN_PACKAGE_DIR})
