"""A small master for an hps study: grid or seeded random search in synchronous batches.

It writes the same study.json, batches/, pending/ files as the Java master, reads results before
proposing the next batch, requeues expired leases and lost settings, and quarantines bad files, so
Java and Python workers can work for it. It does not do successive halving, Hyperband, asynchronous
mode or stopping rules: use `hps master` for those.

    python3 -m hps_worker.master --study runs/py --space search-spaces/scenario1.json --strategy grid
"""
import argparse
import json
import os
import re
import shlex
import socket
import sys
import time

from . import files
from .files import BadFile
from .space import SearchSpace, SpaceError, point

NAME = "master"
STALE = 15.0  # seconds: a master on another host whose master.json does not change for this long is dead


class Replaced(RuntimeError):
    """Another master took the study over (master.json holds its owner token, or batches/ a file this one did
    not write): this one must change nothing more and end."""


class Master:
    """`space` is the space file's space; `sets` the --set NAME=VALUE assignments applied to it (kept in study.json,
    so a resume that gives the file without them keeps them); `created_by` the command line, for reports."""

    def __init__(self, study, space=None, strategy="random", trials=10, repeats=1, batch=1, seed=42, lease=120.0,
                 retries=2, name=None, force=False, log=None, poll=0.2, io_patience=300.0, sets=(), created_by=None):
        self.study = os.path.abspath(study)
        self.log = log or (lambda text: print(f"{files.stamp()} master: {text}", flush=True))
        self.poll, self.force, self.io_patience = poll, force, io_patience
        if os.path.exists(self.study) and not os.path.isdir(self.study):
            raise SystemExit(f"--study {self.study} is not a directory")
        config_path = os.path.join(self.study, "study.json")
        if os.path.exists(config_path):
            try:
                self.config = files.read_json(config_path, files.SMALL_LIMIT)
            except BadFile as e:
                raise SystemExit(f"{config_path} {e}")
            if self.config.get("stop") or self.config.get("strategy") not in ("grid", "random") \
                    or self.config.get("mode") != "sync":
                raise SystemExit(f"{config_path}: this master runs only grid or random search in sync mode without"
                                 f" a stopping rule; use `hps master` for this study")
            if space is not None or sets:
                stored = SearchSpace(self.config["space"], config_path)
                kept = list(self.config.get("sets", [])) if space is not None and not sets else list(sets)
                given = with_sets(space if space is not None else stored, kept)
                differences = space_differences(stored, given)
                if differences:
                    raise SystemExit(f"{config_path}: the study was created with another search space: "
                                     f"{'; '.join(differences)}. Resume it with the same space and --set values, or "
                                     f"use a new --study directory")
            self.space = SearchSpace(self.config["space"], config_path)
            self.log(f"resuming {self.study}")
        else:
            if space is None:
                raise SystemExit(f"{self.study} has no study.json: give --space to create the study")
            if strategy not in ("grid", "random"):
                raise SystemExit(f"--strategy must be grid or random, not {strategy}")
            if trials < 1 or repeats < 1 or batch < 1 or retries < 0 or not lease > 0:
                raise SystemExit("trials, repeats and batch must be >= 1, retries >= 0 and lease > 0")
            space = with_sets(space, sets)
            problems = protocol_problems(space)
            if problems:
                raise SpaceError("; ".join(problems) + " (fix the space file or the --set value)")
            if strategy == "grid":
                try:
                    trials = len(space.grid())
                except SpaceError as e:
                    raise SystemExit(f"--strategy grid: {e}")
            self.space = space
            self._make_folders()
            self.config = {"schema": 1, "name": name or os.path.basename(self.study), "created": files.now(),
                           "space": space.json, "strategy": strategy, "seed": seed, "trials": trials,
                           "repeats": repeats, "batch": batch, "mode": "sync", "leaseSeconds": float(lease),
                           "retries": retries}
            if sets:
                self.config["sets"] = list(sets)
            if created_by:
                # study.json keeps at most 10,000 characters of it (the Java reader refuses more).
                self.config["createdBy"] = created_by if len(created_by) <= 10000 else created_by[:9990] + " [cut]"
            files.write_json(config_path, self.config, durable=True)
        self._make_folders()
        self.grid = self.space.grid() if self.config["strategy"] == "grid" else None
        self.settings = {}       # id -> the latest attempt of each proposed setting
        self.accepted = {}       # id -> accepted result
        self.points, self.batches = 0, 0
        self.claim_seen = {}     # claim path -> (mtime, monotonic time it was last seen changing)
        self.missing = {}        # id -> scans in a row that found no file for it
        self.quarantined = {}    # id -> why its last result was quarantined
        self.unwritten = {}      # id -> a setting whose write to pending/ failed (a full disk): the same attempt
        self.started = files.now()
        self.stopped = False
        self.owner = os.urandom(8).hex()   # this master's token in master.json (PROTOCOL.md: One master)
        self.known_batches = set()         # the batch files this master read or wrote
        self._load_batches()

    def _make_folders(self):
        for folder in ("batches", "pending", "claimed", "requeue", "results", "quarantine", "workers"):
            os.makedirs(os.path.join(self.study, folder), exist_ok=True)

    # --- state from files -----------------------------------------------------------------------------
    def _load_batches(self):
        for name in files.listdir(os.path.join(self.study, "batches")):
            batch = files.read_json(os.path.join(self.study, "batches", name), 64 << 20)
            self.known_batches.add(name)
            for s in batch["settings"]:
                self.settings[s["id"]] = s
                self.points = max(self.points, s["point"] + 1)
            self.batches = max(self.batches, batch["batch"] + 1)

    def _heartbeat(self, phase, verify=True):
        if verify:
            self._verify()
        path = os.path.join(self.study, "master.json")
        files.write_json(path, {"schema": 1, "host": socket.gethostname(), "pid": os.getpid(),
                                "started": self.started, "updated": files.now(), "phase": phase,
                                "owner": self.owner}, durable=False)

    def _verify(self):
        """Raises Replaced when master.json holds another master's token: a master started with --force (or at
        the same moment) owns the study now, and a master paused past that must not act on it."""
        try:
            now = files.read_json(os.path.join(self.study, "master.json"), files.SMALL_LIMIT)
        except FileNotFoundError:
            return
        except BadFile:
            return  # being rewritten, or damaged: the next look reads it again
        if now.get("owner") not in (None, self.owner):
            raise Replaced(f"another master (host {now.get('host')}, pid {now.get('pid')}) took this study over; "
                           f"this one changes nothing more and exits")

    def _other_batches(self):
        """Raises Replaced when batches/ holds a file this master did not write or read: only the master that owns
        a study writes them (a master that keeps no owner token, too)."""
        for name in files.listdir(os.path.join(self.study, "batches")):
            if name not in self.known_batches and re.match(r"^b\d{6}\.json$", name):
                raise Replaced(f"another master wrote batches/{name}: it took this study over; this one changes "
                               f"nothing more and exits")

    def _refuse_second_master(self):
        try:
            other = files.read_json(os.path.join(self.study, "master.json"), files.SMALL_LIMIT)
        except (OSError, BadFile):
            return
        if other.get("phase") != "running" or self.force:
            return
        if other.get("host") == socket.gethostname():
            try:
                os.kill(int(other.get("pid")), 0)
                alive = int(other.get("pid")) != os.getpid()
            except (OSError, ValueError, TypeError):
                alive = False
        else:
            alive = self._beating(other)
        if alive:
            raise SystemExit(f"another master (host {other.get('host')}, pid {other.get('pid')}) is running this "
                             f"study; stop it, or pass --force if it is gone")

    def _beating(self, seen):
        """Whether another host's master still rewrites master.json (every second while it runs): watched for up
        to STALE seconds, its content compared, never its timestamps with our clock (that host's clock may be
        minutes off ours)."""
        self.log(f"master.json says a master on {seen.get('host')} (pid {seen.get('pid')}) runs this study; watching"
                 f" its heartbeat for up to {STALE:.0f} s (clocks of different machines are not compared)")
        end = time.monotonic() + STALE
        while time.monotonic() < end:
            time.sleep(0.25)
            try:
                now = files.read_json(os.path.join(self.study, "master.json"), files.SMALL_LIMIT)
            except (OSError, BadFile):
                continue
            if now != seen:
                return now.get("phase") == "running"
        self.log(f"no heartbeat from {seen.get('host')} in {STALE:.0f} s: taking the study over")
        return False

    # --- the loop -------------------------------------------------------------------------------------
    def run(self):
        """Runs the study to its end; returns the number of accepted results (None when stop() ended it)."""
        self._refuse_second_master()
        self._heartbeat("running", verify=False)
        time.sleep(0.2)  # of two masters starting at once, the one whose token is not there gives way
        self._verify()
        last_beat = time.monotonic()
        patience = files.Patience(self.io_patience, self.log)
        while True:
            if self.stopped:
                patience.call("writing master.json", self._heartbeat, "stopped")
                self.log(f"stopped with {len(self.accepted)} results; run the same command again to resume")
                return None
            patience.call("reading and writing the study", self.step)
            if self._finished():
                patience.call("writing master.json", self._heartbeat, "finished")
                best = min((r for r in self.accepted.values() if _objective(r) is not None),
                           key=_objective, default=None)
                self.log(f"finished: {len(self.accepted)} results" + (
                    f"; best {best['id']} valError={_objective(best):.4f} {best['params']}" if best else ""))
                return len(self.accepted)
            if time.monotonic() - last_beat >= 1:
                patience.call("writing master.json", self._heartbeat, "running")
                last_beat = time.monotonic()
            time.sleep(self.poll)

    def stop(self):
        """Asks run() (in another thread) to return at its next poll, leaving the study to resume."""
        self.stopped = True

    def finished(self):
        """Whether every setting of the study has its result."""
        return self._finished()

    def step(self):
        self._verify()  # before this look changes anything: a master paused past a takeover stops here
        self._accept_results()
        present = self._handle_claims()
        self._handle_requeue()
        present |= self._check_pending()
        self._write_unwritten(present)
        self._recover_missing(present)
        self._propose()

    def _accept_results(self):
        folder = os.path.join(self.study, "results")
        for name in files.listdir(folder):
            sid = files.id_of(name)
            if sid in self.accepted:
                continue
            path = os.path.join(folder, name)
            try:
                if sid is None:
                    raise BadFile("name is not <id>.json with a safe id")
                result = files.check_result(files.read_json(path, files.RESULT_LIMIT), sid)
                setting = self.settings.get(sid)
                if setting is None:
                    self._other_batches()  # another master's setting: this one was replaced
                    raise BadFile("is for a setting this study never proposed")
                difference = files.params_difference(setting["params"], result["params"])
                if difference:
                    raise BadFile(f"has parameters that differ from setting {sid}'s: {difference}")
            except FileNotFoundError:
                continue
            except BadFile as e:
                if sid is not None:
                    self.quarantined[sid] = str(e)
                files.quarantine(self.study, path, f"result file {e}", NAME)
                continue
            self.accepted[sid] = result
            for leftover in ("progress", "stop"):  # a finished run's progress file is of no more use
                _unlink(os.path.join(self.study, leftover, sid + ".json"))
            tail = f" valError={_objective(result):.4f}" if _objective(result) is not None else ""
            if result["status"] == "failed" and result.get("reason"):
                reason = " | ".join(str(result["reason"]).strip().splitlines())
                tail = f": {reason[:300]}" + ("..." if len(reason) > 300 else "")
            self.log(f"{sid} {result['status']} by {result['worker']}{tail}")

    def _handle_claims(self):
        present, now = set(), time.monotonic()
        lease = float(self.config["leaseSeconds"])
        claimed = os.path.join(self.study, "claimed")
        seen = set()
        for worker in files.listdir(claimed):
            folder = os.path.join(claimed, worker)
            if not os.path.isdir(folder):
                continue
            for name in files.listdir(folder):
                sid = name[:-5] if name.endswith(".json") else name[:-11] if name.endswith(".publishing") else None
                if sid is None:
                    continue
                path = os.path.join(folder, name)
                present.add(sid)
                seen.add(path)
                try:
                    mtime = os.lstat(path).st_mtime_ns
                except FileNotFoundError:
                    continue
                last = self.claim_seen.get(path)
                if last is None or last[0] != mtime:
                    self.claim_seen[path] = (mtime, now)
                    continue
                if now - last[1] < lease:
                    continue
                if sid in self.accepted or sid not in self.settings:
                    _unlink(path)
                    continue
                reason = f"lease expired: worker {worker} sent no heartbeat for {now - last[1]:.0f} s" + (
                    " while publishing" if name.endswith(".publishing") else "")
                moved = os.path.join(self.study, "requeue", sid + ".json")
                try:
                    os.rename(path, moved)  # fences the old worker
                except FileNotFoundError:
                    continue
                self.log(f"{sid}: {reason}")
                for leftover in ("progress", "stop"):
                    _unlink(os.path.join(self.study, leftover, sid + ".json"))
                self._retry(self.settings[sid], worker, reason)
                _unlink(moved)
        self.claim_seen = {p: v for p, v in self.claim_seen.items() if p in seen}
        return present

    def _handle_requeue(self):
        folder = os.path.join(self.study, "requeue")
        for name in files.listdir(folder):
            sid = files.id_of(name)
            path = os.path.join(folder, name)
            if sid in self.settings and sid not in self.accepted and \
                    not os.path.exists(os.path.join(self.study, "pending", name)):
                self._retry(self.settings[sid], None, "found in requeue/ (a master ended while requeuing it)")
            _unlink(path)

    def _check_pending(self):
        present = set()
        folder = os.path.join(self.study, "pending")
        for name in files.listdir(folder):
            sid = files.id_of(name)
            path = os.path.join(folder, name)
            if sid is None or os.path.islink(path) or not os.path.isfile(path):
                files.quarantine(self.study, path, "pending file name is not <id>.json with a safe id, or not a "
                                                   "regular file", NAME)
                continue
            present.add(sid)
        return present

    def _recover_missing(self, present):
        for sid, setting in self.settings.items():
            if sid in self.accepted or sid in present or sid in self.unwritten or os.path.exists(
                    os.path.join(self.study, "results", sid + ".json")):
                self.missing.pop(sid, None)
                continue
            self.missing[sid] = self.missing.get(sid, 0) + 1
            if self.missing[sid] >= 2:
                del self.missing[sid]
                why = self.quarantined.pop(sid, None)
                reason = (f"its result was quarantined: {why}" if why
                          else "no file for the setting was found anywhere (removed, or never written to pending/)")
                self.log(f"{sid} has no file anywhere; writing it to pending again ({reason})")
                self._retry(setting, None, reason)

    def _retry(self, setting, worker, reason):
        history = list(setting.get("history", [])) + [
            {"attempt": setting["attempt"], "worker": worker, "reason": reason, "at": files.now()}]
        following = dict(setting, attempt=setting["attempt"] + 1, history=history)
        self.settings[setting["id"]] = following
        if following["attempt"] > int(self.config["retries"]) + 1:
            reasons = "; ".join(f"attempt {a['attempt']}: {a['reason']}" for a in history)
            failed = {"schema": 1, "id": setting["id"], "status": "failed",
                      "reason": f"retry budget of {self.config['retries']} spent; {reasons}",
                      "point": setting["point"], "repeat": setting["repeat"], "batch": setting["batch"],
                      "attempt": following["attempt"], "worker": NAME, "created": setting["created"],
                      "claimed": None, "finished": files.now(), "params": setting["params"], "epochs": [],
                      "info": {}}
            failed.update({k: setting[k] for k in ("budget", "lineage") if setting.get(k) is not None})
            files.publish_once(os.path.join(self.study, "results", setting["id"] + ".json"), failed)
            self.log(f"{setting['id']} failed after {setting['attempt']} attempts")
        else:
            self._write_pending(following)

    def _write_pending(self, setting):
        """Writes a setting to pending/, or keeps it for the next steps when the write fails (a full disk):
        it stays the same attempt, since a setting that never reached a worker spent none."""
        try:
            files.write_json(os.path.join(self.study, "pending", setting["id"] + ".json"), setting, durable=False)
        except OSError as e:
            if self.unwritten.get(setting["id"]) is None:
                self.log(f"{setting['id']} not written to pending/ ({e.strerror or e}); written when a step can "
                         f"(the same attempt)")
            self.unwritten[setting["id"]] = setting
            return
        if self.unwritten.pop(setting["id"], None) is not None:
            self.log(f"{setting['id']} written to pending/ (attempt {setting['attempt']})")

    def _write_unwritten(self, present):
        for sid, setting in list(self.unwritten.items()):
            if sid in self.accepted or sid in present:
                del self.unwritten[sid]
            else:
                self._write_pending(setting)

    def _total(self):
        return len(self.grid) if self.grid is not None else int(self.config["trials"])

    def _propose(self):
        remaining = self._total() - self.points
        if remaining <= 0 or len(self.accepted) < len(self.settings):
            return
        count = min(int(self.config["batch"]), remaining)
        repeats, now = int(self.config["repeats"]), files.now()
        settings = []
        for i in range(count):
            index = self.points + i
            params = dict(self.grid[index]) if self.grid is not None else point(self.space, self.config["seed"], index)
            seed = int(params.get("seed", self.config["seed"]))
            for r in range(repeats):
                settings.append({"schema": 1, "id": f"s{index * repeats + r:06d}", "point": index, "repeat": r,
                                 "batch": self.batches, "attempt": 1, "created": now,
                                 "params": dict(params, seed=seed + r), "history": []})
        batch = {"schema": 1, "batch": self.batches, "created": now, "resultsSeen": len(self.accepted),
                 "settings": settings}
        self._verify()  # a replaced master must not write another batch
        files.write_json(os.path.join(self.study, "batches", f"b{self.batches:06d}.json"), batch, durable=True)
        self.known_batches.add(f"b{self.batches:06d}.json")
        # Proposed once the batch file is written: a setting that cannot be written to pending/ now is
        # written by a later step.
        span = settings[0]["id"] if len(settings) == 1 else f"{settings[0]['id']} .. {settings[-1]['id']}"
        self.log(f"batch {self.batches}: {len(settings)} setting{'s' if len(settings) != 1 else ''} ({span})")
        self.points += count
        self.batches += 1
        for s in settings:
            self.settings[s["id"]] = s
        for s in settings:
            self._write_pending(s)

    def _finished(self):
        return self.points >= self._total() and len(self.accepted) >= len(self.settings)


