#ifndef LIASSE_CZLIB_SHIM_H
#define LIASSE_CZLIB_SHIM_H
#include <zlib.h>
/* inflateInit2 is a macro: wrap it. windowBits 15 + 32 accepts zlib and gzip headers. */
static inline int cz_inflate_init(z_stream *s, int windowBits) {
    return inflateInit2(s, windowBits);
}
#endif
