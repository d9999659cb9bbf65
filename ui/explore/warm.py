"""The explorer's part of the server's warm-up (ui/server.py): the default passage read by the default model,
and its trajectory's PCA, computed in the background before the first visit asks for them."""


def warm_up() -> None:
    from ui.explore.state_tabs import _pca
    from ui.explore.states import (
        DEFAULT_PASSAGE,
        DEFAULT_PCA_DIMS,
        DEFAULT_SOURCE,
        cached_passage,
        cached_trace,
        pretrained_text_models,
    )

    models = pretrained_text_models()
    if not models:
        return
    text = cached_passage(DEFAULT_SOURCE, DEFAULT_PASSAGE[DEFAULT_SOURCE] - 1)[:2000]
    trace = cached_trace(next(iter(models)), text)
    _pca(trace.hidden[0], DEFAULT_PCA_DIMS)
