#ifndef VCP_DELIVERY_H
#define VCP_DELIVERY_H

#include <stddef.h>

/*
 * How vcpnotifyd reads a receiver's answer: which statuses end the tries,
 * and the bounded, printable copy of the answer body that is kept.
 */

/* Bytes of an answer body read and kept; the rest is not read. */
#define DELIVERY_ANSWER_MAX	1024

/* Room delivery_answer_text needs for len input bytes. */
#define DELIVERY_TEXT_LEN(len)	((len) * 3 + 4)

int	delivery_permanent(long);
size_t	delivery_answer_text(const char *, size_t, int, char *, size_t);

#endif
