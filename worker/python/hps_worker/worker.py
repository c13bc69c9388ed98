"""A worker of an hps study: claims settings, calls the user's training function, publishes results.

The whole of PROTOCOL.md's worker side: claim by rename, heartbeat thread, fence, publish by link,
quarantine, hand-back on SIGTERM/SIGINT, early stopping through progress/ and stop/, workers/<id>.json,
idle exit. Standard library only.
"""
import argparse
import inspect
import json
import math
import os
import random
import signal
import socket
import sys
import threading
import time
import traceback

from . import params as declared
from . import files
from .files import BadFile
from .space import SearchSpace, SpaceError

POLL = 0.05          # seconds between looks at pending/ (PROTOCOL.md: 50 ms, backing off to 1 s)
SLOW_POLL = 1.0
SLOW_AFTER = 30.0


def _trained_params(setting):
    """The parameters a training function sees: the setting's, with 'epochs' set to its budget when it has one
    (a halving strategy's rung), so that params["epochs"] is always what to train."""
    params = dict(setting["params"])
    if setting.get("budget") is not None:
        params["epochs"] = setting["budget"]
    return params


# What a worker says when its result lost (see _publish).
DISCARDED = {
    "fenced": ": result discarded, the lease was lost meanwhile (no heartbeat reached the study for longer than the"
              " lease, e.g. the shared disk was unreachable) and the master gave the setting to another attempt",
    "duplicate": ": result discarded, another attempt's result for this setting was published first",
}


class _Refused(Exception):
    """A setting the training function's declared parameters do not allow: failed before it trains."""


class _HandBack(BaseException):
    """Raised in the training function by SIGTERM/SIGINT: the setting goes back to pending/."""


class Trial:
    """What a training function that takes three arguments gets besides params and report.

    In a study with checkpoints (the halving strategies), `checkpoint_dir` is an empty directory to save
    the trained state into after the last epoch (None: save nothing), and `resume_dir` holds the state a
    parent setting saved after `resume_epochs` epochs (None: train from scratch). A function that loads it
    reports epochs resume_epochs + 1, ..., params["epochs"]; one that cannot reports from epoch 1, and the
    result says the checkpoint was not used."""

    def __init__(self, setting, study, worker, checkpoint_dir=None, resume_dir=None):
        self.id = setting["id"]
        self.attempt = setting["attempt"]
        self.params = _trained_params(setting)
        self.epochs = files.planned_epochs(setting)
        self.seed = int(self.params.get("seed", 42))
        self.device = worker.device
        self.threads = worker.threads
        self.data_dir = worker.data_dir
        self.work_dir = os.path.join(study, "work", self.id, f"attempt-{self.attempt}")
        self.log = worker.log
        self.checkpoint_dir = checkpoint_dir
        self.resume_dir = resume_dir
        self.resume_epochs = setting["resume"]["epochs"] if resume_dir else 0

    def make_work_dir(self):
        os.makedirs(self.work_dir, exist_ok=True)
        return self.work_dir


