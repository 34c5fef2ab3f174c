#!/usr/bin/env python3
"""Each benchmark's worst measured case, and weights raised to cover it.

    scripts/bench-worst.py <weights dir> <pallet.json>...

Reads the benchmark CLI's raw results (`--json-file`). For every benchmark it takes the point
where all components are at their largest measured value (the CLI measures it in each
component's sweep), with the median time of its repeats (one slow repeat is the machine, not
the call) and the storage reads and writes counted there. It writes these to
`<weights dir>/worst_cases.txt`, which runtime/tests/weights.rs holds the charged weights to.

A fitted line can pass below its own top point (a cost that grows faster than linearly, or
noise at the ends). Where the generated weight in `<weights dir>/<pallet>.rs` charges less
than the worst case, its base weight is raised by the shortfall, with a comment saying so: the
charge never falls below a measurement.
"""
import json
import re
import sys
from pathlib import Path

# RocksDbWeight, as the runtime charges storage accesses (picoseconds).
READ_PS, WRITE_PS = 25_000_000, 100_000_000

FN = re.compile(r"(\tfn (\w+)\(([^)]*)\) -> Weight \{\n)(.*?)(\n\t\})", re.S)
BASE = re.compile(r"^(\t\tWeight::from_parts\()([\d_]+)(, 0\))", re.M)
TIME_TERM = re.compile(r"Weight::from_parts\(([\d_]+), 0\)(?:\.saturating_mul\((\w+)\.into\(\)\))?")
DB_TERM = re.compile(
    r"DbWeight::get\(\)\.(reads|writes)\((?:(\d+)|\((\d+)_u64\)\.saturating_mul\((\w+)\.into\(\)\))\)"
)
RAISED = re.compile(r"^\t\t// Raised by ([\d_]+) ps to the worst measured case \([^)]*\)\.\n", re.M)


def worst_cases(batches):
    """(pallet, benchmark, {component: value}, time_ns, reads, writes) of every benchmark."""
    for batch in batches:
        times = batch["time_results"]
        if not times:
            continue
        top = {}
        for result in times:
            for component, value in result["components"]:
                top[component] = max(top.get(component, 0), value)
        worst = [r for r in times if all(v == top[c] for c, v in r["components"])]
        if not worst:
            sys.exit(f"{batch['pallet']}::{batch['benchmark']}: no run at every component's top")
        point = [tuple(c) for c in worst[0]["components"]]
        times_ns = sorted(r["extrinsic_time"] for r in worst)
        db = [r for r in batch["db_results"] if [tuple(c) for c in r["components"]] == point]
        db = db or worst
        yield (
            batch["pallet"],
            batch["benchmark"],
            dict(point),
            times_ns[len(times_ns) // 2],
            max(r["reads"] for r in db),
            max(r["writes"] for r in db),
        )


def charged_ps(body, components):
    """The ref time a generated weight function charges at `components`."""
    total = 0
    for line in body.splitlines():
        if "Proof" in line or "//" in line.split("Weight")[0]:
            continue
        db = DB_TERM.search(line)
        if db:
            kind, fixed, per, component = db.groups()
            count = int(fixed) if fixed else int(per) * components[component]
            total += count * (READ_PS if kind == "reads" else WRITE_PS)
            continue
        term = TIME_TERM.search(line)
        if term:
            value, component = term.groups()
            total += int(value.replace("_", "")) * (components[component] if component else 1)
    return total


def grouped(n):
    return f"{n:_}"


def main(weights_dir, paths):
    weights_dir = Path(weights_dir)
    cases = []
    for path in paths:
        with open(path) as f:
            cases.extend(worst_cases(json.load(f)))
    lines = ["# pallet benchmark components time_ns reads writes (scripts/bench-worst.py)"]
    sources = {}
    for pallet, name, components, time_ns, reads, writes in cases:
        text = ",".join(f"{c}={v}" for c, v in components.items()) or "-"
        lines.append(f"{pallet} {name} {text} {time_ns} {reads} {writes}")
        file = weights_dir / f"{pallet}.rs"
        source = sources.setdefault(file, file.read_text())
        measured = time_ns * 1000 + reads * READ_PS + writes * WRITE_PS
        for match in FN.finditer(source):
            if match.group(2) != name:
                continue
            body = match.group(4)
            shortfall = measured - charged_ps(body, components)
            if shortfall <= 0:
                break
            # A base raised before (from older results) is raised further under one note.
            before = RAISED.search(body)
            total = shortfall + (int(before.group(1).replace("_", "")) if before else 0)
            if before:
                body = body[: before.start()] + body[before.end():]
            base = BASE.search(body)
            if not base:
                sys.exit(f"{pallet}::{name}: no base weight to raise")
            raised = int(base.group(2).replace("_", "")) + shortfall
            note = f"\t\t// Raised by {grouped(total)} ps to the worst measured case ({text}).\n"
            new_body = (
                body[: base.start()]
                + note
                + base.group(1)
                + grouped(raised)
                + base.group(3)
                + body[base.end():]
            )
            source = source[: match.start(4)] + new_body + source[match.end(4):]
            print(f"{pallet}::{name}: base raised by {shortfall / 1e6:.1f} µs", file=sys.stderr)
            break
        sources[file] = source
    for file, source in sources.items():
        file.write_text(source)
    (weights_dir / "worst_cases.txt").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2:])