def with_sets(space, sets):
    """The space with each NAME=VALUE of `sets` applied in order."""
    for assignment in sets:
        space = with_set(space, assignment)
    return space


def space_differences(stored, given):
    """How `given` differs from `stored`, one line per parameter (both declarations, as in the space file)."""
    a, b = stored.json.get("parameters", {}), given.json.get("parameters", {})
    out = []
    for name in list(a) + [n for n in b if n not in a]:
        if name not in b:
            out.append(f"'{name}' is {json.dumps(a[name])} in study.json but missing from the space given")
        elif name not in a:
            out.append(f"'{name}' is missing from study.json but {json.dumps(b[name])} in the space given")
        elif _differ(a[name], b[name]):
            out.append(f"'{name}' is {json.dumps(a[name])} in study.json but {json.dumps(b[name])} in the space given")
    if not out and list(a) != list(b):
        out.append(f"the parameters are in another order (study.json: {', '.join(a)}; given: {', '.join(b)})")
    if stored.json.get("command", []) != given.json.get("command", []):
        out.append(f"'command' is {stored.json.get('command', [])} in study.json but {given.json.get('command', [])}"
                   f" in the space given")
    return out


def _differ(x, y):
    """Whether two declarations differ; numbers by value (1 and 1.0 are one), as the Java master compares them."""
    if isinstance(x, dict) and isinstance(y, dict):
        return set(x) != set(y) or any(_differ(x[k], y[k]) for k in x)
    if isinstance(x, list) and isinstance(y, list):
        return len(x) != len(y) or any(_differ(u, v) for u, v in zip(x, y))
    return not files.same_value(x, y)


