/*
 * evtchn_2l.c -- the C side of bench/Events, built by the bench with clang -O2 as a shared library and called
 * through function pointers with pointers into the simulated domain's pages (the same shared_info, vcpu_info and
 * grant frames the C# nexus uses).
 *
 * Events: the guest's 2-level upcall as Linux's events_2l.c organises it. The selector is taken with an atomic
 * exchange; each word named by it is read once per visit (pending & ~mask & the ports bound to this vCPU) and the
 * bits of that snapshot are served in order, each port's pending bit cleared alone with an atomic AND before its
 * handler runs (Linux's ack of an edge event channel), through a per-port function pointer; a port masked when its
 * word is read is not served (one masked later in the same visit is, as in Linux); the scan resumes after the last
 * served port, and the word it started in is visited a second time at the end for the bits before the resume point.
 * With mask_around set it serves each word as the C# nexus does (serve_word_claimed): the ports are claimed by
 * setting their mask bits, stay masked while their handlers run, and are unmasked after the word's last handler.
 *
 * Grants: Xen's v1 protocol as Linux's gnttab_grant_foreign_access / gnttab_end_foreign_access_ref do it: a
 * reference from a free list under a spin lock, domid and frame written, then the flags after a release barrier;
 * end of access by compare-and-swap of the flags to 0, refused while GTF_reading or GTF_writing is set, and the
 * reference back on the list under the lock.
 */
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <xen/xen.h>
#include <xen/grant_table.h>

#define WORD_BITS ((unsigned)(sizeof(xen_ulong_t) * 8))
#define NR_WORDS ((unsigned)(sizeof(((struct shared_info *)0)->evtchn_pending) / sizeof(xen_ulong_t)))
#define NR_PORTS (NR_WORDS * WORD_BITS)

struct evtchn_ctx;
typedef void (*port_handler)(struct evtchn_ctx *ctx, unsigned port);

struct evtchn_ctx {
    struct shared_info *shared;
    struct vcpu_info *vcpu;
    uint64_t *counts;          /* per port: events handled */
    int64_t *stamps;           /* per port: CLOCK_MONOTONIC ns when its handler last ran (stamping mode) */
    int stamping;
    int mask_around;
    unsigned resume_word, resume_bit;
    xen_ulong_t cpu_ports[NR_WORDS]; /* ports delivered to this vCPU */
    port_handler handlers[NR_PORTS];
};

/* Stamping mode's handler work: note the time, then publish the count with a release store. Not inlined, as in the
   C# bench, so that the counting path saves no registers for the clock call. */
static __attribute__((noinline)) void stamp_event(struct evtchn_ctx *ctx, unsigned port)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    ctx->stamps[port] = (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
    __atomic_store_n(&ctx->counts[port], ctx->counts[port] + 1, __ATOMIC_RELEASE);
}

/* The handler work, the same as the C# bench's: count the event; in stamping mode first note the time. */
static void count_event(struct evtchn_ctx *ctx, unsigned port)
{
    if (ctx->stamping)
        stamp_event(ctx, port);
    else
        ctx->counts[port]++;
}

struct evtchn_ctx *evtchn_2l_create(struct shared_info *shared, struct vcpu_info *vcpu, uint64_t *counts, int64_t *stamps)
{
    struct evtchn_ctx *ctx = calloc(1, sizeof(*ctx));
    if (ctx) {
        ctx->shared = shared;
        ctx->vcpu = vcpu;
        ctx->counts = counts;
        ctx->stamps = stamps;
    }
    return ctx;
}

void evtchn_2l_destroy(struct evtchn_ctx *ctx) { free(ctx); }

int evtchn_2l_bind(struct evtchn_ctx *ctx, unsigned port)
{
    if (port >= NR_PORTS)
        return -1;
    ctx->handlers[port] = count_event;
    ctx->cpu_ports[port / WORD_BITS] |= (xen_ulong_t)1 << (port % WORD_BITS);
    return 0;
}

void evtchn_2l_set_mode(struct evtchn_ctx *ctx, int stamping, int mask_around)
{
    ctx->stamping = stamping;
    ctx->mask_around = mask_around;
}

static inline xen_ulong_t active_ports(const struct evtchn_ctx *ctx, unsigned word)
{
    return __atomic_load_n(&ctx->shared->evtchn_pending[word], __ATOMIC_RELAXED)
        & ~__atomic_load_n(&ctx->shared->evtchn_mask[word], __ATOMIC_RELAXED)
        & ctx->cpu_ports[word];
}

