/* test-save.c — the one save function (engine/io/mh-save.c): atomic for
 * plain files, symbolic links and hard links, even under kill -9; the
 * temporary files a killed save left are removed by the next; inputs and
 * files of another kind are not written over; folders saved together. */
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include "mh-save.h"
#include "mh-test-util.h"

static const char project_text[] = "{\n  \"format\": 1,\n  \"name\": \"p\",\n  \"dataset\": {}\n}\n";

static char *
read_text (const char *path)
{
  char *text = NULL;
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  return text;
}

static guint
count_temp_files (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  while ((name = g_dir_read_name (d)) != NULL)
    n += strstr (name, ".mh-save-") != NULL;
  return n;
}

static void
test_sniff (void)
{
  static const guint8 png[] = "\x89PNG\r\n\x1a\n....";
  guint8 st[16] = { 4, 0, 0, 0, 0, 0, 0, 0, '{', '}', ' ', ' ' };

  g_assert_cmpint (mh_file_kind_sniff (png, sizeof png - 1), ==, MH_FILE_KIND_IMAGE);
  g_assert_cmpint (mh_file_kind_sniff (st, 12), ==, MH_FILE_KIND_WEIGHTS);
  g_assert_cmpint (mh_file_kind_sniff ((const guint8 *) project_text, strlen (project_text)), ==,
                   MH_FILE_KIND_PROJECT);
  g_assert_cmpint (mh_file_kind_sniff ((const guint8 *) "{\"a\": 1}", 8), ==, MH_FILE_KIND_JSON);
  g_assert_cmpint (mh_file_kind_sniff ((const guint8 *) "file,class\na.png,x\n", 19), ==,
                   MH_FILE_KIND_TEXT);
  g_assert_cmpint (mh_file_kind_sniff ((const guint8 *) "<svg xmlns=", 11), ==, MH_FILE_KIND_IMAGE);
  g_assert_cmpint (mh_file_kind_sniff ((const guint8 *) "\x01\x02\xff\x00", 4), ==, MH_FILE_KIND_BINARY);
  g_assert_cmpint (mh_file_kind_sniff (NULL, 0), ==, MH_FILE_KIND_EMPTY);
}

static void
test_plain (void)
{
  g_autofree char *dir = mh_test_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "a.txt", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  struct stat st;

  g_assert_true (mh_save_contents (path, MH_FILE_KIND_TEXT, "one\n", 4, 0, &error));
  g_assert_no_error (error);
  g_chmod (path, 0640);
  g_assert_true (mh_save_contents (path, MH_FILE_KIND_TEXT, "two\n", 4, 0, &error));
  text = read_text (path);
  g_assert_cmpstr (text, ==, "two\n");
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0640);   /* the mode is kept */
  g_assert_cmpuint (count_temp_files (dir), ==, 0);
  mh_test_rm_rf (dir);
}

static void
test_symlink (void)
{
  g_autofree char *dir = mh_test_tmp_dir ();
  g_autofree char *real = g_build_filename (dir, "real.txt", NULL);
  g_autofree char *link = g_build_filename (dir, "link.txt", NULL);
  g_autofree char *dangling = g_build_filename (dir, "dangling.txt", NULL);
  g_autofree char *made = g_build_filename (dir, "made.txt", NULL);
  g_autofree char *text = NULL, *text2 = NULL;
  g_autoptr(GError) error = NULL;
  struct stat st;

  g_assert_true (g_file_set_contents (real, "old\n", -1, NULL));
  g_assert_cmpint (symlink ("real.txt", link), ==, 0);
  g_assert_true (mh_save_contents (link, MH_FILE_KIND_TEXT, "new\n", 4, 0, &error));
  g_assert_no_error (error);
  g_assert_cmpint (lstat (link, &st), ==, 0);
  g_assert_true (S_ISLNK (st.st_mode));   /* still a link */
  text = read_text (real);
  g_assert_cmpstr (text, ==, "new\n");
  /* a dangling link: the file it names is made */
  g_assert_cmpint (symlink ("made.txt", dangling), ==, 0);
  g_assert_true (mh_save_contents (dangling, MH_FILE_KIND_TEXT, "x\n", 2, 0, &error));
  text2 = read_text (made);
  g_assert_cmpstr (text2, ==, "x\n");
  mh_test_rm_rf (dir);
}

