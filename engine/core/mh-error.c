/* mh-error.c — the engine's GError domain. */
#include "mh-error.h"

G_DEFINE_QUARK (mh-error-quark, mh_error)
