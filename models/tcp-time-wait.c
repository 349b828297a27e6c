/* tcp-time-wait.c: TIME-WAIT records (RFC 9293 3.10.7.4 per-step rules for
 * TIME-WAIT, RFC 5961, RFC 1337, RFC 7323 PAWS). Rule order follows RFC
 * 9293 3.10.7.4: sequence check and RST, SYN, ACK, text, FIN.
 *
 * A SYN is judged by the time_wait_syn policy (challenge, rfc793, rfc1122,
 * rfc6191, linux, bsd, reject). A SYN that reopens the 4-tuple closes the
 * record and is handed to the LISTEN socket of its port with the ISS the
 * policy demands (the demux "recycle"); the new connection is the next
 * incarnation of the 4-tuple (the SYN's own). Not modelled: RFC 1122
 * condition (2), going back to TIME-WAIT when the reopening SYN turns out
 * to be an old duplicate (Linux does not either: "RED-PEN" in
 * tcp_minisocks.c). TS.Recent is frozen when the record is made, except
 * under time_wait_restart=linux (a bare ACK at RCV.NXT updates it, as
 * Linux tcp_timewait_state_process does).
 *
 * Which segments restart the timer is the time_wait_restart policy: fin
 * (RFC 9293 3.10.7.4 fifth, FreeBSD tcp_twcheck "tcp_tw_2msl_reset" only
 * for the retransmitted FIN) or linux (tw_check_linux). */
#include "tcp-time-wait.h"
#include "tcp-isn.h"

#include <string.h>

static void tcp_time_wait_timer_fired (gpointer data);

/* What the record's length is called in the narration: Linux's constant,
 * the time_wait setting, or RFC 9293's 2 x MSL. */
static const char *
tw_length_name (const TcpStack *stack)
{
  if (stack->config.time_wait > 0)
    return stack->config.time_wait_linux ? "TCP_TIMEWAIT_LEN" : "time_wait";
  return "2 x MSL";
}

static const char *
tw_length_source (const TcpStack *stack)
{
  if (stack->config.time_wait > 0)
    return stack->config.time_wait_linux
             ? "TCP_TIMEWAIT_LEN, Linux's fixed 60 s whatever the MSL"
             : "the time_wait setting";
  return "2 x MSL, RFC 9293 3.4.2";
}

/* RFC 9293 3.4.2 (MUST-13): 2 x MSL, unless the time_wait setting fixes
 * it (Linux TCP_TIMEWAIT_LEN: 60 s whatever the MSL, include/net/tcp.h). */
SimTime
tcp_time_wait_duration (TcpStack *stack)
{
  if (stack->config.time_wait > 0)
    return stack->config.time_wait;
  return 2 * stack->config.msl;
}

/* --- the compact four-tuple --- */

/* Two IPv4 addresses fit in 4 bytes each (the rest of their NetAddr is
 * zero); anything else keeps the whole tuple on the side. */
static gboolean
tuple_is_narrow (const NetFourTuple *t)
{
  static const guint8 zeros[12] = { 0 };
  return t->local.ip.family == NET_FAMILY_IPV4 && t->remote.ip.family == NET_FAMILY_IPV4
         && memcmp (t->local.ip.bytes + 4, zeros, 12) == 0
         && memcmp (t->remote.ip.bytes + 4, zeros, 12) == 0;
}

static guint32
ip4_word (NetAddr a)
{
  guint32 w;
  memcpy (&w, a.bytes, 4);
  return w;
}

static NetAddr
ip4_from_word (guint32 w)
{
  NetAddr a = NET_IP4_ANY;
  memcpy (a.bytes, &w, 4);
  return a;
}

static void
tw_set_tuple (TcpTimeWait *tw, const NetFourTuple *t)
{
  tw->local_port = t->local.port;
  tw->remote_port = t->remote.port;
  tw->is_wide = !tuple_is_narrow (t);
  if (tw->is_wide)
    tw->addr.wide = g_memdup2 (t, sizeof *t);
  else
    {
      tw->addr.ip4.local = ip4_word (t->local.ip);
      tw->addr.ip4.remote = ip4_word (t->remote.ip);
    }
}

NetFourTuple
tcp_time_wait_tuple (const TcpTimeWait *tw)
{
  if (tw->is_wide)
    return *tw->addr.wide;
  NetFourTuple t;
  t.local.ip = ip4_from_word (tw->addr.ip4.local);
  t.local.port = tw->local_port;
  t.remote.ip = ip4_from_word (tw->addr.ip4.remote);
  t.remote.port = tw->remote_port;
  return t;
}

static gboolean
tw_has_tuple (const TcpTimeWait *tw, const NetFourTuple *t, gboolean narrow)
{
  if (tw->local_port != t->local.port || tw->remote_port != t->remote.port)
    return FALSE;
  if (narrow)
    return !tw->is_wide && tw->addr.ip4.local == ip4_word (t->local.ip)
           && tw->addr.ip4.remote == ip4_word (t->remote.ip);
  return tw->is_wide && net_four_tuple_equal (tw->addr.wide, t);
}

/* --- record blocks: records are named by index (4-byte slots) --- */

#define TCP_TW_BLOCK 1024

static inline TcpTimeWait *
tw_at (TcpStack *stack, guint32 index)
{
  TcpTimeWait *block = g_ptr_array_index (stack->tw_blocks, index / TCP_TW_BLOCK);
  return &block[index % TCP_TW_BLOCK];
}

/* A slot (table or ring) holds index + 1; 0 is empty. */
static inline TcpTimeWait *
tw_in_slot (TcpStack *stack, guint32 slot)
{
  return slot != 0 ? tw_at (stack, slot - 1) : NULL;
}

/* --- the 4-tuple table: open addressing, linear probing --- */

/* Its own hash (the table is private and never iterated): the IPv4 form
 * hashes its words, the wide one as net_four_tuple_hash. */
static inline guint
tw_hash (guint32 local, guint32 remote, guint16 lport, guint16 rport)
{
  /* MurmurHash3's 64-bit finaliser: every input bit reaches the low bits. */
  guint64 h = ((guint64) local << 32 | remote) ^ (((guint64) lport << 16 | rport) << 13);
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return (guint) h;
}

static inline guint
tw_slot_of_tuple (TcpStack *stack, const NetFourTuple *t, gboolean narrow)
{
  guint h = narrow ? tw_hash (ip4_word (t->local.ip), ip4_word (t->remote.ip), t->local.port,
                              t->remote.port)
                   : net_four_tuple_hash (t);
  return h & stack->tw_slots_mask;
}

static inline guint
tw_slot_of (TcpStack *stack, const TcpTimeWait *tw)
{
  guint h = tw->is_wide ? net_four_tuple_hash (tw->addr.wide)
                        : tw_hash (tw->addr.ip4.local, tw->addr.ip4.remote, tw->local_port,
                                   tw->remote_port);
  return h & stack->tw_slots_mask;
}

