"""Static views (issue #9): the demo exported with the real `jupyter nbconvert --to html --execute` on
the gaissa kernel shows its measurements as tables with figures and units, the ROI summary and the
energy label drawing, with no JupyterLab and no extension involved.

The HTML is read with a small tree builder over html.parser, and each check looks inside the output
of the cell that produced it (nbconvert marks cells with id="cell-id=<id>").
"""
import base64
import json
import os
import re
import shutil
import subprocess
import tempfile
from html.parser import HTMLParser

import pytest

from conftest import REPO

DEMO = "notebooks/demo.ipynb"
JUPYTER = os.path.join(REPO, ".venv", "bin", "jupyter")
# Elements that never have children (HTML's void elements).
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Node:
    def __init__(self, tag, attrs):
        self.tag = tag
        self.attrs = dict(attrs)
        self.children = []

    def descendants(self):
        for child in self.children:
            if isinstance(child, Node):
                yield child
                yield from child.descendants()

    def find_all(self, tag=None, cls=None, **attrs):
        return [
            n for n in self.descendants()
            if (tag is None or n.tag == tag)
            and (cls is None or cls in (n.attrs.get("class") or "").split())
            and all(n.attrs.get(k.replace("_", "-")) == v for k, v in attrs.items())
        ]

    def text(self):
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)


