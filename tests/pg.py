"""A throwaway PostgreSQL cluster for the test suite, started from the installed binaries
(initdb/pg_ctl as the `postgres` system user when we run as root) on 127.0.0.1."""
from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path


def find_bindir() -> str | None:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    found = shutil.which("pg_ctl")
    if found:
        candidates.append(str(Path(os.path.realpath(found)).parent))
    for bindir in candidates:
        if all(os.access(os.path.join(bindir, b), os.X_OK) for b in ("initdb", "pg_ctl", "postgres")):
            return bindir
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Cluster:
    def __init__(self, bindir: str):
        self.bindir = bindir
        self.port = free_port()
        self.root = tempfile.mkdtemp(prefix="kring-pg-")
        self.datadir = os.path.join(self.root, "data")
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            # initdb and pg_ctl refuse to run as root.
            pw = pwd.getpwnam("postgres")
            os.chown(self.root, pw.pw_uid, pw.pw_gid)
            self.as_user = ["runuser", "-u", "postgres", "--"]

    def _run(self, *args: str) -> None:
        subprocess.run([*self.as_user, *args], check=True, cwd=self.root,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=120)

    def start(self) -> str:
        self._run(os.path.join(self.bindir, "initdb"), "-D", self.datadir, "-A", "trust",
                  "-U", "kring", "-E", "UTF8", "--locale=C.UTF-8" if _has_c_utf8() else "--locale=C")
        options = (f"-h 127.0.0.1 -p {self.port} -k {self.root} -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=100")
        self._run(os.path.join(self.bindir, "pg_ctl"), "-D", self.datadir, "-o", options,
                  "-l", os.path.join(self.root, "log"), "-w", "-t", "60", "start")
        url = f"postgresql+psycopg://kring@127.0.0.1:{self.port}/postgres"
        self._wait(url)
        return url

    def _wait(self, url: str) -> None:
        import psycopg

        deadline = time.monotonic() + 30
        while True:
            try:
                psycopg.connect(f"host=127.0.0.1 port={self.port} user=kring dbname=postgres").close()
                return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=kring dbname=postgres",
                             autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql+psycopg://kring@127.0.0.1:{self.port}/{name}"

    def stop(self) -> None:
        try:
            self._run(os.path.join(self.bindir, "pg_ctl"), "-D", self.datadir, "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


def _has_c_utf8() -> bool:
    try:
        out = subprocess.run(["locale", "-a"], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    return any(line.lower() in ("c.utf8", "c.utf-8") for line in out.split())
