"""Where the server's memory goes: resident and anonymous memory of importing each group of libraries the
server imports, each in a fresh interpreter, beside a bare interpreter (the baseline), and the share of
torch's import that its CUDA libraries take on a machine without a GPU.

    .venv/bin/python benchmarks/memory_profile.py [--json]

Read it with `benchmarks/app_bench.py`'s "server memory after every page": what the libraries take before
the app loads a single model is the floor under that figure.
"""

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GROUPS = {  # what the server imports (app.py, the pages, the warm-up), in groups
    "bare interpreter": [],
    "torch": ["torch"],
    "torch + torchaudio": ["torch", "torchaudio"],
    "streamlit, plotly, pandas, pyarrow": ["streamlit", "plotly.graph_objects", "pandas", "pyarrow"],
    "pretty_midi, soundfile, PIL": ["pretty_midi", "soundfile", "PIL.Image"],
    "all of the above": ["torch", "torchaudio", "streamlit", "plotly.graph_objects", "pandas", "pyarrow",
                         "pretty_midi", "soundfile", "PIL.Image"],
}
PROBE = """
import importlib, json, sys
for m in sys.argv[1:]:
    importlib.import_module(m)
fields = {"Rss:": "rss_mb", "Anonymous:": "anon_mb"}
out = {fields[l.split()[0]]: int(l.split()[1]) / 1024 for l in open("/proc/self/smaps_rollup")
       if l.split()[0] in fields}
libs, name = {}, ""
for line in open("/proc/self/smaps"):
    p = line.split()
    if len(p) >= 6 and "-" in p[0] and ":" in p[3]:
        name = p[5].rsplit("/", 1)[-1]
    elif p and p[0] == "Rss:" and ("cu" in name or "nv" in name) and ".so" in name:
        libs[name] = libs.get(name, 0) + int(p[1]) / 1024
out["cuda_libraries_rss_mb"] = sum(libs.values())
print(json.dumps(out))
"""


def measure(modules: list[str]) -> dict:
    res = subprocess.run([sys.executable, "-c", PROBE, *modules], capture_output=True, text=True, cwd=ROOT,
                         timeout=300, check=True)
    return json.loads(res.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args()
    rows = {name: measure(mods) for name, mods in GROUPS.items()}
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    base = rows["bare interpreter"]
    print(f"{'imported (fresh interpreter)':40s} {'RSS MB':>8s} {'anon MB':>8s} {'CUDA .so RSS MB':>16s}")
    for name, r in rows.items():
        print(f"{name:40s} {r['rss_mb']:8.0f} {r['anon_mb']:8.0f} {r['cuda_libraries_rss_mb']:16.0f}")
    t = rows["torch"]
    print(f"\ntorch adds {t['rss_mb'] - base['rss_mb']:.0f} MB resident ({t['anon_mb'] - base['anon_mb']:.0f} MB "
          f"anonymous); its CUDA libraries' mapped pages are {t['cuda_libraries_rss_mb']:.0f} MB of it, on a machine "
          "without a GPU.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
