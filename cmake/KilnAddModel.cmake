#===- KilnAddModel.cmake - compile an ONNX model at build time -*- cmake -*-===#
#
# Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
#
#===------------------------------------------------------------------------===#
#
# kiln_add_model(<target> MODEL <model.onnx>
#                [PREFIX <prefix>] [TARGET_CPU <cpu>] [TARGET_TRIPLE <triple>]
#                [FLAGS <kilnc flags>...])
#
# Compiles MODEL with kilnc when the build runs (again when the model or
# kilnc changes) and makes <target> a static library holding the model's
# code, with the directory of the generated <prefix>.h as its include
# directory and libm as its link dependency. PREFIX defaults to the target's
# name made a C identifier; TARGET_CPU and TARGET_TRIPLE become --mcpu and
# --mtriple; FLAGS go to kilnc as they are (--dim, --input-shape, -O3...).
# The kilnc run is the executable target named by KILN_KILNC_TARGET
# (Kiln::kilnc, the installed kilnc, unless the including project says
# otherwise).
#
#===------------------------------------------------------------------------===#

include_guard(GLOBAL)

if(NOT KILN_KILNC_TARGET)
  set(KILN_KILNC_TARGET Kiln::kilnc)
endif()

function(kiln_add_model target)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "" "MODEL;PREFIX;TARGET_CPU;TARGET_TRIPLE"
    "FLAGS")
  if(NOT ARG_MODEL)
    message(FATAL_ERROR "kiln_add_model(${target}): MODEL is required")
  endif()
  if(ARG_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR
      "kiln_add_model(${target}): unknown arguments ${ARG_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT TARGET ${KILN_KILNC_TARGET})
    message(FATAL_ERROR "kiln_add_model(${target}): no kilnc target "
      "'${KILN_KILNC_TARGET}' (find_package(Kiln) defines Kiln::kilnc)")
  endif()
  get_filename_component(model "${ARG_MODEL}" ABSOLUTE
    BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
  set(prefix "${ARG_PREFIX}")
  if(NOT prefix)
    string(MAKE_C_IDENTIFIER "${target}" prefix)
    string(TOLOWER "${prefix}" prefix)
  endif()

  set(flags --prefix=${prefix})
  if(ARG_TARGET_TRIPLE)
    list(APPEND flags --mtriple=${ARG_TARGET_TRIPLE})
  endif()
  if(ARG_TARGET_CPU)
    list(APPEND flags --mcpu=${ARG_TARGET_CPU})
  endif()
  list(APPEND flags ${ARG_FLAGS})

  set(dir "${CMAKE_CURRENT_BINARY_DIR}/${target}.kiln")
  set(object "${dir}/${prefix}.o")
  set(header "${dir}/${prefix}.h")
  add_custom_command(OUTPUT "${object}" "${header}"
    COMMAND ${CMAKE_COMMAND} -E make_directory "${dir}"
    COMMAND ${KILN_KILNC_TARGET} "${model}" -o "${object}" ${flags}
    DEPENDS "${model}" ${KILN_KILNC_TARGET}
    COMMENT "kilnc: compiling ${ARG_MODEL} (prefix ${prefix})"
    VERBATIM)
  set_source_files_properties("${object}" PROPERTIES
    EXTERNAL_OBJECT TRUE GENERATED TRUE)
  add_library(${target} STATIC "${object}" "${header}")
  set_target_properties(${target} PROPERTIES LINKER_LANGUAGE C)
  target_include_directories(${target} INTERFACE "${dir}")
  target_link_libraries(${target} INTERFACE m)
endfunction()
