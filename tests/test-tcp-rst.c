/* test-tcp-rst.c: RST and SYN in synchronized states, RFC 9293 3.5.2,
 * 3.5.3 and 3.10.7.4 "Second, check the RST bit" / "Fourth, check the SYN
 * bit" with the RFC 5961 mitigations (challenge ACKs), and ACKs of data
 * never sent. Established: SND.NXT 1001, RCV.NXT 5001, RCV.WND 10000. */
#include "tcp-fixture.h"
#include "personality.h"

static void
test_established_rst_at_rcv_nxt_resets (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.7.4 / RFC 5961 3: RST with SEG.SEQ = RCV.NXT in ESTABLISHED -> "
                  "\"connection reset\", CLOSED");
  fixture_established (f);
  fixture_inject (f, RST, 5001, 0, NULL);
  fixture_expect_nothing (f);
  g_assert_cmpuint (f->failed, ==, 1);
  g_assert_cmpint (f->last_error, ==, TCP_ERROR_RESET);
  g_assert_cmpuint (f->released, ==, 1);
  fixture_assert_state (f, TCP_STATE_CLOSED);
  g_assert_false (tcp_stack_has_time_wait (fixture_stack (f), &f->tuple));
}

static void
test_established_rst_ack_at_rcv_nxt_resets (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.7.4: RST,ACK with SEG.SEQ = RCV.NXT resets like a bare RST");
  fixture_established (f);
  fixture_inject (f, RST | ACK, 5001, 1001, NULL);
  fixture_expect_nothing (f);
  g_assert_cmpint (f->last_error, ==, TCP_ERROR_RESET);
  fixture_assert_state (f, TCP_STATE_CLOSED);
}

static void
test_established_rst_in_window_challenge_ack (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.7.4 / RFC 5961 3: RST in window but not at RCV.NXT -> challenge ACK "
                  "<SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>, drop");
  fixture_established (f);
  fixture_inject (f, RST, 5101, 0, NULL);
  fixture_expect_segment (f, ACK, 1001, 5001, 0);
  fixture_expect_nothing (f);
  g_assert_cmpuint (f->failed, ==, 0);
  fixture_assert_state (f, TCP_STATE_ESTABLISHED);
  g_assert_cmpstr (fixture_last_verdict (f), ==, "challenge-ack");
}

static void
test_established_rst_outside_window_dropped (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.7.4 / RFC 5961 3: RST outside the receive window -> silently drop");
  fixture_established (f);
  fixture_inject (f, RST, 5001 + 10000, 0, NULL); /* RCV.NXT + RCV.WND: first octet outside */
  fixture_inject (f, RST, 900000, 0, NULL);
  fixture_expect_nothing (f);
  g_assert_cmpuint (f->failed, ==, 0);
  fixture_assert_state (f, TCP_STATE_ESTABLISHED);
}

static void
test_established_rst_before_rcv_nxt_dropped (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.7.4: RST with SEG.SEQ < RCV.NXT is unacceptable -> drop, no reply");
  fixture_established (f);
  fixture_inject (f, RST, 5000, 0, NULL);
  fixture_expect_nothing (f);
  fixture_assert_state (f, TCP_STATE_ESTABLISHED);
}

static void
test_established_rst_in_window_resets_without_challenge (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.5.3 (no RFC 5961): a reset is valid if its sequence number is in the window");
  f->config.challenge_acks = FALSE;
  fixture_established (f);
  fixture_inject (f, RST, 5101, 0, NULL);
  fixture_expect_nothing (f);
  g_assert_cmpint (f->last_error, ==, TCP_ERROR_RESET);
  fixture_assert_state (f, TCP_STATE_CLOSED);
}

static void
test_established_rst_outside_window_without_challenge (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.5.3 (no RFC 5961): RST outside the window is dropped");
  f->config.challenge_acks = FALSE;
  fixture_established (f);
  fixture_inject (f, RST, 900000, 0, NULL);
  fixture_expect_nothing (f);
  fixture_assert_state (f, TCP_STATE_ESTABLISHED);
}

static void
test_fin_wait_2_rst_resets (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.7.4 FIN-WAIT-2: valid RST -> \"connection reset\", CLOSED, no TIME-WAIT");
  fixture_fin_wait_2 (f);
  fixture_inject (f, RST, 5001, 0, NULL);
  fixture_expect_nothing (f);
  g_assert_cmpint (f->last_error, ==, TCP_ERROR_RESET);
  fixture_assert_state (f, TCP_STATE_CLOSED);
}

