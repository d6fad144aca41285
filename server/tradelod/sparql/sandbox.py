"""Confinement of the processes that run public SPARQL queries: no Internet sockets, bounded memory.

The SERVICE check (``query_check``) refuses federated queries before they run, but it reads the query
with rdflib's parser while Oxigraph evaluates it with its own; should the two ever disagree about
what a query says, the engine could still be asked to open a connection. So a query process also
drops the *ability* to open one: a seccomp filter makes ``socket(AF_INET | AF_INET6 | AF_PACKET, …)``
fail with EACCES. Unix sockets (the pipe to the server) keep working. The filter is per-thread and
inherited, so it must be installed before the process starts any thread.
"""

from __future__ import annotations

import ctypes
import logging
import platform
import resource
import socket

log = logging.getLogger(__name__)

#: Audit architecture and ``socket`` system call number of the machines the filter knows.
_ARCHITECTURES: dict[str, tuple[int, int]] = {
    "x86_64": (0xC000003E, 41),
    "aarch64": (0xC00000B7, 198),
}

_PR_SET_NO_NEW_PRIVS = 38
_PR_SET_SECCOMP = 22
_SECCOMP_MODE_FILTER = 2
_RET_ALLOW = 0x7FFF0000
_RET_ERRNO_EACCES = 0x00050000 | 13
_LD_W_ABS, _JEQ_K, _RET_K = 0x20, 0x15, 0x06
_DENIED_FAMILIES = (socket.AF_INET, socket.AF_INET6, 17)  # 17: AF_PACKET


class _SockFilter(ctypes.Structure):
    _fields_ = [
        ("code", ctypes.c_ushort),
        ("jt", ctypes.c_ubyte),
        ("jf", ctypes.c_ubyte),
        ("k", ctypes.c_uint32),
    ]


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(_SockFilter))]


def _program(arch: int, socket_nr: int) -> list[tuple[int, int, int, int]]:
    """The BPF program: deny socket() for the Internet families, allow every other call."""
    families = len(_DENIED_FAMILIES)
    program = [
        (_LD_W_ABS, 0, 0, 4),  # seccomp_data.arch
        (_JEQ_K, 0, 3 + families, arch),  # another ABI: allow
        (_LD_W_ABS, 0, 0, 0),  # seccomp_data.nr
        (_JEQ_K, 0, 1 + families, socket_nr),  # not socket(): allow
        (_LD_W_ABS, 0, 0, 16),  # args[0] (low 32 bits): the address family
    ]
    for index, family in enumerate(_DENIED_FAMILIES):
        program.append((_JEQ_K, families - index, 0, family))  # jump to the EACCES return
    program += [(_RET_K, 0, 0, _RET_ALLOW), (_RET_K, 0, 0, _RET_ERRNO_EACCES)]
    return program


def deny_network() -> bool:
    """Forbid this process (and threads it starts later) to open Internet sockets; False if unsupported."""
    known = _ARCHITECTURES.get(platform.machine())
    if platform.system() != "Linux" or known is None:
        log.warning("query processes keep network access: no seccomp filter for %s", platform.machine())
        return False
    program = _program(*known)
    filters = (_SockFilter * len(program))(*[_SockFilter(*row) for row in program])
    fprog = _SockFprog(len(program), filters)
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        log.warning("query processes keep network access: PR_SET_NO_NEW_PRIVS refused")
        return False
    if libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0) != 0:
        log.warning("query processes keep network access: seccomp refused (errno %d)", ctypes.get_errno())
        return False
    return True


def limit_memory(megabytes: int) -> None:
    """Cap the address space of this process, so one query cannot take the machine's memory."""
    if megabytes > 0:
        limit = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
