/*
 * The C side of the ring interop tests and benchmarks: blkif rings driven by the real xen/io/ring.h macros.
 *
 *   ring_peer front FILE RING_BYTES START COUNT   front end over a MAP_SHARED file; it initialises the ring
 *   ring_peer back  FILE RING_BYTES START COUNT   back end over a MAP_SHARED file; it waits for the front end
 *   ring_peer trace SEED STEPS START RING_BYTES   both ends in one thread on a random schedule; prints the decisions
 *   ring_peer threads RING_BYTES COUNT            benchmark: front and back on two threads of this process
 *   ring_peer flextrace SEED STEPS START ORDER    the 9pfs flex ring's "out" direction, written and read on a random
 *                                                 schedule with ring.h's xen_9pfs_write_packet/read_packet/queued
 *
 * With RING_PEER_FRONT_CPU or RING_PEER_BACK_CPU set, that end's thread is pinned to the CPU it names (benchmarks).
 *
 * Behind the ring, in the same file, lies a control block (struct control) shared with the C# side: a counter of
 * notifications per direction (the stand-in for an event channel), the front end's ready and the back end's attached
 * flags, and the peer's results. A front end's time runs from the back end's attaching to the last response.
 * Payloads are a function of the request's sequence number, so both sides check every field they receive.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
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
#include <xen/io/blkif.h>
#include <xen/io/9pfs.h>
#include "peer_random.h"

struct control {
    uint32_t ready;
    uint32_t back_attached;
    uint64_t kicks_to_back;
    uint64_t kicks_to_front;
    uint64_t peer_notifies;
    uint64_t peer_errors;
    uint64_t peer_waits;
    uint64_t peer_done;
    uint64_t peer_nanoseconds;
};

static uint64_t now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

/* ---- payloads: every field a function of the sequence number ---- */

static void fill_request(blkif_request_t *r, uint64_t seq)
{
    r->operation = (uint8_t)(seq % 5);
    r->nr_segments = (uint8_t)(seq % (BLKIF_MAX_SEGMENTS_PER_REQUEST + 1));
    r->handle = (blkif_vdev_t)(seq * 3);
    r->id = seq;
    r->sector_number = seq * 0x9E3779B97F4A7C15ull;
    for (unsigned i = 0; i < r->nr_segments; i++) {
        r->seg[i].gref = (grant_ref_t)(seq + i);
        r->seg[i].first_sect = (uint8_t)i;
        r->seg[i].last_sect = (uint8_t)(7 - (i & 7));
    }
}

static int request_ok(const blkif_request_t *r, uint64_t seq)
{
    if (r->id != seq || r->operation != (uint8_t)(seq % 5) || r->handle != (blkif_vdev_t)(seq * 3)
        || r->nr_segments != (uint8_t)(seq % (BLKIF_MAX_SEGMENTS_PER_REQUEST + 1))
        || r->sector_number != seq * 0x9E3779B97F4A7C15ull)
        return 0;
    for (unsigned i = 0; i < r->nr_segments; i++)
        if (r->seg[i].gref != (grant_ref_t)(seq + i) || r->seg[i].first_sect != (uint8_t)i || r->seg[i].last_sect != (uint8_t)(7 - (i & 7)))
            return 0;
    return 1;
}

static void fill_response(blkif_response_t *rsp, const blkif_request_t *req)
{
    rsp->id = req->id;
    rsp->operation = req->operation;
    rsp->status = (int16_t)((int)(req->id % 3) - 1);
}

static int response_ok(const blkif_response_t *rsp, uint64_t seq)
{
    return rsp->id == seq && rsp->operation == (uint8_t)(seq % 5) && rsp->status == (int16_t)((int)(seq % 3) - 1);
}

/* ---- the notification stand-in ---- */

#define SPIN_LIMIT 2000

static void kick(uint64_t *counter) { __atomic_fetch_add(counter, 1, __ATOMIC_SEQ_CST); }

