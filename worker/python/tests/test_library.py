"""The library's own tests (standard library unittest): files, space, a worker and the master in one process.

    python3 -m unittest discover -s worker/python/tests -t worker/python
"""
import json
import math
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

import hps_worker  # noqa: E402
from hps_worker import files, params, space as spaces  # noqa: E402
from hps_worker.master import Master  # noqa: E402
from hps_worker.worker import Worker  # noqa: E402

SPACE = {"parameters": {"model": "toy", "epochs": 3, "lr": {"type": "loguniform", "low": 0.01, "high": 0.2},
                        "opt": ["sgd", "adam"], "beta": {"type": "uniform", "low": 0, "high": 1, "when": {"opt": "adam"}}}}


def quiet(_):
    pass


def load(path):
    with open(path) as f:
        return json.load(f)


class FilesTest(unittest.TestCase):
    def test_non_finite_numbers_are_strings(self):
        text = files.dumps({"a": float("nan"), "b": [float("inf"), -float("inf"), 1.5]})
        self.assertEqual(json.loads(text), {"a": "NaN", "b": ["Infinity", "-Infinity", 1.5]})
        self.assertTrue(math.isnan(files.number("NaN", "x")))
        self.assertEqual(files.number("-Infinity", "x"), -math.inf)
        with self.assertRaises(files.BadFile):
            files.number(True, "x")

    def test_numbers_compare_by_value(self):
        self.assertIsNone(files.params_difference({"lr": 1.0, "m": 0}, {"lr": 1, "m": 0.0}))
        self.assertIn("'lr'", files.params_difference({"lr": 1.0}, {"lr": 1.5}))
        self.assertIn("'x'", files.params_difference({"lr": 1.0}, {"lr": 1.0, "x": 2}))
        self.assertIsNotNone(files.params_difference({"flag": True}, {"flag": 1}))

    def test_times_with_nanoseconds_and_offsets_parse(self):
        for text in ("2026-11-22T20:04:31Z", "2026-11-22T20:04:31.123456789Z", "2026-11-22T20:04:31.5+00:00"):
            self.assertEqual(files.parse_time(text).year, 2026)
        with self.assertRaises(ValueError):
            files.parse_time("yesterday")

    def test_quarantine_writes_the_java_reason_format_and_never_overwrites(self):
        with tempfile.TemporaryDirectory() as study:
            os.makedirs(os.path.join(study, "pending"))
            for _ in range(2):
                bad = os.path.join(study, "pending", "bad name.json")
                open(bad, "w").close()
                self.assertTrue(files.quarantine(study, bad, "name is not <id>.json", "w1"))
            names = sorted(os.listdir(os.path.join(study, "quarantine")))
            self.assertEqual(names, ["bad_name.json", "bad_name.json-2", "bad_name.json-2.reason.txt",
                                     "bad_name.json.reason.txt"])
            with open(os.path.join(study, "quarantine", "bad_name.json.reason.txt")) as f:
                lines = f.read().splitlines()
            self.assertEqual([line.split(":")[0] for line in lines], ["file", "reason", "by", "at"])
            self.assertEqual(lines[0], "file: pending/bad name.json")

    def test_names_that_are_not_utf8_are_quarantined_with_a_readable_reason(self):
        with tempfile.TemporaryDirectory() as study:
            os.makedirs(os.path.join(study, "pending"))
            bad = os.path.join(study.encode(), b"pending", b"bad\xff\xfe.json")
            open(bad, "w").close()
            name = files.listdir(os.path.join(study, "pending"))[0]
            self.assertTrue(files.quarantine(study, os.path.join(study, "pending", name), "bad name", "w1"))
            with open(os.path.join(study, "quarantine", "bad__.json.reason.txt"), encoding="utf-8") as f:
                self.assertIn("file: pending/bad\\xff\\xfe.json", f.read())

    def test_publish_once_never_replaces(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "s000001.json")
            self.assertTrue(files.publish_once(path, {"n": 1}))
            self.assertFalse(files.publish_once(path, {"n": 2}))
            with open(path) as f:
                self.assertEqual(json.load(f), {"n": 1})
            self.assertEqual(os.listdir(d), ["s000001.json"])

    def test_bad_settings_are_refused(self):
        good = {"schema": 1, "id": "s1", "point": 0, "repeat": 0, "batch": 0, "attempt": 1,
                "created": "2026-01-01T00:00:00Z", "params": {"lr": 0.1}, "history": []}
        files.check_setting(dict(good), "s1")
        for bad in (dict(good, colour="red"), dict(good, id="s2"), dict(good, attempt=0),
                    dict(good, params={"lr": [1]}), dict(good, created="now")):
            with self.assertRaises(files.BadFile):
                files.check_setting(bad, "s1")


    def test_budget_and_lineage_are_checked_and_the_budget_is_what_to_train(self):
        good = {"schema": 1, "id": "s1", "point": 0, "repeat": 0, "batch": 0, "attempt": 1,
                "created": "2026-01-01T00:00:00Z", "params": {"epochs": 9}, "history": []}
        plan = dict(good, budget=3, lineage={"rung": 1, "parent": "s000004"})
        files.check_setting(dict(plan), "s1")
        self.assertEqual(files.planned_epochs(plan), 3)
        self.assertEqual(files.planned_epochs(good), 9)
        self.assertIsNone(files.planned_epochs(dict(good, params={})))
        from hps_worker.worker import _trained_params
        self.assertEqual(_trained_params(plan), {"epochs": 3})
        self.assertEqual(plan["params"], {"epochs": 9}, "the setting itself is left alone")
        for bad in (dict(good, budget=0), dict(good, budget="3"), dict(good, lineage={"rung": -1}),
                    dict(good, lineage={"rung": 0, "colour": 1}), dict(good, lineage={"parent": "s1"}),
                    dict(good, lineage={"rung": 1, "parent": "../x"})):
            with self.assertRaises(files.BadFile, msg=repr(bad)):
                files.check_setting(bad, "s1")

    def test_the_shipped_protocol_files_parse(self):
        root = os.path.join(os.path.dirname(__file__), "..", "..", "..", "test-data", "protocol")
        planned = {}
        for name in sorted(os.listdir(root)):
            with open(os.path.join(root, name)) as f:
                value = json.load(f)
            if name.startswith("setting"):
                files.check_setting(value, value["id"])
                planned[name] = files.planned_epochs(value)
            else:
                files.check_result(value, value["id"])
        self.assertEqual(planned, {"setting-halving-v1.json": 3, "setting-halving-v2.json": 3, "setting-v1.json": 10})