class TreeBuilder(HTMLParser):
    """HTML to a tree of Nodes; a stray end tag closes up to its element, or is ignored."""

    def __init__(self):
        super().__init__()
        self.root = Node("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, attrs)
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(Node(tag, attrs))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse(markup):
    builder = TreeBuilder()
    builder.feed(markup)
    builder.close()
    return builder.root


def words(text):
    return " ".join(text.split())


@pytest.fixture(scope="module")
def exported():
    """Runs nbconvert once; returns (HTML tree, folder the demo ran in)."""
    work = tempfile.mkdtemp(prefix="gaissa-static-")
    shutil.copy(os.path.join(REPO, DEMO), work)
    name = os.path.basename(DEMO)
    done = subprocess.run(
        [JUPYTER, "nbconvert", "--to", "html", "--execute", "--ExecutePreprocessor.kernel_name=gaissa",
         "--ExecutePreprocessor.timeout=900", name],
        cwd=work, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=1800,
    )
    assert done.returncode == 0, done.stderr[-6000:]
    with open(os.path.join(work, name.replace(".ipynb", ".html")), encoding="utf-8") as f:
        tree = parse(f.read())
    yield tree, work
    shutil.rmtree(work, ignore_errors=True)


def outputs(tree, cell_id, mime):
    """The output areas of one cell that nbconvert rendered from the given mime type."""
    cells = tree.find_all("div", id=f"cell-id={cell_id}")
    assert len(cells) == 1, f"cell {cell_id} not found"
    return cells[0].find_all(cls="jp-OutputArea-output", data_mime_type=mime)


def rows(table):
    """A two-column table as {header text: cell text}."""
    out = {}
    for tr in table.find_all("tr"):
        th, td = tr.find_all("th"), tr.find_all("td")
        if len(th) == 1 and len(td) == 1:
            out[words(th[0].text())] = words(td[0].text())
    return out


def figure_with_unit(text, units):
    """Whether `text` starts with a number followed by one of `units` ("12.3 mJ", "0.25 EUR")."""
    parts = text.split()
    if len(parts) < 2:
        return False
    try:
        float(parts[0].replace(",", ""))
    except ValueError:
        return False
    return parts[1] in units


def cells_of(tr):
    return [words(c.text()) for c in tr.children if isinstance(c, Node) and c.tag in ("th", "td")]


def test_measurement_is_a_table_with_figures_and_units(exported):
    tree, work = exported
    [html] = outputs(tree, "measure", "text/html")
    [table] = html.find_all("table")
    assert words(table.find_all("caption")[0].text()) == "GAISSA measurement: mnist-mlp fp32, 1000 digits"
    facts = rows(table)
    assert figure_with_unit(facts["Energy"], {"nJ", "µJ", "mJ", "J", "kJ"}), facts["Energy"]
    assert "per run" in facts["Energy"]
    assert figure_with_unit(facts["Duration"], {"µs", "ms", "s", "min"}), facts["Duration"]
    assert figure_with_unit(facts["Average power"], {"mW", "W", "kW"}), facts["Average power"]
    assert figure_with_unit(facts["CO2e"], {"ng", "µg", "mg", "g", "kg"}), facts["CO2e"]
    assert figure_with_unit(facts["Cost"], {"EUR"}) and "at 0.25 EUR/kWh" in facts["Cost"], facts["Cost"]
    # The method shown is the one the logged record carries, whichever meters this host offers.
    with open(os.path.join(work, "gaissa-emissions.jsonl")) as f:
        logged = [json.loads(line) for line in f if line.strip()]
    [record] = [r for r in logged if r.get("label") == "mnist-mlp fp32, 1000 digits"]
    provenance = record.get("provenance") or ("estimated" if record["estimated"] else "measured")
    assert facts["Method"].startswith(provenance.replace("-", " ")), (facts["Method"], provenance)
    assert facts["Repeats"].startswith("5 runs after 1 warm-up"), facts["Repeats"]
    assert "95 % CI" in facts["Energy per run"]
    assert facts["Region"].startswith("Spain"), facts["Region"]
    # The power over time is drawn inline, in the table.
    assert any(tr.find_all("svg") for tr in table.find_all("tr")), "no power sparkline"


def test_comparison_is_a_table_with_every_variant(exported):
    tree, _ = exported
    [html] = outputs(tree, "compare", "text/html")
    [table] = html.find_all("table")
    header, *body = [cells_of(tr) for tr in table.find_all("tr")]
    assert header[:3] == ["variant", "energy / inference", "Δ energy"], header
    by_name = {row[0]: row for row in body}
    assert list(by_name) == ["fp32", "quantize-dynamic", "quantize-static", "fp16", "prune-structured:0.25",
                             "threads:1"]
    for name, row in by_name.items():
        assert figure_with_unit(row[1], {"nJ", "µJ", "mJ", "J"}), (name, row)
    assert [row[0] for row in body if "recommended" in row[-1]] != [], body
    assert "Recommended:" in words(html.text())


def test_roi_summary_states_break_even_and_roi(exported):
    tree, _ = exported
    [html] = outputs(tree, "roi", "text/html")
    tables = html.find_all("table")
    facts = rows(tables[0])
    # The demo's variants are measured on this host: a saving within the noise leaves no break-even,
    # which the summary must then say with its reason rather than print a figure.
    break_even = facts["Break-even"]
    assert (
        break_even.endswith(" inferences") and figure_with_unit(break_even, {"inferences"})
    ) or re.fullmatch(r"none \(no saving: .+\)", break_even), facts
    roi = [v for k, v in facts.items() if k.startswith("ROI")]
    assert roi and all(figure_with_unit(v, {"%"}) for v in roi), facts
    assert figure_with_unit(facts["Cost per inference, baseline"], {"EUR"}), facts
    assert figure_with_unit(facts["NPV over 3 years"], {"EUR"}), facts
    assert figure_with_unit(facts["CO2e avoided"], {"g", "kg", "t"}), facts
    assert "Payback" in facts
    # The yearly series: one row per year of the 3-year horizon.
    series = [cells_of(tr) for tr in tables[1].find_all("tr")]
    assert series[0][:2] == ["Year", "Inferences"] and [r[0] for r in series[1:]] == ["1", "2", "3"]


def test_label_is_an_svg_drawing_with_its_rating(exported):
    tree, work = exported
    with open(os.path.join(work, "LABEL.json")) as f:
        record = json.load(f)  # written by the demo's label cell
    [area] = outputs(tree, "label", "image/svg+xml")
    # nbconvert 7.17 (binder/jupyter-requirements.txt) writes an SVG output as a data: URI image
    # unless --HTMLExporter.skip_svg_encoding=True, which inlines it; either way the whole drawing
    # is in the page with no JupyterLab.
    inline = area.find_all("svg")
    if inline:
        svg = inline[0]
    else:
        [img] = area.find_all("img")
        prefix = "data:image/svg+xml;base64,"
        assert img.attrs["src"].startswith(prefix)
        [svg] = parse(base64.b64decode(img.attrs["src"][len(prefix):]).decode("utf-8")).find_all("svg")
    assert svg.attrs["aria-label"].startswith(f"Energy label {record['rating']} for mnist-mlp")
    texts = [words(t.text()) for t in svg.find_all("text")]
    assert record["rating"] in texts, texts
    assert "SCI" in texts and "per inference" in texts, texts