TcpTimeWait *
tcp_time_wait_lookup (TcpStack *stack, const NetFourTuple *tuple)
{
  if (stack->tw_slots == NULL)
    return NULL;
  gboolean narrow = tuple_is_narrow (tuple);
  for (guint i = tw_slot_of_tuple (stack, tuple, narrow);; i = (i + 1) & stack->tw_slots_mask)
    {
      TcpTimeWait *tw = tw_in_slot (stack, stack->tw_slots[i]);
      if (tw == NULL)
        return NULL;
      if (tw_has_tuple (tw, tuple, narrow))
        return tw;
    }
}

static void
tw_table_put (TcpStack *stack, TcpTimeWait *tw)
{
  guint i = tw_slot_of (stack, tw);
  while (stack->tw_slots[i] != 0)
    i = (i + 1) & stack->tw_slots_mask;
  stack->tw_slots[i] = tw->index + 1;
}

/* Called with n_time_waits already counting the new record: at most 3/4
 * of the slots are used. */
static void
tw_table_insert (TcpStack *stack, TcpTimeWait *tw)
{
  guint size = stack->tw_slots != NULL ? stack->tw_slots_mask + 1 : 0;
  if ((guint64) stack->n_time_waits * 4 > (guint64) size * 3)
    {
      guint32 *old = stack->tw_slots;
      guint new_size = size != 0 ? size * 2 : 64;
      stack->tw_slots = g_new0 (guint32, new_size);
      stack->tw_slots_mask = new_size - 1;
      for (guint i = 0; i < size; i++)
        if (old[i] != 0)
          tw_table_put (stack, tw_in_slot (stack, old[i]));
      g_free (old);
    }
  tw_table_put (stack, tw);
}

/* Backward-shift deletion: no tombstones, lookups stay short. */
static void
tw_table_remove (TcpStack *stack, TcpTimeWait *tw)
{
  guint mask = stack->tw_slots_mask;
  guint32 self = tw->index + 1;
  guint i = tw_slot_of (stack, tw);
  while (stack->tw_slots[i] != self)
    {
      g_assert (stack->tw_slots[i] != 0);
      i = (i + 1) & mask;
    }
  for (guint j = (i + 1) & mask; stack->tw_slots[j] != 0; j = (j + 1) & mask)
    {
      /* The entry at j may move to the hole at i unless its home slot lies
       * cyclically in (i, j]. */
      guint home = tw_slot_of (stack, tw_in_slot (stack, stack->tw_slots[j]));
      gboolean stays = i <= j ? (home > i && home <= j) : (home > i || home <= j);
      if (!stays)
        {
          stack->tw_slots[i] = stack->tw_slots[j];
          i = j;
        }
    }
  stack->tw_slots[i] = 0;
}

/* --- the expiry ring --- *
 *
 * Every record's timer lasts tcp_time_wait_duration, fixed per stack, so
 * the records expire in the order their timers were (re)started: a FIFO.
 * Each record reserves its place in the event order when its timer starts
 * (sim_engine_reserve_at, exactly when it would have been scheduled), and
 * only the ring head's ticket is queued. The engine therefore runs the same
 * events in the same order as with one queued event per record, but the
 * event queue holds one entry per stack instead of one per record. */

static void
tw_ring_push (TcpStack *stack, TcpTimeWait *tw)
{
  guint64 cap = stack->tw_ring != NULL ? stack->tw_ring_mask + 1 : 0;
  if (stack->tw_ring_tail - stack->tw_ring_head == cap)
    {
      guint64 new_cap = cap != 0 ? cap * 2 : 64;
      guint32 *ring = g_new0 (guint32, new_cap);
      for (guint64 p = stack->tw_ring_head; p < stack->tw_ring_tail; p++)
        ring[p & (new_cap - 1)] = stack->tw_ring[p & stack->tw_ring_mask];
      g_free (stack->tw_ring);
      stack->tw_ring = ring;
      stack->tw_ring_mask = new_cap - 1;
    }
  /* The ring never holds 2^32 records, so its mask fits in 32 bits and the
   * low 32 bits of the position find the slot. */
  tw->ring_pos = (guint32) stack->tw_ring_tail;
  stack->tw_ring[stack->tw_ring_tail++ & stack->tw_ring_mask] = tw->index + 1;
}

static TcpTimeWait *
tw_ring_first (TcpStack *stack)
{
  while (stack->tw_ring_head < stack->tw_ring_tail
         && stack->tw_ring[stack->tw_ring_head & stack->tw_ring_mask] == 0)
    stack->tw_ring_head++;
  if (stack->tw_ring_head == stack->tw_ring_tail)
    return NULL;
  return tw_in_slot (stack, stack->tw_ring[stack->tw_ring_head & stack->tw_ring_mask]);
}

/* Queues the ring head's ticket unless one is queued already. */
static void
tw_arm (TcpStack *stack)
{
  if (stack->tw_armed != NULL || stack->tw_teardown)
    return;
  TcpTimeWait *head = tw_ring_first (stack);
  if (head == NULL)
    return;
  stack->tw_armed = head;
  stack->tw_timer = sim_engine_schedule_ticket (stack->engine, head->timer,
                                                tcp_time_wait_timer_fired, stack);
}

/* Takes the record out of the ring; `cancel`: its timer is cancelled (and
 * counted so), rather than fired. */
static void
tw_dequeue (TcpTimeWait *tw, gboolean cancel)
{
  TcpStack *stack = tw->stack;
  if (!tw->queued)
    return;
  tw->queued = 0;
  stack->tw_ring[tw->ring_pos & stack->tw_ring_mask] = 0;
  if (stack->tw_armed == tw)
    {
      stack->tw_armed = NULL;
      if (cancel)
        sim_engine_cancel_clear (stack->engine, &stack->tw_timer);
      else
        stack->tw_timer = SIM_EVENT_ID_NONE;
    }
  else if (cancel)
    sim_engine_cancel_ticket (stack->engine, tw->timer);
  tw_arm (stack);
}

static void
tcp_time_wait_start_timer (TcpTimeWait *tw, const char *what)
{
  TcpStack *stack = tw->stack;
  SimTime d = tcp_time_wait_duration (stack);
  tw_dequeue (tw, TRUE);
  g_assert (d <= G_MAXINT64 - tcp_stack_now (stack));
  tw->timer = sim_engine_reserve_at (stack->engine, tcp_stack_now (stack) + d);
  /* The ring stays in expiry order because now + d never decreases: the
   * engine's clock is monotonic and d is fixed per stack. d depends only on
   * config.time_wait and config.msl, and stack->config is copied once by
   * tcp_stack_new and never written (tcp_stack_config hands out a const
   * pointer; settings, the time_wait knob and personalities are applied
   * before the host exists; reboot keeps the config, and crash closes
   * every record first; a connect() take-over only removes a record). */
  TcpTimeWait *last = stack->tw_ring_tail > stack->tw_ring_head
                        ? tw_in_slot (stack, stack->tw_ring[(stack->tw_ring_tail - 1)
                                                            & stack->tw_ring_mask])
                        : NULL;
  g_assert (last == NULL || last->timer.time <= tw->timer.time);
  tw_ring_push (stack, tw);
  tw->queued = 1;
  tw_arm (stack);
  SimTraceEvent *ev = tcp_trace_timer_begin (stack, tw->conn_id, "time-wait", "set",
                                             tcp_stack_now (stack) + d, -1);
  if (ev != NULL)
    {
      if (sim_trace_needs_text (ev))
        {
          char *ds = sim_time_format (d);
          sim_trace_text (ev, "time-wait timer %s for %s (%s)", what, ds,
                          tw_length_source (stack));
          g_free (ds);
        }
      tcp_trace_publish (stack, ev);
    }
}

