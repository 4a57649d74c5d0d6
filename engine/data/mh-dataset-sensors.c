/* mh-dataset-sensors.c — Sensors: generated windows of a phone in a trouser
 * pocket, 2.56 s at 50 Hz (128 steps) of its 3-axis accelerometer (ax, ay,
 * az, in g) and 3-axis gyroscope (gx, gy, gz, in rad/s), with three fields:
 *
 *   activity  walking, running, stairs up, stairs down, cycling, sitting,
 *             standing, lying
 *   cadence   steps per minute (pedal turns per minute when cycling), 0 when still
 *   faulty    the channels that are stuck, saturated or dropped out somewhere
 *             in the window (a label set over the six channels)
 *
 * The physical model.  The phone's axes: y along the thigh towards the hip,
 * z out of its front, x across.  The thigh's angle θ from the vertical
 * (forward positive) sets where gravity falls: the accelerometer reads the
 * specific force f = a + up, so with the body's own acceleration a = a_up·up
 * + a_fw·forward,
 *   ay = (1 + a_up) cos θ − a_fw sin θ,   az = (1 + a_up) sin θ + a_fw cos θ,
 *   ax = a_side,                           gx = dθ/dt.
 * Gait: θ swings at the stride frequency (half the step rate) about a mean
 * angle, with a second harmonic; each step lands with a bump of a_up whose
 * sharpness and height tell the gaits apart (stairs down land hard, running
 * harder); a_fw and a_side sway with the steps.  Cycling turns θ about 60°
 * at the pedal rate without landings; sitting holds the thigh near
 * horizontal, standing near vertical with a slow sway, lying on one side
 * turns gravity onto x.  Each window's subject (one of 30) has its own
 * cadence and strength factors, sensor biases and the phone's turn in the
 * pocket (about the thigh, ±15°; each window ±5° more); every channel gets
 * white noise and the gyroscope a drifting bias.
 *
 * Faults: a third of the windows get one or two faulty channels, over 32–96
 * steps: stuck (the value held), saturated (the sensor's full scale, ±4 g or
 * ±8 rad/s) or dropped out (zeros).
 *
 * Window i of a split is drawn from its own generator seeded with (seed,
 * split, i): a window does not depend on how many there are.
 */
#include <math.h>
#include <glib/gi18n.h>
#include <string.h>
#include "mh-error.h"
#include "mh-splits.h"

#define STEPS    128
#define RATE     50.0
#define CHANNELS 6
#define SUBJECTS 30
#define ACC_FULL_SCALE  4.0
#define GYRO_FULL_SCALE 8.0
#define MAX_SAMPLES 10000000

enum { WALKING, RUNNING, STAIRS_UP, STAIRS_DOWN, CYCLING, SITTING, STANDING, LYING, N_ACTIVITIES };
enum { F_ACTIVITY, F_CADENCE, F_FAULTY, N_FIELDS };
enum { SPLIT_TRAIN, SPLIT_TEST };
enum { FAULT_STUCK, FAULT_SATURATED, FAULT_DROPOUT };

static const char *const activity_names[] = {
  "walking", "running", "stairs up", "stairs down", "cycling", "sitting", "standing", "lying", NULL
};
static const char *const channel_names[] = { "ax", "ay", "az", "gx", "gy", "gz", NULL };

/* A gait: cadence range (per minute), mean thigh angle and swing (degrees),
 * second harmonic (degrees), landing height (g) and sharpness (power),
 * forward and sideways sway (g). */
typedef struct {
  double cadence[2], mean[2], swing[2], second[2], land[2];
  double sharp, forward, side;
} Gait;

