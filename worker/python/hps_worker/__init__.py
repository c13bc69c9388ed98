"""hps_worker: join an hps study from Python (standard library only, Python 3.9+).

    import hps_worker

    def train(params, report):
        for epoch in range(1, params["epochs"] + 1):
            ...
            if not report(epoch=epoch, train_loss=tl, val_loss=vl, val_error=ve):
                return            # the master asked to stop, or the worker is shutting down

    hps_worker.run(train)        # --study DIR [--id ID] [--idle-exit S] [--device D] ...

`python3 -m hps_worker.master` is a small master (grid and random search); see its --help.
"""
from . import params
from .params import choice, integer, real, text
from .worker import Trial, Worker, parser, run

__all__ = ["Trial", "Worker", "parser", "run", "integer", "real", "choice", "text"]
__version__ = "0.1.0"