static void
test_hard_link (void)
{
  g_autofree char *dir = mh_test_tmp_dir ();
  g_autofree char *a = g_build_filename (dir, "a.txt", NULL);
  g_autofree char *b = g_build_filename (dir, "b.txt", NULL);
  g_autofree char *ta = NULL, *tb = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (a, "old\n", -1, NULL));
  g_assert_cmpint (link (a, b), ==, 0);
  g_assert_true (mh_save_contents (a, MH_FILE_KIND_TEXT, "new\n", 4, 0, &error));
  g_assert_no_error (error);
  ta = read_text (a);
  tb = read_text (b);
  /* the documented choice: the saved name is replaced, the other keeps the old contents */
  g_assert_cmpstr (ta, ==, "new\n");
  g_assert_cmpstr (tb, ==, "old\n");
  mh_test_rm_rf (dir);
}

static void
test_refusals (void)
{
  g_autofree char *dir = mh_test_tmp_dir ();
  g_autofree char *project = g_build_filename (dir, "p.mhproj", NULL);
  g_autofree char *other = g_build_filename (dir, "q.mhproj", NULL);
  g_autofree char *data = g_build_filename (dir, "data", NULL);
  g_autofree char *labels = g_build_filename (data, "labels.csv", NULL);
  g_autofree char *fresh = g_build_filename (data, "new.safetensors", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (project, project_text, -1, NULL));
  g_assert_true (g_file_set_contents (other, project_text, -1, NULL));
  g_mkdir (data, 0755);
  g_assert_true (g_file_set_contents (labels, "file,c\na.png,x\n", -1, NULL));
  /* a folder, a device */
  g_assert_false (mh_save_contents (dir, MH_FILE_KIND_WEIGHTS, "x", 1, 0, &error));
  mh_test_assert_error_mentions (error, MH_ERROR_REFUSED, dir, "folder", NULL);
  g_clear_error (&error);
  g_assert_false (mh_save_check ("/dev/null", MH_FILE_KIND_WEIGHTS, MH_SAVE_FORCE, &error));
  mh_test_assert_error_mentions (error, MH_ERROR_REFUSED, "/dev/null", "regular", NULL);
  g_clear_error (&error);
  /* another kind: refused unless forced */
  g_assert_false (mh_save_contents (other, MH_FILE_KIND_WEIGHTS, "x", 1, 0, &error));
  mh_test_assert_error_mentions (error, MH_ERROR_REFUSED, other, "a project file", "--force", NULL);
  g_clear_error (&error);
  text = read_text (other);
  g_assert_cmpstr (text, ==, project_text);
  g_assert_true (mh_save_contents (other, MH_FILE_KIND_WEIGHTS, "x", 1, MH_SAVE_FORCE, &error));
  g_assert_no_error (error);
  /* inputs: never, not even forced; nor a file in an input folder (new ones are fine) */
  mh_save_protect (project, "the project this command reads");
  mh_save_protect (data, "the data folder this command reads");
  g_assert_false (mh_save_contents (project, MH_FILE_KIND_PROJECT, "{}", 2, MH_SAVE_FORCE, &error));
  mh_test_assert_error_mentions (error, MH_ERROR_REFUSED, project, "the project this command reads", NULL);
  g_clear_error (&error);
  g_assert_false (mh_save_contents (labels, MH_FILE_KIND_TEXT, "x", 1, MH_SAVE_FORCE, &error));
  mh_test_assert_error_mentions (error, MH_ERROR_REFUSED, labels, "data folder", NULL);
  g_clear_error (&error);
  g_assert_true (mh_save_contents (fresh, MH_FILE_KIND_WEIGHTS, "x", 1, 0, &error));
  g_assert_no_error (error);
  g_free (text);
  text = read_text (project);
  g_assert_cmpstr (text, ==, project_text);
  /* through a symlink to the input, too */
  {
    g_autofree char *link = g_build_filename (dir, "alias.mhproj", NULL);
    g_assert_cmpint (symlink ("p.mhproj", link), ==, 0);
    g_assert_false (mh_save_contents (link, MH_FILE_KIND_PROJECT, "{}", 2, 0, &error));
    mh_test_assert_error_mentions (error, MH_ERROR_REFUSED, "the project this command reads", NULL);
    g_clear_error (&error);
  }
  mh_save_protect_clear ();
  mh_test_rm_rf (dir);
}