class SpaceTest(unittest.TestCase):
    def test_random_points_respect_ranges_and_conditions(self):
        space = spaces.SearchSpace(SPACE)
        seen = set()
        for i in range(200):
            p = spaces.point(space, 42, i)
            self.assertTrue(0.01 <= p["lr"] <= 0.2)
            self.assertEqual("beta" in p, p["opt"] == "adam")
            seen.add(p["opt"])
        self.assertEqual(seen, {"sgd", "adam"})
        self.assertEqual(spaces.point(space, 42, 7), spaces.point(space, 42, 7))
        self.assertNotEqual(spaces.point(space, 42, 7), spaces.point(space, 43, 7))

    def test_grids_multiply_only_active_branches(self):
        space = spaces.SearchSpace({"parameters": {"opt": ["sgd", "adam"], "beta": {
            "type": "uniform", "low": 0, "high": 1, "steps": 3, "when": {"opt": "adam"}},
            "bs": {"type": "int", "low": 16, "high": 256, "log": True, "steps": 3}}})
        grid = space.grid()
        self.assertEqual(len(grid), 3 + 9)
        self.assertEqual(grid[0], {"opt": "sgd", "bs": 16})
        self.assertEqual(grid[3], {"opt": "adam", "beta": 0.0, "bs": 16})
        self.assertEqual(sorted({g["bs"] for g in grid}), [16, 64, 256])

    def test_shipped_spaces_parse(self):
        folder = os.path.join(HERE, "..", "..", "..", "search-spaces")
        for name in sorted(os.listdir(folder)):
            spaces.SearchSpace.read(os.path.join(folder, name))

    def test_errors_name_the_parameter(self):
        with self.assertRaisesRegex(spaces.SpaceError, "parameter 'lr'"):
            spaces.SearchSpace({"parameters": {"lr": {"type": "uniform", "low": 1, "high": 0}}})
        with self.assertRaisesRegex(spaces.SpaceError, "unknown field"):
            spaces.SearchSpace({"parameters": {"lr": 1}, "colour": "red"})


