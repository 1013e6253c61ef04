/*
 * The xorshift64* generator the C ring peers draw their seeded schedules and chunk sizes from; the C# side of each
 * interop test mirrors it, so that both ends of a seeded run make the same choices.
 */
#ifndef PEER_RANDOM_H
#define PEER_RANDOM_H

#include <stdint.h>

static uint64_t rng_state;

static uint64_t next_random(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545F4914F6CDD1Dull;
}

#endif
