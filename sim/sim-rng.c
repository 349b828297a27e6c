/* sim-rng.c: xoshiro256** (Blackman & Vigna) with splitmix64 seeding. */
#include "sim-rng.h"


struct _SimRng {
  guint64 s[4];
};

static guint64
splitmix64 (guint64 *state)
{
  guint64 z = (*state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

/* FNV-1a over the purpose name: fixed, platform-independent. */
static guint64
purpose_hash (const char *purpose)
{
  guint64 h = 0xcbf29ce484222325ULL;
  for (const guchar *p = (const guchar *) purpose; *p; p++)
    {
      h ^= *p;
      h *= 0x100000001b3ULL;
    }
  return h;
}

SimRng *
sim_rng_new (guint64 run_seed, const char *purpose)
{
  SimRng *rng = g_new (SimRng, 1);
  guint64 state = run_seed ^ purpose_hash (purpose);
  for (int i = 0; i < 4; i++)
    rng->s[i] = splitmix64 (&state);
  return rng;
}

void
sim_rng_free (SimRng *rng)
{
  g_free (rng);
}

static inline guint64
rotl (guint64 x, int k)
{
  return (x << k) | (x >> (64 - k));
}

guint64
sim_rng_next_u64 (SimRng *rng)
{
  guint64 *s = rng->s;
  guint64 result = rotl (s[1] * 5, 7) * 9;
  guint64 t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl (s[3], 45);
  return result;
}

guint32
sim_rng_next_u32 (SimRng *rng)
{
  return (guint32) (sim_rng_next_u64 (rng) >> 32);
}

guint64
sim_rng_below (SimRng *rng, guint64 bound)
{
  g_assert (bound > 0);
  guint64 limit = G_MAXUINT64 - G_MAXUINT64 % bound;
  guint64 x;
  do
    x = sim_rng_next_u64 (rng);
  while (x >= limit);
  return x % bound;
}

double
sim_rng_uniform (SimRng *rng)
{
  return (double) (sim_rng_next_u64 (rng) >> 11) * (1.0 / 9007199254740992.0);
}

gboolean
sim_rng_chance (SimRng *rng, double p)
{
  if (p <= 0.0)
    return FALSE;
  if (p >= 1.0)
    return TRUE;
  return sim_rng_uniform (rng) < p;
}

/* An approximately standard normal draw from integers only (Irwin-Hall:
 * the sum of 12 uniforms minus 6 has mean 0 and variance 1), so that no libm
 * function, whose last bit may differ between C libraries, touches a run.
 * The result is a multiple of 2^-20 in [-6, 6). */
double
sim_rng_normal (SimRng *rng)
{
  gint64 sum = 0;
  for (int i = 0; i < 12; i++)
    sum += (gint64) (sim_rng_next_u64 (rng) >> 44); /* 20 bits */
  return (double) (sum - 6 * (G_GINT64_CONSTANT (1) << 20)) / (double) (1 << 20);
}