class WorkerAndMasterTest(unittest.TestCase):
    """The Python master and a Python worker in one process, on a real study directory."""

    def run_study(self, train, trials=4, **master_args):
        study = tempfile.mkdtemp()
        self.addCleanup(lambda: subprocess.run(["rm", "-rf", study]))
        master = Master(study, spaces.SearchSpace(SPACE), "random", trials, batch=2, lease=5, log=quiet, poll=0.01,
                        **master_args)
        done = threading.Thread(target=master.run)
        done.start()
        worker = Worker(train, study, "w1", idle_exit=10, log=quiet)
        worker.run()
        done.join(30)
        self.assertFalse(done.is_alive())
        results = {}
        for name in os.listdir(os.path.join(study, "results")):
            with open(os.path.join(study, "results", name)) as f:
                results[name[:-5]] = json.load(f)
        return study, results

    def test_every_outcome(self):
        def train(params, report):
            if params["opt"] == "adam" and params["beta"] > 0.9:
                raise RuntimeError("beta too large")
            for e in range(1, params["epochs"] + 1):
                loss = float("nan") if params["lr"] > 0.15 else 1 / e
                if not report(epoch=e, train_loss=loss, val_loss=loss, val_error=min(1.0, loss / 2), accuracy=0.5):
                    return
            return {"framework": "test"}

        study, results = self.run_study(train, trials=12)
        self.assertEqual(sorted(results), [f"s{i:06d}" for i in range(12)])
        statuses = {r["status"] for r in results.values()}
        self.assertIn("complete", statuses)
        for r in results.values():
            files.check_result(r, r["id"])
            if r["status"] == "complete":
                self.assertEqual(len(r["epochs"]), 3)
                self.assertEqual(r["epochs"][0]["metrics"], {"accuracy": 0.5})
                self.assertEqual(r["info"], {"framework": "test"})
            if r["status"] == "diverged":
                self.assertEqual(r["epochs"][0]["trainLoss"], "NaN")
                self.assertIn("became nan in epoch 1", r["reason"])
            if r["status"] == "failed":
                self.assertIn("RuntimeError: beta too large", r["reason"])
                self.assertIn(", in train", r["reason"])  # the traceback's last lines
        with open(os.path.join(study, "workers", "w1.json")) as f:
            status = json.load(f)
        self.assertEqual((status["worker"], status["state"], status["completed"]), ("w1", "exited", 12))
        with open(os.path.join(study, "master.json")) as f:
            self.assertEqual(json.load(f)["phase"], "finished")

    def test_a_function_that_reports_nothing_fails_with_a_reason(self):
        _, results = self.run_study(lambda params, report: None, trials=1)
        self.assertEqual(results["s000000"]["status"], "failed")
        self.assertIn("without reporting an epoch", results["s000000"]["reason"])

    def test_bad_report_calls_fail_the_setting(self):
        _, results = self.run_study(lambda p, report: report(epoch=2, train_loss=1, val_loss=1, val_error=0.5), trials=1)
        self.assertIn("expected 1", results["s000000"]["reason"])

    def test_reports_the_java_side_would_refuse_fail_the_setting_with_a_reason(self):
        for bad, why in ((dict(epoch=True), "integer"), (dict(train_seconds=-1), "train_seconds"),
                         (dict(val_error="0.5"), "val_error"), (dict(**{"bad name": 1.0}), "metric name")):
            args = dict(train_loss=1, val_loss=1, val_error=0.5)
            args.update(bad)
            _, results = self.run_study(lambda p, report, a=args: report(**a), trials=1)
            self.assertEqual(results["s000000"]["status"], "failed")
            self.assertIn(why, results["s000000"]["reason"])

    def test_info_that_is_not_json_and_sys_exit_fail_the_setting_and_the_worker_goes_on(self):
        def train(params, report):
            report(train_loss=1, val_loss=1, val_error=0.5)
            if params["lr"] < 0.05:
                sys.exit(3)
            return {"obj": object()}

        _, results = self.run_study(train, trials=6)
        self.assertEqual(len(results), 6)
        reasons = [r["reason"] for r in results.values()]
        self.assertTrue(all(r["status"] == "failed" for r in results.values()))
        self.assertTrue(any("sys.exit(3)" in r for r in reasons) and any("not JSON" in r for r in reasons), reasons)

    def test_an_io_error_while_publishing_is_retried_and_the_result_kept(self):
        real, failed = os.rename, []

        def flaky(src, dst, *args, **kwargs):
            if str(dst).endswith(".publishing") and not failed:
                failed.append(dst)
                raise OSError(5, "Input/output error (injected)")
            return real(src, dst, *args, **kwargs)

        os.rename = flaky
        try:
            _, results = self.run_study(lambda p, report: report(train_loss=1, val_loss=1, val_error=0.5), trials=2)
        finally:
            os.rename = real
        self.assertEqual(len(failed), 1)
        self.assertEqual(sorted(r["status"] for r in results.values()), ["complete", "complete"])

    def test_three_argument_functions_get_the_trial(self):
        seen = []

        def train(params, report, trial):
            seen.append((trial.id, trial.attempt, trial.seed, trial.device))
            report(train_loss=1, val_loss=1, val_error=0.5)

        self.run_study(train, trials=1)
        self.assertEqual(seen, [("s000000", 1, 42, "cpu")])

    def test_many_workers_claim_each_setting_once_and_one_alone_claims_oldest_first(self):
        study = tempfile.mkdtemp()
        self.addCleanup(lambda: subprocess.run(["rm", "-rf", study]))
        master = Master(study, spaces.SearchSpace(SPACE), "random", 200, batch=200, log=quiet, poll=0.01)
        master.step()
        self.assertEqual(len(files.listdir(os.path.join(study, "pending"))), 200)
        claimed, lock = [], threading.Lock()

        def claim_all(worker):
            os.makedirs(os.path.join(study, "claimed", worker.id), exist_ok=True)
            while True:
                got = worker._claim_next()
                if got is None:
                    return
                with lock:
                    claimed.append(got[0]["id"])

        workers = [Worker(lambda p: 0.5, study, worker_id=f"w{i}", log=quiet) for i in range(8)]
        threads = [threading.Thread(target=claim_all, args=(w,)) for w in workers]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(sorted(claimed), [f"s{i:06d}" for i in range(200)], "each setting claimed exactly once")

        alone = tempfile.mkdtemp()
        self.addCleanup(lambda: subprocess.run(["rm", "-rf", alone]))
        Master(alone, spaces.SearchSpace(SPACE), "random", 20, batch=20, log=quiet, poll=0.01).step()
        worker = Worker(lambda p: 0.5, alone, worker_id="solo", log=quiet)
        os.makedirs(os.path.join(alone, "claimed", "solo"), exist_ok=True)
        order = []
        while (got := worker._claim_next()) is not None:
            order.append(got[0]["id"])
        self.assertEqual(order, [f"s{i:06d}" for i in range(20)], "no other worker: strictly oldest first")

    def test_a_result_with_other_params_is_quarantined_and_the_setting_retried(self):
        study = tempfile.mkdtemp()
        self.addCleanup(lambda: subprocess.run(["rm", "-rf", study]))
        master = Master(study, spaces.SearchSpace(SPACE), "random", 1, lease=5, log=quiet, poll=0.01)
        master.step()
        with open(os.path.join(study, "pending", "s000000.json")) as f:
            setting = json.load(f)
        os.unlink(os.path.join(study, "pending", "s000000.json"))
        result = {"schema": 1, "id": "s000000", "status": "complete", "reason": None, "point": 0, "repeat": 0,
                  "batch": 0, "attempt": 1, "worker": "x", "created": setting["created"], "claimed": None,
                  "finished": files.now(), "params": dict(setting["params"], lr=99.0),
                  "epochs": [{"epoch": 1, "trainLoss": 1, "valLoss": 1, "valError": 0.5, "elapsedSeconds": 1}],
                  "info": {}}
        files.publish_once(os.path.join(study, "results", "s000000.json"), result)
        for _ in range(3):
            master.step()
        with open(os.path.join(study, "pending", "s000000.json")) as f:
            retried = json.load(f)
        self.assertEqual(retried["attempt"], 2)
        self.assertIn("parameter 'lr' is 99.0 in the result", retried["history"][0]["reason"])

    def test_a_setting_not_written_to_pending_on_a_full_disk_is_written_when_space_returns(self):
        study = tempfile.mkdtemp()
        self.addCleanup(lambda: subprocess.run(["rm", "-rf", study]))
        real, full = files.write_json, [True]

        def no_space(path, value, durable=True):
            if full[0] and os.sep + "pending" + os.sep in path:
                raise OSError(28, "No space left on device")
            return real(path, value, durable)

        logged = []
        master = Master(study, spaces.SearchSpace(SPACE), "random", 2, batch=2, lease=5, log=logged.append, poll=0.01)
        files.write_json = no_space
        try:
            for _ in range(12):
                master.step()
            self.assertEqual(os.listdir(os.path.join(study, "pending")), [])
            full[0] = False
            master.step()
        finally:
            files.write_json = real
        self.assertEqual(os.listdir(os.path.join(study, "results")), [], "nothing failed for a full disk")
        for sid in ("s000000", "s000001"):
            setting = load(os.path.join(study, "pending", sid + ".json"))
            self.assertEqual((setting["attempt"], setting["history"]), (1, []), "it never trained: its first attempt")
        self.assertFalse([line for line in logged if "no file anywhere" in line], logged)

    def test_a_master_paused_past_a_takeover_changes_nothing_and_stops(self):
        """Issue 25 (1) for the Python master: after another master took the study over (--force), this one
        must quarantine no result of the new master's settings, with or without an owner token there."""
        from hps_worker.master import Replaced
        for token in (True, False):
            study = tempfile.mkdtemp()
            self.addCleanup(lambda d=study: subprocess.run(["rm", "-rf", d]))
            old = Master(study, spaces.SearchSpace(SPACE), "random", 4, batch=2, lease=5, log=quiet, poll=0.01)
            old._heartbeat("running", verify=False)
            old.step()  # proposes batch 0
            # Meanwhile another master takes over, proposes batch 1, and a worker publishes a result of it.
            with open(os.path.join(study, "batches", "b000000.json")) as f:
                first = json.load(f)
            second = dict(first, batch=1, settings=[dict(first["settings"][0], id="s000009", point=9, batch=1)])
            files.write_json(os.path.join(study, "batches", "b000001.json"), second, durable=False)
            result = {"schema": 1, "id": "s000009", "status": "complete", "reason": None, "point": 9, "repeat": 0,
                      "batch": 1, "attempt": 1, "worker": "w", "created": second["settings"][0]["created"],
                      "claimed": None, "finished": files.now(), "params": second["settings"][0]["params"],
                      "epochs": [{"epoch": 1, "trainLoss": 1, "valLoss": 1, "valError": 0.5, "elapsedSeconds": 1}],
                      "info": {}}
            files.publish_once(os.path.join(study, "results", "s000009.json"), result)
            if token:
                files.write_json(os.path.join(study, "master.json"), {"schema": 1, "host": "other", "pid": 1,
                                 "started": files.now(), "updated": files.now(), "phase": "running",
                                 "owner": "someone-else"}, durable=False)
            with self.assertRaises(Replaced):
                old.step()
            self.assertTrue(os.path.exists(os.path.join(study, "results", "s000009.json")), "the result is kept")
            self.assertEqual(files.listdir(os.path.join(study, "quarantine")), [])


