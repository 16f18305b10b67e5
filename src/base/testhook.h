/* Crash points for the tests that prove what survives a crash: with
 * PARLEY_TEST_CRASH=NAME in the environment, testhook_crash("NAME") kills the
 * process with SIGKILL, as `kill -9` would, at exactly that point. Without the
 * variable it does nothing. The points Parley has:
 *
 *   action.before      an action job is claimed, nothing of it done yet
 *   action.after       the action ran (a send_template's outbox item is
 *                      committed), the job is not yet marked done
 *   outbox.before_smtp an outbox item is claimed ("sending"), SMTP not begun
 *   outbox.after_smtp  the SMTP server accepted the message, the item is not
 *                      yet marked sent
 */
#ifndef BASE_TESTHOOK_H
#define BASE_TESTHOOK_H

void testhook_crash(const char *point);

#endif