/* --- record allocation: blocks of records, a free list through them --- */

/* Under AddressSanitizer a released record is poisoned until reused, so
 * that ASan still sees a use after its end. */
#if defined(__SANITIZE_ADDRESS__)
#define TCP_TW_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TCP_TW_ASAN 1
#endif
#endif
#ifdef TCP_TW_ASAN
#include <sanitizer/asan_interface.h>
#define TW_POISON(p)   ASAN_POISON_MEMORY_REGION ((p), sizeof (TcpTimeWait))
#define TW_UNPOISON(p) ASAN_UNPOISON_MEMORY_REGION ((p), sizeof (TcpTimeWait))
#else
#define TW_POISON(p)   ((void) (p))
#define TW_UNPOISON(p) ((void) (p))
#endif

static void
tw_block_free (gpointer block)
{
  for (guint i = 0; i < TCP_TW_BLOCK; i++)
    TW_UNPOISON ((TcpTimeWait *) block + i);
  g_free (block);
}

static TcpTimeWait *
tw_alloc (TcpStack *stack)
{
  if (stack->tw_free == NULL)
    {
      if (stack->tw_blocks == NULL)
        stack->tw_blocks = g_ptr_array_new_with_free_func (tw_block_free);
      g_assert (stack->tw_blocks->len < G_MAXUINT32 / TCP_TW_BLOCK);
      guint32 first = stack->tw_blocks->len * TCP_TW_BLOCK;
      TcpTimeWait *block = g_new (TcpTimeWait, TCP_TW_BLOCK);
      g_ptr_array_add (stack->tw_blocks, block);
      for (guint i = TCP_TW_BLOCK; i-- > 0;)
        {
          /* A free record keeps the next free one in `stack`. */
          block[i].index = first + i;
          block[i].stack = (TcpStack *) (gpointer) stack->tw_free;
          stack->tw_free = &block[i];
          TW_POISON (&block[i]);
        }
    }
  TcpTimeWait *tw = stack->tw_free;
  TW_UNPOISON (tw);
  stack->tw_free = (TcpTimeWait *) (gpointer) tw->stack;
  guint32 index = tw->index;
  memset (tw, 0, sizeof *tw);
  tw->index = index;
  return tw;
}

static void
tw_release (TcpStack *stack, TcpTimeWait *tw)
{
  if (tw->is_wide)
    g_free (tw->addr.wide);
  tw->kind = 0;
  tw->stack = (TcpStack *) (gpointer) stack->tw_free;
  stack->tw_free = tw;
  TW_POISON (tw);
}

GList *
tcp_time_wait_list (TcpStack *stack)
{
  GList *list = NULL;
  for (guint64 p = stack->tw_ring_head; p < stack->tw_ring_tail; p++)
    {
      TcpTimeWait *tw = tw_in_slot (stack, stack->tw_ring[p & stack->tw_ring_mask]);
      if (tw != NULL)
        list = g_list_prepend (list, tw);
    }
  return g_list_reverse (list);
}

TcpTimeWait *
tcp_time_wait_enter (TcpConn *conn, TcpState from, const char *reason)
{
  TcpStack *stack = conn->stack;
  TcpTimeWait *tw = tw_alloc (stack);
  tw->kind = TCP_ENTRY_TIME_WAIT;
  tw->stack = stack;
  tw_set_tuple (tw, &conn->tuple);
  tw->snd_nxt = conn->snd_nxt;
  tw->rcv_nxt = conn->rcv_nxt;
  tw->rcv_wnd = tcp_conn_rcv_wnd (conn);
  tw->conn_id = conn->id;
  tw->incarnation = conn->incarnation;
  g_assert (conn->bind_flags <= G_MAXUINT16);
  tw->bind_flags = (guint16) conn->bind_flags;
  tw->ts_used = conn->ts_ok ? 1 : 0;
  tw->ts_recent = conn->ts_recent;
  tw->ts_offset = conn->ts_offset;

  /* The record takes the TCB's place in the per-port list (creation order). */
  if (conn->port_linked)
    tcp_stack_port_replace (stack, conn->tuple.local.port, conn, tw);
  conn->state = TCP_STATE_TIME_WAIT;
  tcp_trace_state (stack, tw->conn_id, tw->incarnation, &conn->tuple, from,
                   TCP_STATE_TIME_WAIT, reason);
  tcp_conn_release_quietly (conn); /* out of the conn table, released */
  stack->n_time_waits++;
  tw_table_insert (stack, tw);
  /* RFC 9293 3.10.7.4 eighth: "start the time-wait timer, turn off the
   * other timers". */
  tcp_time_wait_start_timer (tw, "set");
  return tw;
}

/* What the time_wait_syn policies look at in a SYN (without RST). */
typedef struct {
  gboolean acceptable; /* in the frozen window (RFC 9293 Table 6) */
  gboolean pure;       /* no ACK bit: only such a SYN may reopen (Linux "th->syn &&
                        * !th->rst && !th->ack", FreeBSD "(thflags & (TH_SYN |
                        * TH_ACK)) == TH_SYN") */
  gboolean seq_above;  /* SEG.SEQ > RCV.NXT */
  gboolean ts_newer;   /* both incarnations with TSopt, SEG.TSval > TS.Recent */
  gboolean ts_older;   /* both incarnations with TSopt, SEG.TSval < TS.Recent */
} TwSyn;

/* RFC 793 3.9 (and RFC 9293 without RFC 5961): "If the SYN is in the
 * window it is an error, send a reset"; outside the window, step one
 * answers with an ACK. */
static TcpTimeWaitVerdict
tw_syn_rfc793 (const TwSyn *s, char **rule)
{
  if (s->acceptable)
    {
      *rule = g_strdup ("SYN in window: RFC 793 3.9 fourth, RST and CLOSED");
      return TCP_TW_RST_AND_CLOSE;
    }
  *rule = g_strdup ("SYN outside RCV.WND: RFC 793 3.9 first, ACK sent");
  return TCP_TW_ACK;
}

static TcpTimeWaitVerdict
tw_syn_challenge (const TcpTimeWait *tw, const TwSyn *s, char **rule)
{
  if (!tw->stack->config.challenge_acks)
    return tw_syn_rfc793 (s, rule);
  /* RFC 9293 3.10.7.4 fourth / RFC 5961 4.2: "irrespective of the
   * sequence number, TCP endpoints MUST send a 'challenge ACK'". */
  *rule = g_strdup ("SYN in TIME-WAIT: RFC 5961 4.2, challenge ACK");
  return TCP_TW_CHALLENGE_ACK;
}

