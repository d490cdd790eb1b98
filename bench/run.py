#!/usr/bin/env python3
"""The performance targets of ENGINEERING.md, measured in one run against baselines from the
same run on the same machine, so every figure reads as a ratio anywhere.

Generates a synthetic district with `districtops gen` into a temporary SQLite database, serves
it with `districtops serve`, and prints:

  ledger page   a signed-in, filtered, sorted 50-row ledger page vs the raw SQL for the same
                rows (ratio at concurrency 1), and at 64 connections (requests/s, p99) with wrk
  cockpit       GET /api/v1/cockpit over the generated progress reports (p95) vs a naive
                GROUP BY over the same rows (ratio)
  edits         ledger edits (PUT with version check, audit row, synchronous=FULL) per second
  export        `districtops export projects` vs openpyxl writing the same rows (ratio)
  import        `districtops import projects` of that file into a fresh district vs openpyxl
                only reading it (ratio)

    cargo build --release -p districtops
    python3 bench/run.py [--projects 100000] [--only ledger,cockpit,edits,xlsx] [--keep FOLDER]

Needs wrk (`apt-get install -y wrk`); creates bench/.venv with openpyxl on first run.
"""
import argparse
import json
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402

LEDGER_PATH = "/projects?stage=under_construction&sort=total_investment&order=desc"
LEDGER_SQL = ("SELECT * FROM projects WHERE stage = 'under_construction' "
              "ORDER BY total_investment DESC, id DESC LIMIT 50 OFFSET 0")
NAIVE_TREND_SQL = ("SELECT period, SUM(invested_in_period) FROM progress_reports "
                   "WHERE project_id IN (SELECT id FROM projects) GROUP BY period ORDER BY period")


def figure(name, text):
    print(f"{name:<14} {text}", flush=True)


def ledger_page(server, db, requests):
    cookie = server.session_cookie("leader")
    page = server.connection({"cookie": cookie})
    page.timed(LEDGER_PATH, 20)
    served = page.timed(LEDGER_PATH, requests)
    raw = common.timed_call(lambda: db.execute(LEDGER_SQL).fetchall(), requests)
    ratio = statistics.mean(served) / statistics.mean(raw)
    figure("ledger page", f"conc 1: page {common.describe(served)}")
    figure("", f"raw SQL {common.describe(raw)}")
    figure("", f"ratio page / raw SQL: {ratio:.1f}x (target <= 30x)")
    rate, p99, errors, total = common.wrk(server.url(LEDGER_PATH), 64, 10, headers=[f"Cookie: {cookie}"])
    figure("", f"conc 64: {rate:.0f} req/s, p99 {p99:.1f} ms, {errors} errors of {total} "
               f"(target >= 2000 req/s, p99 < 50 ms)")


