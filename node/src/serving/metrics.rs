//! The gateway's Prometheus metrics, per miner hotkey, on the node's `--prometheus-port`.

use myelin_primitives::AccountId;
use substrate_prometheus_endpoint::{
	register, CounterVec, HistogramOpts, HistogramVec, Opts, PrometheusError, Registry, U64,
};

/// Requests, failures, latency and audits per miner.
#[derive(Clone)]
pub struct Metrics {
	requests: CounterVec<U64>,
	failures: CounterVec<U64>,
	latency: HistogramVec,
	audits: CounterVec<U64>,
	rejected: CounterVec<U64>,
}

impl Metrics {
	/// Registers the metrics in `registry`.
	pub fn register(registry: &Registry) -> Result<Metrics, PrometheusError> {
		Ok(Metrics {
			requests: register(
				CounterVec::new(
					Opts::new("myelin_gateway_miner_requests_total", "Requests sent to a miner"),
					&["miner"],
				)?,
				registry,
			)?,
			failures: register(
				CounterVec::new(
					Opts::new(
						"myelin_gateway_miner_failures_total",
						"Requests a miner failed (timeout, connect, status, body, invalid answer)",
					),
					&["miner", "reason"],
				)?,
				registry,
			)?,
			latency: register(
				HistogramVec::new(
					HistogramOpts::new(
						"myelin_gateway_miner_latency_seconds",
						"Latency of a miner's good answers",
					)
					.buckets(vec![0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0]),
					&["miner"],
				)?,
				registry,
			)?,
			audits: register(
				CounterVec::new(
					Opts::new("myelin_gateway_miner_audits_total", "Audits of a miner's answers"),
					&["miner", "result"],
				)?,
				registry,
			)?,
			rejected: register(
				CounterVec::new(
					Opts::new(
						"myelin_gateway_requests_rejected_total",
						"Client requests answered with an error",
					),
					&["status"],
				)?,
				registry,
			)?,
		})
	}

	/// A request sent to `miner`.
	pub fn request(&self, miner: &AccountId) {
		self.requests.with_label_values(&[&miner.to_string()]).inc();
	}

	/// `miner` failed for `reason`.
	pub fn failure(&self, miner: &AccountId, reason: &str) {
		self.failures.with_label_values(&[&miner.to_string(), reason]).inc();
	}

	/// `miner` answered well in `seconds`.
	pub fn success(&self, miner: &AccountId, seconds: f64) {
		self.latency.with_label_values(&[&miner.to_string()]).observe(seconds);
	}

	/// An audit of `miner` passed or failed.
	pub fn audited(&self, miner: &AccountId, passed: bool) {
		let result = if passed { "pass" } else { "fail" };
		self.audits.with_label_values(&[&miner.to_string(), result]).inc();
	}

	/// A client request answered with `status`.
	pub fn rejected(&self, status: u16) {
		self.rejected.with_label_values(&[&status.to_string()]).inc();
	}
}
