/* XenGen freestanding prelude: the few POSIX types Xen's public headers use. */
#ifndef XENGEN_PRELUDE_SYS_TYPES_H
#define XENGEN_PRELUDE_SYS_TYPES_H
#include <stddef.h>
#include <stdint.h>
typedef __INTPTR_TYPE__ ssize_t;
#endif
