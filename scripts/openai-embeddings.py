#!/usr/bin/env python3
"""Calls a Myelin gateway with the unmodified openai SDK (pip install openai).

    openai-embeddings.py <base_url> <model> <text>...

Lists the models, embeds the texts in one request (the SDK's default encoding) and once more
with encoding_format="float", and prints one JSON object: the model ids, both requests'
vectors, usage and the receipt's miner (an extra field the SDK keeps).
"""
import json
import sys

import openai


def main() -> None:
    base_url, model, texts = sys.argv[1], sys.argv[2], sys.argv[3:]
    client = openai.OpenAI(base_url=base_url, api_key="unused", max_retries=0)
    models = [m.id for m in client.models.list().data]
    answers = []
    for encoding in (None, "float"):
        kwargs = {} if encoding is None else {"encoding_format": encoding}
        response = client.embeddings.create(model=model, input=texts, **kwargs)
        extra = response.model_extra or {}
        answers.append({
            "encoding": encoding or "sdk-default",
            "model": response.model,
            "vectors": [list(map(float, d.embedding)) for d in response.data],
            "usage": {"prompt_tokens": response.usage.prompt_tokens,
                      "total_tokens": response.usage.total_tokens},
            "miner": (extra.get("receipt") or {}).get("miner"),
        })
    print(json.dumps({"sdk": openai.__version__, "models": models, "answers": answers}))


if __name__ == "__main__":
    main()
