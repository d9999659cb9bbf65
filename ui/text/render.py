"""HTML views of the text page: generated text with copied spans marked, and the surprisal colouring."""

import html

SHOW = {"\n": "⏎", " ": "␣", "\t": "⇥"}


def copied_html(text: str, prime: str, index, size: int = 15) -> tuple[str, str]:
    """Prime in grey, generation in black, copied spans highlighted; plus a one-line summary."""
    from rnn_models.text.analysis import copied_spans

    marks = [False] * len(text)
    summary = "Memorisation meter: no training text to compare with."
    if index is not None:
        rep = copied_spans(text, index)
        for a, b in rep.spans:
            marks[a:b] = [True] * (b - a)
        summary = (f"Memorisation meter: **{rep.copied_share:.0%}** of the generated characters lie in "
                   f"spans of {index.min_len}+ characters found verbatim in the training text "
                   f"(longest: {rep.longest}).")
    out = [f'<span style="color:#777">{html.escape(prime)}</span>']
    i = 0
    while i < len(text):
        j = i
        while j < len(text) and marks[j] == marks[i]:
            j += 1
        piece = html.escape(text[i:j])
        out.append(f'<mark style="background:#ffd54f" title="copied from the training text">{piece}</mark>'
                   if marks[i] else piece)
        i = j
    body = "".join(out)
    return (f'<div style="white-space:pre-wrap;font-family:monospace;font-size:{size}px;line-height:1.45;'
            f'border:1px solid #ddd;border-radius:6px;padding:10px">{body}</div>', summary)


def surprisal_html(text: str, bits: list[float]) -> str:
    spans = []
    for ch, b in zip(text, bits):
        a = min(1.0, b / 8.0)  # 0 bits white ... 8+ bits full red
        tip = f"{SHOW.get(ch, ch)}: {b:.2f} bits (p = {2 ** -b:.3f})"
        glyph = "⏎\n" if ch == "\n" else html.escape(ch)
        spans.append(f'<span title="{html.escape(tip)}" style="background:rgba(220,40,40,{a:.2f})">{glyph}</span>')
    return ('<div style="white-space:pre-wrap;font-family:monospace;font-size:15px;line-height:1.6;'
            'border:1px solid #ddd;border-radius:6px;padding:10px">' + "".join(spans) + "</div>")
