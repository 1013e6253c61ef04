#!/usr/bin/python3
"""A python3-pyxs client session against the server named by XENSTORED_PATH.

Prints one line per check; exits non-zero on the first failure (an AssertionError or a pyxs error)."""
import sys

import pyxs

def main():
    with pyxs.Client() as c:
        c.write(b"/pyxs/a", b"alpha")
        assert c.read(b"/pyxs/a") == b"alpha"
        print("write/read ok")

        c.mkdir(b"/pyxs/dir/sub")
        assert sorted(c.list(b"/pyxs")) == [b"a", b"dir"], c.list(b"/pyxs")
        assert c.exists(b"/pyxs/dir/sub") and not c.exists(b"/pyxs/nothing")
        print("mkdir/list/exists ok")

        c.set_perms(b"/pyxs/a", [b"n0", b"r5"])
        assert c.get_perms(b"/pyxs/a") == [b"n0", b"r5"], c.get_perms(b"/pyxs/a")
        print("perms ok")

        try:
            c.read(b"/pyxs/missing")
            raise AssertionError("read of a missing node succeeded")
        except pyxs.PyXSError as e:
            assert "ENOENT" in str(e) or "No such file" in str(e) or e.args[0] == 2, repr(e)
        print("errors ok")

        c.transaction()
        c.write(b"/pyxs/tx", b"in")
        with pyxs.Client() as other:
            assert not other.exists(b"/pyxs/tx")
        c.commit()
        assert c.read(b"/pyxs/tx") == b"in"
        print("transaction ok")

        assert c.get_domain_path(3) == b"/local/domain/3"
        assert c.is_domain_introduced(0)
        print("domains ok")

        c.delete(b"/pyxs/dir")
        assert not c.exists(b"/pyxs/dir/sub")
        print("delete ok")

    with pyxs.Client() as c:
        m = c.monitor()
        m.watch(b"/pyxs/w", b"tok")
        first = next(m.wait())
        assert (first.path, first.token) == (b"/pyxs/w", b"tok"), first
        with pyxs.Client() as writer:
            writer.write(b"/pyxs/w/x", b"1")
        second = next(m.wait())
        assert (second.path, second.token) == (b"/pyxs/w/x", b"tok"), second
        m.unwatch(b"/pyxs/w", b"tok")
        print("watch ok")
    print("pyxs scenario passed")

if __name__ == "__main__":
    sys.exit(main())