static uint64_t kicks(uint64_t *counter) { return __atomic_load_n(counter, __ATOMIC_ACQUIRE); }

/* Waits for the counter to move: spins briefly (the peer usually answers within microseconds), then yields. */
static int wait_kick(uint64_t *counter, uint64_t seen, uint64_t deadline)
{
    for (unsigned spins = 0; kicks(counter) == seen; spins++) {
        if (spins < SPIN_LIMIT) {
            __builtin_ia32_pause();
            continue;
        }
        if ((spins & 1023) == 0 && now_ns() > deadline) return 0;
        sched_yield();
    }
    return 1;
}

/* The benchmarks pin each end to its own CPU (the same for the C# ends), so that the scheduler never runs both ends
 * on one CPU, where every hand-over would wait for a time slice. */
static void pin_from_env(const char *variable)
{
    const char *cpu = getenv(variable);
    if (!cpu || !*cpu) return;
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(atoi(cpu), &set);
    if (sched_setaffinity(0, sizeof set, &set) != 0) perror(variable); /* 0: the calling thread */
}

/* ---- the two ends, as a driver would write them ---- */

static int run_front(blkif_sring_t *s, struct control *c, size_t ring_bytes, RING_IDX start, uint64_t count, uint64_t *t0)
{
    blkif_front_ring_t f;
    uint64_t sent = 0, received = 0, notifies = 0, waits = 0, errors = 0, deadline = now_ns() + 300ull * 1000000000u;
    int rc = 0;
    pin_from_env("RING_PEER_FRONT_CPU");
    SHARED_RING_INIT(s);
    s->req_prod = s->rsp_prod = start;
    s->req_event = s->rsp_event = start + 1;
    FRONT_RING_ATTACH(&f, s, start, ring_bytes);
    __atomic_store_n(&c->ready, 1, __ATOMIC_RELEASE);
    while (!__atomic_load_n(&c->back_attached, __ATOMIC_ACQUIRE)) {
        if (now_ns() > deadline) return 3;
        sched_yield();
    }
    *t0 = now_ns();
    while (received < count) {
        int progressed = 0, notify;
        RING_IDX queued = 0;
        while (sent < count && !RING_FULL(&f)) {
            fill_request(RING_GET_REQUEST(&f, f.req_prod_pvt), sent++);
            f.req_prod_pvt++;
            queued++;
        }
        if (queued) {
            RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&f, notify);
            if (notify) { notifies++; kick(&c->kicks_to_back); }
            progressed = 1;
        }
        while (RING_HAS_UNCONSUMED_RESPONSES(&f)) {
            blkif_response_t rsp;
            if (RING_RESPONSE_PROD_OVERFLOW(&f, f.sring->rsp_prod)) { rc = 2; goto out; }
            RING_COPY_RESPONSE(&f, f.rsp_cons, &rsp);
            f.rsp_cons++;
            if (!response_ok(&rsp, received)) errors++;
            received++;
            progressed = 1;
        }
        if (!progressed) {
            uint64_t seen = kicks(&c->kicks_to_front);
            int work;
            RING_FINAL_CHECK_FOR_RESPONSES(&f, work);
            if (!work) {
                waits++;
                if (!wait_kick(&c->kicks_to_front, seen, deadline)) { rc = 3; goto out; }
            }
        }
    }
out:
    c->peer_notifies = notifies;
    c->peer_waits = waits;
    c->peer_errors = errors;
    return rc;
}

