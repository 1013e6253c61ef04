/*
 * The C side of the byte ring interop tests: the XenStore page (struct xenstore_domain_interface, xen/io/xs_wire.h)
 * and the console page (struct xencons_interface, xen/io/console.h), driven by xen/io/ring.h's flex-ring functions
 * (xencons_* from console.h, xenstore_* defined here with DEFINE_XEN_FLEX_RING) over a MAP_SHARED file whose first
 * 4096 bytes are the page. The C# side creates the file and sets the starting indices before it starts this program.
 *
 *   byte_ring_peer stream PAGE RING FILE BYTES SEND_SEED RECEIVE_SEED SECONDS
 *       PAGE is xenstore or console; RING (req or rsp; in or out) is the direction this side writes, and it reads
 *       the other. Writes BYTES bytes of stream SEND_SEED and reads BYTES bytes, checking each against stream
 *       RECEIVE_SEED, in chunks of random sizes, both directions at once; gives up after SECONDS.
 *   byte_ring_peer badprod PAGE RING FILE EXCESS
 *       fills RING with valid bytes, then publishes a producer index EXCESS bytes past the full ring, and exits.
 *   byte_ring_peer badcons PAGE RING FILE EXCESS
 *       publishes a consumer index EXCESS bytes past RING's producer index (more read than written), and exits.
 *
 * Byte number p of stream s is stream_byte(s, p); ByteStream.At in the C# test computes the same.
 * Exit codes: 0 done, 1 a wrong byte or a system error, 2 a peer index more than the ring size away, 3 time out,
 * 64 usage. Failures are reported on stderr with the position and the indices.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <inttypes.h>
#include <sched.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define xen_mb()  __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define xen_rmb() __atomic_thread_fence(__ATOMIC_ACQUIRE)
#define xen_wmb() __atomic_thread_fence(__ATOMIC_RELEASE)
#include <xen/io/xs_wire.h>
#define XEN_WANT_FLEX_CONSOLE_RING
#include <xen/io/console.h>
#include "peer_random.h"

/* ring.h's flex-ring functions work on any power-of-two byte ring: the same ones for the XenStore page. */
DEFINE_XEN_FLEX_RING(xenstore);

#define PAGE_BYTES 4096
#define MAX_CHUNK 4096

/* One direction of a page: its buffer, size, and index words, and which header's functions address it. */
struct ring {
    const char *name;
    unsigned char *buf;
    RING_IDX size;
    uint32_t *cons, *prod;
    int xenstore;
};

static uint64_t now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static uint8_t stream_byte(uint64_t seed, uint64_t pos)
{
    uint64_t x = (pos >> 3) ^ seed;
    x *= 0x9E3779B97F4A7C15ull;
    x ^= x >> 31;
    x *= 0xD6E8FEB86659FD93ull;
    x ^= x >> 32;
    return (uint8_t)(x >> ((pos & 7) * 8));
}

/* A chunk size: often a few bytes, otherwise up to one and a half rings (more than can fit). */
static size_t next_chunk(RING_IDX size)
{
    uint64_t r = next_random();
    return (r & 3) == 0 ? 1 + (size_t)((r >> 8) % 8) : 1 + (size_t)((r >> 8) % (size + size / 2));
}

static uint32_t load_index(uint32_t *p) { return __atomic_load_n(p, __ATOMIC_RELAXED); }

static void store_index(uint32_t *p, uint32_t v) { __atomic_store_n(p, v, __ATOMIC_RELAXED); }

/* ---- the header's functions for each page ---- */

static RING_IDX ring_mask(const struct ring *r, RING_IDX idx)
{
    return r->xenstore ? MASK_XENSTORE_IDX(idx) : xencons_mask(idx, r->size);
}

static RING_IDX ring_queued(const struct ring *r, RING_IDX prod, RING_IDX cons)
{
    return r->xenstore ? xenstore_queued(prod, cons, r->size) : xencons_queued(prod, cons, r->size);
}

static void ring_write(const struct ring *r, const unsigned char *data, size_t n, RING_IDX prod, RING_IDX cons)
{
    RING_IDX masked_prod = ring_mask(r, prod);
    if (r->xenstore) xenstore_write_packet(r->buf, data, n, &masked_prod, ring_mask(r, cons), r->size);
    else xencons_write_packet(r->buf, data, n, &masked_prod, ring_mask(r, cons), r->size);
}

static void ring_read(const struct ring *r, unsigned char *data, size_t n, RING_IDX prod, RING_IDX cons)
{
    RING_IDX masked_cons = ring_mask(r, cons);
    if (r->xenstore) xenstore_read_packet(data, r->buf, n, ring_mask(r, prod), &masked_cons, r->size);
    else xencons_read_packet(data, r->buf, n, ring_mask(r, prod), &masked_cons, r->size);
}

