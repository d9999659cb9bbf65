"""`python -m rnn_models forecast`: backtest an RNN against baselines and forecast a CSV or built-in series."""

import json
import sys
from pathlib import Path

from rnn_models.errors import UserInputError


def register(sub) -> None:
    from rnn_models.forecast.datasets import BUILTINS
    from rnn_models.forecast.model import STRATEGIES
    from rnn_models.forecast.windows import TARGETS

    p = sub.add_parser("forecast", help="forecast a time series with an RNN, backtested against baselines")
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--csv", help="CSV file with a date column and numeric columns")
    src.add_argument("--builtin", choices=sorted(BUILTINS), help="a built-in series instead of a CSV")
    p.add_argument("--target", default=None, help="column to forecast (default: a close/price/value column)")
    p.add_argument("--date", default=None, help="time column (default: detected; '' for none: rows numbered)")
    p.add_argument("--encoding", default="auto", help="text encoding: auto, utf-8, utf-16, windows-1252, latin-1")
    p.add_argument("--sep", default="auto", help="separator: auto, ',', ';', tab or '|'")
    p.add_argument("--decimal", default="auto", choices=("auto", ".", ","), help="decimal mark")
    p.add_argument("--date-order", default="auto", choices=("auto", "day first", "month first"),
                   help="how 01/02/2020 reads when both parts are 12 or less")
    p.add_argument("--header-row", type=int, default=None, help="1-based line of the header (default: detected)")
    p.add_argument("--covariates", default="", help="comma-separated extra input columns")
    p.add_argument("--missing", choices=("fill", "drop"), default="fill", help="missing values: fill or drop")
    p.add_argument("--horizon", type=int, required=True, help="steps to forecast")
    p.add_argument("--model", choices=("lstm", "gru", "rnn"), default="lstm", help="recurrent cell")
    p.add_argument("--target-kind", choices=("auto", *TARGETS), default="auto",
                   help="what the network models: levels (price), log returns or differences; auto: chosen "
                        "from the series")
    p.add_argument("--strategy", choices=STRATEGIES, default="recursive", help="multi-step strategy")
    p.add_argument("--lookback", type=int, default=30, help="past steps the model reads")
    p.add_argument("--hidden", type=int, default=32, help="recurrent units")
    p.add_argument("--steps", type=int, default=200, help="training steps (per network)")
    p.add_argument("--ensemble", type=int, default=1, help="networks trained with consecutive seeds, averaged")
    p.add_argument("--level", type=float, default=0.8, help="prediction-interval level (0.5-0.99)")
    p.add_argument("--test-fraction", type=float, default=0.2, help="share of rows backtested")
    p.add_argument("--no-arima", action="store_true", help="skip the (slowest) ARIMA baseline")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", default=None, help="write the forecast as CSV here")
    p.add_argument("--backtest-out", default=None, help="write the backtest (every origin and step) as CSV here")
    p.add_argument("--json", action="store_true", help="machine-readable output on stdout")
    p.set_defaults(func=run)


def run(args) -> int:
    from rnn_models.device import limit_threads
    from rnn_models.forecast.backtest import BacktestConfig, min_rows
    from rnn_models.forecast.csv_reader import ReadOptions, read_csv_bytes
    from rnn_models.forecast.datasets import DEFAULT_TARGET, load_builtin
    from rnn_models.forecast.export import forecast_json, safe_csv
    from rnn_models.forecast.model import ForecastConfig
    from rnn_models.forecast.pipeline import run_forecast
    from rnn_models.forecast.series import decision_line, pick_target, select_series
    from rnn_models.forecast.targets import choose_target
    from rnn_models.progress import TerminalProgress

    limit_threads(1)
    if not 0.5 <= args.level <= 0.99:
        raise UserInputError(f"--level must be between 0.5 and 0.99, got {args.level}.")
    if not 0.05 <= args.test_fraction <= 0.5:
        raise UserInputError(f"--test-fraction must be between 0.05 and 0.5, got {args.test_fraction}.")
    if args.csv:
        sep = "\t" if args.sep in ("tab", "\\t") else args.sep
        options = ReadOptions(encoding=args.encoding, delimiter=sep, decimal=args.decimal, date_column=args.date,
                              date_order=args.date_order, header_row=args.header_row)
        table = read_csv_bytes(Path(args.csv).read_bytes(), name=Path(args.csv).stem, options=options)
        target = pick_target(list(table.frame.columns), args.target)
    else:
        table = load_builtin(args.builtin)
        target = args.target or DEFAULT_TARGET[args.builtin]
    bt = BacktestConfig(test_fraction=args.test_fraction, level=args.level, with_arima=not args.no_arima)
    covariates = tuple(c.strip() for c in args.covariates.split(",") if c.strip())
    series = select_series(table, target, covariates, args.missing, min_rows(args.horizon, args.lookback, bt))
    kind, reason = args.target_kind, "chosen on the command line"
    if kind == "auto":
        kind, reason = choose_target(series.values, args.horizon, args.lookback, 1 - args.test_fraction,
                                     season=series.freq.season)
    config = ForecastConfig(cell=args.model, lookback=args.lookback, horizon=args.horizon,
                            target=kind, strategy=args.strategy, hidden_size=args.hidden,
                            steps=args.steps, seed=args.seed, ensemble=args.ensemble, season=series.freq.season)
    if not args.json:
        print(f"read: {decision_line(table, series)}", file=sys.stderr)
        print(f"target: {reason}", file=sys.stderr)
    bar = TerminalProgress(config.steps, f"training {config.cell}")
    run_ = run_forecast(series, config, bt, on_step=lambda m: bar.update(m["step"], loss=m["loss"]))
    bar.close()
    if args.out:
        Path(args.out).write_bytes(safe_csv(run_.forecast))
    if args.backtest_out:
        Path(args.backtest_out).write_bytes(safe_csv(run_.backtest_frame()))
    info = forecast_json(run_)
    if args.json:
        print(json.dumps(info))
        return 0
    for note in series.notes:
        print(f"note: {note}", file=sys.stderr)
    print(f"backtest over {info['backtest_origins']} origins after {info['train_rows']} training rows "
          f"({run_.seconds:.1f} s)")
    print(run_.metrics_table().round(4).to_string())
    print(f"\n{args.level:.0%} conformal interval coverage in the backtest: {run_.coverage:.1%}")
    if run_.floor_at_zero:
        print(f"the intervals stop at 0: '{series.name}' is never below 0")
    print(f"\nforecast of '{series.name}':")
    print(run_.forecast[["date", "value", "lower", "upper"]].to_string(index=False))
    return 0