class SkewedMasterTest(unittest.TestCase):
    """Issue 28: a master on another host is judged by whether master.json changes, never by its clock."""

    def test_a_beating_master_ten_minutes_behind_is_alive_and_a_silent_one_ten_minutes_ahead_is_dead(self):
        from hps_worker import master as master_module
        study = tempfile.mkdtemp()
        self.addCleanup(lambda: subprocess.run(["rm", "-rf", study]))
        Master(study, spaces.SearchSpace(SPACE), "random", 2, log=quiet)
        path = os.path.join(study, "master.json")

        def other(offset, beat):
            t = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(time.time() + offset + beat)) + "Z"
            files.write_json(path, {"schema": 1, "host": "other-host", "pid": 1, "started": t, "updated": t,
                                    "phase": "running", "owner": "tok"}, durable=False)

        stale, master_module.STALE = master_module.STALE, 2.0
        self.addCleanup(setattr, master_module, "STALE", stale)
        beating = [True]

        def beat():
            n = 0
            while beating[0]:
                n += 1
                other(-600, n)
                time.sleep(0.3)
        other(-600, 0)
        thread = threading.Thread(target=beat)
        thread.start()
        try:
            second = Master(study, spaces.SearchSpace(SPACE), "random", 2, log=quiet, poll=0.01)
            with self.assertRaises(SystemExit) as refused:
                second._refuse_second_master()
            self.assertIn("another master", str(refused.exception))
        finally:
            beating[0] = False
            thread.join()
        other(+600, 0)  # its last beat, 10 minutes in our future; then silence
        logged = []
        second = Master(study, spaces.SearchSpace(SPACE), "random", 2, log=logged.append, poll=0.01)
        second._refuse_second_master()  # not refused: no change in 2 s
        self.assertTrue(any("no heartbeat from other-host" in line for line in logged), logged)


