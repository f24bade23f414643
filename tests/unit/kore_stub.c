/*
 * Stands in for Kore's kore_log in the unit tests, which link the real
 * handlers: a few of the files they reach log through Kore.  Quiet, so a
 * test's output is its own.
 */

void	kore_log(int, const char *, ...);

void
kore_log(int prio, const char *fmt, ...)
{
	(void)prio;
	(void)fmt;
}
