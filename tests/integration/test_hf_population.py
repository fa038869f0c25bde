"""Training labels rated against the Hugging Face population (hf-co2) agree with GAISSA's method
computed independently here with numpy, for every model of the population.

The method (Castaño et al., ESEM 2023; GAISSA's ML-EnergyLabel), implemented consistently: per
metric an index against the reference model distilgpt2 (value/reference when higher is better,
reference/value otherwise; a reference value distilgpt2 lacks is the population median);
boundaries at numpy's default percentiles of the population's indices, 80/60/40/20 (downloads
96/94/85/60); A when index > b1 ... E when index <= b4; overall the weighted mean of the ratings,
weights renormalised over the metrics present, a tie (x.5) going to the worse rating. Only node and
the built lib/ are needed (no kernel): the labels come from rate_hf_population.js in one process.
"""
import csv
import json
import os
import subprocess
from collections import Counter
from fractions import Fraction

import numpy as np
import pytest

from conftest import REPO

POPULATION_CSV = os.path.join(REPO, "kernel", "assets", "populations", "hf-co2.csv")
RATE = os.path.join(REPO, "tests", "integration", "rate_hf_population.js")
GAISSA = os.path.join(REPO, "bin", "gaissa.js")
REFERENCE_MODEL = "distilgpt2"
RATINGS = "ABCDE"

# metric: (higher is better, percentiles of b1..b4, weight in hundredths)
METHOD = {
    "trainingCo2eKg": (False, [80, 60, 40, 20], 35),
    "downloads": (True, [96, 94, 85, 60], 25),
    "performanceScore": (True, [80, 60, 40, 20], 20),
    "sizeEfficiency": (True, [80, 60, 40, 20], 10),
    "datasetSizeEfficiency": (True, [80, 60, 40, 20], 10),
}


def number(cell):
    return None if cell.strip() == "" else float(cell)


