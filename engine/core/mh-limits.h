/* mh-limits.h — how much a file may make the program do: the memory budget,
 * byte counts computed in 64 bits with overflow checks, and the ranges of
 * numbers that come from input.  Every reader calls these before it
 * allocates, so that a size in a file is refused with a message naming the
 * file, the field and the bytes instead of aborting the process.
 *
 * The memory budget is a share of the physical memory (half of it, or of the
 * cgroup's limit when that is lower); MH_MEMORY_LIMIT in the environment
 * ("2G", "512M", "75%") or mh_limits_set_memory_budget() (the command line's
 * --memory-limit) overrides it.  docs/file-formats.md ("Limits") lists the
 * limits; keep the two in step.
 *
 *   guint64 bytes;
 *   if (!mh_limits_bytes (n_rows, row_bytes, &bytes)
 *       || !mh_limits_check_bytes (bytes, path, "rows", error))
 *     return NULL;
 *   rows = mh_limits_try_alloc0 (n_rows, row_bytes, path, "rows", error);
 *
 * or, for a structure of many parts, an MhMemTally (below).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define MH_MEMORY_LIMIT_ENV "MH_MEMORY_LIMIT"

/* The budget in bytes (at least 16 MiB). */
guint64     mh_limits_memory_budget (void);
/* Overrides the budget for this process (0: back to the default).  The
 * command line's --memory-limit calls it. */
void        mh_limits_set_memory_budget (guint64 bytes);
/* Where the budget comes from, for messages: "half of the physical memory",
 * "MH_MEMORY_LIMIT", "--memory-limit". */
const char *mh_limits_budget_source (void);
/* "2G", "1.5GiB", "512M", "100000k", "123456" (bytes) or "75%" (of the
 * physical memory).  Errors name `what` (the option or variable). */
gboolean    mh_limits_parse_size (const char *text, const char *what, guint64 *bytes,
                                  GError **error);

/* a · b (and a + b) in 64 bits; FALSE on overflow (*out is then G_MAXUINT64). */
gboolean    mh_limits_bytes (guint64 a, guint64 b, guint64 *out);
gboolean    mh_limits_add (guint64 a, guint64 b, guint64 *out);

/* "1.5 GiB (1610612736 bytes)"; free with g_free(). */
char       *mh_limits_format_bytes (guint64 bytes);

/* Refuses `bytes` over the budget: "WHERE: FIELD needs 16.0 GiB (… bytes),
 * more than the memory limit of 3.9 GiB (half of the physical memory; set
 * MH_MEMORY_LIMIT to change it)".  G_MAXUINT64 stands for an overflow. */
gboolean    mh_limits_check_bytes (guint64 bytes, const char *where, const char *field,
                                   GError **error);
/* count × size bytes, checked as above, then g_try_malloc0(); NULL with an
 * error naming WHERE and FIELD when it is refused or the system has not
 * got it.  At least one byte is allocated (count 0 is fine). */
gpointer    mh_limits_try_alloc0 (guint64 count, guint64 size, const char *where,
                                  const char *field, GError **error);

/* What a structure of many parts will need, added up before anything of it
 * is allocated; the part that needs the most is named when it is refused. */
typedef struct {
  guint64 bytes;             /* G_MAXUINT64 after an overflow */
  guint64 largest;
  char    largest_field[128];
} MhMemTally;

#define MH_MEM_TALLY_INIT { 0, 0, "" }

/* Adds count × size bytes for `field` (a JSON path, a tensor name). */
void        mh_mem_tally_add (MhMemTally *t, const char *field, guint64 count, guint64 size);
/* "WHERE: WHAT needs 16.0 GiB …, more than the memory limit …; the most
 * goes to FIELD (8.0 GiB)". */
gboolean    mh_mem_tally_check (const MhMemTally *t, const char *where, const char *what,
                                GError **error);

/* ---- ranges ------------------------------------------------------------ */

/* The documented ranges of the numbers a project gives (docs/file-formats.md).
 * A new field takes one of these, or a row of its own here. */
#define MH_MAX_UNITS        (1 << 20)   /* dense units, hidden units */
#define MH_MAX_CHANNELS     (1 << 16)   /* conv filters, token dim */
#define MH_MAX_KERNEL       1024        /* kernel, stride, padding, pool size, patch */
#define MH_MAX_ATTN_HEADS   1024
#define MH_MAX_LAYERS       1024        /* layers in a block */
#define MH_MAX_HEADS        1024        /* heads of a model */
#define MH_MAX_BATCH        (1 << 20)
#define MH_MAX_EPOCHS       1000000
#define MH_MAX_STEPS        G_MAXINT    /* warm-up steps */
#define MH_MAX_IMAGE_SIDE   4096        /* image-folder width and height */
#define MH_MAX_SAMPLES      10000000    /* samples of a generated data set */
/* Shapes: one dimension of a tensor, and the floats of one sample's tensor
 * (the layers index a sample's values with int). */
#define MH_MAX_DIM          (1 << 28)
#define MH_MAX_TOKENS       (1 << 20)   /* of a sequence attention reads */
#define MH_MAX_SAMPLE_SIZE  ((guint64) G_MAXINT)

/* Refuses v outside [min, max]: "WHERE: FIELD must be between MIN and MAX,
 * got V" (WHERE may be NULL). */
gboolean    mh_limits_check_int (gint64 v, gint64 min, gint64 max, const char *where,
                                 const char *field, GError **error);

G_END_DECLS
