#!/usr/bin/env python3
"""Reference sentence embeddings of all-MiniLM-L6-v2, computed independently of Myelin's Rust
engine: a float64 NumPy implementation of the BERT encoder (mean pooling, L2 normalization) over
the same model files, with the Hugging Face `tokenizers` package.

    python3 -m venv env && env/bin/pip install numpy tokenizers safetensors
    env/bin/python scripts/reference-embeddings.py ~/.myelin/models/all-minilm-l6-v2 \
        > primitives/inference-engine/tests/reference/all-minilm-l6-v2.json

The Rust test `real_model_matches_the_reference` compares against the recorded file.
"""
import json
import math
import sys

import numpy as np
from safetensors.numpy import load_file
from tokenizers import Tokenizer

SENTENCES = [
    "A man is eating food.",
    "A man is eating a piece of bread.",
    "The new movie is awesome.",
    "Validators score the outputs of miners on a decentralized network.",
    "Myelin runs sentence embeddings inside the node's off-chain worker.",
]


def layer_norm(x, w, b, eps):
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * w + b


def gelu(x):
    erf = np.vectorize(math.erf)
    return 0.5 * x * (1.0 + erf(x / math.sqrt(2.0)))


def embed(model_dir, text):
    config = json.load(open(f"{model_dir}/config.json"))
    weights = {k: v.astype(np.float64) for k, v in load_file(f"{model_dir}/model.safetensors").items()}
    prefix = "bert." if "bert.embeddings.word_embeddings.weight" in weights else ""
    w = lambda name: weights[prefix + name]
    tokenizer = Tokenizer.from_file(f"{model_dir}/tokenizer.json")
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_length=128)
    ids = tokenizer.encode(text).ids
    eps = config.get("layer_norm_eps", 1e-12)
    heads = config["num_attention_heads"]
    hidden = config["hidden_size"]
    d = hidden // heads
    x = (w("embeddings.word_embeddings.weight")[ids]
         + w("embeddings.position_embeddings.weight")[: len(ids)]
         + w("embeddings.token_type_embeddings.weight")[0])
    x = layer_norm(x, w("embeddings.LayerNorm.weight"), w("embeddings.LayerNorm.bias"), eps)
    for i in range(config["num_hidden_layers"]):
        p = f"encoder.layer.{i}."
        lin = lambda t, n: t @ w(p + n + ".weight").T + w(p + n + ".bias")
        split = lambda t: t.reshape(len(ids), heads, d).transpose(1, 0, 2)
        q, k, v = (split(lin(x, f"attention.self.{n}")) for n in ("query", "key", "value"))
        scores = q @ k.transpose(0, 2, 1) / math.sqrt(d)
        scores = np.exp(scores - scores.max(-1, keepdims=True))
        probs = scores / scores.sum(-1, keepdims=True)
        context = (probs @ v).transpose(1, 0, 2).reshape(len(ids), hidden)
        x = layer_norm(lin(context, "attention.output.dense") + x,
                       w(p + "attention.output.LayerNorm.weight"),
                       w(p + "attention.output.LayerNorm.bias"), eps)
        inner = gelu(lin(x, "intermediate.dense"))
        x = layer_norm(lin(inner, "output.dense") + x,
                       w(p + "output.LayerNorm.weight"), w(p + "output.LayerNorm.bias"), eps)
    pooled = x.mean(0)
    return pooled / np.linalg.norm(pooled)


def main():
    model_dir = sys.argv[1]
    out = [{"text": s, "embedding": [round(float(v), 7) for v in embed(model_dir, s)]}
           for s in SENTENCES]
    json.dump({"model": "all-minilm-l6-v2", "implementation": "numpy float64", "sentences": out},
              sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