static void
test_close_wait_rst_resets (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.7.4 CLOSE-WAIT: RST at RCV.NXT (after the FIN) -> \"connection reset\", CLOSED");
  fixture_close_wait (f);
  fixture_inject (f, RST, 5002, 0, NULL);
  fixture_expect_nothing (f);
  g_assert_cmpint (f->last_error, ==, TCP_ERROR_RESET);
  fixture_assert_state (f, TCP_STATE_CLOSED);
}

static void
test_last_ack_rst_closes (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.7.4 LAST-ACK: valid RST -> enter CLOSED, delete the TCB");
  fixture_last_ack (f);
  fixture_inject (f, RST, 5002, 0, NULL);
  fixture_expect_nothing (f);
  fixture_assert_state (f, TCP_STATE_CLOSED);
}

static void
test_closing_rst_closes (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.7.4 CLOSING: valid RST -> enter CLOSED, delete the TCB");
  fixture_closing (f);
  fixture_inject (f, RST, 5002, 0, NULL);
  fixture_expect_nothing (f);
  fixture_assert_state (f, TCP_STATE_CLOSED);
}

static void
test_established_syn_challenge_ack (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.7.4 / RFC 5961 4: SYN in a synchronized state, irrespective of the "
                  "sequence number -> challenge ACK, drop");
  fixture_established (f);
  fixture_inject (f, SYN, 5500, 0, NULL); /* in window */
  fixture_expect_segment (f, ACK, 1001, 5001, 0);
  fixture_inject (f, SYN, 100, 0, NULL);  /* out of window */
  fixture_expect_segment (f, ACK, 1001, 5001, 0);
  fixture_expect_nothing (f);
  g_assert_cmpuint (f->failed, ==, 0);
  fixture_assert_state (f, TCP_STATE_ESTABLISHED);
}

static void
test_established_syn_ack_old_duplicate_acked (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.7.4: a retransmitted SYN,ACK (SEG.SEQ = IRS) is old: "
                  "<SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>");
  fixture_established (f);
  fixture_inject (f, SYN | ACK, 5000, 1001, NULL);
  fixture_expect_segment (f, ACK, 1001, 5001, 0);
  fixture_expect_nothing (f);
  fixture_assert_state (f, TCP_STATE_ESTABLISHED);
}

static void
test_established_ack_of_unsent_data (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.7.4 ESTABLISHED: SEG.ACK > SND.NXT (acks something not yet sent) -> "
                  "send an ACK, drop the segment");
  fixture_established (f);
  fixture_inject (f, ACK, 5001, 2000, "hello");
  fixture_expect_segment (f, ACK, 1001, 5001, 0); /* RCV.NXT did not move: text dropped */
  fixture_expect_nothing (f);
  g_assert_cmpuint (tcp_conn_readable (f->conn), ==, 0);
  fixture_assert_state (f, TCP_STATE_ESTABLISHED);
}

static void
test_established_segment_without_ack_dropped (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.7.4 \"Fifth, check the ACK field\": if the ACK bit is off, drop the segment");
  fixture_established (f);
  fixture_inject (f, 0, 5001, 0, "hello");
  fixture_expect_nothing (f);
  g_assert_cmpuint (tcp_conn_readable (f->conn), ==, 0);
  fixture_assert_state (f, TCP_STATE_ESTABLISHED);
}

static void
test_rst_never_answered (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.5.2: a RST is never sent in reply to a RST");
  fixture_established (f);
  fixture_inject (f, RST | ACK, 900000, 5000, NULL);
  fixture_inject (f, RST | ACK, 5101, 900000, NULL);
  /* The in-window one gets a challenge ACK; neither gets a RST. */
  while (fixture_sent_count (f) > 0)
    g_assert_false (tcp_segment_has (fixture_pop (f), TCP_FLAG_RST));
}

static void
test_fin_wait_2_rst_in_window_challenge_ack (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.7.4 / RFC 5961 3 FIN-WAIT-2: RST in window, not at RCV.NXT -> challenge ACK");
  fixture_fin_wait_2 (f);
  fixture_inject (f, RST, 5100, 0, NULL);
  fixture_expect_segment (f, ACK, 1002, 5001, 0);
  fixture_assert_state (f, TCP_STATE_FIN_WAIT_2);
}

