"""The bootstrap interval of the lead growth: it finds a growth that is there, and holds 0 where none is."""

from rnn_models.translate import significance
from rnn_models.translate.evaluation import score

REFS = [f"the dog sees the cat number {i:02d} today" for i in range(40)]
SHORT, LONG = list(range(20)), list(range(20, 40))


def outputs(good_on: set[int]) -> dict[str, list[str]]:
    """A system right on the sentences in good_on and half right elsewhere; the baseline half right everywhere."""
    half = [r.split()[:4] for r in REFS]
    return {"attention": [r if i in good_on else " ".join(h) for i, (r, h) in enumerate(zip(REFS, half, strict=True))],
            "no_attention": [" ".join(h) for h in half]}


def test_a_lead_that_grows_is_found_and_its_estimate_is_the_bucket_difference():
    out = outputs(set(LONG) | {0, 1})  # better on 2 of 20 short sentences, on all 20 long ones
    g = significance.lead_growth(out, REFS, SHORT, LONG, resamples=200)
    for k, metric in enumerate(("bleu", "chrf")):
        lead = [score([out["attention"][i] for i in ids], [REFS[i] for i in ids])[k]
                - score([out["no_attention"][i] for i in ids], [REFS[i] for i in ids])[k] for ids in (SHORT, LONG)]
        assert abs(g[metric]["growth"] - (lead[1] - lead[0])) < 0.02
        assert 0 < g[metric]["ci95"][0] <= g[metric]["growth"] <= g[metric]["ci95"][1]
        assert g[metric]["p_grows"] == 1.0


def test_no_difference_gives_an_interval_around_zero_and_the_seed_fixes_it():
    same = outputs(set(range(0, 40, 2)))  # better on every other sentence of both buckets
    a = significance.lead_growth(same, REFS, SHORT, LONG, resamples=200, seed=3)
    assert a == significance.lead_growth(same, REFS, SHORT, LONG, resamples=200, seed=3)
    for metric in ("bleu", "chrf"):
        lo, hi = a[metric]["ci95"]
        assert lo < 0 < hi and abs(a[metric]["growth"]) < 1e-6
