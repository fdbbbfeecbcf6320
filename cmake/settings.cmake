# Project-wide compile settings and warnings, linked PRIVATE by every target.
add_library(wisetup_settings INTERFACE)
target_compile_features(wisetup_settings INTERFACE cxx_std_20)
# cpprestsdk's U() macro collides with fmt 9 under C++20 (see docs/decisions).
target_compile_definitions(wisetup_settings INTERFACE _TURN_OFF_PLATFORM_STRING)

add_library(wisetup_warnings INTERFACE)
# Under -fsanitize=thread, GCC 12 reports null dereferences inside libstdc++'s std::string as
# CLI11 uses it, which cannot happen; every other build keeps the warning.
set(null_dereference -Wnull-dereference)
if(CMAKE_CXX_FLAGS MATCHES "-fsanitize=thread")
  set(null_dereference "")
endif()
target_compile_options(wisetup_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Woverloaded-virtual
  -Wcast-align ${null_dereference} -Wextra-semi -Wunused)
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  target_compile_options(wisetup_warnings INTERFACE -Wlogical-op)
  if(CMAKE_UNITY_BUILD)
    # In a batch, every .cpp but the first counts as a header, so an Impl holding a type of its
    # own file's anonymous namespace looks like a header's class that could differ between
    # translation units; it cannot, as each .cpp is compiled once.
    target_compile_options(wisetup_warnings INTERFACE -Wno-subobject-linkage)
  endif()
  if(CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    # GCC 12 at -O2/-O3 warns -Wrestrict inside libstdc++ for plain string concatenation
    # ("literal" + std::string), a false positive fixed in GCC 13 (GCC bug 105651).
    target_compile_options(wisetup_warnings INTERFACE -Wno-restrict)
  endif()
endif()
if(WISETUP_WARNINGS_AS_ERRORS)
  target_compile_options(wisetup_warnings INTERFACE -Werror)
endif()

# Release hardening (issue 7): stack protector, FORTIFY_SOURCE, PIE and full RELRO (BIND_NOW).
# scripts/check-hardening checks the binaries for each. Sanitizer and fuzz builds (no build type)
# leave it out: FORTIFY_SOURCE needs optimisation and clashes with ASan's interceptors.
set(wisetup_release "$<CONFIG:Release,RelWithDebInfo,MinSizeRel>")
# A target marked with wisetup_unoptimised() compiles at -O0 in every build, so without FORTIFY.
set(wisetup_unoptimised "$<BOOL:$<TARGET_PROPERTY:WISETUP_UNOPTIMISED>>")
target_compile_options(wisetup_settings INTERFACE
  "$<${wisetup_release}:-fstack-protector-strong;-fPIE>"
  "$<$<AND:${wisetup_release},$<NOT:${wisetup_unoptimised}>>:-U_FORTIFY_SOURCE;-D_FORTIFY_SOURCE=2>"
  "$<${wisetup_unoptimised}:-O0>")
target_link_options(wisetup_settings INTERFACE
  "$<${wisetup_release}:-pie;-Wl,-z,relro;-Wl,-z,now>")

# The simulator is a test fixture: it answers a few hundred requests a test, so its speed does
# not matter, and unoptimised it compiles in half the time (docs/benchmarks.md). What is shipped
# (wi-setup) is optimised in every build but the test build.
function(wisetup_unoptimised)
  set_target_properties(${ARGN} PROPERTIES WISETUP_UNOPTIMISED ON)
endfunction()
