/*
 * The libxenstore side of bench/XenStoreBench: one xs_open() connection (XENSTORED_PATH names our server's
 * socket), then N sequential reads, writes and directory listings and N/5 transactions of 5 writes, each timed
 * with CLOCK_MONOTONIC. Prints "<operation> <count> <seconds>" lines. Usage: xs_bench <count> <base path>.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xenstore.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static void fail(const char *what, const char *path)
{
    fprintf(stderr, "xs_bench: %s %s: %s\n", what, path, strerror(errno));
    exit(1);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: xs_bench <count> <base path>\n");
        return 2;
    }
    int count = atoi(argv[1]);
    const char *base = argv[2];
    struct xs_handle *h = xs_open(0);
    if (!h) fail("xs_open", getenv("XENSTORED_PATH") ? getenv("XENSTORED_PATH") : "(default)");

    char key[256], dir[256], path[300];
    snprintf(key, sizeof key, "%s/key", base);
    snprintf(dir, sizeof dir, "%s/dir", base);
    if (!xs_write(h, XBT_NULL, key, "value", 5)) fail("xs_write", key);
    for (int i = 0; i < 10; i++) {
        snprintf(path, sizeof path, "%s/child%d", dir, i);
        if (!xs_write(h, XBT_NULL, path, "x", 1)) fail("xs_write", path);
    }

    double start = now();
    for (int i = 0; i < count; i++) {
        unsigned int len;
        void *value = xs_read(h, XBT_NULL, key, &len);
        if (!value) fail("xs_read", key);
        free(value);
    }
    printf("read %d %.6f\n", count, now() - start);

    start = now();
    for (int i = 0; i < count; i++) {
        if (!xs_write(h, XBT_NULL, key, "value", 5)) fail("xs_write", key);
    }
    printf("write %d %.6f\n", count, now() - start);

    start = now();
    for (int i = 0; i < count; i++) {
        unsigned int num;
        char **children = xs_directory(h, XBT_NULL, dir, &num);
        if (!children || num != 10) fail("xs_directory", dir);
        free(children);
    }
    printf("directory %d %.6f\n", count, now() - start);

    int transactions = count / 5;
    start = now();
    for (int i = 0; i < transactions; i++) {
        for (;;) {
            xs_transaction_t t = xs_transaction_start(h);
            if (t == XBT_NULL) fail("xs_transaction_start", base);
            for (int j = 0; j < 5; j++) {
                snprintf(path, sizeof path, "%s/tx%d", base, j);
                if (!xs_write(h, t, path, "value", 5)) fail("xs_write", path);
            }
            if (xs_transaction_end(h, t, false)) break;
            if (errno != EAGAIN) fail("xs_transaction_end", base);
        }
    }
    printf("transaction %d %.6f\n", transactions, now() - start);
    xs_close(h);
    return 0;
}