/* RFC 1122 4.2.2.13 / RFC 9293 3.6.1 (MAY-2): "it MAY accept a new SYN
 * from the remote TCP to reopen the connection directly from TIME-WAIT
 * state, if it: (1) assigns its initial sequence number for the new
 * connection to be larger than the largest sequence number it used on the
 * previous connection incarnation". A SYN beyond RCV.NXT cannot be an old
 * duplicate of the old connection. */
static TcpTimeWaitVerdict
tw_syn_rfc1122 (const TcpTimeWait *tw, const TcpSegment *seg, const TwSyn *s, char **rule)
{
  if (!s->pure || !s->seq_above)
    return tw_syn_rfc793 (s, rule);
  *rule = g_strdup_printf ("SYN with SEQ %u > RCV.NXT %u: RFC 1122 4.2.2.13 / "
                           "RFC 9293 3.6.1 MAY-2, reopens", seg->seq, tw->rcv_nxt);
  return TCP_TW_RECYCLE;
}

/* RFC 6191 2, BCP 159, RFC 9293 3.6.1 SHLD-4.
 *
 * "If TCP Timestamps would be enabled for the new incarnation": the SYN
 * carries TSopt and this host offers timestamps (RFC 7323 3.2; a host
 * with timestamps off never enables them, whatever the SYN says).
 *
 * "the Sequence Number of the incoming SYN segment is greater than the
 * last sequence number seen on the previous incarnation": the last
 * sequence number the peer used is its FIN, RCV.NXT - 1, so the literal
 * reading is SEG.SEQ > RCV.NXT - 1, i.e. SEG.SEQ >= RCV.NXT (a SYN at
 * RCV.NXT overlaps nothing of the old incarnation). RFC 1122, Linux and
 * FreeBSD (the other policies) use the stricter SEG.SEQ > RCV.NXT. */
static TcpTimeWaitVerdict
tw_syn_rfc6191 (const TcpTimeWait *tw, const TcpSegment *seg, const TwSyn *s, char **rule)
{
  if (!s->pure)
    return tw_syn_rfc793 (s, rule);
  gboolean ts_new = seg->has_timestamps && tw->stack->config.timestamps;
  gboolean seq_newer = tcp_seq_geq (seg->seq, tw->rcv_nxt);
  if (tw->ts_used)
    {
      if (ts_new && s->ts_newer)
        {
          *rule = g_strdup_printf ("SYN TSval %u > last TSval %u: RFC 6191 2, reopens",
                                   seg->tsval, tw->ts_recent);
          return TCP_TW_RECYCLE;
        }
      if (ts_new && seg->tsval == tw->ts_recent && seq_newer)
        {
          *rule = g_strdup_printf ("SYN TSval %u = last TSval, SEQ %u > last SEQ seen %u: "
                                   "RFC 6191 2, reopens", seg->tsval, seg->seq, tw->rcv_nxt - 1);
          return TCP_TW_RECYCLE;
        }
      if (!ts_new && seq_newer)
        {
          *rule = g_strdup_printf ("SYN without TSopt, SEQ %u > last SEQ seen %u: RFC 6191 2, "
                                   "reopens", seg->seq, tw->rcv_nxt - 1);
          return TCP_TW_RECYCLE;
        }
      *rule = g_strdup ("SYN neither newer by TSval nor by SEQ: RFC 6191 2, silently "
                        "dropped (TIME-WAIT stays)");
      return TCP_TW_DROP;
    }
  if (ts_new)
    {
      *rule = g_strdup ("old connection without timestamps, new one with: RFC 6191 2, reopens");
      return TCP_TW_RECYCLE;
    }
  if (seq_newer)
    {
      *rule = g_strdup_printf ("SYN with SEQ %u > last SEQ seen %u: RFC 6191 2, reopens",
                               seg->seq, tw->rcv_nxt - 1);
      return TCP_TW_RECYCLE;
    }
  *rule = g_strdup_printf ("SYN with SEQ %u not above the last SEQ seen %u%s: RFC 6191 2, "
                           "silently dropped (TIME-WAIT stays)", seg->seq, tw->rcv_nxt - 1,
                           seg->has_timestamps && !ts_new ? ", timestamps off here" : "");
  return TCP_TW_DROP;
}

/* Linux tcp_timewait_state_process : "th->syn &&
 * !th->rst && !th->ack && !paws_reject && (after(seq, rcv_nxt) ||
 * (saw_tstamp && (s32)(tw_ts_recent - rcv_tsval) < 0))". */
static TcpTimeWaitVerdict
tw_syn_linux (const TcpTimeWait *tw, const TcpSegment *seg, const TwSyn *s, char **rule)
{
  if (s->pure && !s->ts_older && (s->seq_above || s->ts_newer))
    {
      *rule = g_strdup_printf ("SYN with seq %u %s: Linux tcp_timewait_state_process, "
                               "reopens with ISN snd_nxt + 65537",
                               seg->seq, s->seq_above ? "after rcv_nxt" : "and a newer TSval");
      return TCP_TW_RECYCLE;
    }
  /* Step 5: "if (paws_reject || th->ack) inet_twsk_reschedule(tw,
   * TCP_TIMEWAIT_LEN)"; the ACK goes out either way. An ACKless SYN "may
   * be both old duplicate and new good SYN ... Do not reschedule in the
   * last case". */
  if (s->ts_older)
    {
      *rule = g_strdup_printf ("PAWS: TSval %u < TS.Recent %u (RFC 7323 5.3 R1; Linux "
                               "tcp_timewait_state_process), ACK sent, timer restarted",
                               seg->tsval, tw->ts_recent);
      return TCP_TW_ACK_AND_RESTART;
    }
  if (!s->pure)
    {
      *rule = g_strdup ("SYN,ACK in TIME-WAIT: Linux tcp_timewait_state_process, ACK sent, "
                        "timer restarted");
      return TCP_TW_ACK_AND_RESTART;
    }
  *rule = g_strdup_printf ("SYN with seq %u not after rcv_nxt %u: Linux "
                           "tcp_timewait_state_process, ACK sent (timer not restarted)",
                           seg->seq, tw->rcv_nxt);
  return TCP_TW_ACK;
}

/* FreeBSD tcp_twcheck: "(thflags & (TH_SYN | TH_ACK)) ==
 * TH_SYN && SEQ_GT(th->th_seq, tw->rcv_nxt)": close the record and look
 * up again; a SYN not above rcv_nxt has no ACK: dropped; a SYN,ACK is not
 * an exact duplicate ACK: ACKed. No PAWS. */
static TcpTimeWaitVerdict
tw_syn_bsd (const TcpTimeWait *tw, const TcpSegment *seg, const TwSyn *s, char **rule)
{
  if (s->pure && s->seq_above)
    {
      *rule = g_strdup_printf ("SYN with SEQ %u > rcv_nxt %u: FreeBSD tcp_twcheck, "
                               "TIME-WAIT recycled", seg->seq, tw->rcv_nxt);
      return TCP_TW_RECYCLE;
    }
  if (s->pure)
    {
      *rule = g_strdup_printf ("SYN with SEQ %u not above rcv_nxt %u, no ACK bit: "
                               "FreeBSD tcp_twcheck, dropped", seg->seq, tw->rcv_nxt);
      return TCP_TW_DROP;
    }
  *rule = g_strdup ("SYN,ACK in TIME-WAIT: FreeBSD tcp_twcheck, ACK sent");
  return TCP_TW_ACK;
}