def protocol_problems(space):
    """The protocol's own parameters every study checks: 'epochs' a whole number >= 1, 'seed' a whole number."""
    out = []
    for p in space.parameters:
        if p.name not in ("epochs", "seed"):
            continue
        least = 1 if p.name == "epochs" else None
        values = [p.value] if p.kind == "fixed" else p.values if p.kind == "categorical" else None
        if values is None:
            if p.kind != "int":
                out.append(f"parameter '{p.name}' must be a whole number, but the space draws it from a {p.kind} range")
            elif least is not None and p.low < least:
                out.append(f"parameter '{p.name}' must be at least {least}, but the space draws it from "
                           f"[{p.low:g}, {p.high:g}]")
            continue
        for v in values:
            whole = isinstance(v, (int, float)) and not isinstance(v, bool) and float(v).is_integer()
            if not whole or least is not None and v < least:
                out.append(f"parameter '{p.name}' must be a whole number" + (f" of at least {least}" if least else "")
                           + f", not {json.dumps(v)}")
                break
    return out


def with_set(space, assignment):
    """The space with one parameter fixed by NAME=VALUE (VALUE read as a JSON number or boolean when it is one)."""
    name, sep, text = assignment.partition("=")
    if not sep or not name:
        raise SpaceError(f"--set {assignment}: use NAME=VALUE")
    try:
        value = json.loads(text)
        if not isinstance(value, (int, float, bool)):
            value = text
    except ValueError:
        value = text
    root = json.loads(json.dumps(space.json))
    root["parameters"][name] = value
    return SearchSpace(root, f"--set {assignment}")


