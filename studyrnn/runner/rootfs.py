"""The worker's view of the file system: a read-only root holding only what Python and torch need.

Built once, at worker start, inside the worker's own user and mount namespace: a fresh tmpfs
becomes the root, the interpreter, the standard library, the venv and studyrnn's own package
are bind-mounted into it read-only at their usual paths, ``/dev`` gets the few harmless device
nodes, ``/proc`` is the worker's own PID namespace, and ``/tmp`` (the scratch folder) is
empty. Then ``pivot_root`` moves into it and the old root is detached, so the user's home,
the decks, the study database, other users' files and ``/root`` are not hidden but absent.
bubblewrap builds the same kind of root; it is done here with the same system calls because
the worker must fork warm children from one already-imported torch, which an external
launcher cannot give.
"""

from __future__ import annotations

import contextlib
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from studyrnn.runner import linux

# Host device nodes a snippet may use; GPUs are added when present (see ``device_nodes``).
DEVICES = ("null", "zero", "full", "random", "urandom")
ETC_FILES = ("ld.so.cache", "ld.so.conf", "nsswitch.conf", "localtime")
# The sysfs part torch's CPU feature detection reads while it imports (cache sizes, CPU list).
SYS_PARTS = ("/sys/devices/system/cpu",)
# Candidates for the mount point of the new root's tmpfs: any that is not a source's parent.
STAGING = ("/mnt", "/media", "/srv", "/opt", "/var/tmp", "/tmp", "/home")
SCRATCH_ELSEWHERE = "/scratch"
_ST_TO_MS = {
    os.ST_NOSUID: linux.MS_NOSUID,
    os.ST_NODEV: linux.MS_NODEV,
    os.ST_NOEXEC: linux.MS_NOEXEC,
    os.ST_NOATIME: linux.MS_NOATIME,
    os.ST_NODIRATIME: linux.MS_NODIRATIME,
    4096: linux.MS_RELATIME,  # ST_RELATIME
}


@dataclass(frozen=True, slots=True)
class Layout:
    """What the root will hold: directories bound read-only, and symlinks recreated."""

    binds: tuple[str, ...]
    links: tuple[tuple[str, str], ...]  # (path, target) for merged-/usr links like /lib
    hidden: tuple[str, ...]  # paths inside binds covered by an empty directory (decks)
    scratch: str  # the writable folder: /tmp, unless the venv or package lives under /tmp


def _outermost(paths: list[str]) -> list[str]:
    """Drop every path that lies inside another one of the list."""
    keep: list[str] = []
    for p in sorted(set(paths), key=len):
        if not any(p == k or p.startswith(k.rstrip("/") + "/") for k in keep):
            keep.append(p)
    return keep


def plan(package_dir: str) -> Layout:
    """The layout for this interpreter: ``/usr`` and the top-level system folders, the
    interpreter's prefixes (the venv and the base install), and studyrnn's package folder."""
    binds: list[str] = []
    links: list[tuple[str, str]] = []
    for top in ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"):
        if os.path.islink(top):
            links.append((top, os.readlink(top)))
        elif os.path.isdir(top):
            binds.append(top)
    for prefix in {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}:
        real = os.path.realpath(prefix)
        if os.path.isdir(real) and real != "/":
            binds.append(real)
            if prefix != real:
                links.append((prefix, real))
    binds.append(os.path.realpath(package_dir))
    hidden = [os.path.join(os.path.realpath(package_dir), "bundled_decks")]
    outermost = _outermost(binds)
    return Layout(
        binds=tuple(outermost),
        links=tuple(links),
        hidden=tuple(h for h in hidden if os.path.isdir(h)),
        scratch=scratch_for(outermost),
    )


def scratch_for(binds: list[str]) -> str:
    """The writable folder. A tmpfs on /tmp would hide a checkout or venv that lives there (a
    CI clone, say): then it is a new folder, and /tmp stays the read-only path to them."""
    under_tmp = any(b == "/tmp" or b.startswith("/tmp/") for b in binds)
    return SCRATCH_ELSEWHERE if under_tmp else "/tmp"


def _mkdirs(root: str, path: str) -> str:
    """Create ``path`` (absolute, as seen inside) under ``root`` with 0755 folders; return it."""
    target = root + path
    os.makedirs(target, mode=0o755, exist_ok=True)
    return target


def _touch(path: str) -> None:
    os.makedirs(os.path.dirname(path), mode=0o755, exist_ok=True)
    with open(path, "a"):
        pass


def _locked_flags(path: str) -> int:
    """The flags the kernel will not let a user namespace clear when remounting ``path``."""
    flags = os.statvfs(path).f_flag
    return sum(ms for st, ms in _ST_TO_MS.items() if flags & st)


def _mount_points_under(path: str) -> list[str]:
    """Every mount point at or below ``path``, from /proc/self/mountinfo."""
    points: list[str] = []
    prefix = path.rstrip("/") + "/"
    with open("/proc/self/mountinfo") as f:
        for line in f:
            point = line.split()[4].encode().decode("unicode_escape")
            if point == path or point.startswith(prefix):
                points.append(point)
    return points


