"""Search-space files (the format of search-spaces/*.json): parse, sample, enumerate a grid."""
import json
import math
import random

TOP = {"schema", "name", "description", "command", "parameters"}
KEYS = {"type", "low", "high", "log", "grid", "steps", "values", "value", "when", "description"}
TYPES = ("fixed", "uniform", "loguniform", "int", "categorical")


class SpaceError(ValueError):
    pass


def _scalar(v, what):
    if isinstance(v, (str, bool, int, float)):
        return v
    raise SpaceError(f"{what}: values must be strings, numbers or booleans, not {json.dumps(v)}")


class Parameter:
    def __init__(self, name, spec):
        self.name = name
        self.when = {}
        self.grid_values = None
        self.kind = "fixed"
        if not isinstance(spec, dict):
            if isinstance(spec, list):
                if not spec:
                    raise SpaceError(f"parameter '{name}': the value list must not be empty")
                self.kind, self.values = "categorical", [_scalar(v, f"parameter '{name}'") for v in spec]
            else:
                self.value = _scalar(spec, f"parameter '{name}'")
            return
        unknown = set(spec) - KEYS
        if unknown:
            raise SpaceError(f"parameter '{name}': unknown field(s) {sorted(unknown)} (allowed: {sorted(KEYS)})")
        when = spec.get("when")
        if when is not None:
            if not isinstance(when, dict) or not when:
                raise SpaceError(f"parameter '{name}': 'when' must be an object such as {{\"optimizer\": \"adam\"}}")
            self.when = {k: (v if isinstance(v, list) else [v]) for k, v in when.items()}
        self.kind = spec.get("type")
        if self.kind not in TYPES:
            raise SpaceError(f"parameter '{name}': 'type' must be one of {TYPES}, not {self.kind!r}")
        if self.kind == "fixed":
            if "value" not in spec:
                raise SpaceError(f"parameter '{name}': type 'fixed' needs 'value'")
            self.value = _scalar(spec["value"], f"parameter '{name}'")
        elif self.kind == "categorical":
            values = spec.get("values")
            if not isinstance(values, list) or not values:
                raise SpaceError(f"parameter '{name}': 'values' must be a non-empty list")
            self.values = [_scalar(v, f"parameter '{name}'") for v in values]
        else:
            for key in ("low", "high"):
                if not isinstance(spec.get(key), (int, float)) or isinstance(spec.get(key), bool):
                    raise SpaceError(f"parameter '{name}': type '{self.kind}' needs a number '{key}'")
            self.low, self.high = float(spec["low"]), float(spec["high"])
            self.log = self.kind == "loguniform" or spec.get("log") is True
            if not self.low < self.high:
                raise SpaceError(f"parameter '{name}': 'low' ({self.low:g}) must be below 'high' ({self.high:g})")
            if self.log and self.low <= 0:
                raise SpaceError(f"parameter '{name}': a log-scale range needs 'low' > 0")
            if self.kind == "int" and (self.low != int(self.low) or self.high != int(self.high)):
                raise SpaceError(f"parameter '{name}': an int range needs integer 'low' and 'high'")
            steps = spec.get("steps", 0)
            if not isinstance(steps, int) or steps < 0 or steps == 1:
                raise SpaceError(f"parameter '{name}': 'steps' must be an integer of at least 2")
            if steps > 100000:
                raise SpaceError(f"parameter '{name}': 'steps' of {steps} is more than 100000")
            self.steps = steps
            if "grid" in spec:
                grid = spec["grid"]
                if not isinstance(grid, list) or not grid:
                    raise SpaceError(f"parameter '{name}': 'grid' must be a non-empty list")
                for v in grid:
                    if not isinstance(v, (int, float)) or isinstance(v, bool) or not self.low <= v <= self.high:
                        raise SpaceError(f"parameter '{name}': grid value {v!r} is outside [{self.low:g}, {self.high:g}]")
                self.grid_values = list(grid)

    @property
    def searched(self):
        return self.kind != "fixed"

    def active(self, decided):
        return all(parent in decided and any(_same(v, decided[parent]) for v in values)
                   for parent, values in self.when.items())

    def decode(self, u):
        """The value at unit coordinate u in [0, 1)."""
        if self.kind == "fixed":
            return self.value
        if self.kind == "categorical":
            return self.values[min(len(self.values) - 1, int(u * len(self.values)))]
        if self.kind == "int":
            top = self.high + 1
            x = math.exp(math.log(self.low) + u * (math.log(top) - math.log(self.low))) if self.log \
                else self.low + u * (top - self.low)
            return int(max(self.low, min(self.high, math.floor(x))))
        x = math.exp(math.log(self.low) + u * (math.log(self.high) - math.log(self.low))) if self.log \
            else self.low + u * (self.high - self.low)
        return max(self.low, min(self.high, x))

    def grid(self):
        if self.kind == "fixed":
            return [self.value]
        if self.kind == "categorical":
            return list(self.values)
        if self.grid_values is not None:
            return list(self.grid_values)
        if not self.steps:
            raise SpaceError(f"parameter '{self.name}' is a range: give it a 'grid' list or a 'steps' count for grid"
                             f" search")
        out = []
        for i in range(self.steps):
            t = i / (self.steps - 1)
            x = self.low if i == 0 else self.high if i == self.steps - 1 else (
                self.low * (self.high / self.low) ** t if self.log else self.low + t * (self.high - self.low))
            value = int(round(x)) if self.kind == "int" else x
            if not any(_same(v, value) for v in out):
                out.append(value)
        return out


def _same(a, b):
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return float(a) == float(b)
    return a == b


class SearchSpace:
    def __init__(self, root, source="space"):
        if not isinstance(root, dict):
            raise SpaceError(f"{source}: the file must hold a JSON object with a \"parameters\" object")
        unknown = set(root) - TOP
        if unknown:
            raise SpaceError(f"{source}: unknown field(s) {sorted(unknown)} (allowed: {sorted(TOP)})")
        if root.get("schema", 1) != 1:
            raise SpaceError(f"{source}: 'schema' is {root.get('schema')!r}; this version reads schema 1")
        parameters = root.get("parameters")
        if not isinstance(parameters, dict) or not parameters:
            raise SpaceError(f"{source}: 'parameters' must be a non-empty object")
        try:
            self.parameters = [Parameter(name, spec) for name, spec in parameters.items()]
        except SpaceError as e:
            raise SpaceError(f"{source}: {e}")
        self.json = root

    @staticmethod
    def read(path):
        try:
            with open(path, encoding="utf-8") as f:
                root = json.load(f)
        except (OSError, ValueError) as e:
            raise SpaceError(f"{path}: cannot read a search space: {e}")
        return SearchSpace(root, path)

    def sample(self, rng):
        """One random point: each active parameter drawn uniformly on its own scale."""
        values = {}
        for p in self.parameters:
            u = rng.random() if p.searched else 0.0
            if p.active(values):
                values[p.name] = p.decode(u)
        return values

    def grid(self):
        """Every combination of grid values, the last parameter varying fastest (as the Java master)."""
        out = []

        def expand(i, decided):
            if i == len(self.parameters):
                out.append(dict(decided))
                return
            p = self.parameters[i]
            if not p.active(decided):
                expand(i + 1, decided)
                return
            for v in p.grid():
                decided[p.name] = v
                expand(i + 1, decided)
                del decided[p.name]
            return

        expand(0, {})
        return out


def point(space, seed, index):
    """Random point `index` of a study: depends only on the seed and the index."""
    return space.sample(random.Random(f"{seed}:{index}"))