def load_toy():
    import importlib.util
    spec = importlib.util.spec_from_file_location("toy", os.path.join(os.path.dirname(HERE), "examples", "toy.py"))
    toy = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(toy)
    return toy


class MisbehavingWorldTest(unittest.TestCase):
    """Issue 25 (6): temp files that vanish, a full disk, and checkpoints of another framework."""

    def setUp(self):
        self.study = tempfile.mkdtemp()
        self.addCleanup(lambda: subprocess.run(["rm", "-rf", self.study]))
        Master(self.study, spaces.SearchSpace(SPACE), "random", 1, lease=5, log=quiet)  # study.json and folders
        self.logged = []

    def pend(self, sid, **extra):
        setting = {"schema": 1, "id": sid, "point": 0, "repeat": 0, "batch": 0, "attempt": 1, "created": files.now(),
                   "params": {"model": "toy", "epochs": 4, "lr": 0.05, "seed": 42}, "history": [], **extra}
        files.write_json(os.path.join(self.study, "pending", sid + ".json"), setting, durable=False)

    def work(self, train):
        Worker(train, self.study, "py", idle_exit=0.3, log=self.logged.append).run()
        results = {}
        for name in os.listdir(os.path.join(self.study, "results")):
            results[name[:-5]] = load(os.path.join(self.study, "results", name))
        return results

    def one_setting_with(self, module, name, replacement):
        """Trains one setting while module.name is replaced (an injected fault); returns the results."""
        self.pend("s000000")
        real = getattr(module, name)
        setattr(module, name, replacement)
        try:
            return self.work(lambda p, report: report(train_loss=1, val_loss=1, val_error=0.5))
        finally:
            setattr(module, name, real)

    def temp_files(self):
        return [os.path.join(top, n) for top, dirs, names in os.walk(self.study) for n in names + dirs
                if n.startswith(".tmp")]

    def test_a_temp_file_removed_by_someone_else_while_publishing_is_written_again(self):
        real, removed = os.link, []

        def remover(src, dst, *args, **kwargs):
            if not removed and os.path.basename(src).startswith(".tmp"):
                removed.append(src)
                os.unlink(src)  # a cleaner with a clock far ahead deleted the live temp file
            return real(src, dst, *args, **kwargs)

        results = self.one_setting_with(os, "link", remover)
        self.assertEqual(len(removed), 1)
        self.assertEqual(results["s000000"]["status"], "complete")
        self.assertEqual(self.temp_files(), [])

    def test_a_full_disk_while_publishing_leaves_no_temp_files_and_the_result_is_published_when_space_returns(self):
        real, failures = os.fsync, []

        def full(fd):
            if len(failures) < 4 and os.path.basename(os.readlink(f"/proc/self/fd/{fd}")).startswith(".tmp-s0"):
                failures.append(fd)
                raise OSError(28, "No space left on device")
            return real(fd)

        results = self.one_setting_with(os, "fsync", full)
        self.assertEqual(len(failures), 4)
        self.assertEqual(results["s000000"]["status"], "complete")
        self.assertEqual(self.temp_files(), [], "no temp file left behind")

    def test_a_checkpoint_that_cannot_be_saved_for_a_full_disk_leaves_the_result_complete_and_says_why(self):
        toy = load_toy()

        def full_disk(params, report, trial):
            if trial.checkpoint_dir:
                trial.checkpoint_dir = os.path.join(trial.checkpoint_dir, "no-space")  # open() fails as on ENOSPC
            return toy.train(params, report, trial)

        self.pend("s000000", budget=2, lineage={"rung": 0, "bracket": 0}, checkpoint=True)
        results = self.work(full_disk)
        result = results["s000000"]
        self.assertEqual(result["status"], "complete")
        self.assertEqual(len(result["epochs"]), 2)
        self.assertIn("FileNotFoundError", result["info"]["checkpointFailed"])
        self.assertNotIn("checkpoint", result)
        self.assertEqual(self.temp_files(), [], "no half-saved checkpoint left behind")

    def test_a_checkpoint_of_another_framework_is_not_an_error_the_setting_trains_from_scratch(self):
        toy = load_toy()
        saved = os.path.join(self.study, "checkpoints", "s000000", "a1-java")
        os.makedirs(saved)
        with open(os.path.join(saved, "state.bin"), "wb") as f:
            f.write(b"\x00" * 64)  # what a DL4J trainer saves: not the toy's toy.json
        files.write_json(os.path.join(saved, "checkpoint.json"), {"schema": 1, "setting": "s000000", "attempt": 1,
                         "worker": "java", "epochs": 2, "created": files.now()}, durable=False)
        self.pend("s000001", budget=4, lineage={"rung": 1, "bracket": 0, "parent": "s000000"},
                  resume={"from": "s000000", "path": "checkpoints/s000000/a1-java", "epochs": 2})
        results = self.work(toy.train)
        result = results["s000001"]
        self.assertEqual(result["status"], "complete")
        self.assertEqual([e["epoch"] for e in result["epochs"]], [1, 2, 3, 4], "trained from scratch")
        self.assertNotIn("resumed", result)
        why = result["info"]["resumeFailed"]
        self.assertIn("checkpoints/s000000/a1-java", why)
        self.assertIn("saved by worker java", why)
        self.assertIn("toy.json", why)
        self.assertIn("trained from scratch", why)