/* Writes 64 MiB slowly, telling the parent through `fd` when it has begun. */
static gboolean
slow_writer (GOutputStream *out, gpointer user_data, GError **error)
{
  int fd = GPOINTER_TO_INT (user_data);
  static char block[1 << 16];

  memset (block, 'z', sizeof block);
  for (int i = 0; i < 1024; i++)
    {
      if (!g_output_stream_write_all (out, block, sizeof block, NULL, NULL, error))
        return FALSE;
      if (i == 20)
        {
          g_output_stream_flush (out, NULL, NULL);
          g_assert_cmpint (write (fd, "go", 2), ==, 2);
        }
      if (i > 20)
        g_usleep (10000);
    }
  return TRUE;
}

/* kill -9 in the middle of a save to a plain file, a link and a hard link:
 * every name keeps its old contents whole; the next save cleans up. */
static void
test_kill (void)
{
  g_autofree char *dir = mh_test_tmp_dir ();
  g_autofree char *real = g_build_filename (dir, "w.txt", NULL);
  g_autofree char *sym = g_build_filename (dir, "sym.txt", NULL);
  g_autofree char *hard = g_build_filename (dir, "hard.txt", NULL);
  const char *targets[] = { real, sym, hard };

  g_assert_true (g_file_set_contents (real, "precious\n", -1, NULL));
  g_assert_cmpint (symlink ("w.txt", sym), ==, 0);
  g_assert_cmpint (link (real, hard), ==, 0);
  for (guint t = 0; t < G_N_ELEMENTS (targets); t++)
    {
      int pipe_fd[2], status;
      char buf[2];
      pid_t pid;
      g_autofree char *a = NULL, *b = NULL, *c = NULL;

      g_assert_cmpint (pipe (pipe_fd), ==, 0);
      pid = fork ();
      g_assert_cmpint (pid, >=, 0);
      if (pid == 0)
        {
          close (pipe_fd[0]);
          mh_save_stream (targets[t], MH_FILE_KIND_TEXT, 0, slow_writer,
                          GINT_TO_POINTER (pipe_fd[1]), NULL);
          _exit (0);
        }
      close (pipe_fd[1]);
      g_assert_cmpint (read (pipe_fd[0], buf, 2), ==, 2);
      kill (pid, SIGKILL);
      waitpid (pid, &status, 0);
      close (pipe_fd[0]);
      g_assert_true (WIFSIGNALED (status));
      a = read_text (real);
      b = read_text (sym);
      c = read_text (hard);
      g_assert_cmpstr (a, ==, "precious\n");
      g_assert_cmpstr (b, ==, "precious\n");
      g_assert_cmpstr (c, ==, "precious\n");
      g_assert_cmpuint (count_temp_files (dir), ==, 1);   /* left by the killed save */
      mh_save_clean_folder (dir);
      g_assert_cmpuint (count_temp_files (dir), ==, 0);
    }
  /* and a save removes what a killed one left */
  {
    g_autofree char *left = g_build_filename (dir, ".w.txt.mh-save-AbC123", NULL);
    int fd = open (left, O_CREAT | O_WRONLY, 0600);
    g_autoptr(GError) error = NULL;
    close (fd);
    g_assert_cmpuint (count_temp_files (dir), ==, 1);
    g_assert_true (mh_save_contents (real, MH_FILE_KIND_TEXT, "new\n", 4, 0, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (count_temp_files (dir), ==, 0);
  }
  mh_test_rm_rf (dir);
}

/* A save that fails half-way leaves the old file and no temporary file. */
static gboolean
failing_writer (GOutputStream *out, gpointer user_data, GError **error)
{
  g_output_stream_write_all (out, "half", 4, NULL, NULL, NULL);
  g_set_error (error, MH_ERROR, MH_ERROR_IO, "the writer failed");
  return FALSE;
}

static void
test_failed_write (void)
{
  g_autofree char *dir = mh_test_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "a.txt", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, "old\n", -1, NULL));
  g_assert_false (mh_save_stream (path, MH_FILE_KIND_TEXT, 0, failing_writer, NULL, &error));
  mh_test_assert_error_mentions (error, MH_ERROR_IO, "the writer failed", NULL);
  text = read_text (path);
  g_assert_cmpstr (text, ==, "old\n");
  g_assert_cmpuint (count_temp_files (dir), ==, 0);
  mh_test_rm_rf (dir);
}

