"""The study directory's files: names, JSON with non-finite numbers, durable writes, quarantine.

Everything here follows PROTOCOL.md and writes byte-compatible files with the Java master and workers.
"""
import datetime
import json
import math
import os
import re
import stat
import time

SCHEMA = 1
SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
SETTING_LIMIT = 1 << 20       # 1 MiB, as PROTOCOL.md's size limits
RESULT_LIMIT = 16 << 20       # 16 MiB
SMALL_LIMIT = 1 << 20         # study.json, master.json, progress and stop files
REASON_SUFFIX = ".reason.txt"
SETTING_FIELDS = ("schema", "id", "point", "repeat", "batch", "attempt", "created", "params", "history", "budget",
                  "lineage", "checkpoint", "resume")
RESULT_FIELDS = ("schema", "id", "status", "reason", "point", "repeat", "batch", "attempt", "worker", "created",
                 "claimed", "finished", "params", "epochs", "info", "budget", "lineage", "checkpoint", "resumed")
EPOCH_FIELDS = ("epoch", "trainLoss", "valLoss", "valError", "elapsedSeconds", "trainSeconds", "valSeconds",
                "metrics")
STATUSES = ("complete", "diverged", "stopped", "failed")


class Patience:
    """Retries an operation that fails with an OSError (a flaky shared disk, a full one) after a pause
    doubling from 0.1 s to 5 s, saying what it waits for; gives up when errors have lasted longer than
    `limit` seconds without a success (as the Java side's --io-patience)."""

    def __init__(self, limit, log):
        self.limit, self.log = limit, log
        self.failing_since = None
        self.survived = 0

    def call(self, what, fn, *args):
        pause = 0.1
        while True:
            try:
                value = fn(*args)
                if self.failing_since is not None:
                    self.log(f"{what} works again after {time.monotonic() - self.failing_since:.1f} s of I/O errors")
                self.failing_since = None
                return value
            except (FileNotFoundError, FileExistsError, IsADirectoryError, NotADirectoryError):
                raise  # answers about the files, not accidents
            except OSError as e:
                now = time.monotonic()
                if self.failing_since is None:
                    self.failing_since = now
                if now - self.failing_since > self.limit:
                    raise OSError(f"gave up after {now - self.failing_since:.0f} s of I/O errors (--io-patience"
                                  f" {self.limit:g}); the last, while {what}: {e}") from e
                self.survived += 1
                self.log(f"I/O error while {what} ({e}); trying again in {pause:.1f} s")
                time.sleep(pause)
                pause = min(5.0, pause * 2)


class BadFile(Exception):
    """A file that breaks the protocol: it goes to quarantine/ with this message as its reason."""


def now():
    """The current instant as PROTOCOL.md writes times: ISO-8601 UTC with a Z."""
    return datetime.datetime.now(datetime.timezone.utc).isoformat().replace("+00:00", "Z")


def parse_time(text):
    """Reads an ISO-8601 UTC instant (with Z or +00:00, up to nanoseconds) into a datetime."""
    if not isinstance(text, str):
        raise ValueError(f"a time must be an ISO-8601 string, not {text!r}")
    t = text.strip().replace("Z", "+00:00")
    m = re.match(r"^(.*T\d\d:\d\d:\d\d)(\.\d+)?(.*)$", t)
    if m and m.group(2):
        t = m.group(1) + m.group(2)[:7].ljust(7, "0") + m.group(3)  # Python reads at most microseconds
    return datetime.datetime.fromisoformat(t)