class DeclaredParametersTest(unittest.TestCase):
    DECLARED = {"lr": hps_worker.real(0, None, default=0.05, above=True), "opt": hps_worker.choice("sgd", "adam"),
                "beta": hps_worker.real(0, 1), "bs": hps_worker.integer(1, 512, default=64)}

    def test_problems_name_the_parameter_and_what_it_may_be(self):
        self.assertEqual(params.problems(self.DECLARED, {"model": "toy", "epochs": 3, "seed": 1, "lr": 0.1}), [])
        self.assertEqual(params.problems(self.DECLARED, {"lr": 0}), ["parameter 'lr' must be > 0, not 0"])
        self.assertEqual(params.problems(self.DECLARED, {"bs": 2.5}),
                         ["parameter 'bs' must be a whole number, not 2.5"])
        self.assertEqual(params.problems(self.DECLARED, {"opt": "rmsprop"}),
                         ["parameter 'opt' must be one of \"sgd\" or \"adam\", not \"rmsprop\""])
        wrong = params.problems(self.DECLARED, {"LR": 0.1})[0]
        self.assertIn("'LR' is not read by this worker, which reads lr, opt, beta, bs, model, epochs, seed", wrong)
        self.assertTrue(wrong.endswith("did you mean 'lr'?"))
        self.assertEqual(params.with_defaults(self.DECLARED, {"opt": "sgd"}), {"lr": 0.05, "bs": 64, "opt": "sgd"})
        with self.assertRaises(ValueError):
            hps_worker.integer(1, 10, default=0)

    def run_declared(self, declared, train):
        study = tempfile.mkdtemp()
        self.addCleanup(lambda: subprocess.run(["rm", "-rf", study]))
        master = Master(study, spaces.SearchSpace(SPACE), "random", 6, batch=6, lease=5, log=quiet, poll=0.01)
        master.step()  # six pending settings
        Worker(train, study, "w1", idle_exit=1, log=quiet, parameters=declared).run()
        return study

    def test_a_worker_refuses_a_study_its_function_cannot_train_before_claiming_anything(self):
        declared = {"lr": hps_worker.real(0, 0.1, default=0.05), "opt": hps_worker.choice("sgd", "adam")}
        with self.assertRaises(SystemExit) as refused:
            self.run_declared(declared, lambda p, report: None)
        self.assertEqual(refused.exception.code, 2)
        wrong = params.space_problems(declared, spaces.SearchSpace(SPACE))
        self.assertEqual(wrong, ["parameter 'lr' must be 0 to 0.1, but the space draws it from [0.01, 0.2]",
                                 "parameter 'beta' is not read by this worker, which reads lr, opt, model, epochs, "
                                 "seed"])

    def test_a_worker_whose_function_reads_the_space_gets_the_declared_defaults(self):
        seen = []

        def train(p, report):
            seen.append(p)
            report(epoch=1, train_loss=1, val_loss=1, val_error=0.5)

        declared = {"lr": hps_worker.real(0, 1, default=0.05), "opt": hps_worker.choice("sgd", "adam"),
                    "beta": hps_worker.real(0, 1), "bs": hps_worker.integer(1, 512, default=64)}
        study = self.run_declared(declared, train)
        self.assertEqual(len(os.listdir(os.path.join(study, "results"))), 6)
        self.assertTrue(all(p["bs"] == 64 for p in seen))  # the declared default, filled in
        self.assertEqual(len(seen), 6)

    def test_check_space_says_whether_a_space_suits_the_worker(self):
        with tempfile.TemporaryDirectory() as root:
            path = os.path.join(root, "space.json")
            with open(path, "w") as f:
                json.dump(SPACE, f)
            from hps_worker.worker import check_space
            self.assertEqual(check_space(path, {"lr": hps_worker.real(0, 1), "opt": hps_worker.choice("sgd", "adam"),
                                                "beta": hps_worker.real(0, 1)}), 0)
            self.assertEqual(check_space(path, {"lr": hps_worker.real(0, 1)}), 2)


