# cmake -DNAME=n -DSPV=in.spv -DOUT=out.cpp -DSOURCE=file.comp -DDEFINES="A=1;B=2" -P embed_spirv.cmake
# Writes the SPIR-V words of IN as a uint32_t array (the file is little-endian,
# as SPIR-V produced on this host is; the magic number is checked at load).
file(READ ${SPV} hex HEX)
string(LENGTH "${hex}" nhex)
math(EXPR rem "${nhex} % 8")
if(nhex EQUAL 0 OR NOT rem EQUAL 0)
    message(FATAL_ERROR "${SPV}: ${nhex} hex digits is not a whole number of 32-bit words")
endif()
math(EXPR nwords "${nhex} / 8")
# Each word: bytes b0 b1 b2 b3 in file order -> 0xb3b2b1b0.
string(REGEX REPLACE "(..)(..)(..)(..)" "0x\\4\\3\\2\\1u," words "${hex}")
# Eight words per line (CMake regexes have no {n} repetition).
set(w8 "")
foreach(i RANGE 1 8)
    string(APPEND w8 "0x........u,")
endforeach()
string(REGEX REPLACE "(${w8})" "\\1\n    " words "${words}")
string(REPLACE ";" " " defines_text "${DEFINES}")
file(WRITE ${OUT} "// Generated from shaders/${SOURCE} by shaders/cmake/embed_spirv.cmake; do not edit.
#include <cstddef>
#include <cstdint>

namespace facet::shaders {
extern const uint32_t ${NAME}_words[];
extern const size_t ${NAME}_word_count;
extern const char ${NAME}_source[];
extern const char ${NAME}_defines[];
const uint32_t ${NAME}_words[] = {
    ${words}
};
const size_t ${NAME}_word_count = ${nwords};
const char ${NAME}_source[] = \"${SOURCE}\";
const char ${NAME}_defines[] = \"${defines_text}\";
}  // namespace facet::shaders
")