static void
test_syn_received_rst_in_window_challenge_ack (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.7.4 / RFC 5961 3 SYN-RECEIVED: RST in window, not at RCV.NXT -> challenge ACK");
  fixture_syn_received_passive (f);
  fixture_inject (f, RST, 5100, 0, NULL);
  fixture_expect_segment (f, ACK, 1001, 5001, 0);
  fixture_assert_state (f, TCP_STATE_SYN_RECEIVED);
}

/* An inexact in-window RST under a personality's TCP settings: RFC 5961
 * challenge ACK where the personality has challenge_acks, the RFC 793
 * reset where it has not (textbook). */
static void
test_personality_inexact_rst (TcpFixture *f, gconstpointer data)
{
  const char *name = data;
  g_test_summary ("RFC 5961 3.2 is a personality setting: linux, freebsd, macos, windows and rfc9293 "
                  "answer an inexact in-window RST with a challenge ACK, textbook (RFC 793 3.9) resets");
  SockConfig sock;
  const Personality *p = personality_find (name);
  g_assert_nonnull (p);
  personality_apply (p, &f->config, &sock);
  f->config.isn_kind = TCP_ISN_FIXED;
  f->config.isn_fixed = FIX_ISS;
  fixture_established (f);
  fixture_inject (f, RST, 5101, 0, NULL);
  if (p->challenge_acks)
    {
      fixture_expect_segment (f, ACK, 1001, 5001, 0);
      g_assert_cmpstr (fixture_last_verdict (f), ==, "challenge-ack");
      fixture_assert_state (f, TCP_STATE_ESTABLISHED);
    }
  else
    {
      fixture_expect_nothing (f);
      g_assert_cmpint (f->last_error, ==, TCP_ERROR_RESET);
      fixture_assert_state (f, TCP_STATE_CLOSED);
    }
  /* The table: only textbook is without RFC 5961. */
  g_assert_cmpint (p->challenge_acks, ==, g_strcmp0 (name, "textbook") != 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  TCP_TEST ("/tcp/established/rst-at-rcv-nxt-resets", test_established_rst_at_rcv_nxt_resets);
  TCP_TEST ("/tcp/established/rst-ack-at-rcv-nxt-resets", test_established_rst_ack_at_rcv_nxt_resets);
  TCP_TEST ("/tcp/established/rst-in-window-challenge-ack", test_established_rst_in_window_challenge_ack);
  TCP_TEST ("/tcp/established/rst-outside-window-dropped", test_established_rst_outside_window_dropped);
  TCP_TEST ("/tcp/established/rst-before-rcv-nxt-dropped", test_established_rst_before_rcv_nxt_dropped);
  TCP_TEST ("/tcp/established/rst-in-window-resets-without-challenge-acks",
            test_established_rst_in_window_resets_without_challenge);
  TCP_TEST ("/tcp/established/rst-outside-window-dropped-without-challenge-acks",
            test_established_rst_outside_window_without_challenge);
  TCP_TEST ("/tcp/fin-wait-2/rst-resets", test_fin_wait_2_rst_resets);
  TCP_TEST ("/tcp/close-wait/rst-resets", test_close_wait_rst_resets);
  TCP_TEST ("/tcp/last-ack/rst-closes", test_last_ack_rst_closes);
  TCP_TEST ("/tcp/closing/rst-closes", test_closing_rst_closes);
  TCP_TEST ("/tcp/established/syn-challenge-ack", test_established_syn_challenge_ack);
  TCP_TEST ("/tcp/established/old-syn-ack-acked", test_established_syn_ack_old_duplicate_acked);
  TCP_TEST ("/tcp/established/ack-of-unsent-data-acked-and-dropped", test_established_ack_of_unsent_data);
  TCP_TEST ("/tcp/established/segment-without-ack-dropped", test_established_segment_without_ack_dropped);
  TCP_TEST ("/tcp/established/rst-never-answered-with-rst", test_rst_never_answered);
  TCP_TEST ("/tcp/fin-wait-2/rst-in-window-challenge-ack", test_fin_wait_2_rst_in_window_challenge_ack);
  TCP_TEST ("/tcp/syn-received/rst-in-window-challenge-ack", test_syn_received_rst_in_window_challenge_ack);
  static const char *const names[] = { "linux", "freebsd", "macos", "windows", "rfc9293", "textbook" };
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_strdup_printf ("/tcp/established/personality-inexact-rst/%s", names[i]);
      g_test_add (path, TcpFixture, names[i], fixture_setup, test_personality_inexact_rst,
                  fixture_teardown);
    }

  return g_test_run ();
}
