import numpy as np
import pytest
import torch

from rnn_models import stepper as stepper_module
from rnn_models.music.encoding import REST, VOCAB_SIZE
from rnn_models.music.generate import continue_melody
from rnn_models.network import ModelConfig, SequenceModel
from rnn_models.sampling import SamplingSettings, pick
from rnn_models.stepper import Stepper
from rnn_models.text.generate import GenerationSettings, stream


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_step_equals_forward(cell):
    torch.manual_seed(0)
    model = SequenceModel(ModelConfig(cell=cell, input_size=7, embed_size=5, hidden_size=8, num_layers=2,
                                      output_size=7)).eval()
    ids = torch.randint(0, 7, (3, 6))  # (batch, time)
    with torch.no_grad():
        full, _ = model(ids)
        _, state = model(ids[:, :1])
        stepper = Stepper(model)
        for t in range(1, 6):
            logits, state = stepper.step(ids[:, t], state)
            assert torch.allclose(logits, full[:, t], atol=1e-5)


def _per_character(model, prime_ids, settings, length, seed):
    """The plain loop generation replaced: model.forward and pick() once per character."""
    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        out, state = model(prime_ids[None])
        logits, ids = out[0, -1], []
        for _ in range(length):
            ids.append(pick(logits, settings, gen))
            out, state = model(torch.tensor([ids[-1:]]), state)
            logits = out[0, -1]
    return ids


@pytest.mark.parametrize("cell,layers", [("rnn", 1), ("lstm", 2), ("gru", 1), ("lstm", 1)])
@pytest.mark.parametrize("sampling", [SamplingSettings(0.8), SamplingSettings(1.2, top_k=4),
                                      SamplingSettings(1.0, top_p=0.7), SamplingSettings(greedy=True)])
def test_scripted_generation_equals_the_per_character_loop(cell, layers, sampling):
    """Same seed, same text: the scripted chunks (bulk uniforms) choose what one step per character chooses."""
    torch.manual_seed(1)
    model = SequenceModel(ModelConfig(cell=cell, input_size=11, embed_size=5, hidden_size=8, num_layers=layers,
                                      output_size=11)).eval()
    want = _per_character(model, torch.tensor([1, 2, 3]), sampling, 150, seed=5)
    settings = GenerationSettings(length=150, sampling=sampling, seed=5)
    vocab = [chr(65 + i) for i in range(11)]
    got = [vocab.index(ch) for ch in stream(model, vocab, "BCD", settings)]
    assert got == want


def test_bulk_uniforms_are_the_per_character_draws():
    """stream() draws a chunk's uniform numbers at once: the same numbers as one torch.rand(1) each."""
    a = torch.Generator().manual_seed(3)
    b = torch.Generator().manual_seed(3)
    bulk = torch.cat([torch.rand(n, generator=a) for n in (8, 16, 256, 300)])
    assert torch.equal(bulk, torch.cat([torch.rand(1, generator=b) for _ in range(len(bulk))]))


def test_the_eager_fallback_gives_the_same_tokens(monkeypatch):
    """The step is really scripted here; without TorchScript the same functions run eagerly, same results."""
    assert all(isinstance(f, torch.jit.ScriptFunction) for f in stepper_module._scripted())
    torch.manual_seed(2)
    model = SequenceModel(ModelConfig(cell="gru", input_size=7, embed_size=4, hidden_size=8, num_layers=2,
                                      output_size=7)).eval()
    u = torch.rand(40, generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        logits, state = model(torch.tensor([[1, 2]]))
        scripted = Stepper(model).sample(logits[0, -1], state, u, SamplingSettings(0.9))[0]
        monkeypatch.setattr(stepper_module, "_scripted", lambda: (stepper_module._advance, stepper_module._sample))
        eager = Stepper(model).sample(logits[0, -1], state, u, SamplingSettings(0.9))[0]
    assert scripted == eager and len(scripted) == 40


def test_music_continuation_steps_like_the_model():
    """Music continuation runs the same scripted step: its per-event probabilities match model.forward's."""
    torch.manual_seed(0)
    model = SequenceModel(ModelConfig(cell="lstm", input_size=VOCAB_SIZE, embed_size=6, hidden_size=8,
                                      num_layers=2, output_size=VOCAB_SIZE)).eval()
    primer = np.array([40, 1, 42, 1])
    cont = continue_melody(model, primer, 12, SamplingSettings(1.0), seed=4, variations=2)
    for c in cont:
        seq = torch.as_tensor(np.concatenate([primer, c.events.astype(np.int64)]))
        with torch.no_grad():
            logits, _ = model(seq[None, :-1])
        p = torch.softmax(logits[0, len(primer) - 1:], -1)  # (12, V): the model's distribution at each event
        chosen = p.gather(1, torch.as_tensor(c.events, dtype=torch.long)[:, None])[:, 0]
        # no key here: the sampled distribution is the model's, except that a hold after a rest is masked
        free = torch.as_tensor(seq[len(primer) - 1:-1] != REST)
        assert free.any()
        assert torch.allclose(chosen[free], torch.as_tensor(c.probs)[free], rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize("cell,layers", [("lstm", 2), ("gru", 1), ("rnn", 1)])
def test_fp16_weights_are_read_as_fp16_and_choose_the_same_text(cell, layers):
    """A model whose weights are fp16 numbers (as every checkpoint saved in fp16) steps through fbgemm's fp16
    product (half the bytes, the same values) and still chooses what one model call per character chooses;
    fp32 weights keep the fp32 product."""
    torch.manual_seed(3)
    model = SequenceModel(ModelConfig(cell=cell, input_size=11, embed_size=5, hidden_size=8, num_layers=layers,
                                      output_size=11)).eval()
    assert Stepper(model).packed == []
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(p.half().float())
    assert len(Stepper(model).packed) == 2 * layers  # the weights changed: packed anew
    assert Stepper(model).packed is Stepper(model).packed  # then once per model while its weights stay
    settings = GenerationSettings(length=150, sampling=SamplingSettings(0.8), seed=5)
    vocab = [chr(65 + i) for i in range(11)]
    got = [vocab.index(ch) for ch in stream(model, vocab, "BCD", settings)]
    assert got == _per_character(model, torch.tensor([1, 2, 3]), settings.sampling, 150, seed=5)