/* Bytes queued between the indices, or -1 (reported) when the peer's index puts them more than the ring apart. */
static int64_t checked_queued(const struct ring *r, RING_IDX prod, RING_IDX cons, const char *peer_index)
{
    RING_IDX distance = prod - cons;
    if (distance > r->size) {
        fprintf(stderr, "%s: peer's %s index leaves %" PRIu32 " bytes queued in a %" PRIu32 "-byte ring (prod=%" PRIu32 " cons=%" PRIu32 ")\n",
                r->name, peer_index, distance, r->size, prod, cons);
        return -1;
    }
    RING_IDX queued = ring_queued(r, prod, cons);
    if (queued != distance) {
        fprintf(stderr, "%s: ring.h queued=%" PRIu32 " but prod-cons=%" PRIu32 "\n", r->name, queued, distance);
        return -1;
    }
    return queued;
}

/* ---- the two halves of a stream run, as a driver writes them ---- */

/* Producer: writes the next chunk of the stream that fits; returns bytes written, or -1. */
static int64_t produce(const struct ring *r, uint64_t seed, uint64_t sent, uint64_t total)
{
    unsigned char chunk[MAX_CHUNK];
    RING_IDX cons = load_index(r->cons), prod = load_index(r->prod);
    xen_mb(); /* read the consumer index before writing over the space it frees */
    int64_t queued = checked_queued(r, prod, cons, "consumer");
    if (queued < 0) return -1;
    size_t n = next_chunk(r->size);
    if (n > r->size - (RING_IDX)queued) n = r->size - (RING_IDX)queued;
    if (n > total - sent) n = (size_t)(total - sent);
    if (n == 0) return 0;
    for (size_t i = 0; i < n; i++) chunk[i] = stream_byte(seed, sent + i);
    ring_write(r, chunk, n, prod, cons);
    xen_wmb(); /* the bytes before the index that publishes them */
    store_index(r->prod, prod + (RING_IDX)n);
    return (int64_t)n;
}

/* Consumer: reads a chunk and checks every byte; returns bytes read, or -1. */
static int64_t consume(const struct ring *r, uint64_t seed, uint64_t received, uint64_t total)
{
    unsigned char chunk[MAX_CHUNK];
    RING_IDX cons = load_index(r->cons), prod = load_index(r->prod);
    xen_rmb(); /* the producer index before the bytes it publishes */
    int64_t queued = checked_queued(r, prod, cons, "producer");
    if (queued < 0) return -1;
    size_t n = next_chunk(r->size);
    if (n > (size_t)queued) n = (size_t)queued;
    if (n > total - received) n = (size_t)(total - received);
    if (n == 0) return 0;
    ring_read(r, chunk, n, prod, cons);
    for (size_t i = 0; i < n; i++) {
        uint8_t want = stream_byte(seed, received + i);
        if (chunk[i] != want) {
            fprintf(stderr, "%s: byte %" PRIu64 " of the stream is 0x%02x, expected 0x%02x (cons=%" PRIu32 " prod=%" PRIu32 ")\n",
                    r->name, received + i, chunk[i], want, cons + (RING_IDX)i, prod);
            return -2;
        }
    }
    xen_mb(); /* finish reading before the index frees the space */
    store_index(r->cons, cons + (RING_IDX)n);
    return (int64_t)n;
}

static int run_stream(const struct ring *out, const struct ring *in, uint64_t total, uint64_t send_seed,
                      uint64_t receive_seed, uint64_t seconds)
{
    uint64_t sent = 0, received = 0, idle = 0, deadline = now_ns() + seconds * 1000000000u;
    rng_state = send_seed | 1;
    while (sent < total || received < total) {
        int progressed = 0;
        if (sent < total) {
            int64_t n = produce(out, send_seed, sent, total);
            if (n < 0) return 2;
            sent += (uint64_t)n;
            progressed |= n > 0;
        }
        if (received < total) {
            int64_t n = consume(in, receive_seed, received, total);
            if (n == -2) return 1;
            if (n < 0) return 2;
            received += (uint64_t)n;
            progressed |= n > 0;
        }
        if (progressed) continue;
        if ((++idle & 255) == 0 && now_ns() > deadline) {
            fprintf(stderr, "timed out after %" PRIu64 " s: sent %" PRIu64 " of %" PRIu64 " on %s (prod=%" PRIu32 " cons=%" PRIu32
                    "), received %" PRIu64 " on %s (prod=%" PRIu32 " cons=%" PRIu32 ")\n", seconds, sent, total, out->name,
                    load_index(out->prod), load_index(out->cons), received, in->name, load_index(in->prod), load_index(in->cons));
            return 3;
        }
        if (idle % 16 == 0) sched_yield();
        else __builtin_ia32_pause();
    }
    printf("ok sent=%" PRIu64 " received=%" PRIu64 " idle=%" PRIu64 "\n", sent, received, idle);
    return 0;
}

