/* XenGen freestanding prelude. */
#ifndef XENGEN_PRELUDE_STDBOOL_H
#define XENGEN_PRELUDE_STDBOOL_H
#define bool _Bool
#define true 1
#define false 0
#endif
