"""The text page's part of the server's warm-up (ui/server.py): the default model and the results its first
visit shows, computed in the background before anyone asks."""


def warm_up() -> None:
    import rnn_models.text as text_pkg
    from rnn_models.stepper import Stepper
    from ui.text import compute
    from ui.text.inspect import DEFAULT_CONTEXT, DEFAULT_TEMPERATURE
    from ui.text.models import default_passage, get_model

    name = next(iter(text_pkg.CHECKPOINTS))  # the page's default model
    if not text_pkg.CHECKPOINTS[name].is_file():
        return
    ckpt = get_model(name)
    Stepper(ckpt.model)  # generation's fp16 packs of this model (~50 ms), made once before anyone generates
    corpus = (ckpt.meta.get("data") or {}).get("corpus")
    if corpus:
        compute.surprisal(name, ckpt, default_passage(corpus))
    compute.next_probs(name, ckpt, DEFAULT_CONTEXT, DEFAULT_TEMPERATURE)