def typed(module, args):
    """The command line as typed, to rerun it: PYTHONPATH when set, this interpreter, the module, the arguments."""
    path = os.environ.get("PYTHONPATH")
    return (f"PYTHONPATH={shlex.quote(path)} " if path else "") + shlex.join([sys.executable, "-m", module] + list(args))


def _objective(result):
    if result["status"] == "failed" or not result.get("epochs"):
        return None
    value = files.number(result["epochs"][-1]["valError"], "valError")
    return value if value == value else None


def _unlink(path):
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def main(argv=None):
    p = argparse.ArgumentParser(prog="python3 -m hps_worker.master", description=(
        "A small hps master in Python: grid or seeded random search in synchronous batches over a search-space "
        "file, with the same study files as `hps master`, so Java and Python workers can work for it. No "
        "halving, Hyperband, async mode or stopping rules (use `hps master`)."))
    p.add_argument("--study", required=True, metavar="DIR", help="the study directory (created if absent)")
    p.add_argument("--space", metavar="FILE", help="search-space file (needed to create a study)")
    p.add_argument("--strategy", default="random", choices=("random", "grid"), help="default: random")
    p.add_argument("--trials", type=int, default=10, help="random points to try (grid: every grid point); default 10")
    p.add_argument("--repeats", type=int, default=1, help="settings per point, seeds seed, seed+1, ...; default 1")
    p.add_argument("--batch", type=int, default=1, help="points per synchronous batch; default 1")
    p.add_argument("--seed", type=int, default=42, help="study seed; default 42")
    p.add_argument("--lease", type=float, default=120.0, metavar="SECONDS",
                   help="a claim without heartbeat for this long is requeued; default 120")
    p.add_argument("--retries", type=int, default=2, help="requeues of a setting before it fails; default 2")
    p.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                   help="fix a parameter to a value (a number, true/false, or a string), as `hps master --set`")
    p.add_argument("--force", action="store_true", help="start even if master.json says another master runs")
    args = p.parse_args(argv)
    for assignment in args.set:
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]{0,63}=.*", assignment):
            p.error(f"--set {assignment}: write NAME=VALUE (NAME: letters, digits and _, starting with a letter)")
    try:
        space = SearchSpace.read(args.space) if args.space else None
        master = Master(args.study, space, args.strategy, args.trials, args.repeats, args.batch, args.seed,
                        args.lease, args.retries, force=args.force, sets=args.set,
                        created_by=typed("hps_worker.master", sys.argv[1:] if argv is None else argv))
    except (SpaceError, BadFile) as e:
        print(f"master: {e}", file=sys.stderr)
        return 1
    try:
        master.run()
    except Replaced as e:
        print(f"master: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        master._heartbeat("stopped")
        print("master: interrupted; run the same command to resume", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
