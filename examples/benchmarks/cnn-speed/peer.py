"""What the peer scripts of `hps bench-train` share: their command line and their peak memory."""
import argparse
import resource


def arguments(doc):
    """--nf, --bs, --epochs, --threads and --data-dir, as `hps bench-train` passes them."""
    p = argparse.ArgumentParser(description=doc.splitlines()[0])
    p.add_argument("--nf", type=int, default=32)
    p.add_argument("--bs", type=int, default=100)
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--data-dir", required=True)
    return p.parse_args()


def peak_rss_kib():
    """This process's peak resident memory: VmHWM (getrusage's ru_maxrss keeps the parent's across exec)."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