def encode(value):
    """JSON-ready copy: non-finite floats become the strings "NaN", "Infinity", "-Infinity"."""
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, dict):
        return {k: encode(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [encode(v) for v in value]
    return value


def number(value, what):
    """A JSON number, or one of the strings PROTOCOL.md uses for non-finite numbers, as a float."""
    if isinstance(value, bool):
        raise BadFile(f"{what} must be a number, not {value!r}")
    if isinstance(value, (int, float)):
        return float(value)
    if value in ("NaN", "Infinity", "-Infinity"):
        return float(value.replace("Infinity", "inf"))
    raise BadFile(f"{what} must be a number, not {value!r}")


def dumps(obj):
    return json.dumps(encode(obj), indent=2, allow_nan=False) + "\n"


def read_json(path, limit):
    """Reads a regular file (never through a symbolic link) of at most `limit` bytes as a JSON object."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        raise
    if stat.S_ISLNK(st.st_mode):
        raise BadFile("is a symbolic link")
    if not stat.S_ISREG(st.st_mode):
        raise BadFile("is not a regular file")
    if st.st_size > limit:
        raise BadFile(f"is {st.st_size} bytes, over the limit of {limit}")
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(fd, "rb") as f:
        data = f.read(limit + 1)
    if len(data) > limit:
        raise BadFile(f"is over the limit of {limit} bytes")
    try:
        value = json.loads(data.decode("utf-8"), parse_constant=_no_constant)
    except (UnicodeDecodeError, ValueError) as e:
        raise BadFile(f"is not valid UTF-8 JSON: {e}")
    if not isinstance(value, dict):
        raise BadFile("does not hold a JSON object")
    return value


def _no_constant(name):
    raise ValueError(f"bare {name} is not JSON; write the string \"{name}\"")


def fsync_dir(path):
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class TempFileGone(OSError):
    """A temporary file this process wrote vanished before it was renamed or linked into place (another
    process removed it, taking it for a dead writer's): an accident that a retry mends, unlike the
    FileNotFoundError Patience lets through."""


def _write_temp(directory, name, obj, durable):
    """Writes `obj` to a new dot file in `directory`; removes it again when any step fails (a full disk must
    not leave empty temp files behind)."""
    tmp = os.path.join(directory, f".tmp-{name}-{os.getpid()}-{os.urandom(4).hex()}")
    try:
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(dumps(obj))
            if durable:
                f.flush()
                os.fsync(f.fileno())
    except BaseException:
        _remove(tmp)
        raise
    return tmp


def _remove(path):
    try:
        os.unlink(path)
    except OSError:
        pass


def _gone(tmp, error):
    """The error to raise for a FileNotFoundError while placing `tmp`: TempFileGone when `tmp` is what vanished."""
    if not os.path.lexists(tmp):
        return TempFileGone(f"temporary file {tmp} vanished before it was put in place (removed by another "
                            f"process?): {error}")
    return error


def write_json(path, obj, durable):
    """Writes `obj` to `path` through a dot file and a rename (readers never see half a file)."""
    directory, name = os.path.split(path)
    tmp = _write_temp(directory, name, obj, durable)
    try:
        os.replace(tmp, path)
    except FileNotFoundError as e:
        _remove(tmp)
        raise _gone(tmp, e) from e
    except BaseException:
        _remove(tmp)
        raise
    if durable:
        fsync_dir(directory)


def publish_once(path, obj):
    """Writes `obj` to `path` only if no file is there: fsynced dot file, hard link, fsync of the folder.
    Returns True when this call's file is the one at `path`."""
    directory, name = os.path.split(path)
    tmp = _write_temp(directory, name, obj, True)
    try:
        os.link(tmp, path)  # a hard link never replaces: at most one result per setting
        won = True
    except FileExistsError:
        won = False
    except FileNotFoundError as e:
        raise _gone(tmp, e) from e
    finally:
        _remove(tmp)
    fsync_dir(directory)
    return won


def id_of(name):
    """The setting id of a file name `<id>.json`, or None when the name is not one."""
    if not name.endswith(".json"):
        return None
    sid = name[:-5]
    return sid if SAFE_ID.match(sid) and ".." not in sid else None


def listdir(path):
    """Names in a folder (as str; undecodable bytes kept as surrogates), dot files left out; [] if absent."""
    try:
        return sorted(n for n in os.listdir(path) if not n.startswith("."))
    except FileNotFoundError:
        return []


def safe_name(name):
    cleaned = re.sub(r"[^A-Za-z0-9_.-]", "_", name).replace("..", "__")
    if cleaned.startswith("."):
        cleaned = "_" + cleaned[1:]
    return (cleaned or "unnamed")[:100]


def quarantine(study, path, reason, by):
    """Moves a bad file to quarantine/ beside `<name>.reason.txt` (the same format as the Java side).
    False when another process moved it first."""
    folder = os.path.join(study, "quarantine")
    os.makedirs(folder, exist_ok=True)
    base = safe_name(os.path.basename(path))
    target, i = os.path.join(folder, base), 2
    while os.path.lexists(target) or os.path.exists(target + REASON_SUFFIX):
        target, i = os.path.join(folder, f"{base}-{i}"), i + 1
    try:
        os.rename(path, target)
    except FileNotFoundError:
        return False
    shown = printable(os.path.relpath(path, study))
    with open(target + REASON_SUFFIX, "w", encoding="utf-8", errors="replace") as f:
        f.write(f"file: {shown}\nreason: {printable(reason)}\nby: {by}\nat: {now()}\n")
    return True


def printable(text):
    """A name as it can be written in UTF-8: bytes that were not UTF-8 (kept by os.listdir as surrogates)
    become \\xNN."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def same_value(a, b):
    """Parameter values compare as PROTOCOL.md says: numbers by value (1 == 1.0), others exactly."""
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return float(a) == float(b)
    return type(a) is type(b) and a == b


def params_difference(a, b):
    """None when two params objects hold the same values, else a sentence naming the first difference."""
    for name in list(a) + [n for n in b if n not in a]:
        if name not in a or name not in b:
            return f"parameter '{name}' is in only one of them"
        if not same_value(a[name], b[name]):
            return f"parameter '{name}' is {json.dumps(b[name])} in the result and {json.dumps(a[name])} in the setting"
    return None


def check_setting(value, sid):
    """Validates a setting file's object as the Java reader does; raises BadFile."""
    unknown = [k for k in value if k not in SETTING_FIELDS]
    if unknown:
        raise BadFile(f"has unknown fields {unknown}")
    if value.get("schema") != SCHEMA:
        raise BadFile(f"has schema {value.get('schema')!r}; this worker reads schema {SCHEMA}")
    if value.get("id") != sid:
        raise BadFile(f"holds id {value.get('id')!r} under the name {sid}.json")
    for key in ("point", "repeat", "batch", "attempt"):
        v = value.get(key)
        if not isinstance(v, int) or isinstance(v, bool) or v < (1 if key == "attempt" else 0):
            raise BadFile(f"has a bad '{key}': {v!r}")
    try:
        parse_time(value.get("created"))
    except ValueError as e:
        raise BadFile(f"has a bad 'created': {e}")
    params = value.get("params")
    if not isinstance(params, dict):
        raise BadFile("has no 'params' object")
    for name, v in params.items():
        if not re.match(r"^[A-Za-z][A-Za-z0-9_]{0,63}$", name):
            raise BadFile(f"has a bad parameter name {name!r}")
        if not isinstance(v, (str, int, float, bool)):
            raise BadFile(f"parameter '{name}' is not a string, number or boolean")
    if not isinstance(value.get("history", []), list):
        raise BadFile("has a 'history' that is not a list")
    check_plan(value)
    if value.get("checkpoint") not in (None, True, False):
        raise BadFile(f"has a bad 'checkpoint': {value.get('checkpoint')!r} (true, false or absent)")
    check_resume(value.get("resume"), "resume")
    return value


def check_plan(value):
    """Validates the optional 'budget' (epochs, >= 1) and 'lineage' ({rung, bracket, parent}); raises BadFile."""
    budget = value.get("budget")
    if budget is not None and (not isinstance(budget, int) or isinstance(budget, bool) or budget < 1):
        raise BadFile(f"has a bad 'budget': {budget!r} (epochs, at least 1)")
    lineage = value.get("lineage")
    if lineage is None:
        return
    if not isinstance(lineage, dict) or [k for k in lineage if k not in ("rung", "bracket", "parent")]:
        raise BadFile(f"has a bad 'lineage': {lineage!r}")
    for key in ("rung", "bracket"):
        v = lineage.get(key)
        if (key == "rung" or v is not None) and (not isinstance(v, int) or isinstance(v, bool) or v < 0):
            raise BadFile(f"has a bad lineage '{key}': {v!r}")
    parent = lineage.get("parent")
    if parent is not None and not (isinstance(parent, str) and SAFE_ID.match(parent)):
        raise BadFile(f"has a bad lineage 'parent': {parent!r}")


CHECKPOINT_PATH = re.compile(r"^checkpoints/[A-Za-z0-9][A-Za-z0-9_.-]{0,63}/[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$")


def check_checkpoint_path(path, what):
    """A checkpoint's path: checkpoints/<setting id>/<name>, safe names; raises BadFile."""
    if not (isinstance(path, str) and CHECKPOINT_PATH.match(path)) or ".." in path:
        raise BadFile(f"has a bad {what}: {path!r} (checkpoints/<id>/<name>)")


def check_resume(resume, key):
    """Validates an optional {from, path, epochs} (a setting's 'resume', a result's 'resumed'); raises BadFile."""
    if resume is None:
        return
    if not isinstance(resume, dict) or sorted(resume) != ["epochs", "from", "path"]:
        raise BadFile(f"has a bad '{key}': {resume!r} (from, path, epochs)")
    if not (isinstance(resume["from"], str) and SAFE_ID.match(resume["from"])):
        raise BadFile(f"has a bad {key} 'from': {resume['from']!r}")
    check_checkpoint_path(resume["path"], f"{key} 'path'")
    e = resume["epochs"]
    if not isinstance(e, int) or isinstance(e, bool) or e < 1:
        raise BadFile(f"has a bad {key} 'epochs': {e!r}")


def stamp():
    """The time at the start of a log line, as the Java processes write it: 2026-12-02T15:40:01Z."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def planned_epochs(setting):
    """The epochs a setting is to train: its 'budget', else its 'epochs' parameter; None when neither."""
    budget = setting.get("budget")
    if budget is not None:
        return budget
    epochs = setting["params"].get("epochs")
    return int(epochs) if isinstance(epochs, (int, float)) and not isinstance(epochs, bool) else None


METRIC = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{0,63}$")


def check_epoch(e, i):
    """Validates one epoch object as the Java reader does; raises BadFile."""
    if not isinstance(e.get("epoch"), int) or isinstance(e.get("epoch"), bool):
        raise BadFile(f"epoch entry {i} has 'epoch' {e.get('epoch')!r}, not an integer")
    for key in ("trainLoss", "valLoss", "valError", "elapsedSeconds"):
        number(e.get(key), f"epoch {i + 1} '{key}'")
    for key in ("elapsedSeconds", "trainSeconds", "valSeconds"):
        if key in e and not number(e[key], f"epoch {i + 1} '{key}'") >= 0:
            raise BadFile(f"epoch {i + 1} has {key} {e[key]!r}; it must be a number >= 0")
    metrics = e.get("metrics")
    if metrics is not None:
        if not isinstance(metrics, dict):
            raise BadFile(f"epoch {i + 1} has 'metrics' that is not an object")
        for name, v in metrics.items():
            if not METRIC.match(name):
                raise BadFile(f"epoch {i + 1} has a bad metric name {name!r}")
            number(v, f"epoch {i + 1} metric '{name}'")


def check_result(value, sid):
    """Validates a result file's object as the Java master does; raises BadFile."""
    unknown = [k for k in value if k not in RESULT_FIELDS]
    if unknown:
        raise BadFile(f"has unknown fields {unknown}")
    check_plan(value)
    if value.get("schema") != SCHEMA:
        raise BadFile(f"has schema {value.get('schema')!r}")
    if value.get("id") != sid:
        raise BadFile(f"holds result id {value.get('id')!r} under the name {sid}.json")
    status = value.get("status")
    if status not in STATUSES:
        raise BadFile(f"has status {status!r}; one of {list(STATUSES)}")
    if status == "failed" and not (isinstance(value.get("reason"), str) and value["reason"].strip()):
        raise BadFile("is failed without a reason")
    if not isinstance(value.get("worker"), str):
        raise BadFile("has no 'worker'")
    for key in ("created", "finished"):
        try:
            parse_time(value.get(key))
        except ValueError as e:
            raise BadFile(f"has a bad '{key}': {e}")
    if not isinstance(value.get("params"), dict):
        raise BadFile("has no 'params' object")
    epochs = value.get("epochs") or []
    if not isinstance(epochs, list):
        raise BadFile("has 'epochs' that is not a list")
    if status == "complete" and not epochs:
        raise BadFile("is complete without an epoch")
    if value.get("checkpoint") is not None:
        check_checkpoint_path(value["checkpoint"], "'checkpoint'")
    check_resume(value.get("resumed"), "resumed")
    first = value["resumed"]["epochs"] + 1 if value.get("resumed") else 1
    for i, e in enumerate(epochs):
        if not isinstance(e, dict) or [k for k in e if k not in EPOCH_FIELDS]:
            raise BadFile(f"epoch entry {i} is not an epoch object")
        if e.get("epoch") != first + i:
            raise BadFile(f"epochs must be numbered {first}, {first + 1}, ... in order; entry {i} is epoch"
                          f" {e.get('epoch')!r}")
        check_epoch(e, i)
        error = number(e["valError"], "valError")
        if not math.isnan(error) and not 0 <= error <= 1:
            raise BadFile(f"epoch {i + 1} has valError {error} outside [0, 1]")
    return value
