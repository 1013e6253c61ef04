/* XenGen freestanding prelude: Linux's kernel ABI integer types, used by xen/sys/*.h. */
#ifndef XENGEN_PRELUDE_LINUX_TYPES_H
#define XENGEN_PRELUDE_LINUX_TYPES_H
typedef __INT8_TYPE__ __s8;
typedef __UINT8_TYPE__ __u8;
typedef __INT16_TYPE__ __s16;
typedef __UINT16_TYPE__ __u16;
typedef __INT32_TYPE__ __s32;
typedef __UINT32_TYPE__ __u32;
typedef __INT64_TYPE__ __s64;
typedef __UINT64_TYPE__ __u64;
#endif
