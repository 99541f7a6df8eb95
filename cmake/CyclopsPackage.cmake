# The package `cmake --install build [--prefix P]` writes: the `cyclops` command, the plot scripts and the
# presets under share/cyclops/, and a library with its headers and a CMake package, so that another project
# does find_package(Cyclops) and links Cyclops::cyclops.
#
# The library is one static archive of every folder's objects except the command line's (sim/cli). Variants
# register themselves from static initialisers (sim/core/registry.h), which a plain archive link drops when
# nothing references them; CyclopsConfig.cmake therefore links the archive whole (LINK_LIBRARY:WHOLE_ARCHIVE),
# as the build links the object libraries directly.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(cyclops_library_parts cyclops_core cyclops_spec cyclops_energy cyclops_analysis cyclops_stats cyclops_trace cyclops_models
    cyclops_noc cyclops_mapping cyclops_top cyclops_network cyclops_sweep)
add_library(cyclops_archive STATIC)
foreach(part ${cyclops_library_parts})
  get_target_property(kind ${part} TYPE)
  if(kind STREQUAL "OBJECT_LIBRARY")
    target_sources(cyclops_archive PRIVATE $<TARGET_OBJECTS:${part}>)
  endif()
endforeach()
set_target_properties(cyclops_archive PROPERTIES OUTPUT_NAME cyclops EXPORT_NAME cyclops_archive)
target_include_directories(cyclops_archive INTERFACE $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}>
                                                     $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}/cyclops>)
target_compile_features(cyclops_archive INTERFACE cxx_std_20)
target_compile_definitions(cyclops_archive INTERFACE SC_CPLUSPLUS=201703L)  # as the build (top CMakeLists)
# SystemC and nlohmann-json appear in installed headers; the others are only linked.
target_link_libraries(cyclops_archive INTERFACE PkgConfig::SYSTEMC nlohmann_json::nlohmann_json
                      $<LINK_ONLY:yaml-cpp> $<LINK_ONLY:onnx> $<LINK_ONLY:SQLite::SQLite3>)

install(TARGETS cyclops RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS cyclops_archive EXPORT CyclopsTargets ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
# Headers keep the source layout (#include "sim/spec/loader.h"); yaml_reader.h is sim/spec's own and the
# command line is not part of the library.
install(DIRECTORY sim models noc DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/cyclops
        FILES_MATCHING PATTERN "*.h" PATTERN "yaml_reader.h" EXCLUDE PATTERN "cli" EXCLUDE)
install(PROGRAMS scripts/plot_noc.py scripts/plot_network.py scripts/plot_sweep.py
        DESTINATION ${CMAKE_INSTALL_DATADIR}/cyclops/scripts)
install(DIRECTORY configs/ DESTINATION ${CMAKE_INSTALL_DATADIR}/cyclops/configs)
install(EXPORT CyclopsTargets NAMESPACE Cyclops:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/Cyclops)
configure_package_config_file(cmake/CyclopsConfig.cmake.in ${PROJECT_BINARY_DIR}/CyclopsConfig.cmake
                              INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/Cyclops
                              PATH_VARS CMAKE_INSTALL_BINDIR CMAKE_INSTALL_DATADIR)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/CyclopsConfigVersion.cmake VERSION ${PROJECT_VERSION}
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/CyclopsConfig.cmake ${PROJECT_BINARY_DIR}/CyclopsConfigVersion.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/Cyclops)