def cockpit(server, db, requests):
    api = server.connection({"authorization": f"Bearer {server.token('leader')}"})
    api.timed("/api/v1/cockpit", 5)
    served = api.timed("/api/v1/cockpit", requests)
    naive = common.timed_call(lambda: db.execute(NAIVE_TREND_SQL).fetchall(), max(5, requests // 10))
    reports = db.execute("SELECT COUNT(*) FROM progress_reports").fetchone()[0]
    ratio = statistics.mean(served) / statistics.mean(naive)
    figure("cockpit", f"{reports} progress rows: cockpit {common.describe(served)}")
    figure("", f"naive GROUP BY {common.describe(naive)}")
    figure("", f"ratio cockpit / naive: {ratio:.3f}x, p95 {common.quantile(served, 0.95):.1f} ms "
               f"(target <= 0.1x, p95 <= 100 ms)")


EDIT_LUA = """
local bodies = {}
local paths = {}
for line in io.lines("%s") do
  local id, body = line:match("^(%%d+)\\t(.*)$")
  paths[#paths + 1] = "/api/v1/projects/" .. id
  bodies[#bodies + 1] = body
end
-- Each thread takes every other body (thread_index is set per thread), so no project is
-- edited twice and no edit is refused as stale.
local threads = 0
local counter = 0
function setup(thread)
  thread:set("thread_index", threads)
  threads = threads + 1
end
function init(args)
  counter = thread_index
end
function request()
  counter = counter + 2
  local i = ((counter - 1) %% #bodies) + 1
  return wrk.format("PUT", paths[i], nil, bodies[i])
end
"""


def edit_bodies(db, count):
    """A PUT body per project (its own facts, a new note, version 1): one edit each."""
    rows = db.execute(
        "SELECT p.*, pl.name AS platform_name FROM projects p LEFT JOIN platforms pl "
        "ON pl.id = p.platform_id WHERE p.version = 1 ORDER BY p.id LIMIT ?", (count,)).fetchall()
    names = [d[0] for d in db.execute("SELECT * FROM projects LIMIT 0").description] + ["platform_name"]
    for row in rows:
        p = dict(zip(names, row))
        dates = {key: {"planned": p[f"planned_{key}"], "actual": p[f"actual_{key}"]}
                 for key in ("signing", "start", "structure", "completion", "operation")}
        yield p["id"], json.dumps({
            "code": p["code"], "name": p["name"], "platform": p["platform_name"], "kind": p["kind"],
            "stage": p["stage"], "department": str(p["department_id"]), "leader": p["leader_name"],
            "total_investment_yuan": p["total_investment"],
            "completed_investment_yuan": p["completed_investment"],
            "floor_area_m2": p["floor_area_m2"], "land_area_mu_x100": p["land_area_mu_x100"],
            "address": p["address"], "longitude": p["longitude"], "latitude": p["latitude"],
            "dates": dates, "notes": "压测编辑 / bench edit", "illustrative": bool(p["illustrative"]),
            "version": p["version"]}, ensure_ascii=False)


def edits(server, db, folder, seconds):
    token = server.token("leader")
    bodies = folder / "edits.tsv"
    with open(bodies, "w") as out:
        for project_id, body in edit_bodies(db, 40_000):
            out.write(f"{project_id}\t{body}\n")
    script = folder / "edits.lua"
    script.write_text(EDIT_LUA % bodies)
    # One edit first, checked, so a malformed body fails loudly rather than counting as errors.
    first_id, first_body = next(edit_bodies(db, 1))
    api = server.connection({"authorization": f"Bearer {token}", "content-type": "application/json"})
    status, answer = api.request("PUT", f"/api/v1/projects/{first_id}", first_body.encode())
    assert status == 200, (status, answer[:500])
    rate, p99, errors, total = common.wrk(
        server.url("/"), 16, seconds, script=script,
        headers=[f"Authorization: Bearer {token}", "Content-Type: application/json"])
    figure("edits", f"{rate:.0f} edits/s at 16 connections, p99 {p99:.1f} ms, {errors} refused of {total} "
                    f"(target >= 1000/s; each edit: version check, revision, audit row, FULL sync)")


def xlsx(args, district):
    import openpyxl

    folder = district.folder
    workbook = folder / "ledger.xlsx"
    export_seconds, _ = common.run_cli(args.binary, district.url, "export", "projects", "--to", str(workbook))

    started = time.perf_counter()
    book = openpyxl.load_workbook(workbook, read_only=True)
    rows = [row for row in book.worksheets[0].iter_rows(values_only=True)]
    book.close()
    read_seconds = time.perf_counter() - started

    started = time.perf_counter()
    out = openpyxl.Workbook(write_only=True)
    sheet = out.create_sheet()
    for row in rows:
        sheet.append(row)
    out.save(folder / "openpyxl.xlsx")
    write_seconds = time.perf_counter() - started

    fresh = common.District(args.binary, 0, args.seed, name="import")
    # What openpyxl and `gen` just wrote is flushed first, as before the server's figures: else
    # that writeback lands in the import's commit.
    os.sync()
    try:
        import_seconds, output = common.run_cli(args.binary, fresh.url, "import", "projects", str(workbook))
    finally:
        fresh.remove()
    size = workbook.stat().st_size / 1e6
    columns = max(len(r) for r in rows)
    figure("export", f"{len(rows)} rows x {columns} columns ({size:.1f} MB): districtops {export_seconds:.2f} s, "
                     f"openpyxl write_only {write_seconds:.2f} s, ratio {export_seconds / write_seconds:.2f}x "
                     f"(target <= 0.2x)")
    figure("import", f"districtops import {import_seconds:.2f} s ({output.strip().splitlines()[0]}), "
                     f"openpyxl read_only {read_seconds:.2f} s, ratio {import_seconds / read_seconds:.2f}x "
                     f"(target <= 0.3x)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", default="target/release/districtops")
    parser.add_argument("--projects", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--only", default="ledger,cockpit,edits,xlsx")
    parser.add_argument("--keep", metavar="FOLDER",
                        help="keep generated districts in FOLDER and reuse today's with the same "
                             "--projects and --seed (each run works on a copy)")
    args = parser.parse_args()
    args.binary = os.path.abspath(args.binary)
    if not os.path.exists(args.binary):
        sys.exit(f"{args.binary} not found: build it first (cargo build --release -p districtops)")
    common.ensure_venv()
    only = set(args.only.split(","))
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"machine: {os.cpu_count()} cores, load average {load}; {time.strftime('%Y-%m-%d %H:%M:%S')}",
          flush=True)
    district = common.District(args.binary, args.projects, args.seed, keep=args.keep)
    if district.gen_seconds is None:
        figure("gen", f"{args.projects} projects, seed {args.seed}: a copy of today's kept district in {args.keep}")
    else:
        figure("gen", f"{args.projects} projects in {district.gen_seconds:.1f} s")
    try:
        db = sqlite3.connect(f"file:{district.path}?mode=ro", uri=True)
        if only & {"ledger", "cockpit", "edits"}:
            server = common.Server(district)
            try:
                if "ledger" in only:
                    ledger_page(server, db, args.requests)
                if "cockpit" in only:
                    cockpit(server, db, max(20, args.requests // 5))
                if "edits" in only:
                    edits(server, db, district.folder, 10)
            finally:
                server.stop()
        if "xlsx" in only:
            xlsx(args, district)
    finally:
        district.remove()


if __name__ == "__main__":
    main()