static int run_back(blkif_sring_t *s, struct control *c, size_t ring_bytes, RING_IDX start, uint64_t count)
{
    blkif_back_ring_t b;
    uint64_t processed = 0, notifies = 0, waits = 0, errors = 0, deadline = now_ns() + 300ull * 1000000000u;
    int rc = 0;
    pin_from_env("RING_PEER_BACK_CPU");
    while (!__atomic_load_n(&c->ready, __ATOMIC_ACQUIRE)) {
        if (now_ns() > deadline) return 3;
        sched_yield();
    }
    BACK_RING_ATTACH(&b, s, start, ring_bytes);
    __atomic_store_n(&c->back_attached, 1, __ATOMIC_RELEASE);
    while (processed < count) {
        int progressed = 0, notify;
        while (RING_HAS_UNCONSUMED_REQUESTS(&b)) {
            blkif_request_t req;
            if (RING_REQUEST_PROD_OVERFLOW(&b, b.sring->req_prod)) { rc = 2; goto out; }
            RING_COPY_REQUEST(&b, b.req_cons, &req);
            b.req_cons++;
            if (!request_ok(&req, processed)) errors++;
            fill_response(RING_GET_RESPONSE(&b, b.rsp_prod_pvt), &req);
            b.rsp_prod_pvt++;
            processed++;
            progressed = 1;
        }
        if (progressed) {
            RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(&b, notify);
            if (notify) { notifies++; kick(&c->kicks_to_front); }
        } else {
            uint64_t seen = kicks(&c->kicks_to_back);
            int work;
            RING_FINAL_CHECK_FOR_REQUESTS(&b, work);
            if (!work) {
                waits++;
                if (!wait_kick(&c->kicks_to_back, seen, deadline)) { rc = 3; goto out; }
            }
        }
    }
out:
    c->peer_notifies = notifies;
    c->peer_waits = waits;
    c->peer_errors = errors;
    return rc;
}

static int run_shared(const char *role, const char *file, size_t ring_bytes, RING_IDX start, uint64_t count)
{
    int fd = open(file, O_RDWR);
    if (fd < 0) { perror(file); return 1; }
    size_t size = ring_bytes + 4096;
    char *base = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (base == MAP_FAILED) { perror("mmap"); return 1; }
    struct control *c = (struct control *)(base + ring_bytes);
    uint64_t t0 = now_ns();
    int rc = strcmp(role, "front") == 0 ? run_front((blkif_sring_t *)base, c, ring_bytes, start, count, &t0)
                                        : run_back((blkif_sring_t *)base, c, ring_bytes, start, count);
    c->peer_nanoseconds = now_ns() - t0;
    __atomic_store_n(&c->peer_done, 1, __ATOMIC_RELEASE);
    printf("%s rc=%d notifies=%" PRIu64 " waits=%" PRIu64 " errors=%" PRIu64 " ns=%" PRIu64 "\n",
           role, rc, c->peer_notifies, c->peer_waits, c->peer_errors, c->peer_nanoseconds);
    munmap(base, size);
    close(fd);
    return rc;
}

/* ---- trace: both ends in one thread on a seeded schedule ---- */

static uint64_t mix(uint64_t h, uint64_t v) { return (h ^ v) * 0x100000001B3ull; }

static uint64_t memory_hash(const void *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++) h = mix(h, ((const unsigned char *)p)[i]);
    return h;
}