static inline void serve_port(struct evtchn_ctx *ctx, unsigned word, unsigned bit)
{
    unsigned port = word * WORD_BITS + bit;
    __atomic_fetch_and(&ctx->shared->evtchn_pending[word], ~((xen_ulong_t)1 << bit), __ATOMIC_SEQ_CST);
    ctx->handlers[port](ctx, port);
}

/* Linux's way: the snapshot's ports in order, each pending bit cleared alone before its handler. */
static inline void serve_word(struct evtchn_ctx *ctx, unsigned word, xen_ulong_t bits)
{
    while (bits) {
        unsigned bit = (unsigned)__builtin_ctzl(bits);
        bits &= bits - 1;
        serve_port(ctx, word, bit);
        unsigned next = bit + 1;
        ctx->resume_bit = next % WORD_BITS;
        ctx->resume_word = next == WORD_BITS ? (word + 1) % NR_WORDS : word;
    }
}

/* The nexus's way (mask_around): one fetch-or on the word's mask claims the snapshot's ports (only those whose mask
   bit it found clear are served), the pending word is read again after the claim, each claimed port still pending
   has its pending bit cleared alone before its handler, and after the word's last handler one AND unmasks them,
   raising the selector and upcall_pending again if one became pending meanwhile. */
static inline void serve_word_claimed(struct evtchn_ctx *ctx, unsigned word, xen_ulong_t bits)
{
    xen_ulong_t *mask = &ctx->shared->evtchn_mask[word];
    xen_ulong_t claimed = bits & ~__atomic_fetch_or(mask, bits, __ATOMIC_SEQ_CST);
    xen_ulong_t ready = claimed & __atomic_load_n(&ctx->shared->evtchn_pending[word], __ATOMIC_SEQ_CST);
    unsigned next = (WORD_BITS - (unsigned)__builtin_clzl(bits)) % WORD_BITS;
    ctx->resume_bit = next;
    ctx->resume_word = next == 0 ? (word + 1) % NR_WORDS : word;
    while (ready) {
        unsigned bit = (unsigned)__builtin_ctzl(ready);
        ready &= ready - 1;
        serve_port(ctx, word, bit);
    }
    if (claimed) {
        __atomic_fetch_and(mask, ~claimed, __ATOMIC_SEQ_CST);
        if (__atomic_load_n(&ctx->shared->evtchn_pending[word], __ATOMIC_SEQ_CST) & claimed) {
            __atomic_fetch_or(&ctx->vcpu->evtchn_pending_sel, (xen_ulong_t)1 << word, __ATOMIC_SEQ_CST);
            __atomic_store_n(&ctx->vcpu->evtchn_upcall_pending, 1, __ATOMIC_SEQ_CST);
        }
    }
}

static void handle_events(struct evtchn_ctx *ctx)
{
    xen_ulong_t words = __atomic_exchange_n(&ctx->vcpu->evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);
    unsigned start_word = ctx->resume_word, start_bit = ctx->resume_bit;
    unsigned word = start_word;
    int first_visit = 1;

    while (words) {
        /* The next word with its selector bit set, at or after the current one, wrapping round. */
        xen_ulong_t later = words & (~(xen_ulong_t)0 << word);
        word = later ? (unsigned)__builtin_ctzl(later) : (unsigned)__builtin_ctzl(words);

        xen_ulong_t bits = active_ports(ctx, word);
        if (word == start_word) {
            if (first_visit)
                bits &= ~(xen_ulong_t)0 << start_bit;           /* from the resume point on */
            else
                bits &= ((xen_ulong_t)1 << start_bit) - 1;      /* the part before it, on the way round */
        }
        if (bits) {
            if (ctx->mask_around)
                serve_word_claimed(ctx, word, bits);
            else
                serve_word(ctx, word, bits);
        }
        /* The start word keeps its selector bit after its first visit (its low part is still to come), unless
           the scan started at its bit 0, when the first visit saw all of it. */
        if (word != start_word || !first_visit || start_bit == 0)
            words &= ~((xen_ulong_t)1 << word);
        if (word == start_word)
            first_visit = 0;
        word = (word + 1) % NR_WORDS;
    }
}