class _Run:
    """One attempt at one setting: the epochs reported so far and why training should end."""

    def __init__(self, worker, setting, claim):
        self.worker, self.setting, self.claim = worker, setting, claim
        self.epochs, self.started = [], time.monotonic()
        self.lost = threading.Event()        # the master took the setting back
        self.stop_reason = None              # the master's stopping rule asked it to end
        self.diverged = None
        self.planned = files.planned_epochs(setting)
        self.resumable = 0                    # epochs of the checkpoint offered to resume from (0: none)

    def report(self, epoch=None, train_loss=None, val_loss=None, val_error=None, train_seconds=None,
               val_seconds=None, **metrics):
        """Records one finished epoch; returns False when training should end (stop request, lost lease,
        shutdown, or a non-finite loss)."""
        expected = (self.epochs[-1]["epoch"] if self.epochs else 0) + 1
        number = expected if epoch is None else epoch
        if isinstance(number, bool) or not isinstance(number, int):
            raise ValueError(f"report(epoch={epoch!r}): the epoch is an integer (1, 2, ...)")
        if not self.epochs and self.resumable and number == self.resumable + 1:
            expected = number  # it resumed from the checkpoint: epochs go on from there
        if number != expected:
            raise ValueError(f"report(epoch={epoch}): epochs are numbered 1, 2, ... in order; expected {expected}"
                             + (f" (or {self.resumable + 1} after resuming from trial.resume_dir)"
                                if self.resumable and not self.epochs else ""))
        values = {"trainLoss": train_loss, "valLoss": val_loss, "valError": val_error}
        for key, v in values.items():
            if v is None or isinstance(v, bool) or not isinstance(v, (int, float)):
                raise ValueError(f"report() needs {_snake(key)} as a number (NaN when it diverged), not {v!r}")
            values[key] = float(v)
        if math.isfinite(values["valError"]) and not 0 <= values["valError"] <= 1:
            raise ValueError(f"val_error is a fraction in [0, 1], not {values['valError']}")
        entry = {"epoch": number, **values, "elapsedSeconds": time.monotonic() - self.started}
        for key, v in (("trainSeconds", train_seconds), ("valSeconds", val_seconds)):
            if v is not None:
                if isinstance(v, bool) or not isinstance(v, (int, float)) or not v >= 0 or not math.isfinite(v):
                    raise ValueError(f"{_snake(key)} must be a number of seconds >= 0, not {v!r}")
                entry[key] = float(v)
        if metrics:
            for k, v in metrics.items():
                if not files.METRIC.match(k):
                    raise ValueError(f"metric name {k!r}: use a letter, then letters, digits, '_', '.', '-'")
                if isinstance(v, bool) or not isinstance(v, (int, float)):
                    raise ValueError(f"metric {k} must be a number, not {v!r}")
            entry["metrics"] = {k: float(v) for k, v in metrics.items()}
        self.epochs.append(entry)
        self.worker.status.update("training", self.setting["id"], number)
        bad = [k for k, v in values.items() if not math.isfinite(v)]
        if bad:
            self.diverged = f"{_snake(bad[0])} became {values[bad[0]]} in epoch {number}"
            return False
        if self.stop_reason is None:  # every study reports running epochs; only one with a rule stops them
            reason = self.worker.report_progress(self)
            self.stop_reason = reason if self.worker.config.get("stop") else None
        return not (self.worker.stopping or self.lost.is_set() or self.stop_reason)


def _snake(key):
    return "".join("_" + c.lower() if c.isupper() else c for c in key)


class Status:
    """workers/<id>.json for `hps status`: written at most once a second, errors ignored."""

    def __init__(self, study, worker_id, device):
        self.path = os.path.join(study, "workers", worker_id + ".json")
        self.fields = {"schema": 1, "worker": worker_id, "host": socket.gethostname(), "pid": os.getpid(),
                       "device": device, "started": files.now(), "updated": None, "state": "idle",
                       "setting": None, "epoch": None, "completed": 0}
        self.last = 0.0
        self.lock = threading.Lock()
        self.update("idle", None, None, force=True)

    def update(self, state, setting, epoch, force=False, completed=0):
        with self.lock:
            changed = (state, setting, epoch) != (self.fields["state"], self.fields["setting"], self.fields["epoch"])
            self.fields.update(state=state, setting=setting, epoch=epoch)
            self.fields["completed"] += completed
            if force or (changed or completed) and time.monotonic() - self.last >= 1 or time.monotonic() - self.last >= 5:
                self.fields["updated"] = files.now()
                try:
                    os.makedirs(os.path.dirname(self.path), exist_ok=True)
                    files.write_json(self.path, self.fields, durable=False)
                    self.last = time.monotonic()
                except OSError:
                    pass