/* A SYN (without RST) in TIME-WAIT, per the time_wait_syn policy. */
static TcpTimeWaitVerdict
tcp_time_wait_check_syn (const TcpTimeWait *tw, const TcpSegment *seg, gboolean acceptable,
                         char **rule)
{
  gboolean has_ts = tw->ts_used && seg->has_timestamps;
  TwSyn s = {
    .acceptable = acceptable,
    .pure = !(seg->flags & TCP_FLAG_ACK),
    .seq_above = tcp_seq_gt (seg->seq, tw->rcv_nxt),
    .ts_newer = has_ts && tcp_ts_before (tw->ts_recent, seg->tsval),
    .ts_older = has_ts && tcp_ts_before (seg->tsval, tw->ts_recent),
  };
  switch (tw->stack->config.time_wait_syn)
    {
    case TCP_TW_SYN_CHALLENGE:
      return tw_syn_challenge (tw, &s, rule);
    case TCP_TW_SYN_RFC793:
      return tw_syn_rfc793 (&s, rule);
    case TCP_TW_SYN_RFC1122:
      return tw_syn_rfc1122 (tw, seg, &s, rule);
    case TCP_TW_SYN_RFC6191:
      return tw_syn_rfc6191 (tw, seg, &s, rule);
    case TCP_TW_SYN_LINUX:
      return tw_syn_linux (tw, seg, &s, rule);
    case TCP_TW_SYN_BSD:
      return tw_syn_bsd (tw, seg, &s, rule);
    case TCP_TW_SYN_REJECT:
      *rule = g_strdup ("SYN in TIME-WAIT: time_wait_syn=reject, silently dropped");
      return TCP_TW_DROP;
    }
  g_return_val_if_reached (TCP_TW_DROP);
}

/* Every segment but a RST, under time_wait_restart=linux: Linux
 * tcp_timewait_state_process (net/ipv4/tcp_minisocks.c, 6.x kernels), the
 * TCP_TIME_WAIT substate:
 *   - "!paws_reject && seq == tw_rcv_nxt && seq == end_seq": "In window
 *     segment, it may be only reset or bare ack": inet_twsk_reschedule(tw,
 *     TCP_TIMEWAIT_LEN), tw_ts_recent = its TSval, nothing sent;
 *   - a SYN that may reopen: the time_wait_syn policy;
 *   - otherwise "All the segments are ACKed immediately", and "if
 *     (paws_reject || th->ack) inet_twsk_reschedule(tw, TCP_TIMEWAIT_LEN)".
 * The ACKs of the last case go through tcp_timewait_check_oow_rate_limit()
 * (tw_oow_rate_limited below). Checked against Linux 6.18 in a network
 * namespace (ss -tano): a bare ACK at rcv_nxt and an out-of-window ACK
 * each put the timer back to 60 s; with tcp_rfc1337=1 an exact RST left
 * it running. */
static TcpTimeWaitVerdict
tw_check_linux (const TcpTimeWait *tw, const TcpSegment *seg, gboolean acceptable, char **rule)
{
  gboolean paws_reject = tw->ts_used && seg->has_timestamps
                         && tcp_ts_before (seg->tsval, tw->ts_recent);
  if (!paws_reject && seg->seq == tw->rcv_nxt && tcp_segment_len (seg) == 0)
    {
      *rule = g_strdup_printf ("bare ACK at RCV.NXT %u: Linux tcp_timewait_state_process, "
                               "TIME-WAIT restarted%s, nothing sent", tw->rcv_nxt,
                               tw->ts_used && seg->has_timestamps ? ", TS.Recent updated" : "");
      return TCP_TW_RESTART;
    }
  if (seg->flags & TCP_FLAG_SYN)
    return tcp_time_wait_check_syn (tw, seg, acceptable, rule);
  if (paws_reject)
    {
      *rule = g_strdup_printf ("PAWS: TSval %u < TS.Recent %u (RFC 7323 5.3 R1; Linux "
                               "tcp_timewait_state_process), ACK sent, TIME-WAIT restarted",
                               seg->tsval, tw->ts_recent);
      return TCP_TW_ACK_AND_RESTART;
    }
  if (!(seg->flags & TCP_FLAG_ACK))
    {
      *rule = g_strdup ("no ACK bit, not at RCV.NXT: Linux tcp_timewait_state_process, ACK sent, "
                        "timer not restarted");
      return TCP_TW_ACK;
    }
  if ((seg->flags & TCP_FLAG_FIN) && seg->seq + tcp_segment_len (seg) == tw->rcv_nxt)
    *rule = g_strdup ("retransmitted FIN: Linux tcp_timewait_state_process, ACK sent, "
                      "TIME-WAIT restarted");
  else
    *rule = g_strdup_printf ("%s with ACK bit in TIME-WAIT: Linux tcp_timewait_state_process, "
                             "ACK sent, TIME-WAIT restarted",
                             tcp_segment_payload_len (seg) > 0 ? "data" : "segment not at RCV.NXT");
  return TCP_TW_ACK_AND_RESTART;
}

/* Linux tcp_oow_rate_limited() (net/ipv4/tcp_input.c), called by
 * tcp_timewait_check_oow_rate_limit(): "Data packets without SYNs are not
 * likely part of an ACK loop"; any other segment gets its ACK only if
 * tcp_invalid_ratelimit (500 ms) passed since the last one. */
static gboolean
tw_oow_rate_limited (TcpTimeWait *tw, const TcpSegment *seg)
{
  const TcpConfig *config = &tw->stack->config;
  if (config->invalid_ratelimit == 0 || config->time_wait_restart != TCP_TW_RESTART_LINUX)
    return FALSE;
  if (tcp_segment_len (seg) > 0 && !(seg->flags & TCP_FLAG_SYN))
    return FALSE;
  guint32 now = (guint32) (tcp_stack_now (tw->stack) / SIM_MS);
  if (tw->last_oow_ack != 0
      && (SimTime) (guint32) (now - tw->last_oow_ack) * SIM_MS < config->invalid_ratelimit)
    {
      tcp_trace_recv (tw->stack, seg, tw->conn_id, tw->incarnation, "TIME-WAIT", "rate-limited",
                      "no ACK: Linux tcp_oow_rate_limited, tcp_invalid_ratelimit");
      return TRUE;
    }
  tw->last_oow_ack = MAX (now, 1u);
  return FALSE;
}

