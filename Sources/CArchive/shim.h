#ifndef LIASSE_CARCHIVE_SHIM_H
#define LIASSE_CARCHIVE_SHIM_H
#include <archive.h>
#include <archive_entry.h>
/* AE_IF* are macros with casts: Swift cannot import them. */
static const __LA_MODE_T CA_IFREG = AE_IFREG;
static const __LA_MODE_T CA_IFDIR = AE_IFDIR;
static const __LA_MODE_T CA_IFLNK = AE_IFLNK;
#endif