def bind_readonly(source: str, target: str, *, devices: bool = False) -> None:
    """Bind ``source`` at ``target`` (recursively) and make every mount of it read-only,
    nosuid, and nodev unless it is a device node."""
    linux.mount(source, target, None, linux.MS_BIND | linux.MS_REC)
    extra = linux.MS_RDONLY | linux.MS_NOSUID | (0 if devices else linux.MS_NODEV)
    for point in _mount_points_under(target) if os.path.isdir(target) else [target]:
        with contextlib.suppress(OSError):  # a submount we may not touch stays as it was
            flags = linux.MS_BIND | linux.MS_REMOUNT | extra | _locked_flags(point)
            linux.mount(None, point, None, flags)


def _staging(layout: Layout) -> str:
    for candidate in STAGING:
        if not os.path.isdir(candidate) or os.path.islink(candidate):
            continue
        inside = candidate.rstrip("/") + "/"
        if not any(b == candidate or b.startswith(inside) for b in layout.binds):
            return candidate
    raise OSError(2, "no folder to stage the sandbox root in")


def device_nodes() -> list[str]:
    """The device nodes to bind: the harmless ones, and NVIDIA's when there is a GPU."""
    found = [d for d in DEVICES if os.path.exists(f"/dev/{d}")]
    with contextlib.suppress(OSError):
        found += sorted(n for n in os.listdir("/dev") if n.startswith("nvidia"))
    return found


def _passwd(uid: int, gid: int) -> tuple[str, str]:
    users = {0: "root", 65534: "nobody"}
    users.setdefault(uid, "learner")
    passwd = "".join(
        f"{name}:x:{u}:{u if u != uid else gid}::/tmp:/usr/sbin/nologin\n"
        for u, name in sorted(users.items())
    )
    group = "".join(f"{name}:x:{u}:\n" for u, name in sorted(users.items()))
    return passwd, group


def enter(layout: Layout, *, uid: int, gid: int, tmp_mb: int) -> None:
    """Build the root described by ``layout`` and move into it. Must run in a new mount
    namespace, as PID 1 of a new PID namespace (for ``/proc``), holding CAP_SYS_ADMIN there."""
    linux.mount(None, "/", None, linux.MS_REC | linux.MS_PRIVATE)
    staging = _staging(layout)
    linux.mount("studyrnn-root", staging, "tmpfs", linux.MS_NOSUID | linux.MS_NODEV, "mode=0755")
    root = staging
    for path in layout.binds:
        bind_readonly(path, _mkdirs(root, path))
    for path in layout.hidden:
        linux.mount("studyrnn-hidden", root + path, "tmpfs", linux.MS_RDONLY, "size=4k,mode=0555")
    for path, target in layout.links:
        link = root + path
        if not os.path.lexists(link):
            os.makedirs(os.path.dirname(link), mode=0o755, exist_ok=True)
            os.symlink(target, link)
    for part in SYS_PARTS:
        if os.path.isdir(part):
            bind_readonly(part, _mkdirs(root, part))
    etc = _mkdirs(root, "/etc")
    for name in ETC_FILES:
        source = f"/etc/{name}"
        if os.path.islink(source):
            os.symlink(os.readlink(source), f"{etc}/{name}")
        elif os.path.isfile(source):
            _touch(f"{etc}/{name}")
            bind_readonly(source, f"{etc}/{name}")
    passwd, group = _passwd(uid, gid)
    Path(f"{etc}/passwd").write_text(passwd)
    Path(f"{etc}/group").write_text(group)
    Path(f"{etc}/hostname").write_text("studyrnn-sandbox\n")
    dev = _mkdirs(root, "/dev")
    for name in device_nodes():
        _touch(f"{dev}/{name}")
        bind_readonly(f"/dev/{name}", f"{dev}/{name}", devices=True)
    for name, target in (
        ("fd", "/proc/self/fd"),
        ("stdin", "/proc/self/fd/0"),
        ("stdout", "/proc/self/fd/1"),
        ("stderr", "/proc/self/fd/2"),
    ):
        os.symlink(target, f"{dev}/{name}")
    os.makedirs(f"{dev}/shm", mode=0o1777)
    os.makedirs(f"{dev}/pts", mode=0o755)
    _mkdirs(root, "/proc")
    # Some containers mask parts of their /proc, and then the kernel refuses a fresh one: the
    # sandbox goes without a /proc rather than not at all (the host's would show its processes).
    with contextlib.suppress(OSError):
        quiet = linux.MS_NOSUID | linux.MS_NODEV | linux.MS_NOEXEC
        linux.mount("proc", root + "/proc", "proc", quiet)
    tmp = _mkdirs(root, layout.scratch)
    os.chmod(tmp, 0o1777)
    linux.mount(
        "studyrnn-tmp", tmp, "tmpfs", linux.MS_NOSUID | linux.MS_NODEV, f"size={tmp_mb}m,mode=1777"
    )
    old = _mkdirs(root, "/.old-root")
    os.chdir(root)
    linux.pivot_root(".", ".old-root")
    os.chdir("/")
    linux.umount("/.old-root", linux.MNT_DETACH)
    os.rmdir("/.old-root")
    del old
    # The root itself (folders, links, /etc's small files) becomes read-only last.
    linux.mount(
        None,
        "/",
        None,
        linux.MS_REMOUNT | linux.MS_BIND | linux.MS_RDONLY | linux.MS_NOSUID | linux.MS_NODEV,
    )