TcpTimeWaitVerdict
tcp_time_wait_check (const TcpTimeWait *tw, const TcpSegment *seg, char **rule)
{
  const TcpConfig *config = &tw->stack->config;
  /* RFC 9293 3.10.7.4 Table 6, with TIME-WAIT's frozen RCV.NXT and RCV.WND. */
  gboolean acceptable = tcp_segment_acceptable (seg, tw->rcv_nxt, tw->rcv_wnd);

  /* RFC 7323 5.2: RSTs are not subject to PAWS. */
  if (seg->flags & TCP_FLAG_RST)
    {
      if (config->time_wait_rst == TCP_TW_RST_IGNORE
          && config->time_wait_restart == TCP_TW_RESTART_LINUX && seg->seq == tw->rcv_nxt)
        {
          /* Linux tcp_timewait_state_process (6.x), tcp_rfc1337=1: the RST
           * at rcv_nxt is not "kill"ed; it does not reschedule the timer
           * either (the reschedule sits in the else branch; older kernels
           * restarted TIME-WAIT here) but its TSval becomes tw_ts_recent. */
          *rule = g_strdup ("RST at RCV.NXT, tcp_rfc1337=1: Linux tcp_timewait_state_process "
                            "(RFC 1337 F1), ignored, TIME-WAIT timer not restarted");
          return TCP_TW_IGNORE_TS;
        }
      if (config->time_wait_rst == TCP_TW_RST_IGNORE)
        {
          *rule = g_strdup ("RST in TIME-WAIT: RFC 1337 F1, ignored");
          return TCP_TW_DROP;
        }
      if (!acceptable)
        {
          *rule = g_strdup ("RST outside RCV.WND: RFC 9293 3.10.7.4 first, dropped");
          return TCP_TW_DROP;
        }
      if (seg->seq != tw->rcv_nxt && config->time_wait_syn == TCP_TW_SYN_LINUX)
        {
          /* Linux tcp_timewait_state_process : only
           * a RST with seq == rcv_nxt kills the record; every other RST is
           * dropped silently (a timewait sock sends no challenge ACK). */
          *rule = g_strdup ("RST in window, not at rcv_nxt: Linux tcp_timewait_state_process, "
                            "silently dropped");
          return TCP_TW_DROP;
        }
      if (config->challenge_acks && seg->seq != tw->rcv_nxt)
        {
          *rule = g_strdup ("RST in window, not at RCV.NXT: RFC 5961 3.2, challenge ACK");
          return TCP_TW_CHALLENGE_ACK;
        }
      *rule = g_strdup ("valid RST in TIME-WAIT: RFC 9293 3.10.7.4 second, CLOSED "
                        "(TIME-WAIT assassination, RFC 1337)");
      return TCP_TW_CLOSE;
    }
  if (config->time_wait_restart == TCP_TW_RESTART_LINUX)
    return tw_check_linux (tw, seg, acceptable, rule);
  if (seg->flags & TCP_FLAG_SYN)
    return tcp_time_wait_check_syn (tw, seg, acceptable, rule);
  /* RFC 7323 5.3 R1 (TIME-WAIT is a synchronized state): an older TSval is
   * not acceptable, "Send an acknowledgment in reply ... and drop". */
  if (tw->ts_used && seg->has_timestamps && tcp_ts_before (seg->tsval, tw->ts_recent))
    {
      *rule = g_strdup_printf ("PAWS: TSval %u < TS.Recent %u (RFC 7323 5.3 R1), ACK sent",
                               seg->tsval, tw->ts_recent);
      return TCP_TW_PAWS_ACK;
    }
  /* RFC 9293 3.10.7.4 fifth and eighth (TIME-WAIT): "The only thing that can
   * arrive in this state is a retransmission of the remote FIN. Acknowledge
   * it, and restart the 2 MSL timeout." The FIN sits just before RCV.NXT,
   * so it is recognised before the window test would only ACK it. */
  if ((seg->flags & TCP_FLAG_FIN) && (seg->flags & TCP_FLAG_ACK)
      && seg->seq + tcp_segment_len (seg) == tw->rcv_nxt)
    {
      *rule = g_strdup ("retransmitted FIN: RFC 9293 3.10.7.4 fifth, ACK and restart 2 MSL");
      return TCP_TW_ACK_AND_RESTART;
    }
  if (!acceptable)
    {
      *rule = g_strdup ("outside RCV.WND: RFC 9293 3.10.7.4 first, ACK sent");
      return TCP_TW_ACK;
    }
  if (!(seg->flags & TCP_FLAG_ACK))
    {
      *rule = g_strdup ("no ACK bit: RFC 9293 3.10.7.4 fifth, dropped");
      return TCP_TW_DROP;
    }
  if (seg->flags & TCP_FLAG_FIN)
    {
      *rule = g_strdup ("FIN in TIME-WAIT: RFC 9293 3.10.7.4 eighth, ACK and restart 2 MSL");
      return TCP_TW_ACK_AND_RESTART;
    }
  if (tcp_segment_payload_len (seg) > 0)
    {
      *rule = g_strdup ("data in TIME-WAIT: RFC 9293 3.10.7.4 seventh, text ignored, ACK sent");
      return TCP_TW_ACK;
    }
  *rule = g_strdup ("ACK in TIME-WAIT: RFC 9293 3.10.7.4 fifth, nothing to do");
  return TCP_TW_DROP;
}

TcpSeq
tcp_time_wait_reopen_iss (const TcpTimeWait *tw)
{
  TcpStack *stack = tw->stack;
  switch (stack->config.time_wait_syn)
    {
    case TCP_TW_SYN_LINUX:
      {
        /* Linux tcp_timewait_state_process: "u32 isn = tcptw->tw_snd_nxt +
         * 65535 + 2; if (isn == 0) isn++;" (3.4). */
        TcpSeq isn = tw->snd_nxt + 65535 + 2;
        return isn != 0 ? isn : 1;
      }
    case TCP_TW_SYN_BSD:
      /* FreeBSD closes the record and the syncache draws a fresh ISN
       * (tcp_new_isn); nothing ties it to the old sequence space. (4.4BSD
       * used snd_nxt + TCP_ISSINCR.) */
      {
        NetFourTuple tuple = tcp_time_wait_tuple (tw);
        return tcp_isn_generate (stack, &tuple);
      }
    case TCP_TW_SYN_RFC1122:
    case TCP_TW_SYN_RFC6191:
      {
        /* RFC 1122 4.2.2.13 condition (1): larger than the largest
         * sequence number used before (SND.NXT - 1). When the generator
         * does not give that (fixed, or a clock that fell behind), jump a
         * maximum window past SND.NXT as Linux does. */
        NetFourTuple tuple = tcp_time_wait_tuple (tw);
        TcpSeq isn = tcp_isn_generate (stack, &tuple);
        if (tcp_seq_geq (isn, tw->snd_nxt))
          return isn;
        return tw->snd_nxt + 65535 + 2;
      }
    case TCP_TW_SYN_CHALLENGE:
    case TCP_TW_SYN_RFC793:
    case TCP_TW_SYN_REJECT:
      /* These policies never reopen (no TCP_TW_RECYCLE verdict). */
      break;
    }
  g_return_val_if_reached (tw->snd_nxt + 65535 + 2);
}

