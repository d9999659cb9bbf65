"""`classify`, `train classify`, `evaluate classify`: arguments only; the work is in commands.py."""


def register(sub) -> None:
    from rnn_models.classify import commands
    from rnn_models.classify.pipeline import TASKS
    from rnn_models.cli import register_kind

    p = sub.add_parser("classify", help="classify a name, a sentence or a voice clip; the belief after every step")
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--task", choices=sorted(TASKS), help="a built-in task (its shipped checkpoint)")
    src.add_argument("--model", help="a classifier checkpoint .json from `train classify`")
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--text", help="the text to classify")
    what.add_argument("--audio", help="a WAV/FLAC/OGG/MP3 clip to classify")
    p.add_argument("--seed", type=int, default=0, help="seed (the answer is deterministic)")
    p.add_argument("--json", action="store_true", help="labels, probabilities, steps, prediction as JSON")
    register_kind("classify", p, commands.classify_cmd, add_train_args, commands.train_cmd, add_evaluate_args,
                  commands.evaluate_cmd)


def add_train_args(p) -> None:
    from rnn_models.classify.pipeline import TASKS

    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--task", choices=sorted(TASKS), help="a built-in task")
    src.add_argument("--csv", help="a CSV of text,label rows")
    src.add_argument("--audio-dir", help="a folder with one subfolder of clips per class")
    p.add_argument("--cell", choices=("rnn", "gru", "lstm"), default=None, help="recurrent cell (default: task's)")
    p.add_argument("--hidden", type=int, default=None, help="units per direction (default: task's)")
    p.add_argument("--pool", choices=("last", "mean", "max"), default=None,
                   help="answer from the final state, or the mean/max of every step's output (default: task's)")
    way = p.add_mutually_exclusive_group()
    way.add_argument("--forward-only", action="store_true", help="read forwards only")
    way.add_argument("--bidirectional", action="store_true", help="also read backwards")
    p.add_argument("--steps", type=int, default=None, help="training steps (default: task's)")
    p.add_argument("--time-budget", type=float, default=None, help="stop after this many seconds")
    p.add_argument("--threads", type=int, default=1, help="torch CPU threads")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", default="runs/classify", help="checkpoint path stem (writes .safetensors and .json)")
    p.add_argument("--json", action="store_true", help="print the result as JSON")


def add_evaluate_args(p) -> None:
    from rnn_models.classify.pipeline import TASKS

    p.add_argument("--task", choices=sorted(TASKS), required=True, help="a built-in task")
    p.add_argument("--model", action="append", default=[], help="more classifier checkpoints to score (repeatable)")
    p.add_argument("--seed", type=int, default=0, help="seeds the baselines (the split is fixed)")
    p.add_argument("--json", action="store_true", help="accuracy, baselines, labels, confusion as JSON")
