# Precompiled headers, where they pay (issue 9, decision 0011). cpp-httplib is one 10 000-line
# header that every file of the simulator includes: precompiled, a batch of the simulator's files
# compiles in half the time (8.7 s against 18.7 s at -O0). For the tool and the tests they saved
# 1 to 2.5 s a batch and cost 8 to 10 s to build: dropped. The fuzz build, file by file and
# without them, is the check that every file includes what it uses.
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