static const char *
tcp_time_wait_verdict_name (TcpTimeWaitVerdict v)
{
  switch (v)
    {
    case TCP_TW_DROP:
      return "dropped";
    case TCP_TW_ACK:
    case TCP_TW_ACK_AND_RESTART:
      return "time-wait";
    case TCP_TW_CHALLENGE_ACK:
      return "challenge-ack";
    case TCP_TW_RST_AND_CLOSE:
      return "rst";
    case TCP_TW_CLOSE:
      return "reset";
    case TCP_TW_PAWS_ACK:
      return "paws";
    case TCP_TW_RECYCLE:
      return "recycle";
    case TCP_TW_RESTART:
      return "time-wait";
    case TCP_TW_IGNORE_TS:
      return "dropped";
    }
  return "?";
}

/* <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>, the only segment a record sends
 * itself (its RST goes through tcp_stack_send_reset_for). */
static void
tcp_time_wait_send_ack (TcpTimeWait *tw, const char *why)
{
  TcpSegment *seg = tcp_segment_new ();
  NetFourTuple tuple = tcp_time_wait_tuple (tw);
  seg->src = tuple.local;
  seg->dst = tuple.remote;
  seg->seq = tw->snd_nxt;
  seg->ack = tw->rcv_nxt;
  seg->flags = TCP_FLAG_ACK;
  seg->window = tw->rcv_wnd;
  /* RFC 7323 3.2: TSopt on every non-RST segment of a timestamp
   * connection, TSecr = TS.Recent. */
  if (tw->ts_used)
    {
      seg->has_timestamps = TRUE;
      seg->tsval = tcp_stack_ts_clock (tw->stack, tw->ts_offset);
      seg->tsecr = tw->ts_recent;
    }
  seg->conn_id = tw->conn_id;
  seg->incarnation = tw->incarnation;
  /* The record keeps no stream offset; a segment without payload has none
   * to report. */
  seg->stream_offset = 0;
  tcp_stack_send (tw->stack, seg, tw->conn_id, tw->incarnation, why);
}

/* Why the record ACKs a segment and restarts its timer, for the narration:
 * only a FIN just below RCV.NXT is the retransmitted FIN. */
static const char *
tw_restart_ack_why (const TcpTimeWait *tw, const TcpSegment *seg)
{
  if (tw->ts_used && seg->has_timestamps && tcp_ts_before (seg->tsval, tw->ts_recent))
    return (seg->flags & TCP_FLAG_SYN) ? "ACK of PAWS-rejected SYN (TIME-WAIT restarted)"
                                       : "ACK of PAWS-rejected segment (TIME-WAIT restarted)";
  if ((seg->flags & TCP_FLAG_FIN) && seg->seq + tcp_segment_len (seg) == tw->rcv_nxt)
    return "ACK of retransmitted FIN (TIME-WAIT restarted)";
  if (seg->flags & TCP_FLAG_SYN)
    return "ACK of SYN,ACK (TIME-WAIT restarted)";
  if (seg->flags & TCP_FLAG_FIN)
    return "ACK of FIN (TIME-WAIT restarted)";
  if (tcp_segment_payload_len (seg) > 0)
    return "ACK of old data (TIME-WAIT restarted)";
  return "ACK of out-of-window ACK (TIME-WAIT restarted)";
}

/* Linux tcp_timewait_state_process: "tcptw->tw_ts_recent =
 * tmp_opt.rcv_tsval" for the segment at rcv_nxt it accepted. */
static void
tw_take_ts_recent (TcpTimeWait *tw, const TcpSegment *seg)
{
  if (tw->ts_used && seg->has_timestamps)
    tw->ts_recent = seg->tsval;
}

/* "tcp.assassinated": a RST closed the record (RFC 1337 TWA). */
static void
tcp_time_wait_note_assassinated (TcpTimeWait *tw, const TcpSegment *seg)
{
  TcpStack *stack = tw->stack;
  if (!tcp_stack_tracing (stack))
    return;
  SimTrace *trace = sim_engine_trace (stack->engine);
  SimTraceEvent *ev = sim_trace_begin (trace, tcp_stack_now (stack), "tcp.assassinated",
                                       stack->host_name);
  sim_trace_field_int (ev, "conn", (gint64) tw->conn_id);
  sim_trace_field_int (ev, "inc", tw->incarnation);
  sim_trace_field_int (ev, "seg", (gint64) seg->id);
  sim_trace_field_int (ev, "seg_inc", seg->incarnation);
  sim_trace_field_int (ev, "seq", seg->seq);
  sim_trace_text (ev, "TIME-WAIT assassinated by RST seq=%u (RFC 1337 TWA; RFC 9293 3.10.7.4 "
                  "closes TIME-WAIT on a valid RST)", seg->seq);
  sim_trace_publish (trace, ev);
}

TcpTimeWaitVerdict
tcp_time_wait_segment_arrives (TcpTimeWait *tw, TcpSegment *seg)
{
  TcpStack *stack = tw->stack;
  char *rule = NULL;
  TcpTimeWaitVerdict v = tcp_time_wait_check (tw, seg, &rule);
  TcpListener *listener = NULL;
  if (v == TCP_TW_RECYCLE)
    {
      /* The demux "recycle": look up the LISTEN socket of the port again. */
      listener = tcp_stack_find_listener (stack, seg->dst);
      if (listener == NULL && stack->config.time_wait_syn != TCP_TW_SYN_BSD)
        {
          /* Linux tcp_v4_rcv: TCP_TW_SYN without a listener falls through
           * "to ACK"; the record stays. */
          char *r = g_strdup_printf ("%s; no listener: ACK sent, TIME-WAIT stays", rule);
          g_free (rule);
          rule = r;
          v = TCP_TW_ACK;
        }
      else if (listener == NULL)
        {
          /* FreeBSD: the record is closed first, the new lookup finds
           * nothing: RFC 9293 3.5.2 group 1 RST. */
          char *r = g_strdup_printf ("%s; no listener: RST (RFC 9293 3.5.2)", rule);
          g_free (rule);
          rule = r;
        }
    }
  tcp_trace_recv (stack, seg, tw->conn_id, tw->incarnation, "TIME-WAIT",
                  tcp_time_wait_verdict_name (v), rule);
  g_free (rule);
  if ((v == TCP_TW_ACK || v == TCP_TW_ACK_AND_RESTART) && tw_oow_rate_limited (tw, seg))
    {
      if (v == TCP_TW_ACK_AND_RESTART)
        tcp_time_wait_start_timer (tw, "restarted");
      return v;
    }
  switch (v)
    {
    case TCP_TW_DROP:
      break;
    case TCP_TW_ACK:
      tcp_time_wait_send_ack (tw, stack->config.time_wait_restart == TCP_TW_RESTART_LINUX
                                    ? "ACK from TIME-WAIT (Linux tcp_timewait_state_process)"
                                    : "ACK from TIME-WAIT (RFC 9293 3.10.7.4)");
      break;
    case TCP_TW_PAWS_ACK:
      tcp_time_wait_send_ack (tw, "ACK of PAWS-rejected segment (RFC 7323 5.3 R1)");
      break;
    case TCP_TW_ACK_AND_RESTART:
      tcp_time_wait_send_ack (tw, tw_restart_ack_why (tw, seg));
      tcp_time_wait_start_timer (tw, "restarted");
      break;
    case TCP_TW_RESTART:
      tw_take_ts_recent (tw, seg);
      tcp_time_wait_start_timer (tw, "restarted");
      break;
    case TCP_TW_IGNORE_TS:
      tw_take_ts_recent (tw, seg);
      break;
    case TCP_TW_CHALLENGE_ACK:
      tcp_time_wait_send_ack (tw, (seg->flags & TCP_FLAG_RST) ? "challenge ACK (RFC 5961 3.2)"
                                                               : "challenge ACK (RFC 5961 4.2)");
      break;
    case TCP_TW_RST_AND_CLOSE:
      /* The reset takes the RFC 9293 3.5.2 form, as for a synchronized TCB
       * (tcp-input.c): a SYN without ACK gets <SEQ=0><ACK=SEG.SEQ+SEG.LEN>
       * <CTL=RST,ACK>, the only RST a peer in SYN-SENT accepts (3.10.7.3:
       * one without an acceptable ACK is dropped); a SYN,ACK gets
       * <SEQ=SEG.ACK><CTL=RST>. */
      tcp_stack_send_reset_for (stack, seg, tw->conn_id, tw->incarnation,
                                "RST: SYN in window (RFC 793 3.9)");
      tcp_time_wait_close (tw, "in-window SYN (RFC 793 3.9)");
      break;
    case TCP_TW_CLOSE:
      tcp_time_wait_note_assassinated (tw, seg);
      tcp_time_wait_close (tw, "RST: TIME-WAIT assassination (RFC 1337)");
      break;
    case TCP_TW_RECYCLE:
      if (listener != NULL)
        {
          TcpSeq iss = tcp_time_wait_reopen_iss (tw);
          tcp_time_wait_close (tw, "reopened by a new SYN");
          tcp_input_listen (listener, seg, &iss);
        }
      else
        {
          tcp_time_wait_close (tw, "recycled by a new SYN (FreeBSD tcp_twcheck)");
          tcp_stack_send_reset_for (stack, seg, 0, 0, "RST: no connection (RFC 9293 3.5.2)");
        }
      break;
    }
  return v;
}

