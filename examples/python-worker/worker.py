#!/usr/bin/env python3
"""A worker for an hps study directory, written from PROTOCOL.md alone (standard library only).

It "trains" with a toy curve (error falls geometrically with the learning rate) instead of a network:
replace train() with your own framework's loop. Usage:
    python3 worker.py STUDY_DIR [--id ID] [--idle-exit SECONDS]
"""
import argparse, datetime, json, os, re, signal, socket, sys, threading, time

SAFE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
stopping = False


def now():
    return datetime.datetime.now(datetime.timezone.utc).isoformat().replace("+00:00", "Z")


def fsync_dir(path):
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def quarantine(study, path, reason, me):
    name = re.sub(r"[^A-Za-z0-9_.-]", "_", os.path.basename(path)).replace("..", "__").lstrip(".") or "unnamed"
    target = os.path.join(study, "quarantine", name)
    try:
        os.rename(path, target)
    except FileNotFoundError:
        return
    with open(target + ".reason.txt", "w") as f:
        f.write(f"file: {path}\nreason: {reason}\nby: {me}\nat: {now()}\n")


def claim_next(study, me):
    pending = os.path.join(study, "pending")
    for name in sorted(n for n in os.listdir(pending) if not n.startswith(".")):
        source = os.path.join(pending, name)
        sid = name[:-5] if name.endswith(".json") else ""
        if not SAFE.match(sid) or ".." in sid or os.path.islink(source) or not os.path.isfile(source):
            quarantine(study, source, "not <id>.json with a safe id, or not a regular file", me)
            continue
        target = os.path.join(study, "claimed", me, name)
        try:
            os.rename(source, target)  # the claim: atomic, exactly one worker wins
        except FileNotFoundError:
            continue
        try:
            with open(target) as f:
                setting = json.load(f)
            if setting.get("schema") != 1 or setting.get("id") != sid:
                raise ValueError("wrong schema or id")
        except FileNotFoundError:
            continue
        except ValueError as e:
            quarantine(study, target, f"setting file is not valid: {e}", me)
            continue
        if os.path.exists(os.path.join(study, "results", name)):
            os.unlink(target)
            continue
        return setting, target
    return None, None


def train(params, keep_going):
    """Toy learning curve; returns (status, epochs). Replace with real training."""
    lr, epochs, delay = float(params.get("lr", 0.05)), int(params.get("epochs", 5)), float(params.get("epochSeconds", 0))
    start, done, error = time.time(), [], 0.9
    for e in range(1, epochs + 1):
        time.sleep(delay)
        error = 0.02 + (error - 0.02) * (1 - min(0.9, lr * 5))
        done.append({"epoch": e, "trainLoss": 2.3 * error, "valLoss": 2.4 * error, "valError": error,
                     "elapsedSeconds": time.time() - start})
        if not keep_going():
            return ("stopped" if e < epochs else "complete"), done
    return "complete", done


def publish(study, claim_path, result):
    sid = result["id"]
    fenced = claim_path[:-5] + ".publishing"
    try:
        os.rename(claim_path, fenced)  # the fence: fails if the master took the setting back
    except FileNotFoundError:
        return "fenced"
    results = os.path.join(study, "results")
    tmp = os.path.join(results, f".tmp-{sid}-{os.getpid()}")
    with open(tmp, "w") as f:
        json.dump(result, f, indent=2)
        f.flush()
        os.fsync(f.fileno())
    try:
        os.link(tmp, os.path.join(results, sid + ".json"))  # never replaces an existing result
        outcome = "published"
    except FileExistsError:
        outcome = "duplicate"
    finally:
        os.unlink(tmp)
    fsync_dir(results)
    os.unlink(fenced)
    return outcome


def main():
    global stopping
    ap = argparse.ArgumentParser()
    ap.add_argument("study")
    ap.add_argument("--id", default=f"{socket.gethostname()}-py{os.getpid()}")
    ap.add_argument("--idle-exit", type=float, default=0)
    args = ap.parse_args()
    study, me = args.study, args.id
    signal.signal(signal.SIGTERM, lambda *_: globals().__setitem__("stopping", True))
    while not os.path.exists(os.path.join(study, "study.json")):
        time.sleep(0.2)
    with open(os.path.join(study, "study.json")) as f:
        lease = float(json.load(f)["leaseSeconds"])
    os.makedirs(os.path.join(study, "claimed", me), exist_ok=True)
    idle_since, published = time.time(), 0
    while not stopping:
        setting, path = claim_next(study, me)
        if setting is None:
            try:
                with open(os.path.join(study, "master.json")) as f:
                    finished = json.load(f).get("phase") == "finished"
            except (FileNotFoundError, ValueError):
                finished = False
            if (finished and not [n for n in os.listdir(os.path.join(study, "pending")) if not n.startswith(".")]) \
                    or (args.idle_exit and time.time() - idle_since > args.idle_exit):
                break
            time.sleep(0.05)
            continue
        claimed, lost, trained = now(), threading.Event(), threading.Event()

        def beat():  # heartbeat: touch the claim every lease/6 seconds until training ends
            while not trained.wait(lease / 6):
                try:
                    os.utime(path)
                except FileNotFoundError:
                    lost.set()  # the master took the setting back
                    return

        threading.Thread(target=beat, daemon=True).start()
        try:
            status, epochs = train(setting["params"], lambda: not stopping and not lost.is_set())
            reason = None
        except Exception as e:  # a failing setting becomes a failed result; the worker goes on
            status, epochs, reason = "failed", [], f"{type(e).__name__}: {e}"
        trained.set()
        if stopping and status != "complete":
            os.rename(path, os.path.join(study, "pending", setting["id"] + ".json"))  # hand back
            fsync_dir(os.path.join(study, "pending"))
            break
        if lost.is_set():
            print(f"{me}: lease on {setting['id']} lost; discarding", flush=True)
            continue
        result = {"schema": 1, "id": setting["id"], "status": status, "reason": reason,
                  "point": setting["point"], "repeat": setting["repeat"], "batch": setting["batch"],
                  "attempt": setting["attempt"], "worker": me, "created": setting["created"],
                  "claimed": claimed, "finished": now(), "params": setting["params"], "epochs": epochs, "info": {}}
        outcome = publish(study, path, result)
        published += outcome == "published"
        print(f"{me}: {setting['id']} {status} {outcome}", flush=True)
        idle_since = time.time()
    print(f"{me}: published {published} results", flush=True)


if __name__ == "__main__":
    sys.exit(main())
