/*
 * An LD_PRELOAD library that lets Debian's C xenstored serve its unix socket on a host with no hypervisor.
 *
 * xenstored opens the hypervisor (libxenctrl), an event channel handle and a grant table handle at start-up,
 * binds VIRQ_DOM_EXC and maps dom0's own store page (/proc/xen/xsd_kva, port from /proc/xen/xsd_port). Here:
 *  - the handles are dummies; the event channel fd is a pipe no one writes, so it never fires;
 *  - every bind returns a fresh local port, notify/unmask succeed, nothing is ever pending;
 *  - a "grant map" of a guest's store page gives a fresh zeroed anonymous page (no guest writes to it), so
 *    XS_INTRODUCE succeeds as it would for a silent guest;
 *  - xsd_kva is a page-sized memfd, xsd_port reads as "1";
 *  - every domain exists and runs (xc_domain_getinfo_single), so no domain is ever found dead.
 * Only the socket interface is then reachable, which is what the differential test and the benchmark use.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <xen/xen.h>
#include <xen/domctl.h>
#include <xen/event_channel.h>

typedef struct xen_domctl_getdomaininfo xc_domaininfo_t;

static int dummy_xc, dummy_evtchn, dummy_gnttab;
static int evtchn_pipe[2] = { -1, -1 };
static evtchn_port_t next_port = 1;

/* libxenctrl */
void *xc_interface_open(void *logger, void *dombuild_logger, unsigned open_flags)
{
    (void)logger; (void)dombuild_logger; (void)open_flags;
    return &dummy_xc;
}

int xc_interface_close(void *xch) { (void)xch; return 0; }

int xc_domain_getinfo_single(void *xch, uint32_t domid, xc_domaininfo_t *info)
{
    (void)xch;
    memset(info, 0, sizeof(*info));
    info->domain = (domid_t)domid;
    return 0;
}

/* libxenevtchn */
void *xenevtchn_open(void *logger, unsigned open_flags)
{
    (void)logger; (void)open_flags;
    if (evtchn_pipe[0] < 0 && pipe2(evtchn_pipe, O_CLOEXEC | O_NONBLOCK) != 0) return NULL;
    return &dummy_evtchn;
}

void *xenevtchn_fdopen(void *logger, int fd, unsigned open_flags) { (void)fd; return xenevtchn_open(logger, open_flags); }
int xenevtchn_close(void *xce) { (void)xce; return 0; }
int xenevtchn_fd(void *xce) { (void)xce; return evtchn_pipe[0]; }
int xenevtchn_notify(void *xce, evtchn_port_t port) { (void)xce; (void)port; return 0; }
int xenevtchn_bind_virq(void *xce, unsigned int virq) { (void)xce; (void)virq; return (int)next_port++; }
int xenevtchn_bind_interdomain(void *xce, uint32_t domid, evtchn_port_t remote) { (void)xce; (void)domid; (void)remote; return (int)next_port++; }
int xenevtchn_unbind(void *xce, evtchn_port_t port) { (void)xce; (void)port; return 0; }
int xenevtchn_unmask(void *xce, evtchn_port_t port) { (void)xce; (void)port; return 0; }
int xenevtchn_pending(void *xce) { (void)xce; errno = EAGAIN; return -1; }

/* libxengnttab */
void *xengnttab_open(void *logger, unsigned open_flags) { (void)logger; (void)open_flags; return &dummy_gnttab; }
int xengnttab_close(void *xgt) { (void)xgt; return 0; }
int xengnttab_set_max_grants(void *xgt, uint32_t count) { (void)xgt; (void)count; return 0; }

void *xengnttab_map_grant_ref(void *xgt, uint32_t domid, uint32_t ref, int prot)
{
    (void)xgt; (void)domid; (void)ref;
    void *page = mmap(NULL, (size_t)getpagesize(), prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return page == MAP_FAILED ? NULL : page;
}

int xengnttab_unmap(void *xgt, void *start_address, uint32_t count)
{
    (void)xgt;
    return munmap(start_address, (size_t)count * (size_t)getpagesize());
}

/* /proc/xen: dom0's own store page and port */
static int open_proc_xen(const char *path)
{
    if (strcmp(path, "/proc/xen/xsd_kva") == 0) {
        int fd = memfd_create("xsd_kva", MFD_CLOEXEC);
        if (fd >= 0 && ftruncate(fd, getpagesize()) != 0) { close(fd); return -1; }
        return fd;
    }
    if (strcmp(path, "/proc/xen/xsd_port") == 0) {
        int fd = memfd_create("xsd_port", MFD_CLOEXEC);
        if (fd >= 0 && (write(fd, "1", 1) != 1 || lseek(fd, 0, SEEK_SET) != 0)) { close(fd); return -1; }
        return fd;
    }
    return -2;
}

static int open_next(const char *name, const char *path, int flags, mode_t mode)
{
    int (*next)(const char *, int, ...) = (int (*)(const char *, int, ...))dlsym(RTLD_NEXT, name);
    if (next == NULL) { errno = ENOSYS; return -1; }
    return next(path, flags, mode);
}

#define OPEN_WRAPPER(name)                                   \
    int name(const char *path, int flags, ...)               \
    {                                                        \
        mode_t mode = 0;                                     \
        if (flags & (O_CREAT | O_TMPFILE)) {                 \
            va_list ap;                                      \
            va_start(ap, flags);                             \
            mode = (mode_t)va_arg(ap, int);                  \
            va_end(ap);                                      \
        }                                                    \
        int fd = open_proc_xen(path);                        \
        return fd != -2 ? fd : open_next(#name, path, flags, mode); \
    }

OPEN_WRAPPER(open)
OPEN_WRAPPER(open64)