/* "tcp.tw-cut": the record goes before its timer ran out; says in plain
 * words what protection of TIME-WAIT (RFC 9293 3.4.2, RFC 1337) ends. */
static void
tcp_time_wait_note_cut (TcpTimeWait *tw, const char *reason)
{
  TcpStack *stack = tw->stack;
  SimTime now = tcp_stack_now (stack);
  if (tw->timer.time <= now || !tcp_stack_tracing (stack))
    return;
  SimTrace *trace = sim_engine_trace (stack->engine);
  SimTraceEvent *ev = sim_trace_begin (trace, now, "tcp.tw-cut", stack->host_name);
  char local[NET_ENDPOINT_TEXT_SIZE], remote[NET_ENDPOINT_TEXT_SIZE];
  sim_trace_field_int (ev, "conn", (gint64) tw->conn_id);
  sim_trace_field_int (ev, "inc", tw->incarnation);
  sim_trace_field_int (ev, "remaining", tw->timer.time - now);
  sim_trace_field_str (ev, "reason", reason);
  if (sim_trace_needs_text (ev))
    {
      char *left = sim_time_format (tw->timer.time - now);
      NetFourTuple tuple = tcp_time_wait_tuple (tw);
      sim_trace_text (ev, "TIME-WAIT of incarnation #%u ended %s before its %s: old segments "
                      "of #%u (%s <-> %s) are no longer screened out, and a retransmitted FIN "
                      "would no longer get the ACK it needs%s",
                      tw->incarnation, left, tw_length_name (stack), tw->incarnation,
                      net_endpoint_format (local, tuple.local),
                      net_endpoint_format (remote, tuple.remote),
                      tw->ts_used ? "; only timestamps (RFC 7323 PAWS) can still screen them"
                                  : "");
      g_free (left);
    }
  sim_trace_publish (trace, ev);
}

void
tcp_time_wait_close (TcpTimeWait *tw, const char *reason)
{
  TcpStack *stack = tw->stack;
  tcp_time_wait_note_cut (tw, reason);
  if (tcp_stack_tracing (stack))
    {
      NetFourTuple tuple = tcp_time_wait_tuple (tw);
      tcp_trace_state (stack, tw->conn_id, tw->incarnation, &tuple, TCP_STATE_TIME_WAIT,
                       TCP_STATE_CLOSED, reason);
    }
  tw_table_remove (stack, tw);
  g_assert (stack->n_time_waits > 0);
  stack->n_time_waits--;
  if (tw->port_linked)
    tcp_stack_port_unlink (stack, tw->local_port, tw);
  tcp_time_wait_free (tw);
}

void
tcp_time_wait_expire (TcpTimeWait *tw)
{
  /* The close reason ends in " elapsed" (the plots tell an expired record
   * from one cut short by it). */
  char *reason = g_strdup_printf ("%s elapsed", tw_length_name (tw->stack));
  if (tcp_stack_tracing (tw->stack))
    {
      char *text = g_strdup_printf ("time-wait timer fired (%s)", reason);
      tcp_trace_timer (tw->stack, tw->conn_id, "time-wait", "fired", tcp_stack_now (tw->stack),
                       -1, text);
      g_free (text);
    }
  tw_dequeue (tw, FALSE);
  tcp_time_wait_close (tw, reason);
  g_free (reason);
}

/* The ring head's timer: the next record's ticket is queued before the
 * record goes (its place in the order is fixed by its ticket anyway). */
static void
tcp_time_wait_timer_fired (gpointer data)
{
  TcpStack *stack = data;
  TcpTimeWait *tw = stack->tw_armed;
  g_assert (tw != NULL);
  stack->tw_armed = NULL;
  stack->tw_timer = SIM_EVENT_ID_NONE;
  tw->queued = 0;
  stack->tw_ring[tw->ring_pos & stack->tw_ring_mask] = 0;
  tw_arm (stack);
  tcp_time_wait_expire (tw);
}

void
tcp_time_wait_free (TcpTimeWait *tw)
{
  if (tw == NULL)
    return;
  tw_dequeue (tw, TRUE);
  tw_release (tw->stack, tw);
}

void
tcp_time_wait_free_all (TcpStack *stack)
{
  /* Every record is in the ring while it exists; cancel each timer as the
   * per-record events were, without queueing the next head. */
  stack->tw_teardown = TRUE;
  for (guint64 p = stack->tw_ring_head; p < stack->tw_ring_tail; p++)
    {
      TcpTimeWait *tw = tw_in_slot (stack, stack->tw_ring[p & stack->tw_ring_mask]);
      if (tw != NULL)
        tcp_time_wait_free (tw);
    }
  g_free (stack->tw_ring);
  g_free (stack->tw_slots);
  if (stack->tw_blocks != NULL)
    g_ptr_array_free (stack->tw_blocks, TRUE);
  stack->tw_blocks = NULL;
  stack->tw_free = NULL;
  stack->tw_ring = NULL;
  stack->tw_slots = NULL;
  stack->n_time_waits = 0;
}