/* The upcall: clear evtchn_upcall_pending, serve, again while Xen set it meanwhile. */
void evtchn_2l_upcall(struct evtchn_ctx *ctx)
{
    do {
        __atomic_store_n(&ctx->vcpu->evtchn_upcall_pending, 0, __ATOMIC_RELAXED);
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        handle_events(ctx);
    } while (__atomic_load_n(&ctx->vcpu->evtchn_upcall_pending, __ATOMIC_ACQUIRE));
}

/* ---- grant table v1 ---- */

#define MAX_GRANT_FRAMES 64
#define GNT_PER_FRAME (4096u / (unsigned)sizeof(grant_entry_v1_t))

struct gnt_ctx {
    grant_entry_v1_t *frames[MAX_GRANT_FRAMES];
    unsigned nrefs;
    int32_t *next_free;
    int32_t free_head;
    int lock;
};

static inline void gnt_lock(struct gnt_ctx *g)
{
    while (__atomic_exchange_n(&g->lock, 1, __ATOMIC_ACQUIRE))
        while (__atomic_load_n(&g->lock, __ATOMIC_RELAXED))
            __builtin_ia32_pause();
}

static inline void gnt_unlock(struct gnt_ctx *g) { __atomic_store_n(&g->lock, 0, __ATOMIC_RELEASE); }

/* The entries per frame are a constant, as in Linux (a page of entries), so this is a shift and a mask; Linux indexes
   its one virtually contiguous table and divides nothing either. */
static inline grant_entry_v1_t *gnt_entry(struct gnt_ctx *g, uint32_t ref)
{
    return g->frames[ref / GNT_PER_FRAME] + ref % GNT_PER_FRAME;
}

/* frames: each grant frame as mapped by the guest. Every reference from GNTTAB_NR_RESERVED_ENTRIES on is free, lowest on top. */
struct gnt_ctx *gnt_create(grant_entry_v1_t **frames, unsigned count, unsigned per_frame)
{
    if (count > MAX_GRANT_FRAMES || per_frame != GNT_PER_FRAME)
        return NULL;
    struct gnt_ctx *g = calloc(1, sizeof(*g));
    if (!g)
        return NULL;
    for (unsigned i = 0; i < count; i++)
        g->frames[i] = frames[i];
    g->nrefs = count * per_frame;
    g->next_free = malloc(sizeof(int32_t) * g->nrefs);
    g->free_head = -1;
    for (int32_t ref = (int32_t)g->nrefs - 1; ref >= GNTTAB_NR_RESERVED_ENTRIES; ref--) {
        g->next_free[ref] = g->free_head;
        g->free_head = ref;
    }
    return g;
}

void gnt_destroy(struct gnt_ctx *g)
{
    free(g->next_free);
    free(g);
}

int64_t gnt_grant_access(struct gnt_ctx *g, domid_t domid, uint32_t frame, int readonly)
{
    gnt_lock(g);
    int32_t ref = g->free_head;
    if (ref >= 0)
        g->free_head = g->next_free[ref];
    gnt_unlock(g);
    if (ref < 0)
        return -1;
    grant_entry_v1_t *e = gnt_entry(g, (uint32_t)ref);
    e->domid = domid;
    e->frame = frame;
    __atomic_store_n(&e->flags, (uint16_t)(GTF_permit_access | (readonly ? GTF_readonly : 0)), __ATOMIC_RELEASE);
    return ref;
}

int gnt_try_end_access(struct gnt_ctx *g, uint32_t ref)
{
    grant_entry_v1_t *e = gnt_entry(g, ref);
    uint16_t seen = __atomic_load_n(&e->flags, __ATOMIC_ACQUIRE);
    do {
        if (seen & (GTF_reading | GTF_writing))
            return 0;
    } while (!__atomic_compare_exchange_n(&e->flags, &seen, 0, 0, __ATOMIC_SEQ_CST, __ATOMIC_ACQUIRE));
    gnt_lock(g);
    g->next_free[ref] = g->free_head;
    g->free_head = (int32_t)ref;
    gnt_unlock(g);
    return 1;
}

/* The timed loop: count grants of frame to domid, each ended at once. Returns how many ended (count on success). */
uint64_t gnt_loop(struct gnt_ctx *g, domid_t domid, uint32_t frame, uint64_t count)
{
    uint64_t ended = 0;
    for (uint64_t i = 0; i < count; i++) {
        int64_t ref = gnt_grant_access(g, domid, frame, 0);
        if (ref < 0)
            break;
        ended += (uint64_t)gnt_try_end_access(g, (uint32_t)ref);
    }
    return ended;
}
