"""Time-series forecasting: CSV parsing, windows, scaling, RNN forecaster, baselines, backtest, intervals."""
