#!/usr/bin/env python3
"""Gateway overhead and serving throughput, against a running `scripts/serve.sh` network.

    scripts/serve.sh > serve.out &          # wait for its `pids:` line
    scripts/bench-serving.py serve.out [--requests 200] [--seconds 20]

1. Latency, p50 and p99, of one short sentence and of a batch of 32, sent (a) straight to a
   miner's API and (b) through the gateway, on kept-alive connections; the difference is what
   the gateway adds (routing, forwarding, checking the receipt, re-encoding).
2. Throughput in texts/s through the gateway with 4 concurrent clients sending batches of 32,
   with all three miners and then with one (the other two stopped with SIGSTOP, after their
   backoff has settled).
Prints a Markdown table for docs/BENCHMARKS.md.
"""
import argparse
import http.client
import json
import os
import signal
import statistics
import threading
import time

SENTENCE = "The quick brown fox jumps over the lazy dog."


def parse_serve_output(path):
    lines = {}
    with open(path) as f:
        for line in f:
            if ": " in line:
                key, value = line.rstrip("\n").split(": ", 1)
                lines[key] = value
    gateway = lines["gateway"].removeprefix("http://").removesuffix("/v1")
    miners = [m.split("@", 1)[1] for m in lines["miners"].split(" ")]
    pids = lines["pids"].split(" ")
    return gateway, miners, pids


class Client:
    def __init__(self, hostport):
        host, port = hostport.rsplit(":", 1)
        self.conn = http.client.HTTPConnection(host, int(port), timeout=60)

    def embed(self, model, texts):
        body = json.dumps({"model": model, "input": texts})
        start = time.perf_counter()
        self.conn.request("POST", "/v1/embeddings", body, {"content-type": "application/json"})
        response = self.conn.getresponse()
        data = response.read()
        elapsed = time.perf_counter() - start
        if response.status != 200:
            raise RuntimeError(f"{response.status}: {data[:200]!r}")
        return elapsed


def percentile(samples, p):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def latencies(hostport, model, texts, n):
    client = Client(hostport)
    for _ in range(5):
        client.embed(model, texts)
    return [client.embed(model, texts) for _ in range(n)]


def throughput(gateway, model, seconds, clients=4, batch=32):
    texts = [f"{SENTENCE} ({i})" for i in range(batch)]
    done = [0] * clients
    stop = time.time() + seconds

    def run(i):
        client = Client(gateway)
        while time.time() < stop:
            try:
                client.embed(model, texts)
                done[i] += batch
            except Exception:
                client = Client(gateway)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(done) / seconds


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("serve_output")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=20)
    args = parser.parse_args()
    gateway, miners, pids = parse_serve_output(args.serve_output)
    conn = http.client.HTTPConnection(*gateway.rsplit(":", 1))
    conn.request("GET", "/v1/models")
    listed = json.loads(conn.getresponse().read())["data"][0]
    name, sha = listed["id"], listed["sha256"]

    rows = []
    for label, texts in (("1 sentence", [SENTENCE]),
                         ("batch of 32", [f"{SENTENCE} ({i})" for i in range(32)])):
        direct = latencies(miners[0], sha, texts, args.requests)
        through = latencies(gateway, name, texts, args.requests)
        d50, d99 = percentile(direct, 50), percentile(direct, 99)
        g50, g99 = percentile(through, 50), percentile(through, 99)
        rows.append((label, d50, d99, g50, g99))
    print(f"model {name} ({sha[:12]}…), {args.requests} requests each\n")
    print("| request | direct p50 | direct p99 | gateway p50 | gateway p99 | added at p50 |")
    print("|---|---|---|---|---|---|")
    for label, d50, d99, g50, g99 in rows:
        print(f"| {label} | {d50*1e3:.1f} ms | {d99*1e3:.1f} ms | {g50*1e3:.1f} ms | "
              f"{g99*1e3:.1f} ms | {(g50-d50)*1e3:+.1f} ms ({(g50/d50-1)*100:+.1f}%) |")

    three = throughput(gateway, name, args.seconds)
    stopped = pids[2:4]
    for pid in stopped:
        os.kill(int(pid), signal.SIGSTOP)
    try:
        throughput(gateway, name, 5)  # the stopped miners time out once and back off
        one = throughput(gateway, name, args.seconds)
    finally:
        for pid in stopped:
            os.kill(int(pid), signal.SIGCONT)
    print(f"\nthroughput through the gateway, 4 clients × batches of 32: "
          f"{three:.0f} texts/s with 3 miners, {one:.0f} texts/s with 1")


if __name__ == "__main__":
    main()
