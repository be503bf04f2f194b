#ifndef LIASSE_CLIBXML2_SHIM_H
#define LIASSE_CLIBXML2_SHIM_H
/* Debian's libxml2 headers pull the system ICU, which clashes with Foundation's own ICU
   module on Swift 6.3: turn the ICU part off before any other libxml2 header. */
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlschemas.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <libxml/xmlIO.h>
#include <libxml/parserInternals.h>
#include <libxml/globals.h>

/* xmlFree is a global variable: Swift 6 strict concurrency cannot touch it. */
static inline void cxml_free(void *p) { xmlFree(p); }
#endif