static const Gait gaits[] = {
  [WALKING]     = { { 95, 125 }, { 5, 15 }, { 20, 30 }, { 0, 4 }, { 0.25, 0.45 }, 4, 0.15, 0.10 },
  [RUNNING]     = { { 150, 185 }, { 15, 30 }, { 35, 50 }, { 3, 8 }, { 0.9, 1.5 }, 6, 0.40, 0.20 },
  [STAIRS_UP]   = { { 80, 105 }, { 28, 40 }, { 25, 35 }, { 6, 12 }, { 0.15, 0.30 }, 3, 0.10, 0.08 },
  [STAIRS_DOWN] = { { 90, 120 }, { 8, 18 }, { 15, 22 }, { 2, 5 }, { 0.50, 0.80 }, 14, 0.20, 0.12 },
};

typedef struct {
  double cadence, strength, turn;    /* factors; the phone's turn in the pocket (rad) */
  double acc_bias[3], gyro_bias[3];
} Subject;

static double
normal (GRand *rng)
{
  double u = 1.0 - g_rand_double (rng), v = g_rand_double (rng);

  return sqrt (-2.0 * log (u)) * cos (2.0 * G_PI * v);
}

static double
uniform (GRand *rng, const double range[2])
{
  return g_rand_double_range (rng, range[0], range[1]);
}

static Subject
subject_of (guint32 seed, int who)
{
  guint32 key[3] = { seed, 0x5b1ec7u, (guint32) who };
  g_autoptr (GRand) rng = g_rand_new_with_seed_array (key, G_N_ELEMENTS (key));
  Subject s = {
    g_rand_double_range (rng, 0.93, 1.07), g_rand_double_range (rng, 0.85, 1.2),
    g_rand_double_range (rng, -15, 15) * G_PI / 180,
  };

  for (int c = 0; c < 3; c++)
    {
      s.acc_bias[c] = g_rand_double_range (rng, -0.02, 0.02);
      s.gyro_bias[c] = g_rand_double_range (rng, -0.02, 0.02);
    }
  return s;
}

/* The window's motion, step by step: thigh angle, its rate, and the body's
 * acceleration (up, forward, sideways).  Returns the cadence. */
static double
motion (int activity, const Subject *s, GRand *rng, double *theta, double *rate, double *up, double *fw,
        double *side)
{
  const double deg = G_PI / 180;
  double phase[5], cadence = 0;

  for (int k = 0; k < 5; k++)
    phase[k] = g_rand_double_range (rng, 0, 2 * G_PI);
  if (activity <= STAIRS_DOWN)
    {
      const Gait *g = &gaits[activity];
      double mean = uniform (rng, g->mean) * deg, swing = uniform (rng, g->swing) * deg * s->strength;
      double second = uniform (rng, g->second) * deg, land = uniform (rng, g->land) * s->strength;
      double pulse_mean = 0, w;

      cadence = CLAMP (uniform (rng, g->cadence) * s->cadence, g->cadence[0] * 0.93, g->cadence[1] * 1.07);
      w = 2 * G_PI * cadence / 60;   /* the step's angular frequency; strides at w/2 */
      for (int t = 0; t < 1000; t++)
        pulse_mean += pow (MAX (0, cos (2 * G_PI * t / 1000.0)), g->sharp) / 1000;
      for (int t = 0; t < STEPS; t++)
        {
          double time = t / RATE;
          theta[t] = mean + swing * sin (w / 2 * time + phase[0]) + second * sin (w * time + phase[1]);
          rate[t] = swing * w / 2 * cos (w / 2 * time + phase[0]) + second * w * cos (w * time + phase[1]);
          up[t] = land * (pow (MAX (0, cos (w * time + phase[2])), g->sharp) - pulse_mean) / pulse_mean * 0.25;
          fw[t] = g->forward * s->strength * sin (w * time + phase[3]);
          side[t] = g->side * s->strength * sin (w / 2 * time + phase[4]);
        }
      return cadence;
    }
  if (activity == CYCLING)
    {
      double mean = g_rand_double_range (rng, 55, 65) * deg, swing = g_rand_double_range (rng, 20, 28) * deg;
      double w, buzz = g_rand_double_range (rng, 0.03, 0.08);

      cadence = g_rand_double_range (rng, 55, 95) * s->cadence;
      w = 2 * G_PI * cadence / 60;
      for (int t = 0; t < STEPS; t++)
        {
          double time = t / RATE;
          theta[t] = mean + swing * sin (w * time + phase[0]);
          rate[t] = swing * w * cos (w * time + phase[0]);
          up[t] = buzz * normal (rng);
          fw[t] = 0.05 * sin (2 * w * time + phase[1]) + buzz * normal (rng);
          side[t] = 0.03 * sin (w * time + phase[2]);
        }
      return cadence;
    }
  /* still: sitting, standing, lying (lying's angle is turned onto x below) */
  {
    double mean = activity == SITTING ? g_rand_double_range (rng, 70, 85) * deg
                : activity == STANDING ? g_rand_double_range (rng, -5, 5) * deg
                : g_rand_double_range (rng, 75, 105) * deg;
    double sway = (activity == STANDING ? g_rand_double_range (rng, 1, 2) : 0.3) * deg;
    double w = 2 * G_PI * g_rand_double_range (rng, 0.2, 0.5);

    for (int t = 0; t < STEPS; t++)
      {
        double time = t / RATE;
        theta[t] = mean + sway * sin (w * time + phase[0]);
        rate[t] = sway * w * cos (w * time + phase[0]);
        up[t] = fw[t] = side[t] = 0;
      }
  }
  return 0;
}