/* ---- the protocol violations ---- */

/* Fills the ring byte by byte through ring.h's get_ring_ptr, then publishes a producer index past the full ring. */
static int run_bad_producer(const struct ring *r, RING_IDX excess)
{
    RING_IDX cons = load_index(r->cons);
    xen_mb();
    for (RING_IDX i = 0; i < r->size; i++) {
        unsigned char *at = r->xenstore ? xenstore_get_ring_ptr(r->buf, cons + i, r->size) : xencons_get_ring_ptr(r->buf, cons + i, r->size);
        *at = stream_byte(0, i);
    }
    xen_wmb();
    store_index(r->prod, cons + r->size + excess);
    printf("%s: prod=%" PRIu32 " cons=%" PRIu32 "\n", r->name, cons + r->size + excess, cons);
    return 0;
}

/* Publishes a consumer index past the producer's: more bytes read than were written. */
static int run_bad_consumer(const struct ring *r, RING_IDX excess)
{
    RING_IDX prod = load_index(r->prod);
    xen_mb();
    store_index(r->cons, prod + excess);
    printf("%s: prod=%" PRIu32 " cons=%" PRIu32 "\n", r->name, prod, prod + excess);
    return 0;
}

/* ---- the page and its two directions ---- */

static int find_rings(unsigned char *page, const char *page_name, const char *ring_name, struct ring *mine, struct ring *other)
{
    struct ring rings[2];
    if (strcmp(page_name, "xenstore") == 0) {
        struct xenstore_domain_interface *xs = (struct xenstore_domain_interface *)page;
        rings[0] = (struct ring){ "req", (unsigned char *)xs->req, XENSTORE_RING_SIZE, &xs->req_cons, &xs->req_prod, 1 };
        rings[1] = (struct ring){ "rsp", (unsigned char *)xs->rsp, XENSTORE_RING_SIZE, &xs->rsp_cons, &xs->rsp_prod, 1 };
    } else if (strcmp(page_name, "console") == 0) {
        struct xencons_interface *cons = (struct xencons_interface *)page;
        rings[0] = (struct ring){ "in", (unsigned char *)cons->in, sizeof(cons->in), &cons->in_cons, &cons->in_prod, 0 };
        rings[1] = (struct ring){ "out", (unsigned char *)cons->out, sizeof(cons->out), &cons->out_cons, &cons->out_prod, 0 };
    } else {
        return -1;
    }
    int i = strcmp(ring_name, rings[0].name) == 0 ? 0 : strcmp(ring_name, rings[1].name) == 0 ? 1 : -1;
    if (i < 0) return -1;
    *mine = rings[i];
    *other = rings[1 - i];
    return 0;
}

static int usage(void)
{
    fprintf(stderr, "usage: byte_ring_peer stream PAGE RING FILE BYTES SEND_SEED RECEIVE_SEED SECONDS\n"
                    "     | byte_ring_peer badprod|badcons PAGE RING FILE EXCESS\n"
                    "PAGE RING: xenstore req|rsp, console in|out\n");
    return 64;
}

int main(int argc, char **argv)
{
    _Static_assert(sizeof(struct xenstore_domain_interface) <= PAGE_BYTES, "xenstore page");
    _Static_assert(sizeof(struct xencons_interface) <= PAGE_BYTES, "console page");
    int stream = argc == 9 && strcmp(argv[1], "stream") == 0;
    int bad = argc == 6 && (strcmp(argv[1], "badprod") == 0 || strcmp(argv[1], "badcons") == 0);
    if (!stream && !bad) return usage();
    struct ring mine, other;
    int fd = open(argv[4], O_RDWR);
    if (fd < 0) { perror(argv[4]); return 1; }
    unsigned char *page = mmap(NULL, PAGE_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (page == MAP_FAILED) { perror("mmap"); return 1; }
    if (find_rings(page, argv[2], argv[3], &mine, &other) != 0) return usage();
    int rc;
    if (stream)
        rc = run_stream(&mine, &other, strtoull(argv[5], NULL, 0), strtoull(argv[6], NULL, 0), strtoull(argv[7], NULL, 0),
                        strtoull(argv[8], NULL, 0));
    else if (strcmp(argv[1], "badprod") == 0)
        rc = run_bad_producer(&mine, (RING_IDX)strtoull(argv[5], NULL, 0));
    else
        rc = run_bad_consumer(&mine, (RING_IDX)strtoull(argv[5], NULL, 0));
    munmap(page, PAGE_BYTES);
    close(fd);
    return rc;
}