class MasterStudyFileTest(unittest.TestCase):
    def test_set_values_are_kept_on_resume_and_other_values_are_named(self):
        with tempfile.TemporaryDirectory() as study:
            space = spaces.SearchSpace(SPACE)
            Master(study, space, "random", 2, sets=["epochs=5"], created_by="python3 -m hps_worker.master", log=quiet)
            with open(os.path.join(study, "study.json")) as f:
                config = json.load(f)
            self.assertEqual((config["sets"], config["space"]["parameters"]["epochs"]), (["epochs=5"], 5))
            self.assertEqual(config["createdBy"], "python3 -m hps_worker.master")
            Master(study, space, "random", 2, log=quiet)  # the space file without --set: its --set values are kept
            with self.assertRaises(SystemExit) as refused:
                Master(study, space, "random", 2, sets=["epochs=6"], log=quiet)
            self.assertIn("'epochs' is 5 in study.json but 6 in the space given", str(refused.exception))

    def test_epochs_that_cannot_train_are_refused_before_anything_is_written(self):
        with tempfile.TemporaryDirectory() as root:
            for bad in ("epochs=0", "epochs=abc", "epochs=2.5"):
                with self.assertRaises(spaces.SpaceError) as refused:
                    Master(os.path.join(root, "s"), spaces.SearchSpace(SPACE), "random", 2, sets=[bad], log=quiet)
                self.assertIn("parameter 'epochs' must be a whole number of at least 1", str(refused.exception))
                self.assertFalse(os.path.exists(os.path.join(root, "s")))


