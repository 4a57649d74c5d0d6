/* mh-teach-xml.h — the explanations' and lessons' XML read into a small
 * tree (GMarkup underneath), so that their readers can check every element
 * and attribute and name the line of a mistake.  Plain C, no widgets.
 *
 * Text is whitespace-normalised as xgettext normalises it for ITS rules
 * (runs of spaces and newlines become one space, none at either end), so
 * the strings the window shows are the msgids in po/. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _MhXmlNode MhXmlNode;
struct _MhXmlNode
{
  char       *name;
  char      **attr_names;    /* NULL-terminated */
  char      **attr_values;
  char       *text;          /* the normalised text directly inside; "" when none */
  GPtrArray  *children;      /* MhXmlNode */
  int         line;
};

/* The document's root element, or NULL with an error "WHERE:LINE:COL: …".
 * Larger than max_bytes is refused before parsing. */
MhXmlNode  *mh_xml_parse       (const char *text, gsize len, const char *where, GError **error);
void        mh_xml_node_free   (MhXmlNode *node);
const char *mh_xml_attr        (const MhXmlNode *node, const char *name);
/* Every attribute of `node` is one of `known` (NULL-terminated); else the
 * name of the first that is not. */
const char *mh_xml_unknown_attr (const MhXmlNode *node, const char *const *known);
/* Collapses whitespace as xgettext does (a new string). */
char       *mh_xml_normalise   (const char *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MhXmlNode, mh_xml_node_free)

G_END_DECLS