static int run_trace(uint64_t seed, uint64_t steps, RING_IDX start, size_t ring_bytes)
{
    blkif_sring_t *s = aligned_alloc(4096, ring_bytes);
    blkif_front_ring_t f;
    blkif_back_ring_t b;
    uint64_t hash = 0xcbf29ce484222325ull, sent = 0, taken = 0, received = 0, errors = 0;
    uint64_t notify_req = 0, notify_rsp = 0, work_req = 0, work_rsp = 0;
    memset(s, 0xA5, ring_bytes);
    SHARED_RING_INIT(s);
    s->req_prod = s->rsp_prod = start;
    s->req_event = s->rsp_event = start + 1;
    FRONT_RING_ATTACH(&f, s, start, ring_bytes);
    BACK_RING_ATTACH(&b, s, start, ring_bytes);
    rng_state = seed ? seed : 1;
    for (uint64_t step = 0; step < steps; step++) {
        uint64_t r = next_random();
        unsigned k = (unsigned)((r >> 8) % 80), n = 0;
        int flag;
        switch (r % 4) {
        case 0:
            while (n < k && !RING_FULL(&f)) {
                fill_request(RING_GET_REQUEST(&f, f.req_prod_pvt), sent++);
                f.req_prod_pvt++;
                n++;
            }
            RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&f, flag);
            notify_req += flag != 0;
            break;
        case 1:
            while (n < k && RING_HAS_UNCONSUMED_REQUESTS(&b)) {
                blkif_request_t req;
                RING_COPY_REQUEST(&b, b.req_cons, &req);
                b.req_cons++;
                errors += !request_ok(&req, taken++);
                fill_response(RING_GET_RESPONSE(&b, b.rsp_prod_pvt), &req);
                b.rsp_prod_pvt++;
                n++;
            }
            RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(&b, flag);
            notify_rsp += flag != 0;
            break;
        case 2:
            RING_FINAL_CHECK_FOR_REQUESTS(&b, flag);
            work_req += flag != 0;
            break;
        default:
            while (n < k && RING_HAS_UNCONSUMED_RESPONSES(&f)) {
                blkif_response_t rsp;
                RING_COPY_RESPONSE(&f, f.rsp_cons, &rsp);
                f.rsp_cons++;
                errors += !response_ok(&rsp, received++);
                n++;
            }
            RING_FINAL_CHECK_FOR_RESPONSES(&f, flag);
            work_rsp += flag != 0;
            break;
        }
        hash = mix(mix(hash, n), flag != 0);
    }
    printf("notify_req=%" PRIu64 " notify_rsp=%" PRIu64 " work_req=%" PRIu64 " work_rsp=%" PRIu64
           " received=%" PRIu64 " errors=%" PRIu64 " hash=%016" PRIx64
           " req_prod=%u req_event=%u rsp_prod=%u rsp_event=%u size=%u memory=%016" PRIx64 "\n",
           notify_req, notify_rsp, work_req, work_rsp, received, errors, hash,
           s->req_prod, s->req_event, s->rsp_prod, s->rsp_event, RING_SIZE(&f), memory_hash(s, ring_bytes));
    free(s);
    return 0;
}

/* ---- flextrace: a flex ring direction through ring.h's packet functions ---- */

static uint8_t stream_byte(uint64_t pos) { return (uint8_t)(pos * 131 + (pos >> 8)); }

static int run_flextrace(uint64_t seed, uint64_t steps, RING_IDX start, int order)
{
    RING_IDX size = XEN_FLEX_RING_SIZE(order);
    struct xen_9pfs_data_intf *intf = calloc(1, sizeof(*intf));
    unsigned char *data = malloc(2 * (size_t)size), *tmp = malloc(2 * (size_t)size);
    uint64_t written = 0, read = 0, errors = 0, hash = 0xcbf29ce484222325ull;
    memset(data, 0x5A, 2 * (size_t)size);
    intf->out_cons = intf->out_prod = start;
    rng_state = seed ? seed : 1;
    for (uint64_t step = 0; step < steps; step++) {
        uint64_t r = next_random();
        RING_IDX k = (RING_IDX)((r >> 8) % (size + size / 2)), prod = intf->out_prod, cons = intf->out_cons, n;
        RING_IDX masked_prod = xen_9pfs_mask(prod, size), masked_cons = xen_9pfs_mask(cons, size);
        RING_IDX queued = xen_9pfs_queued(prod, cons, size);
        if (r % 2 == 0) {
            n = k < size - queued ? k : size - queued;
            for (RING_IDX i = 0; i < n; i++) tmp[i] = stream_byte(written + i);
            xen_9pfs_write_packet(data + size, tmp, n, &masked_prod, masked_cons, size);
            xen_wmb();
            intf->out_prod = prod + n;
            written += n;
        } else {
            n = k < queued ? k : queued;
            xen_rmb();
            xen_9pfs_read_packet(tmp, data + size, n, masked_prod, &masked_cons, size);
            for (RING_IDX i = 0; i < n; i++) {
                errors += tmp[i] != stream_byte(read + i);
                hash = mix(hash, tmp[i]);
            }
            xen_mb();
            intf->out_cons = cons + n;
            read += n;
        }
        hash = mix(hash, n);
    }
    printf("written=%" PRIu64 " read=%" PRIu64 " errors=%" PRIu64 " hash=%016" PRIx64 " out_prod=%u out_cons=%u in_prod=%u in_cons=%u size=%u"
           " memory=%016" PRIx64 "\n",
           written, read, errors, hash, intf->out_prod, intf->out_cons, intf->in_prod, intf->in_cons, size, memory_hash(data, 2 * (size_t)size));
    free(tmp);
    free(data);
    free(intf);
    return 0;
}