/* The disk fills during a save (RLIMIT_FSIZE, SIGXFSZ ignored: write()
 * fails with EFBIG past 64 KiB, as it would with ENOSPC): the old file is
 * kept whole, no temporary file is left, the message names the file. */
static void
test_disk_full (void)
{
  g_autofree char *dir = mh_test_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "w.safetensors", NULL);
  g_autofree char *text = NULL, *big = g_malloc0 (1 << 20);
  g_autoptr(GError) error = NULL;
  struct rlimit old, small;
  void (*old_handler) (int);

  memcpy (big, "\x08\0\0\0\0\0\0\0{}      ", 16);
  g_assert_true (g_file_set_contents (path, "old\n", -1, NULL));
  g_assert_cmpint (getrlimit (RLIMIT_FSIZE, &old), ==, 0);
  small = old;
  small.rlim_cur = 64 << 10;
  old_handler = signal (SIGXFSZ, SIG_IGN);
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &small), ==, 0);
  g_assert_false (mh_save_contents (path, MH_FILE_KIND_WEIGHTS, big, 1 << 20, MH_SAVE_FORCE, &error));
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &old), ==, 0);
  signal (SIGXFSZ, old_handler);
  g_test_message ("%s", error->message);
  mh_test_assert_error_mentions (error, MH_ERROR_IO, path, "cannot save", "the old file is kept", NULL);
  text = read_text (path);
  g_assert_cmpstr (text, ==, "old\n");
  g_assert_cmpuint (count_temp_files (dir), ==, 0);
  /* with room again, the same save goes through */
  g_clear_error (&error);
  g_assert_true (mh_save_contents (path, MH_FILE_KIND_WEIGHTS, big, 1 << 20, MH_SAVE_FORCE, &error));
  g_assert_no_error (error);
  mh_test_rm_rf (dir);
}

/* A folder that cannot be written to is refused by the checks commands
 * run before their work (mh_save_check, mh_save_check_folder), naming the
 * folder; the save itself fails the same way and leaves the old file.  Run
 * in a subprocess as an unprivileged user when the tests run as root (root
 * writes into any folder). */
static void
test_read_only (void)
{
  if (g_test_subprocess ())
    {
      const char *dir = g_getenv ("MH_TEST_RO_DIR");
      g_autofree char *ro = g_build_filename (dir, "ro", NULL);
      g_autofree char *old = g_build_filename (ro, "w.safetensors", NULL);
      g_autofree char *fresh = g_build_filename (ro, "new.safetensors", NULL);
      g_autofree char *nested = g_build_filename (ro, "ck", "deeper", NULL);
      g_autofree char *writable = g_build_filename (dir, "ck", "deeper", NULL);
      g_autofree char *under_file = g_build_filename (old, "sub", NULL);
      g_autofree char *text = NULL;
      g_autoptr(GError) error = NULL;

      if (getuid () == 0 && (setgid (65534) != 0 || setuid (65534) != 0))
        g_error ("cannot become nobody to test without root's rights");
      g_assert_cmpint (g_access (ro, W_OK), !=, 0);
      g_assert_false (mh_save_check (old, MH_FILE_KIND_TEXT, 0, &error));
      mh_test_assert_error_mentions (error, MH_ERROR_IO, old, "cannot be written to", ro, NULL);
      g_clear_error (&error);
      g_assert_false (mh_save_check (fresh, MH_FILE_KIND_TEXT, 0, &error));
      mh_test_assert_error_mentions (error, MH_ERROR_IO, fresh, "cannot be written to", NULL);
      g_clear_error (&error);
      g_assert_false (mh_save_check_folder (nested, &error));   /* would be made in ro */
      mh_test_assert_error_mentions (error, MH_ERROR_IO, nested, "the folder", ro, NULL);
      g_clear_error (&error);
      g_assert_false (mh_save_check_folder (under_file, &error));
      mh_test_assert_error_mentions (error, MH_ERROR_IO, under_file, "is not a folder", NULL);
      g_clear_error (&error);
      g_assert_true (mh_save_check_folder (writable, &error));   /* made in dir, which is writable */
      g_assert_no_error (error);
      g_assert_false (mh_save_contents (old, MH_FILE_KIND_TEXT, "new\n", 4, 0, &error));
      mh_test_assert_error_mentions (error, MH_ERROR_IO, old, "Permission denied", NULL);
      text = read_text (old);
      g_assert_cmpstr (text, ==, "old\n");
      return;
    }
  {
    g_autofree char *dir = mh_test_tmp_dir ();
    g_autofree char *ro = g_build_filename (dir, "ro", NULL);
    g_autofree char *old = g_build_filename (ro, "w.safetensors", NULL);

    g_assert_cmpint (g_mkdir (ro, 0755), ==, 0);
    g_assert_true (g_file_set_contents (old, "old\n", -1, NULL));
    g_assert_cmpint (g_chmod (old, 0644), ==, 0);
    g_assert_cmpint (g_chmod (ro, 0555), ==, 0);
    g_assert_cmpint (g_chmod (dir, 0777), ==, 0);   /* nobody may write in dir, not in ro */
    g_setenv ("MH_TEST_RO_DIR", dir, TRUE);
    g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDOUT | G_TEST_SUBPROCESS_INHERIT_STDERR);
    g_test_trap_assert_passed ();
    g_chmod (ro, 0755);
    mh_test_rm_rf (dir);
  }
}

