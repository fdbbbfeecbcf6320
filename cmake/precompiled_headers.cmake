# Precompiled headers, where they pay (issue 9, measured in docs/benchmarks.md). cpp-httplib is one
# 10 000-line header that every file of the simulator includes: precompiled, the simulator's
# files compile about 30 % faster. For the tool and the tests they were measured and dropped
# (3 % slower and 8 % faster): their time goes to instantiating nlohmann/json's templates and
# optimising, which a precompiled header does not save. -DWISETUP_PRECOMPILED_HEADERS=OFF builds
# without (to check that every file includes what it uses); fuzz builds never use them.
option(WISETUP_PRECOMPILED_HEADERS "Precompile cpp-httplib for the simulator" ON)
if(WISETUP_BUILD_FUZZERS)
  set(WISETUP_PRECOMPILED_HEADERS OFF)
endif()

# Precompiles `headers` for `target`.
function(wisetup_precompile target)
  if(WISETUP_PRECOMPILED_HEADERS)
    target_precompile_headers(${target} PRIVATE ${ARGN})
  endif()
endfunction()