def read_rows():
    with open(POPULATION_CSV, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def figures(row):
    """A row's figures in the study's units (CO2e g, sizes in bytes) and the derived efficiencies
    (bytes per g CO2e); a CO2e of 0 rates nothing that rests on it."""
    co2_g = number(row["co2_eq_emissions"])
    size = number(row["size"])
    datasets_size = number(row["datasets_size"])
    rated = co2_g is not None and co2_g > 0
    out = {
        "trainingCo2eKg": co2_g if rated else None,
        "downloads": number(row["downloads"]),
        "performanceScore": number(row["performance_score"]),
        "sizeEfficiency": size / co2_g if rated and size is not None else None,
        "datasetSizeEfficiency": datasets_size / co2_g if rated and datasets_size is not None else None,
    }
    return {k: v for k, v in out.items() if v is not None}


def label_request_metrics(row):
    """The training-label request for a row, in label units (kg, MB = 10^6 bytes)."""
    cells = {
        "trainingCo2eKg": (row["co2_eq_emissions"], 1000),
        "performanceScore": (row["performance_score"], 1),
        "modelSizeMB": (row["size"], 1e6),
        "datasetSizeMB": (row["datasets_size"], 1e6),
        "downloads": (row["downloads"], 1),
    }
    return {k: number(c) / d for k, (c, d) in cells.items() if number(c) is not None}


def index(value, reference, higher):
    return value / reference if higher else reference / value


def rating(idx, b):
    for letter, bound in zip(RATINGS, b):
        if idx > bound:
            return letter
    return "E"


def overall(ratings):
    """Weighted mean of the scores (A=0 ... E=4), exact, a tie rounding to the worse rating."""
    total = sum(METHOD[m][2] for m in ratings)
    mean = Fraction(sum(METHOD[m][2] * RATINGS.index(r) for m, r in ratings.items()), total)
    floor = mean.numerator // mean.denominator
    return RATINGS[floor + 1 if mean - floor >= Fraction(1, 2) else floor]


@pytest.fixture(scope="module")
def numpy_method():
    """GAISSA's method computed with numpy: reference, boundaries, and each row's expected ratings."""
    rows = read_rows()
    # A model reporting a CO2e of 0 is left out of the population whole.
    population = [figures(r) for r in rows if not zero_co2(r)]
    refs = [figures(r) for r in rows if r["modelId"] == REFERENCE_MODEL]
    assert refs and all(f == refs[0] for f in refs), "one reference model, its rows alike"
    reference = {}
    boundaries = {}
    for metric, (higher, percentiles, _) in METHOD.items():
        present = np.array([f[metric] for f in population if metric in f])
        reference[metric] = refs[0].get(metric, float(np.median(present)))
        indices = np.array([index(v, reference[metric], higher) for v in present])
        boundaries[metric] = np.percentile(indices, percentiles).tolist()
    expected = []
    for row in rows:
        f = figures(row)
        metrics = {}
        for metric, (higher, _, _) in METHOD.items():
            if metric in f:
                idx = index(f[metric], reference[metric], higher)
                metrics[metric] = {"index": idx, "rating": rating(idx, boundaries[metric])}
        expected.append({"modelId": row["modelId"], "metrics": metrics,
                         "rating": overall({m: v["rating"] for m, v in metrics.items()}) if metrics else None})
    return {"rows": rows, "reference": reference, "boundaries": boundaries, "expected": expected}


@pytest.fixture(scope="module")
def ours(numpy_method):
    """Our label for every row, issued by the built kernel modules in one node process."""
    requests = "".join(json.dumps({"modelId": r["modelId"], "metrics": label_request_metrics(r)}) + "\n"
                       for r in numpy_method["rows"])
    done = subprocess.run(["node", RATE], input=requests, capture_output=True, text=True, timeout=300,
                          cwd=REPO)
    assert done.returncode == 0, done.stderr
    labels = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(labels) == len(numpy_method["rows"])
    return labels


def zero_co2(row):
    return number(row["co2_eq_emissions"]) == 0


def test_boundaries_match_numpy(numpy_method, ours):
    # A label carries the boundaries of the metrics it rates; together they cover all five.
    seen = set()
    for label in ours:
        if "error" in label:
            continue
        assert set(label["boundaries"]) == set(label["metrics"]), label["modelId"]
        for metric, got in label["boundaries"].items():
            expected = numpy_method["boundaries"][metric]
            assert got == pytest.approx(expected, rel=1e-9, abs=0), (label["modelId"], metric, got, expected)
            seen.add(metric)
    assert seen == set(METHOD)
    for metric, b in numpy_method["boundaries"].items():
        print(f"\n{metric}: reference (study units: g, B/g) {numpy_method['reference'][metric]:.6g}, "
              f"boundaries {', '.join(f'{x:.6g}' for x in b)}", end="")


def test_every_model_rates_as_numpy(numpy_method, ours):
    compared = skipped = 0
    mismatches = []
    for row, want, got in zip(numpy_method["rows"], numpy_method["expected"], ours):
        assert got["modelId"] == row["modelId"]
        if zero_co2(row):
            # A label refuses a CO2e of 0 (test_zero_co2_is_refused): nothing to compare.
            assert "error" in got, got
            skipped += 1
            continue
        assert "error" not in got, (row["modelId"], got["error"])
        assert set(got["metrics"]) == set(want["metrics"]), row["modelId"]
        for metric, w in want["metrics"].items():
            g = got["metrics"][metric]
            assert g["index"] == pytest.approx(w["index"], rel=1e-9, abs=0), (row["modelId"], metric)
            if g["rating"] != w["rating"]:
                mismatches.append((row["modelId"], metric, g["index"], w["index"], g["rating"], w["rating"],
                                   numpy_method["boundaries"][metric]))
        if got["rating"] != want["rating"]:
            mismatches.append((row["modelId"], "overall", got["score"], None, got["rating"], want["rating"], None))
        compared += 1
    print(f"\nhf-co2: {compared} models compared with numpy, {skipped} with a CO2e of 0 refused and skipped")
    assert mismatches == []
    assert skipped == sum(zero_co2(r) for r in numpy_method["rows"]) and skipped >= 1
    assert compared == len(numpy_method["rows"]) - skipped


def test_zero_co2_is_refused(numpy_method, ours, tmp_path):
    for row, got in zip(numpy_method["rows"], ours):
        if zero_co2(row):
            assert got["error"]["field"] == "metrics.trainingCo2eKg", got
    row = next(r for r in numpy_method["rows"] if zero_co2(r))
    done = gaissa_label(label_request_metrics(row), tmp_path)
    assert done.returncode == 2, done.stdout
    assert "metrics.trainingCo2eKg" in done.stderr


def test_overall_ratings_are_spread(numpy_method, ours):
    counts = Counter(label["rating"] for label in ours if "error" not in label)
    print("\nhf-co2 overall ratings: " + ", ".join(f"{r} {counts[r]}" for r in RATINGS))
    assert set(counts) <= set(RATINGS)
    assert max(counts.values()) <= 0.9 * sum(counts.values()), counts
    assert len(counts) >= 4, counts


def gaissa_label(metrics, cwd):
    request = json.dumps({"phase": "training", "metrics": metrics})
    return subprocess.run(["node", GAISSA, "label", "--json", "-", "--population", "hf-co2", "--no-register"],
                          input=request, capture_output=True, text=True, timeout=120, cwd=cwd)


def test_cli_label_of_a_member_rates_as_numpy(numpy_method, tmp_path):
    # A member with all five metrics, so every weight counts.
    i, row = next((i, r) for i, r in enumerate(numpy_method["rows"])
                  if len(numpy_method["expected"][i]["metrics"]) == len(METHOD))
    want = numpy_method["expected"][i]
    done = gaissa_label(label_request_metrics(row), tmp_path)
    assert done.returncode == 0, done.stderr
    label = json.loads(done.stdout)
    assert label["basis"]["against"]["name"] == "hf-co2"
    assert {m: v["rating"] for m, v in label["metrics"].items()} == \
        {m: v["rating"] for m, v in want["metrics"].items()}, row["modelId"]
    assert label["rating"] == want["rating"], row["modelId"]