/* Draws window x (STEPS × CHANNELS) and its labels. */
static void
draw_window (float *x, GRand *rng, guint32 seed, int *activity_out, float *cadence_out, float *faulty)
{
  int activity = g_rand_int_range (rng, 0, N_ACTIVITIES);
  Subject s = subject_of (seed, g_rand_int_range (rng, 0, SUBJECTS));
  double theta[STEPS], rate[STEPS], up[STEPS], fw[STEPS], side[STEPS];
  double turn = s.turn + g_rand_double_range (rng, -5, 5) * G_PI / 180, ct = cos (turn), st = sin (turn);
  double acc_noise = g_rand_double_range (rng, 0.008, 0.02), gyro_noise = g_rand_double_range (rng, 0.008, 0.02);
  double drift = g_rand_double_range (rng, -0.01, 0.01), lying_side = g_rand_boolean (rng) ? 1 : -1;
  double cadence = motion (activity, &s, rng, theta, rate, up, fw, side);

  for (int t = 0; t < STEPS; t++)
    {
      double a[3], g[3] = { rate[t], 0.02 * rate[t], 0.0 };
      float *row = x + t * CHANNELS;

      if (activity == LYING)   /* on one side: gravity across the thigh */
        {
          a[0] = lying_side * sin (theta[t]);
          a[1] = cos (theta[t]) * 0.3;
          a[2] = cos (theta[t]);
        }
      else
        {
          a[0] = side[t];
          a[1] = (1 + up[t]) * cos (theta[t]) - fw[t] * sin (theta[t]);
          a[2] = (1 + up[t]) * sin (theta[t]) + fw[t] * cos (theta[t]);
        }
      /* the phone's turn about the thigh (y) */
      double ax = a[0] * ct + a[2] * st, az = -a[0] * st + a[2] * ct;
      double gx = g[0] * ct + g[2] * st, gz = -g[0] * st + g[2] * ct;
      row[0] = (float) (ax + s.acc_bias[0] + acc_noise * normal (rng));
      row[1] = (float) (a[1] + s.acc_bias[1] + acc_noise * normal (rng));
      row[2] = (float) (az + s.acc_bias[2] + acc_noise * normal (rng));
      row[3] = (float) (gx + s.gyro_bias[0] + drift * t / STEPS + gyro_noise * normal (rng));
      row[4] = (float) (g[1] + s.gyro_bias[1] + gyro_noise * normal (rng));
      row[5] = (float) (gz + s.gyro_bias[2] - drift * t / STEPS + gyro_noise * normal (rng));
    }
  *activity_out = activity;
  *cadence_out = (float) cadence;

  memset (faulty, 0, sizeof (float) * CHANNELS);
  if (g_rand_double (rng) >= 1.0 / 3)
    return;
  for (int k = 0, faults = g_rand_double (rng) < 0.3 ? 2 : 1; k < faults; k++)
    {
      int c = g_rand_int_range (rng, 0, CHANNELS), kind = g_rand_int_range (rng, 0, 3);
      int len = g_rand_int_range (rng, 32, 97), start = g_rand_int_range (rng, 0, STEPS - len + 1);
      double scale = c < 3 ? ACC_FULL_SCALE : GYRO_FULL_SCALE, sign = g_rand_boolean (rng) ? 1 : -1;
      float held = x[start * CHANNELS + c];

      for (int t = start; t < start + len; t++)
        x[t * CHANNELS + c] = kind == FAULT_STUCK ? held : kind == FAULT_SATURATED ? (float) (sign * scale) : 0.0f;
      faulty[c] = 1;
    }
}

