"""What a training function reads: each parameter declared once with its allowed values and default.

    PARAMETERS = {"lr": real(0, None, default=0.05, above=True), "bs": integer(1, 60000, default=100),
                  "momentum": choice("nesterov", "classic", default="nesterov")}
    hps_worker.run(train, parameters=PARAMETERS)

The worker then checks every setting before it trains it: a name the function does not read (a typo such as
`learningRate`) or a value outside these makes a `failed` result that says so, instead of training with a silent
default; and `train` gets the parameters with the declared defaults filled in. The protocol's own `model`,
`epochs` and `seed` need no declaring. The Java trainers declare theirs the same way (Trainer.parameters()).
"""
import json

PROTOCOL = ("model", "epochs", "seed")


class Param:
    def __init__(self, kind, low=None, high=None, above=False, below=False, choices=(), default=None):
        self.kind, self.low, self.high, self.above, self.below = kind, low, high, above, below
        self.choices, self.default = tuple(choices), default
        if default is not None and self.check(default):
            raise ValueError(f"the default {default!r} is not allowed: it {self.check(default)}")

    def allowed(self):
        if self.kind == "choice":
            return " or ".join(json.dumps(c) for c in self.choices)
        if self.kind == "text":
            return "a string"
        lo = None if self.low is None else (">" if self.above else ">=") + f" {self.low:g}"
        hi = None if self.high is None else ("<" if self.below else "<=") + f" {self.high:g}"
        if lo and hi:
            return f"{self.low:g} to {self.high:g}" if not (self.above or self.below) else f"{lo} and {hi}"
        return lo or hi or ("a whole number" if self.kind == "integer" else "a number")

    def check(self, value):
        """What is wrong with `value`, or None."""
        if self.kind in ("integer", "real"):
            number = isinstance(value, (int, float)) and not isinstance(value, bool) and value == value \
                and abs(value) != float("inf")
            if not number:
                return f"must be a number, not {json.dumps(value)}"
            if self.kind == "integer" and not float(value).is_integer():
                return f"must be a whole number, not {json.dumps(value)}"
            if self.low is not None and (value < self.low or self.above and value == self.low) or \
                    self.high is not None and (value > self.high or self.below and value == self.high):
                return f"must be {self.allowed()}, not {json.dumps(value)}"
            return None
        if self.kind == "choice":
            return None if value in self.choices and isinstance(value, str) else \
                f"must be one of {self.allowed()}, not {json.dumps(value)}"
        return None if isinstance(value, str) else f"must be a string, not {json.dumps(value)}"


def integer(low=None, high=None, default=None):
    return Param("integer", low, high, default=default)


def real(low=None, high=None, default=None, above=False, below=False):
    return Param("real", low, high, above, below, default=default)


def choice(*choices, default=None):
    return Param("choice", choices=choices, default=default)


def text(default=None):
    return Param("text", default=default)


def problems(declared, params):
    """What is wrong with a setting's parameters for a function that declared `declared` (a dict of Param)."""
    out = []
    for name, value in params.items():
        p = declared.get(name)
        if p is None:
            if name not in PROTOCOL:
                out.append(_unknown(declared, name))
            continue
        wrong = p.check(value)
        if wrong:
            out.append(f"parameter '{name}' {wrong}")
    return out


def space_problems(declared, space):
    """What is wrong with a search space (hps_worker.space.SearchSpace) for a function that declared `declared`:
    names it does not read, values it cannot take, fractional ranges for whole numbers. The protocol's own
    names are the master's to check."""
    out = []
    for p in space.parameters:
        if p.name in PROTOCOL:
            continue
        d = declared.get(p.name)
        if d is None:
            out.append(_unknown(declared, p.name))
            continue
        if p.kind in ("fixed", "categorical"):
            for v in [p.value] if p.kind == "fixed" else p.values:
                wrong = d.check(v)
                if wrong:
                    out.append(f"parameter '{p.name}' {wrong}")
                    break
            continue
        if d.kind not in ("integer", "real"):
            out.append(f"parameter '{p.name}' must be {d.allowed()}, not a numeric range")
        elif d.kind == "integer" and p.kind != "int":
            out.append(f"parameter '{p.name}' must be a whole number, but the space draws it from a {p.kind} range: "
                       f"use {{\"type\": \"int\", ...}}")
        elif d.check(int(p.low) if p.kind == "int" else p.low) or d.check(int(p.high) if p.kind == "int" else p.high):
            out.append(f"parameter '{p.name}' must be {d.allowed()}, but the space draws it from "
                       f"[{p.low:g}, {p.high:g}]")
    return out


def _unknown(declared, name):
    near = [n for n in declared if n.lower() == name.lower()]
    return (f"parameter '{name}' is not read by this worker, which reads "
            f"{', '.join(list(declared) + [n for n in PROTOCOL if n not in declared])}"
            + (f"; did you mean '{near[0]}'?" if near else ""))


def with_defaults(declared, params):
    """`params` with the declared defaults of the names it lacks."""
    out = {name: p.default for name, p in declared.items() if p.default is not None}
    out.update(params)
    return out
