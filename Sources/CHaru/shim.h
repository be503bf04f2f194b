// libharu (Debian libhpdf-dev): the PDF writer behind the certificates' readable copy.
// Debian ships no pkg-config file for it, so the module map links "hpdf" itself.
#include <hpdf.h>
