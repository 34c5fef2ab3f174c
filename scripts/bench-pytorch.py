#!/usr/bin/env python3
"""PyTorch CPU baseline for Myelin's embedding benchmark (`cargo bench -p myelin-inference-engine`).

Runs all-MiniLM-L6-v2 from the same model files on the same 32 inputs (written by the Rust
benchmark to $TMPDIR/myelin-embed-bench-inputs.json), truncated to 128 tokens, with mean pooling
and L2 normalization, and prints texts/s at batch 1 and batch 32.

    python3 -m venv env && env/bin/pip install torch transformers
    cargo bench -p myelin-inference-engine --bench embed     # writes the inputs
    env/bin/python scripts/bench-pytorch.py ~/.myelin/models/all-minilm-l6-v2
"""
import json
import os
import sys
import tempfile
import time

import torch
from transformers import AutoModel, AutoTokenizer


def main():
    model_dir = sys.argv[1]
    inputs = json.load(open(os.path.join(tempfile.gettempdir(), "myelin-embed-bench-inputs.json")))
    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModel.from_pretrained(model_dir).eval()
    torch.set_num_threads(os.cpu_count())

    def embed(texts):
        batch = tokenizer(texts, padding=True, truncation=True, max_length=128, return_tensors="pt")
        with torch.inference_mode():
            hidden = model(**batch).last_hidden_state
        mask = batch["attention_mask"].unsqueeze(-1).float()
        pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
        return torch.nn.functional.normalize(pooled, dim=-1)

    for size in (1, 32):
        texts = inputs[:size]
        embed(texts)  # warm-up
        rounds, start = 0, time.perf_counter()
        while time.perf_counter() - start < 10:
            embed(texts)
            rounds += 1
        elapsed = time.perf_counter() - start
        print(f"batch {size}: {rounds * size / elapsed:.1f} texts/s")


if __name__ == "__main__":
    main()