class Worker:
    def __init__(self, train, study, worker_id=None, idle_exit=0.0, max_settings=0, device="cpu", threads=0,
                 data_dir=None, log=None, io_patience=300.0, parameters=None):
        self.train = train
        self.parameters = parameters  # a dict of params.Param, or None: every name accepted as it is
        self.study = os.path.abspath(study)
        self.id = worker_id or f"{socket.gethostname()}-py{os.getpid()}"
        if not files.SAFE_ID.match(self.id) or ".." in self.id:
            raise ValueError(f"worker id {self.id!r}: use letters, digits, '_', '.', '-' (at most 64)")
        self.idle_exit, self.max_settings = idle_exit, max_settings
        self.device, self.threads = device, threads
        self.data_dir = data_dir or default_data_dir()
        self.log = log or (lambda text: print(f"{files.stamp()} worker {self.id}: {text}", flush=True))
        self.stopping = False
        # How many of the oldest pending names a claim picks from at random (see _claim_next).
        self._window = 1
        self._rng = random.Random(f"{self.id}/{time.time_ns()}")
        self.training = False
        self.config = {}
        self.published = 0
        self.takes_trial = _arity(train) >= 3
        self.patience = files.Patience(io_patience, self.log)

    # --- the loop -------------------------------------------------------------------------------------
    def run(self):
        """Works until the study is finished, the idle limit passes, or SIGTERM/SIGINT. Returns the number
        of results this worker published."""
        previous = {s: signal.signal(s, self._signal) for s in (signal.SIGTERM, signal.SIGINT)}
        try:
            self._wait_for_study()
            if self.stopping:
                return 0
            self._refuse_a_study_it_cannot_train()
            os.makedirs(os.path.join(self.study, "claimed", self.id), exist_ok=True)
            self.status = Status(self.study, self.id, self.device)
            idle_since, settings = time.monotonic(), 0
            self.log(f"working on {self.study} (lease {self.config['leaseSeconds']} s)")
            while not self.stopping and (not self.max_settings or settings < self.max_settings):
                claimed = self.patience.call("claiming a setting from pending/", self._claim_next)
                if claimed is None:
                    if self.patience.call("reading master.json and pending/", self._study_finished):
                        self.log("the study is finished")
                        break
                    idle = time.monotonic() - idle_since
                    if self.idle_exit and idle > self.idle_exit:
                        self.log(f"idle for {self.idle_exit:g} s; exiting")
                        break
                    time.sleep(SLOW_POLL if idle > SLOW_AFTER else POLL)
                    continue
                settings += 1
                self._evaluate(*claimed)
                idle_since = time.monotonic()
            self.status.update("exited", None, None, force=True)
            self.log(f"published {self.published} results")
            return self.published
        finally:
            for s, handler in previous.items():
                signal.signal(s, handler)

    def _signal(self, signum, frame):
        self.stopping = True
        if self.training:
            raise _HandBack()

    def _refuse_a_study_it_cannot_train(self):
        """With declared parameters: a study whose space sets a name the function does not read, or values it
        cannot take, is refused before anything is claimed (every setting would fail)."""
        if self.parameters is None:
            return
        try:
            space = SearchSpace(self.config.get("space"), "study.json")
        except SpaceError as e:
            self.log(f"cannot read the study's space ({e}); each setting is checked as it comes")
            return
        wrong = declared.space_problems(self.parameters, space)
        if wrong:
            self.log("cannot train this study, so not claiming anything: " + "; ".join(wrong))
            raise SystemExit(2)

    def _wait_for_study(self):
        path = os.path.join(self.study, "study.json")
        waited, next_say = 0.0, 0.0
        while not self.stopping:
            try:
                self.config = files.read_json(path, files.SMALL_LIMIT)
                lease = self.config.get("leaseSeconds")
                if not isinstance(lease, (int, float)) or isinstance(lease, bool) or not lease > 0:
                    raise BadFile(f"has leaseSeconds {lease!r}")
                return
            except FileNotFoundError:
                if waited >= next_say:
                    self.log(f"waiting for {path}: no study there yet (start the master with --study {self.study};"
                             f" the worker starts when it appears" + (f", waited {waited:.0f} s)" if waited else ")"))
                    next_say += 60
                if self.idle_exit and waited >= self.idle_exit:
                    raise SystemExit(f"worker {self.id}: no {path} after {self.idle_exit:g} s (--idle-exit); exiting")
            except BadFile as e:
                raise SystemExit(f"worker {self.id}: {path} {e}")
            except NotADirectoryError:
                raise SystemExit(f"worker {self.id}: --study {self.study} is not a directory")
            time.sleep(0.2)
            waited += 0.2

    def _study_finished(self):
        try:
            master = files.read_json(os.path.join(self.study, "master.json"), files.SMALL_LIMIT)
        except (OSError, BadFile):
            return False
        return master.get("phase") == "finished" and not files.listdir(os.path.join(self.study, "pending"))

    def _claim_next(self):
        """Claims the oldest pending setting others allow. Many workers would all try the same oldest names: past
        2 lost renames in a row, each one doubles the window of oldest names picked from at random, a claim halves
        it (two workers claim strictly oldest first), as the Java worker does (PROTOCOL.md)."""
        pending = os.path.join(self.study, "pending")
        names = files.listdir(pending)
        head, failures = 0, 0
        while head < len(names):
            if self.stopping:
                return None
            strict = failures < 2 or self._window <= 1  # two workers keep strictly oldest first
            pick = head + (0 if strict else self._rng.randrange(min(self._window, len(names) - head)))
            names[head], names[pick] = names[pick], names[head]
            name = names[head]
            head += 1
            source = os.path.join(pending, name)
            sid = files.id_of(name)
            if sid is None:
                files.quarantine(self.study, source, "pending file name is not <id>.json with a safe id", self.id)
                continue
            target = os.path.join(self.study, "claimed", self.id, name)
            try:
                os.rename(source, target)  # the claim: atomic, exactly one worker wins
            except FileNotFoundError:
                failures += 1  # another worker was first
                if failures >= 2:
                    self._window = min(4096, self._window * 2)
                continue
            self._window = max(1, self._window // 2)
            try:
                setting = files.check_setting(files.read_json(target, files.SETTING_LIMIT), sid)
            except FileNotFoundError:
                continue
            except BadFile as e:
                files.quarantine(self.study, target, f"setting file {e}", self.id)
                continue
            if os.path.exists(os.path.join(self.study, "results", name)):
                os.unlink(target)
                continue
            return setting, target
        return None

    def _evaluate(self, setting, claim):
        sid = setting["id"]
        claimed_at = files.now()
        run = _Run(self, setting, claim)
        self.status.update("training", sid, None, force=True)
        self.log(f"claimed {sid} (attempt {setting['attempt']}) {setting['params']}")
        done = threading.Event()
        beat = threading.Thread(target=self._heartbeat, args=(run, done), daemon=True)
        beat.start()
        info, failure, handed, checkpoint_failed = {}, None, False, None
        resume_dir, resume_problem, saved_by = self._checkpoint_to_resume(setting)
        if resume_problem:
            self.log(f"{sid}: {resume_problem}")
        elif resume_dir:
            self.log(f"{sid} resumes from {setting['resume']['from']}'s checkpoint after epoch"
                     f" {setting['resume']['epochs']} ({setting['resume']['path']})")
        scratch = self._scratch(setting) if setting.get("checkpoint") is True else None
        if resume_dir and self.takes_trial:
            run.resumable = setting["resume"]["epochs"]
        try:
            try:
                if self.stopping:
                    raise _HandBack()
                self.training = True
                try:
                    trial = Trial(setting, self.study, self, scratch, resume_dir if self.takes_trial else None)
                    values = _trained_params(setting)
                    if self.parameters is not None:
                        wrong = declared.problems(self.parameters, values)
                        if wrong:
                            raise _Refused(f"this worker cannot train the setting: {'; '.join(wrong)}")
                        values = declared.with_defaults(self.parameters, values)
                    try:
                        returned = self.train(*((values, run.report) + ((trial,) if self.takes_trial else ())))
                    except Exception as e:
                        if trial.resume_dir and not run.epochs and not self.stopping:
                            # A checkpoint belongs to a framework: one this function cannot load (another
                            # trainer's, or damaged) is no reason to fail the setting. Trained from scratch.
                            resume_problem = (f"checkpoint {setting['resume']['path']} (saved by worker {saved_by})"
                                              f" could not be loaded by the training function"
                                              f" ({type(e).__name__}: {e}); trained from scratch")
                            self.log(f"{sid}: {resume_problem}")
                            _remove_tree(scratch)
                            scratch = self._scratch(setting) if scratch else None
                            trial = Trial(setting, self.study, self, scratch, None)
                            run.resumable = 0
                            returned = self.train(values, run.report, trial)
                        elif scratch and self._all_done(run) and not run.diverged and not self.stopping:
                            # Every epoch is reported: what failed is saving the state (a full disk). The
                            # result stands without a checkpoint, as the Java trainers' do.
                            checkpoint_failed = f"{type(e).__name__}: {e}"
                            self.log(f"{sid}: the checkpoint was not saved ({checkpoint_failed}); the result stands")
                            returned = None
                        else:
                            raise
                finally:
                    self.training = False
                if isinstance(returned, bool):
                    returned = None  # `return report(...)` passes report's answer on: nothing for info
                if returned is not None and not isinstance(returned, dict):
                    raise TypeError(f"the training function returned {type(returned).__name__}; return None or a"
                                    f" dict of facts for the result's info")
                info = returned or {}
                try:
                    json.dumps(files.encode(info), allow_nan=False)
                except (TypeError, ValueError) as e:
                    info = {}
                    raise TypeError(f"the training function returned info that is not JSON: {e}") from None
            except _HandBack:
                handed = True
            except _Refused as e:
                failure = str(e)
            except SystemExit as e:
                failure = f"the training function called sys.exit({e.code!r}); a worker publishes that as failed"
            except KeyboardInterrupt:
                failure = "the training function raised KeyboardInterrupt"
            except Exception:
                failure = _last_lines(traceback.format_exc())
        finally:
            done.set()
            beat.join()
        if handed or (self.stopping and failure is None and not run.diverged and not self._all_done(run)):
            _remove_tree(scratch)
            self.patience.call(f"handing {setting['id']} back", self._hand_back, setting, claim)
            return
        if run.lost.is_set():
            _remove_tree(scratch)
            self.log(f"lease on {sid} was lost; discarding its result")
            return
        if failure is not None:
            status, reason = "failed", failure
        elif run.diverged:
            status, reason = "diverged", run.diverged
        elif not run.epochs:
            status, reason = "failed", "the training function returned without reporting an epoch"
        elif run.stop_reason and not self._all_done(run):
            status, reason = "stopped", run.stop_reason
        else:
            status, reason = "complete", None
        result = {"schema": 1, "id": sid, "status": status, "reason": reason, "point": setting["point"],
                  "repeat": setting["repeat"], "batch": setting["batch"], "attempt": setting["attempt"],
                  "worker": self.id, "created": setting["created"], "claimed": claimed_at, "finished": files.now(),
                  "params": setting["params"], "epochs": run.epochs, "info": info}
        result.update({k: setting[k] for k in ("budget", "lineage") if setting.get(k) is not None})
        if setting.get("resume") is not None and run.epochs:
            if run.epochs[0]["epoch"] > 1:
                result["resumed"] = setting["resume"]
            else:
                info.setdefault("resumeFailed", resume_problem or "the training function trained from epoch 1: it"
                                " did not use trial.resume_dir")
        if checkpoint_failed:
            info["checkpointFailed"] = checkpoint_failed
            _remove_tree(scratch)
            scratch = None
        kept = self._keep(scratch, setting, run, info) if status == "complete" else _remove_tree(scratch)
        if kept:
            result["checkpoint"] = kept
        outcome = self.patience.call(f"publishing the result of {sid}", self._publish, claim, result)
        if kept and outcome != "published":
            _remove_tree(os.path.join(self.study, kept))  # another attempt's result, and checkpoint, is the one
        if outcome == "published":
            self.published += 1
            self.status.update("idle", None, None, completed=1)
        else:
            self.status.update("idle", None, None)
        last = f" valError={run.epochs[-1]['valError']:.4f}" if run.epochs else ""
        self.log(f"{sid} {status} {outcome}{last}" + (f": {reason.splitlines()[-1]}" if status == "failed" else "")
                 + DISCARDED.get(outcome, ""))

    @staticmethod
    def _all_done(run):
        return run.planned is not None and run.epochs and run.epochs[-1]["epoch"] >= run.planned

    def _checkpoint_to_resume(self, setting):
        """(directory, None, the worker that saved it) for the checkpoint the setting resumes from, or
        (None, why not, None)."""
        resume = setting.get("resume")
        if resume is None:
            return None, None, None
        parent = (setting.get("lineage") or {}).get("parent")
        if resume["from"] != parent or not resume["path"].startswith(f"checkpoints/{resume['from']}/"):
            return None, f"checkpoint {resume['path']} is not one of the parent's; trained from scratch", None
        where = os.path.join(self.study, resume["path"])
        for p in (os.path.join(self.study, "checkpoints"), os.path.dirname(where), where):
            if os.path.islink(p):
                return (None, f"checkpoint {resume['path']} is reached through a symbolic link; trained from scratch",
                        None)
        if not os.path.isdir(where):
            return None, f"checkpoint {resume['path']} is missing; trained from scratch", None
        try:
            manifest = files.read_json(os.path.join(where, "checkpoint.json"), files.SETTING_LIMIT)
        except FileNotFoundError:
            return None, f"checkpoint {resume['path']} has no checkpoint.json (not whole); trained from scratch", None
        except (OSError, BadFile) as e:
            return None, f"checkpoint {resume['path']} is unreadable ({e}); trained from scratch", None
        if manifest.get("setting") != resume["from"] or manifest.get("epochs") != resume["epochs"]:
            return (None, f"checkpoint {resume['path']} is not of {resume['from']} after {resume['epochs']} epochs;"
                          f" trained from scratch", None)
        return where, None, files.printable(str(manifest.get("worker")))

    def _scratch(self, setting):
        """An empty directory under checkpoints/<id>/ for the training function to save into (None on error)."""
        top = os.path.join(self.study, "checkpoints")
        folder = os.path.join(top, setting["id"])
        try:
            os.makedirs(folder, exist_ok=True)
            if os.path.islink(top) or os.path.islink(folder):
                raise OSError(f"{os.path.relpath(folder, self.study)} is reached through a symbolic link")
            path = os.path.join(folder, f".tmp-a{setting['attempt']}-{self.id}-{os.urandom(8).hex()}")
            os.mkdir(path)
            return path
        except OSError as e:
            self.log(f"{setting['id']}: no checkpoint directory ({e}); training without saving one")
            return None

    def _keep(self, scratch, setting, run, info):
        """Renames what the training function saved into place as this attempt's checkpoint; its path or None
        (then info's checkpointFailed says why, when it was an error)."""
        if not scratch or not os.path.isdir(scratch) or not os.listdir(scratch):
            _remove_tree(scratch)
            return None
        name = f"a{setting['attempt']}-{self.id}"
        try:
            manifest = {"schema": 1, "setting": setting["id"], "attempt": setting["attempt"], "worker": self.id,
                        "epochs": run.epochs[-1]["epoch"], "created": files.now()}
            with open(os.path.join(scratch, "checkpoint.json"), "w", encoding="utf-8") as f:
                f.write(files.dumps(manifest))
            for top, dirs, names in os.walk(scratch):
                for n in names:
                    fd = os.open(os.path.join(top, n), os.O_RDONLY)
                    try:
                        os.fsync(fd)
                    finally:
                        os.close(fd)
                files.fsync_dir(top)
            target = os.path.join(os.path.dirname(scratch), name)
            if os.path.lexists(target):
                _remove_tree(target)  # an earlier run of this attempt that never published
            os.rename(scratch, target)
            files.fsync_dir(os.path.dirname(target))
            return f"checkpoints/{setting['id']}/{name}"
        except OSError as e:
            self.log(f"the checkpoint of {setting['id']} was not kept ({e})")
            info["checkpointFailed"] = f"the checkpoint was not kept: {e}"
            _remove_tree(scratch)
            return None

    def _heartbeat(self, run, done):
        """Touches the claim every leaseSeconds / 6; marks the run lost when the claim is gone."""
        period = float(self.config["leaseSeconds"]) / 6
        while not done.wait(period):
            try:
                os.utime(run.claim)
            except FileNotFoundError:
                run.lost.set()
                return
            except OSError as e:
                self.log(f"heartbeat of {run.setting['id']} failed ({e}); trying again")
            self.status.update("training", run.setting["id"], len(run.epochs) or None)

    def report_progress(self, run):
        """Writes progress/<id>.json and returns the master's stop reason for this attempt, if any."""
        sid = run.setting["id"]
        try:
            folder = os.path.join(self.study, "progress")
            os.makedirs(folder, exist_ok=True)
            files.write_json(os.path.join(folder, sid + ".json"),
                             {"schema": 1, "id": sid, "worker": self.id, "plannedEpochs": run.planned or 0,
                              "epochs": run.epochs, "attempt": run.setting["attempt"]}, durable=False)
            request = files.read_json(os.path.join(self.study, "stop", sid + ".json"), files.SMALL_LIMIT)
        except FileNotFoundError:
            return None
        except (OSError, BadFile) as e:
            self.log(f"progress of {sid} not reported ({e}); training goes on")
            return None
        if request.get("worker") not in (None, self.id) or request.get("attempt") not in (None, run.setting["attempt"]):
            return None  # a request for another attempt of this setting
        reason = request.get("reason") or "stopped by the master"
        self.log(f"the master stops {sid} after epoch {len(run.epochs)}: {reason}")
        return reason

    def _forget_progress(self, sid):
        for folder in ("progress", "stop"):
            try:
                os.unlink(os.path.join(self.study, folder, sid + ".json"))
            except OSError:
                pass

    def _hand_back(self, setting, claim):
        sid = setting["id"]
        self._forget_progress(sid)
        try:
            os.rename(claim, os.path.join(self.study, "pending", sid + ".json"))
            files.fsync_dir(os.path.join(self.study, "pending"))
            self.log(f"stopping; handed {sid} back to pending")
        except FileNotFoundError:
            self.log(f"stopping; the claim on {sid} was already gone")
        self.status.update("idle", None, None)

    def _publish(self, claim, result):
        fenced = claim[:-len(".json")] + ".publishing"
        if not os.path.lexists(fenced):  # a try cut short by an I/O error after the fence resumes from it
            try:
                os.rename(claim, fenced)  # the fence: fails when the master took the setting back
            except FileNotFoundError:
                if os.path.lexists(claim):
                    raise OSError(f"renaming {claim} failed with 'no such file' although it exists")
                return "fenced"
        else:
            os.utime(fenced)  # keep the lease of the fenced claim while retrying
        path = os.path.join(self.study, "results", result["id"] + ".json")
        won = files.publish_once(path, result) or self._ours(path, result)
        try:
            os.unlink(fenced)
        except FileNotFoundError:
            pass
        return "published" if won else "duplicate"

    @staticmethod
    def _ours(path, result):
        """Whether the accepted result is this one, linked by an earlier try an I/O error cut short."""
        try:
            there = files.read_json(path, files.RESULT_LIMIT)
        except (OSError, BadFile):
            return False
        return (there.get("worker"), there.get("attempt"), there.get("finished")) == (
            result["worker"], result["attempt"], result["finished"])


def _remove_tree(path):
    """Deletes a directory tree (links are removed, not followed); a missing one is fine. Returns None."""
    if path:
        import shutil
        shutil.rmtree(path, ignore_errors=True)
    return None


def default_data_dir():
    """Where the Java worker keeps MNIST: $HPS_DATA_DIR/mnist, or ~/.hps/data/mnist."""
    root = os.environ.get("HPS_DATA_DIR") or os.path.join(os.path.expanduser("~"), ".hps", "data")
    return os.path.join(root, "mnist")


def _arity(fn):
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return 2
    if any(p.kind == p.VAR_POSITIONAL for p in params):
        return 3
    # Parameters with defaults are the function's own business (lambda p, r, a=args: ...).
    return sum(1 for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and p.default is p.empty)


def _last_lines(text, lines=6, chars=2000):
    return "\n".join(text.strip().splitlines()[-lines:])[-chars:]


def check_space(path, parameters):
    """--check-space: 0 when the space in `path` (a space file or a study.json) suits `parameters`, else 2."""
    try:
        root = files.read_json(path, files.SMALL_LIMIT)
        space = SearchSpace(root.get("space", root) if isinstance(root, dict) else root, path)
    except (OSError, BadFile, SpaceError) as e:
        print(f"cannot read a search space from {path}: {e}", file=sys.stderr)
        return 2
    if parameters is None:
        print("this worker declares no parameters: it takes any space")
        return 0
    wrong = declared.space_problems(parameters, space)
    for line in wrong:
        print(line, file=sys.stderr)
    if not wrong:
        print(f"the space in {path} suits this worker")
    return 2 if wrong else 0


def parser(description=None, study_required=True):
    """The command-line options of a worker script; add your own before calling run(). With `study_required`
    False, --study may be left out (a script with a mode that needs no study checks it itself)."""
    p = argparse.ArgumentParser(description=description or "An hps worker: claims settings of a study and trains"
                                " them with this script's training function (see PROTOCOL.md).")
    p.add_argument("--study", required=study_required, metavar="DIR",
                   help="the study directory (shared by every worker)")
    p.add_argument("--id", default=None, help="this worker's id (default: HOST-pyPID)")
    p.add_argument("--idle-exit", type=float, default=0, metavar="SECONDS",
                   help="exit after this long without a setting (default: 0, wait until the study is finished)")
    p.add_argument("--max-settings", type=int, default=0, metavar="N", help="exit after N settings (default: no limit)")
    p.add_argument("--device", default="cpu", help="the device to train on, passed to the trial (default: cpu)")
    p.add_argument("--threads", type=int, default=0, help="threads to train with (default: 0, the framework's own)")
    p.add_argument("--io-patience", type=float, default=300, metavar="SECONDS",
                   help="keep trying through I/O errors for this long before giving up (default: 300)")
    p.add_argument("--check-space", default=None, metavar="FILE",
                   help="only check that the parameters this worker declares suit the space in FILE (a space file, "
                        "or a study's study.json): exit 0, or 2 listing what does not")
    p.add_argument("--data-dir", default=None, metavar="DIR",
                   help="the folder with the MNIST IDX files, as the Java worker's --data-dir (default: "
                        "$HPS_DATA_DIR/mnist or ~/.hps/data/mnist, where `./hps data fetch` puts them)")
    return p


def run(train, argv=None, args=None, parameters=None):
    """Parses --study/--id/--idle-exit/... (or takes `args` from parser()) and runs a worker with `train`.

    `train(params, report)` or `train(params, report, trial)` calls
    `report(epoch=..., train_loss=..., val_loss=..., val_error=...)` after each epoch and ends when it
    returns False; it returns None or a dict of facts for the result's `info`. `parameters` (a dict of
    hps_worker.integer/real/choice/text) declares what `train` reads: see hps_worker.params."""
    p = parser()
    if args is None:
        args = p.parse_args(argv)
    if getattr(args, "check_space", None):
        return check_space(args.check_space, parameters)
    if args.study is None:
        p.error("--study is required")
    if os.path.exists(args.study) and not os.path.isdir(args.study):
        p.error(f"--study {args.study} is not a directory")
    if args.idle_exit < 0 or args.max_settings < 0 or args.threads < 0:
        p.error("--idle-exit, --max-settings and --threads must be 0 or more")
    try:
        worker = Worker(train, args.study, args.id, args.idle_exit, args.max_settings, args.device, args.threads,
                        args.data_dir, io_patience=getattr(args, "io_patience", 300.0), parameters=parameters)
    except ValueError as e:
        p.error(str(e))
    worker.run()
    return 0