class RefusingWorkerTest(unittest.TestCase):
    CNN = os.path.join(HERE, "..", "examples", "cnn_torch.py")

    def test_the_pytorch_worker_without_pytorch_refuses_to_start_and_claims_nothing(self):
        with tempfile.TemporaryDirectory() as root:
            fake = os.path.join(root, "nopytorch", "torch")
            os.makedirs(fake)
            with open(os.path.join(fake, "__init__.py"), "w") as f:
                f.write("raise ImportError(\"No module named 'torch' (this test hides it)\")\n")
            study = os.path.join(root, "study")
            Master(study, spaces.SearchSpace(SPACE), "random", 1, log=quiet).step()  # one pending setting
            run = subprocess.run([sys.executable, self.CNN, "--study", study, "--idle-exit", "2"], capture_output=True,
                                 text=True, timeout=60, env=dict(os.environ, PYTHONPATH=os.path.dirname(fake)))
            self.assertEqual(run.returncode, 2, run.stdout + run.stderr)
            self.assertIn("cannot train, so not starting: PyTorch is not importable by", run.stderr)
            self.assertEqual(os.listdir(os.path.join(study, "pending")), ["s000000.json"])
            self.assertFalse(os.path.exists(os.path.join(study, "claimed", "w1")))

    def test_the_pytorch_worker_without_mnist_refuses_to_start(self):
        try:
            import torch  # noqa: F401
        except ImportError:
            self.skipTest("PyTorch is not installed (Debian: apt-get install python3-torch): it refuses for that first")
        with tempfile.TemporaryDirectory() as empty:
            run = subprocess.run([sys.executable, self.CNN, "--check", "--data-dir", empty], capture_output=True,
                                 text=True, timeout=60)
            self.assertEqual(run.returncode, 2)
            self.assertIn(f"no MNIST in {empty}", run.stderr)

    def test_a_worker_pointed_at_a_missing_study_says_it_is_waiting(self):
        with tempfile.TemporaryDirectory() as root:
            toy = os.path.join(HERE, "..", "examples", "toy.py")
            run = subprocess.run([sys.executable, toy, "--study", os.path.join(root, "later"), "--idle-exit", "1"],
                                 capture_output=True, text=True, timeout=60)
            self.assertIn(f"waiting for {os.path.join(root, 'later', 'study.json')}: no study there yet", run.stdout)


class Scenario6Test(unittest.TestCase):
    def test_the_parallel_and_the_one_worker_run_and_the_report_command(self):
        with tempfile.TemporaryDirectory() as root:
            study = os.path.join(root, "s6")
            toy = os.path.join(HERE, "..", "examples", "toy.py")
            # Epochs of 0.3 s: long enough that each worker gets a setting of every batch of two, even when one
            # of them starts late on a loaded machine.
            run = subprocess.run([sys.executable, "-m", "hps_worker.scenario6", "--study", study, "--quick", "--trials",
                                  "4", "--set", "epochSeconds=0.3", "--worker", f"{sys.executable} {toy}"],
                                 capture_output=True, text=True, timeout=300, cwd=os.path.dirname(HERE))
            self.assertEqual(run.returncode, 0, run.stdout + run.stderr)
            for directory, workers in ((study, 2), (os.path.join(study, "one-worker"), 1)):
                with open(os.path.join(directory, "study.json")) as f:
                    config = json.load(f)
                self.assertEqual((config["strategy"], config["batch"], config["sets"]),
                                 ("random", workers, ["epochs=3", "trainSize=1000", "valSize=1000", "epochSeconds=0.3"]))
                self.assertIn("python3 -m hps_worker.scenario6 --study", config["createdBy"])
                self.assertEqual(len(os.listdir(os.path.join(directory, "results"))), 4)
            ids = {load(os.path.join(study, "results", n))["worker"] for n in os.listdir(
                os.path.join(study, "results"))}
            self.assertEqual(len({i.split("-")[0] for i in ids}), 2, ids)  # both workers published
            self.assertIn(f"scenario 6 --study {study} --report-only", run.stdout)


class TorchCnnTest(unittest.TestCase):
    def test_the_pytorch_cnn_learns_on_tiny_mnist(self):
        try:
            import torch  # noqa: F401
        except ImportError:
            self.skipTest("PyTorch is not installed (Debian: apt-get install python3-torch); the PyTorch CNN is not "
                          "checked here")
        sys.path.insert(0, os.path.join(HERE, "..", "examples"))
        import cnn_torch

        class FakeTrial:
            threads, device = 2, "cpu"
            data_dir = os.path.join(HERE, "..", "..", "..", "test-data", "mnist-tiny")

        epochs = []

        def report(**e):
            epochs.append(e)
            return True

        info = cnn_torch.train({"model": "cnn", "epochs": 4, "trainSize": 1000, "valSize": 200, "nf": 8, "lr": 0.1,
                                "bs": 50, "seed": 1}, report, FakeTrial())
        self.assertEqual(info["framework"], "pytorch")
        self.assertEqual(info["numFreeParameters"], 8 * 25 + 8 + 8 * 8 * 25 + 8 + 128 * 256 + 256 + 2570)
        self.assertLess(epochs[-1]["val_error"], 0.4)  # chance is 0.9
        self.assertLess(epochs[-1]["train_loss"], epochs[0]["train_loss"])


if __name__ == "__main__":
    unittest.main()