MhDataset *
mh_sensors_schema (void)
{
  MhDataset *d = mh_dataset_new_input ("schema", 0, MH_INPUT_SIGNALS, (MhShape) { 2, { STEPS, CHANNELS } },
                                       NULL, channel_names, N_FIELDS);

  d->rate = RATE;
  mh_field_init (&d->fields[F_ACTIVITY], "activity", MH_FIELD_CLASS, 0, activity_names, 0);
  mh_field_init (&d->fields[F_CADENCE], "cadence", MH_FIELD_NUMBERS, 1, NULL, 0);
  mh_field_init (&d->fields[F_FAULTY], "faulty", MH_FIELD_LABELS, 0, channel_names, 0);
  return d;
}

static MhDataset *
sensors_split (const char *name, int first, int n, int split, guint32 seed)
{
  g_autoptr (MhDataset) schema = mh_sensors_schema ();
  MhDataset *d = mh_dataset_new_like (schema, name, n);

  for (int i = 0; i < n; i++)
    {
      guint32 key[3] = { seed, (guint32) split, (guint32) (first + i) };
      g_autoptr (GRand) rng = g_rand_new_with_seed_array (key, G_N_ELEMENTS (key));
      draw_window (d->signals + (gsize) i * STEPS * CHANNELS, rng, seed, &d->fields[F_ACTIVITY].classes[i],
                   &d->fields[F_CADENCE].values[i], d->fields[F_FAULTY].values + (gsize) i * CHANNELS);
    }
  return d;
}

MhSplits *
mh_sensors_load (const MhDataSpec *spec, GError **error)
{
  MhSplits *s;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (spec->train < 1 || spec->train > MAX_SAMPLES || spec->test < 0 || spec->test > MAX_SAMPLES
      || spec->validation < 0 || spec->validation >= spec->train)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_INVALID,
                   _("dataset: %d training windows (1 to %d), %d test windows (0 to %d) and %d validation "
                   "windows (fewer than the training windows) do not fit"), spec->train, MAX_SAMPLES, spec->test,
                   MAX_SAMPLES, spec->validation);
      return NULL;
    }
  {
    g_autoptr (MhDataset) schema = mh_sensors_schema ();   /* the memory before it is made (mh-limits.h) */
    if (!mh_dataset_check_memory (schema, (guint64) spec->train + spec->test, 1,
                                  "dataset.train + dataset.test", error))
      return NULL;
  }
  s = g_new0 (MhSplits, 1);
  s->train = sensors_split ("train", 0, spec->train - spec->validation, SPLIT_TRAIN, spec->seed);
  s->validation = sensors_split ("validation", spec->train - spec->validation, spec->validation, SPLIT_TRAIN,
                                 spec->seed);
  s->test = sensors_split ("test", 0, spec->test, SPLIT_TEST, spec->seed);
  return s;
}
