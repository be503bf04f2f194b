#ifndef LIASSE_CQPDF_SHIM_H
#define LIASSE_CQPDF_SHIM_H
#include <qpdf/qpdf-c.h>
#endif
