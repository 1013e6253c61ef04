/* XenGen freestanding prelude, force-included before every public header: Xen's headers use the
 * fixed-width types without including <stdint.h>, expecting the includer to have done so. */
#include <stdint.h>
#include <stddef.h>
