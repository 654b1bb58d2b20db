# cmake -DGLSLANG=... -DSPIRV_VAL=... -DSRC=x.comp -DOUT=x.spv -DINCLUDE=dir "-DDEFINES=A=1;B=2" -P compile_shader.cmake
# GLSL -> SPIR-V for Vulkan 1.2, validated by spirv-val. OUT (and its depfile
# OUT.d) appear only for a module that passed validation, so a failed build is
# retried rather than trusted.
set(defs "")
foreach(d ${DEFINES})
    list(APPEND defs "-D${d}")
endforeach()
execute_process(
    COMMAND ${GLSLANG} --quiet -V --target-env vulkan1.2 -S comp -I${INCLUDE} ${defs}
            --depfile ${OUT}.tmp.d -o ${OUT}.tmp ${SRC}
    RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
    file(REMOVE ${OUT}.tmp ${OUT}.tmp.d)
    message(FATAL_ERROR "glslangValidator failed on ${SRC}")
endif()
execute_process(COMMAND ${SPIRV_VAL} --target-env vulkan1.2 ${OUT}.tmp RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
    file(REMOVE ${OUT}.tmp ${OUT}.tmp.d)
    message(FATAL_ERROR "spirv-val rejected the SPIR-V compiled from ${SRC}")
endif()
# The depfile must name OUT, not the temporary.
file(READ ${OUT}.tmp.d dep)
string(REPLACE "${OUT}.tmp:" "${OUT}:" dep "${dep}")
file(WRITE ${OUT}.d "${dep}")
file(REMOVE ${OUT}.tmp.d)
file(RENAME ${OUT}.tmp ${OUT})
