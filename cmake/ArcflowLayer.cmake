# arcflow_layer(NAME DEPS <targets...> [TEST_DEPS <targets...>])
#
# Defines the library target arcflow_<NAME> from every non-test .cc file in the current
# directory, and (when tests are enabled) the test executable arcflow_<NAME>_test from every
# *_test.cc file beside it. A layer links only the layers below it, listed in DEPS, so an
# include of a higher layer fails to link.
function(arcflow_layer name)
  cmake_parse_arguments(LAYER "" "" "DEPS;TEST_DEPS" ${ARGN})
  file(GLOB layer_sources CONFIGURE_DEPENDS "${CMAKE_CURRENT_SOURCE_DIR}/*.cc")
  file(GLOB layer_tests CONFIGURE_DEPENDS "${CMAKE_CURRENT_SOURCE_DIR}/*_test.cc")
  list(REMOVE_ITEM layer_sources ${layer_tests})
  if(layer_sources)
    add_library(arcflow_${name} STATIC ${layer_sources})
    target_include_directories(arcflow_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src
                               ${PROJECT_SOURCE_DIR}/include)
    target_compile_options(arcflow_${name} PRIVATE ${ARCFLOW_WARNINGS})
    target_link_libraries(arcflow_${name} PUBLIC ${LAYER_DEPS})
  else()
    # A layer whose sources are all headers.
    add_library(arcflow_${name} INTERFACE)
    target_include_directories(arcflow_${name} INTERFACE ${PROJECT_SOURCE_DIR}/src
                               ${PROJECT_SOURCE_DIR}/include)
    target_link_libraries(arcflow_${name} INTERFACE ${LAYER_DEPS})
  endif()
  if(ARCFLOW_BUILD_TESTS AND layer_tests)
    add_executable(arcflow_${name}_test ${layer_tests})
    target_compile_options(arcflow_${name}_test PRIVATE ${ARCFLOW_WARNINGS})
    target_compile_definitions(arcflow_${name}_test PRIVATE
      ARCFLOW_SHARED_DIR="${ARCFLOW_SHARED_DIR}"
      ARCFLOW_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
    target_link_libraries(arcflow_${name}_test PRIVATE arcflow_${name} ${LAYER_TEST_DEPS}
                          GTest::gtest GTest::gmock GTest::gtest_main)
    gtest_discover_tests(arcflow_${name}_test DISCOVERY_TIMEOUT 60
                         PROPERTIES LABELS ${name})
  endif()
endfunction()