/* ---- benchmark: two threads of one process ---- */

struct thread_args { blkif_sring_t *s; struct control *c; size_t ring_bytes; uint64_t count; int rc; };

static void *front_thread(void *p)
{
    struct thread_args *a = p;
    uint64_t t0;
    a->rc = run_front(a->s, a->c, a->ring_bytes, 0, a->count, &t0);
    return NULL;
}

static void *back_thread(void *p) { struct thread_args *a = p; a->rc = run_back(a->s, a->c, a->ring_bytes, 0, a->count); return NULL; }

static int run_threads(size_t ring_bytes, uint64_t count)
{
    char *base = aligned_alloc(4096, ring_bytes + 4096);
    memset(base, 0, ring_bytes + 4096);
    struct control *cf = (struct control *)(base + ring_bytes);
    struct thread_args front = { (blkif_sring_t *)base, cf, ring_bytes, count, 0 };
    struct thread_args back = { (blkif_sring_t *)base, cf, ring_bytes, count, 0 };
    pthread_t tf, tb;
    uint64_t t0 = now_ns();
    pthread_create(&tb, NULL, back_thread, &back);
    pthread_create(&tf, NULL, front_thread, &front);
    pthread_join(tf, NULL);
    pthread_join(tb, NULL);
    uint64_t ns = now_ns() - t0;
    printf("threads rc=%d errors=%" PRIu64 " ns=%" PRIu64 "\n", front.rc | back.rc, cf->peer_errors, ns);
    free(base);
    return front.rc | back.rc;
}

int main(int argc, char **argv)
{
    if (argc == 6 && (strcmp(argv[1], "front") == 0 || strcmp(argv[1], "back") == 0))
        return run_shared(argv[1], argv[2], strtoull(argv[3], NULL, 0), (RING_IDX)strtoull(argv[4], NULL, 0), strtoull(argv[5], NULL, 0));
    if (argc == 6 && strcmp(argv[1], "trace") == 0)
        return run_trace(strtoull(argv[2], NULL, 0), strtoull(argv[3], NULL, 0), (RING_IDX)strtoull(argv[4], NULL, 0), strtoull(argv[5], NULL, 0));
    if (argc == 6 && strcmp(argv[1], "flextrace") == 0)
        return run_flextrace(strtoull(argv[2], NULL, 0), strtoull(argv[3], NULL, 0), (RING_IDX)strtoull(argv[4], NULL, 0), atoi(argv[5]));
    if (argc == 4 && strcmp(argv[1], "threads") == 0)
        return run_threads(strtoull(argv[2], NULL, 0), strtoull(argv[3], NULL, 0));
    fprintf(stderr, "usage: ring_peer front|back FILE RING_BYTES START COUNT | trace SEED STEPS START RING_BYTES | threads RING_BYTES COUNT"
                    " | flextrace SEED STEPS START ORDER\n");
    return 64;
}
