/* mh-save.h — the one way the program writes a file: atomically, and never
 * over what it must not replace.
 *
 *  - The data go to a temporary file in the target's folder
 *    (".NAME.mh-save-XXXXXX"), are flushed to disk, and the temporary file is
 *    renamed over the target: a crash or kill -9 leaves the old file or the
 *    new one, never a mix.  Temporary files a killed save left in a folder
 *    are removed by the next save into that folder (a save holds a lock on
 *    its own, so a save running elsewhere keeps its file).
 *  - A symbolic link stays a link: its target is replaced atomically (the
 *    temporary file goes into the target's folder).
 *  - A file with more than one hard link: the name saved to gets the new
 *    contents, atomically; the other names keep the old contents (the link
 *    is broken rather than the file written in place, which a crash would
 *    leave truncated).
 *  - The mode (permissions) of a replaced file is kept.
 *  - Refused: a target that is not a regular file (a folder, a device); an
 *    input of the current command (mh_save_protect(): the project it reads,
 *    its data, the weights it loads); and, unless forced (MH_SAVE_FORCE or
 *    mh_save_set_force(), the command line's --force), a file of another
 *    kind than the one written (weights over a project, say).
 *
 * docs/file-formats.md ("How files are saved") says the same for users.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum {
  MH_FILE_KIND_EMPTY,    /* no file, or an empty one: anything may replace it */
  MH_FILE_KIND_PROJECT,  /* a .mhproj */
  MH_FILE_KIND_WEIGHTS,  /* safetensors: weights, checkpoints */
  MH_FILE_KIND_JSON,     /* other JSON */
  MH_FILE_KIND_IMAGE,    /* PNG, JPEG, GIF, BMP, WebP, SVG, … */
  MH_FILE_KIND_TEXT,     /* other UTF-8 text: CSV, Python, … */
  MH_FILE_KIND_BINARY,   /* anything else */
} MhFileKind;

typedef enum {
  MH_SAVE_DEFAULT = 0,
  MH_SAVE_FORCE   = 1 << 0,   /* replace a file of another kind */
} MhSaveFlags;

/* What the file at `path` holds, by its first bytes. */
MhFileKind  mh_file_kind_of (const char *path);
MhFileKind  mh_file_kind_sniff (const guint8 *head, gsize len);
/* "a project file", "a weights file (safetensors)", … */
const char *mh_file_kind_describe (MhFileKind kind);

/* Could a file of `kind` be saved at `path` now?  The same checks as a
 * save, without writing: for commands to fail before hours of work. */
gboolean    mh_save_check (const char *path, MhFileKind kind, MhSaveFlags flags, GError **error);
/* Could files be saved in the folder `dir` now (when it does not exist
 * yet: made in its nearest existing parent)?  Not a folder, read-only. */
gboolean    mh_save_check_folder (const char *dir, GError **error);
/* Writes data[0..len) to `path`. */
gboolean    mh_save_contents (const char *path, MhFileKind kind, const void *data, gsize len,
                              MhSaveFlags flags, GError **error);
/* Writes what write() puts into `out` (buffered) to `path`; for large files
 * that should not be built in memory first. */
typedef gboolean (*MhSaveWriteFunc) (GOutputStream *out, gpointer user_data, GError **error);
gboolean    mh_save_stream (const char *path, MhFileKind kind, MhSaveFlags flags,
                            MhSaveWriteFunc write, gpointer user_data, GError **error);

/* `path` (a file or a folder) is an input of the current command, `role`
 * says which ("the project this command reads"): it is never written over,
 * nor is an existing file inside a protected folder. */
void        mh_save_protect (const char *path, const char *role);
void        mh_save_protect_clear (void);
/* MH_SAVE_FORCE for every save of this process (the command line's --force). */
void        mh_save_set_force (gboolean force);

/* Removes the temporary files and folders killed saves left in `dir`. */
void        mh_save_clean_folder (const char *dir);

/* A folder of files saved together (export-torch): they are written into a
 * temporary folder beside `dir` and moved into place only when all are
 * written.  When `dir` does not exist it appears whole (one rename);
 * otherwise each file is renamed into it (other files there stay).  Files
 * in it are checked like single saves (inputs, kinds) before any is moved. */
typedef struct _MhSaveFolder MhSaveFolder;

MhSaveFolder *mh_save_folder_begin (const char *dir, MhSaveFlags flags, GError **error);
/* Where to write the files. */
const char   *mh_save_folder_path (const MhSaveFolder *f);
/* Moves the files into place and frees f; on an error nothing was moved. */
gboolean      mh_save_folder_commit (MhSaveFolder *f, GError **error);
/* Removes the temporary folder and frees f. */
void          mh_save_folder_abort (MhSaveFolder *f);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MhSaveFolder, mh_save_folder_abort)

G_END_DECLS
