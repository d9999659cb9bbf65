"""fit() under torchrun with 2 CPU processes (gloo) follows the one-process loss trajectory."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = '''
import json, sys, torch
from rnn_models.device import init_distributed
from rnn_models.network import ModelConfig, SequenceModel
from rnn_models.training import TrainConfig, fit, world
init_distributed()
torch.manual_seed(0)
model = SequenceModel(ModelConfig(cell="lstm", input_size=5, embed_size=4, hidden_size=8, output_size=5))
data = torch.randint(0, 5, (400,), generator=torch.Generator().manual_seed(0))
def get_batch(split, gen):
    starts = torch.randint(0, 380, (8,), generator=gen)
    return (torch.stack([data[s:s + 12] for s in starts]), torch.stack([data[s + 1:s + 13] for s in starts]))
res = fit(model, get_batch, config=TrainConfig(steps=15, lr=0.02, eval_every=0, clip=0.5))
if world()[0] == 0:
    json.dump([m["loss"] for m in res.history], open(sys.argv[1], "w"))
'''


def test_two_process_training_matches_one_process(tmp_path):
    if shutil.which("torchrun", path=str(Path(sys.executable).parent)) is None:
        pytest.skip("torchrun not installed beside this python")
    script = tmp_path / "train.py"
    script.write_text(SCRIPT)
    one, two = tmp_path / "one.json", tmp_path / "two.json"
    env = {"PYTHONPATH": str(ROOT), "OMP_NUM_THREADS": "1", "PATH": "/usr/bin:/bin"}
    subprocess.run([sys.executable, str(script), str(one)], cwd=ROOT, env=env, check=True, timeout=120)
    torchrun = str(Path(sys.executable).parent / "torchrun")
    subprocess.run([torchrun, "--standalone", "--nproc_per_node=2", str(script), str(two)], cwd=ROOT, env=env,
                   check=True, timeout=180, capture_output=True)
    a, b = json.loads(one.read_text()), json.loads(two.read_text())
    assert len(a) == len(b) == 15
    assert a[-1] < a[0]
    for x, y in zip(a, b, strict=True):
        assert abs(x - y) < 1e-4 * max(1.0, abs(x))