static void
write_into (MhSaveFolder *f, const char *name, const char *text)
{
  g_autofree char *path = g_build_filename (mh_save_folder_path (f), name, NULL);
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
}

static void
test_folder (void)
{
  g_autofree char *dir = mh_test_tmp_dir ();
  g_autofree char *out = g_build_filename (dir, "out", NULL);
  g_autofree char *model = g_build_filename (out, "model.py", NULL);
  g_autofree char *mine = g_build_filename (out, "notes.txt", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  MhSaveFolder *f;

  /* a new folder appears whole */
  f = mh_save_folder_begin (out, 0, &error);
  g_assert_no_error (error);
  write_into (f, "model.py", "one\n");
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  g_assert_true (mh_save_folder_commit (f, &error));
  g_assert_no_error (error);
  text = read_text (model);
  g_assert_cmpstr (text, ==, "one\n");
  {
    g_autofree char *lock = g_build_filename (out, ".mh-save-lock", NULL);
    g_assert_false (g_file_test (lock, G_FILE_TEST_EXISTS));
  }
  /* an aborted one changes nothing */
  g_assert_true (g_file_set_contents (mine, "mine\n", -1, NULL));
  f = mh_save_folder_begin (out, 0, &error);
  write_into (f, "model.py", "two\n");
  mh_save_folder_abort (f);
  g_free (text);
  text = read_text (model);
  g_assert_cmpstr (text, ==, "one\n");
  g_assert_cmpuint (count_temp_files (dir), ==, 0);
  /* into an existing folder: our files replaced, the others kept */
  f = mh_save_folder_begin (out, 0, &error);
  write_into (f, "model.py", "three\n");
  g_assert_true (mh_save_folder_commit (f, &error));
  g_free (text);
  text = read_text (model);
  g_assert_cmpstr (text, ==, "three\n");
  g_free (text);
  text = read_text (mine);
  g_assert_cmpstr (text, ==, "mine\n");
  /* a file of another kind in the way: nothing moved */
  g_assert_true (g_file_set_contents (model, project_text, -1, NULL));
  f = mh_save_folder_begin (out, 0, &error);
  write_into (f, "a.txt", "a\n");
  write_into (f, "model.py", "four\n");
  g_assert_false (mh_save_folder_commit (f, &error));
  mh_test_assert_error_mentions (error, MH_ERROR_REFUSED, "model.py", "a project file", NULL);
  {
    g_autofree char *a = g_build_filename (out, "a.txt", NULL);
    g_assert_false (g_file_test (a, G_FILE_TEST_EXISTS));
  }
  g_assert_cmpuint (count_temp_files (dir), ==, 0);
  mh_test_rm_rf (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/save/sniff", test_sniff);
  g_test_add_func ("/engine/save/plain", test_plain);
  g_test_add_func ("/engine/save/symlink", test_symlink);
  g_test_add_func ("/engine/save/hard-link", test_hard_link);
  g_test_add_func ("/engine/save/refusals", test_refusals);
  g_test_add_func ("/engine/save/kill", test_kill);
  g_test_add_func ("/engine/save/failed-write", test_failed_write);
  g_test_add_func ("/engine/save/disk-full", test_disk_full);
  g_test_add_func ("/engine/save/read-only", test_read_only);
  g_test_add_func ("/engine/save/folder", test_folder);
  return g_test_run ();
}
