//! Which miner answers a request, and who is next when it fails.
//!
//! The gateway keeps, per miner hotkey, what it observed: successes, failures, a moving average
//! of success (1 for a good answer, 0 for a timeout, refused connection or invalid answer) and
//! of latency. A request's plan ([`Router::plan`]) is:
//! 1. the miners of the model's subnets that advertise an axon, minus those backing off;
//! 2. with probability [`RouterConfig::exploration`], one of the newly seen miners (fewer than
//!    [`RouterConfig::new_miner_requests`] answers observed) first, so a miner that just
//!    registered, with no incentive yet, gets traffic and a record;
//! 3. otherwise a first miner drawn in proportion to its [`score`]:
//!    `(incentive + floor) × success × 1 / (1 + latency / reference)`, which spreads load over the
//!    good miners instead of sending everything to the best one;
//! 4. the others by descending score: the failover order.
//!
//! Dead endpoints back off: each failure in a row doubles the miner's pause, from
//! [`RouterConfig::backoff_base`] up to [`RouterConfig::backoff_max`]. When the pause ends the
//! miner is tried by one request at a time (a probe, [`Router::begin`], held for at most
//! [`RouterConfig::probe_lease`]) until one succeeds, so once its first failure is recorded a
//! stopped miner costs at most one timeout per pause, however many requests arrive. (Requests
//! already in flight when it stopped each time out once.) A failed
//! audit (a signed wrong answer) zeroes the miner's success average and pauses it for
//! [`RouterConfig::audit_penalty`].

use std::{
	collections::HashMap,
	net::SocketAddr,
	sync::Mutex,
	time::{Duration, Instant},
};

use myelin_primitives::{AccountId, BlockNumber, NetUid};

/// Tunables of the router.
#[derive(Clone, Debug)]
pub struct RouterConfig {
	/// Share of requests that go first to a newly seen miner, when there is one.
	pub exploration: f64,
	/// Answers after which a miner is no longer new.
	pub new_miner_requests: u64,
	/// Added to every incentive (a share of 1) so miners of a subnet without incentive yet are
	/// still drawn.
	pub incentive_floor: f64,
	/// Latency at which the latency factor halves.
	pub latency_reference: Duration,
	/// Weight of the newest observation in the moving averages.
	pub smoothing: f64,
	/// Pause after the first failure in a row.
	pub backoff_base: Duration,
	/// Longest pause.
	pub backoff_max: Duration,
	/// Pause after a failed audit.
	pub audit_penalty: Duration,
	/// How long a probe holds its miner: a probe whose request was dropped (the client went
	/// away) never reports, and must not keep the miner out for good.
	pub probe_lease: Duration,
}

impl Default for RouterConfig {
	fn default() -> RouterConfig {
		RouterConfig {
			exploration: 0.05,
			new_miner_requests: 20,
			incentive_floor: 0.01,
			latency_reference: Duration::from_millis(200),
			smoothing: 0.2,
			backoff_base: Duration::from_secs(1),
			backoff_max: Duration::from_secs(60),
			audit_penalty: Duration::from_secs(600),
			probe_lease: Duration::from_secs(30),
		}
	}
}

/// A miner that could answer.
#[derive(Clone, PartialEq, Debug)]
pub struct Candidate {
	/// Its hotkey (the receipt's signer).
	pub hotkey: AccountId,
	/// The subnet it answers for.
	pub netuid: NetUid,
	/// Its advertised endpoint.
	pub addr: SocketAddr,
	/// Its incentive (share of `u16::MAX`).
	pub incentive: u16,
	/// When it registered.
	pub registered_at: BlockNumber,
}

/// What the router knows of one miner.
#[derive(Clone, Debug, Default)]
pub struct MinerRecord {
	/// Good answers.
	pub successes: u64,
	/// Timeouts, refusals and invalid answers.
	pub failures: u64,
	/// Moving average of success (1 = always good); `None` before the first observation.
	pub success: Option<f64>,
	/// Moving average of a good answer's latency, in seconds.
	pub latency: Option<f64>,
	/// Failures since the last success.
	pub failures_in_a_row: u32,
	/// No request before this.
	pub paused_until: Option<Instant>,
	/// When the probe in flight started (only one at a time after a failure).
	pub probing: Option<Instant>,
}

impl MinerRecord {
	fn observed(&self) -> u64 {
		self.successes.saturating_add(self.failures)
	}
}

/// A candidate's rank: `(incentive + floor) × success × 1 / (1 + latency / reference)`.
pub fn score(config: &RouterConfig, candidate: &Candidate, record: Option<&MinerRecord>) -> f64 {
	let incentive = f64::from(candidate.incentive) / f64::from(u16::MAX) + config.incentive_floor;
	let success = record.and_then(|r| r.success).unwrap_or(1.0);
	let reference = config.latency_reference.as_secs_f64().max(f64::MIN_POSITIVE);
	let latency = record.and_then(|r| r.latency).unwrap_or(0.0);
	incentive * success / (1.0 + latency / reference)
}

/// The gateway's per-miner records and routing policy.
pub struct Router {
	config: RouterConfig,
	records: Mutex<HashMap<AccountId, MinerRecord>>,
}

impl Router {
	/// A router with no observations.
	pub fn new(config: RouterConfig) -> Router {
		Router { config, records: Mutex::new(HashMap::new()) }
	}

	fn records(&self) -> std::sync::MutexGuard<'_, HashMap<AccountId, MinerRecord>> {
		self.records.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
	}

	/// What the router knows of `hotkey`.
	#[cfg(test)]
	pub fn record(&self, hotkey: &AccountId) -> Option<MinerRecord> {
		self.records().get(hotkey).cloned()
	}

	/// The order in which to try `candidates` for one request, at `now`; `draws` are two
	/// uniform numbers in [0, 1) (exploration, then the weighted pick). Miners pausing are left
	/// out unless every candidate is pausing, then they come in order of their pause's end.
	pub fn plan(
		&self,
		candidates: &[Candidate],
		now: Instant,
		draws: (f64, f64),
	) -> Vec<Candidate> {
		let records = self.records();
		let paused = |c: &Candidate| {
			records.get(&c.hotkey).and_then(|r| r.paused_until).is_some_and(|until| until > now)
		};
		let mut ready: Vec<(f64, &Candidate)> = candidates
			.iter()
			.filter(|c| !paused(c))
			.map(|c| (score(&self.config, c, records.get(&c.hotkey)), c))
			.collect();
		if ready.is_empty() {
			let mut pausing: Vec<&Candidate> = candidates.iter().collect();
			pausing.sort_by_key(|c| records.get(&c.hotkey).and_then(|r| r.paused_until));
			return pausing.into_iter().cloned().collect();
		}
		ready.sort_by(|a, b| b.0.total_cmp(&a.0));

		let is_new = |c: &Candidate| {
			records.get(&c.hotkey).map_or(0, MinerRecord::observed) < self.config.new_miner_requests
		};
		let newcomers: Vec<usize> =
			ready.iter().enumerate().filter(|(_, (_, c))| is_new(c)).map(|(i, _)| i).collect();
		let first = if draws.0 < self.config.exploration && !newcomers.is_empty() {
			let pick = pick_index(draws.1, newcomers.len());
			newcomers.get(pick).copied()
		} else {
			weighted_index(draws.1, ready.iter().map(|(s, _)| *s))
		};
		let mut plan = Vec::with_capacity(ready.len());
		if let Some(first) = first.and_then(|i| (i < ready.len()).then(|| ready.remove(i))) {
			plan.push(first.1.clone());
		}
		plan.extend(ready.into_iter().map(|(_, c)| c.clone()));
		plan
	}

	/// Whether a request may go to `hotkey` now. After a failure only one request at a time
	/// (a probe) may, and none while the miner's pause lasts.
	pub fn begin(&self, hotkey: &AccountId, now: Instant) -> bool {
		let mut records = self.records();
		let record = records.entry(hotkey.clone()).or_default();
		if record.paused_until.is_some_and(|until| until > now) {
			return false;
		}
		if record.failures_in_a_row == 0 {
			return true;
		}
		let lease = self.config.probe_lease;
		if record.probing.and_then(|since| since.checked_add(lease)).is_some_and(|end| now < end) {
			return false;
		}
		record.probing = Some(now);
		true
	}

	/// `hotkey` was asked but could not take the request (at capacity): its probe, if any, ends
	/// without counting for or against it.
	pub fn release(&self, hotkey: &AccountId) {
		if let Some(record) = self.records().get_mut(hotkey) {
			record.probing = None;
		}
	}

	/// A good answer from `hotkey` after `latency`.
	pub fn succeeded(&self, hotkey: &AccountId, latency: Duration) {
		let alpha = self.config.smoothing;
		let mut records = self.records();
		let record = records.entry(hotkey.clone()).or_default();
		record.successes = record.successes.saturating_add(1);
		record.success = Some(record.success.map_or(1.0, |s| s + alpha * (1.0 - s)));
		let seconds = latency.as_secs_f64();
		record.latency = Some(record.latency.map_or(seconds, |l| l + alpha * (seconds - l)));
		record.failures_in_a_row = 0;
		record.paused_until = None;
		record.probing = None;
	}

	/// A timeout, refused connection or invalid answer from `hotkey` at `now`: the miner pauses
	/// for `backoff_base × 2^(failures in a row − 1)`, at most `backoff_max`.
	pub fn failed(&self, hotkey: &AccountId, now: Instant) {
		let alpha = self.config.smoothing;
		let mut records = self.records();
		let record = records.entry(hotkey.clone()).or_default();
		record.failures = record.failures.saturating_add(1);
		record.success = Some(record.success.map_or(0.0, |s| s - alpha * s));
		record.failures_in_a_row = record.failures_in_a_row.saturating_add(1);
		let doublings = record.failures_in_a_row.saturating_sub(1).min(20);
		let pause =
			self.config.backoff_base.saturating_mul(1u32 << doublings).min(self.config.backoff_max);
		record.paused_until = now.checked_add(pause);
		record.probing = None;
	}

	/// An audit of one of `hotkey`'s answers failed at `now`: the miner signed a wrong answer.
	pub fn audit_failed(&self, hotkey: &AccountId, now: Instant) {
		let mut records = self.records();
		let record = records.entry(hotkey.clone()).or_default();
		record.success = Some(0.0);
		record.paused_until = now.checked_add(self.config.audit_penalty);
	}
}

/// `draw` in [0, 1) scaled to an index below `len`.
fn pick_index(draw: f64, len: usize) -> usize {
	let scaled = (draw.clamp(0.0, 1.0) * len as f64) as usize;
	scaled.min(len.saturating_sub(1))
}

/// The index `draw` falls on when [0, 1) is cut in proportion to `weights` (the first positive
/// weight if they sum to nothing).
fn weighted_index(draw: f64, weights: impl Iterator<Item = f64> + Clone) -> Option<usize> {
	let total: f64 = weights.clone().filter(|w| *w > 0.0).sum();
	if total <= 0.0 {
		return weights.clone().position(|_| true);
	}
	let mut target = draw.clamp(0.0, 1.0) * total;
	let mut last = None;
	for (i, w) in weights.enumerate() {
		if w <= 0.0 {
			continue;
		}
		last = Some(i);
		if target < w {
			return Some(i);
		}
		target -= w;
	}
	last
}

#[cfg(test)]
mod tests {
	use super::*;

	fn miner(seed: u8, incentive: u16) -> Candidate {
		Candidate {
			hotkey: AccountId::new([seed; 32]),
			netuid: 1,
			addr: SocketAddr::from(([127, 0, 0, 1], 9000 + u16::from(seed))),
			incentive,
			registered_at: 0,
		}
	}

	fn seasoned(router: &Router, c: &Candidate, latency_ms: u64) {
		for _ in 0..router.config.new_miner_requests {
			router.succeeded(&c.hotkey, Duration::from_millis(latency_ms));
		}
	}

	#[test]
	fn load_follows_incentive_success_and_latency() {
		let router = Router::new(RouterConfig::default());
		let (a, b, c) = (miner(1, 30_000), miner(2, 10_000), miner(3, 30_000));
		for m in [&a, &b] {
			seasoned(&router, m, 10);
		}
		// c is as rewarded as a but ten times slower.
		seasoned(&router, &c, 2_000);
		let now = Instant::now();
		let mut firsts = HashMap::new();
		for i in 0..1000 {
			let draw = (f64::from(i) + 0.5) / 1000.0;
			let plan = router.plan(&[a.clone(), b.clone(), c.clone()], now, (1.0, draw));
			assert_eq!(plan.len(), 3, "every candidate is in the plan");
			*firsts.entry(plan[0].hotkey.clone()).or_insert(0u32) += 1;
		}
		let (fa, fb, fc) = (firsts[&a.hotkey], firsts[&b.hotkey], firsts[&c.hotkey]);
		assert!(fa > fb && fb > fc, "a {fa}, b {fb}, c {fc}");
		// The exact shares follow the scores.
		let sa = score(&router.config, &a, router.record(&a.hotkey).as_ref());
		let sb = score(&router.config, &b, router.record(&b.hotkey).as_ref());
		let sc = score(&router.config, &c, router.record(&c.hotkey).as_ref());
		let expected_a = 1000.0 * sa / (sa + sb + sc);
		assert!((f64::from(fa) - expected_a).abs() <= 1.0, "{fa} vs {expected_a}");
	}

	#[test]
	fn failover_order_is_by_descending_score() {
		let router = Router::new(RouterConfig::default());
		let miners = [miner(1, 100), miner(2, 60_000), miner(3, 5_000)];
		for m in &miners {
			seasoned(&router, m, 10);
		}
		let plan = router.plan(&miners, Instant::now(), (1.0, 0.0));
		// The draw at 0 picks the best; the rest follow by score.
		let order: Vec<u16> = plan.iter().map(|c| c.incentive).collect();
		assert_eq!(order, vec![60_000, 5_000, 100]);
	}

	#[test]
	fn newly_registered_miners_get_an_exploration_share() {
		let router = Router::new(RouterConfig::default());
		let veteran = miner(1, u16::MAX);
		let newcomer = miner(2, 0);
		seasoned(&router, &veteran, 10);
		let now = Instant::now();
		let candidates = [veteran.clone(), newcomer.clone()];
		// Below the exploration share the newcomer goes first whatever its score.
		let plan = router.plan(&candidates, now, (0.01, 0.99));
		assert_eq!(plan[0].hotkey, newcomer.hotkey);
		// Above it, the weighted draw almost always picks the veteran (score 1.01 vs 0.01).
		let plan = router.plan(&candidates, now, (0.5, 0.5));
		assert_eq!(plan[0].hotkey, veteran.hotkey);
		// Once observed enough, it is no longer explored.
		seasoned(&router, &newcomer, 10);
		let plan = router.plan(&candidates, now, (0.01, 0.5));
		assert_eq!(plan[0].hotkey, veteran.hotkey);
	}

	#[test]
	fn a_dead_miner_costs_one_attempt_per_backoff_window() {
		let config = RouterConfig::default();
		let router = Router::new(config.clone());
		let dead = miner(1, u16::MAX);
		let alive = miner(2, 1);
		let t0 = Instant::now();
		assert!(router.begin(&dead.hotkey, t0));
		router.failed(&dead.hotkey, t0);
		// Paused for backoff_base: left out of plans, refused by begin.
		let plan = router.plan(&[dead.clone(), alive.clone()], t0, (1.0, 0.0));
		assert_eq!(plan, vec![alive.clone()]);
		assert!(!router.begin(&dead.hotkey, t0 + config.backoff_base / 2));
		// After the pause: exactly one probe at a time.
		let t1 = t0 + config.backoff_base;
		assert!(router.begin(&dead.hotkey, t1));
		assert!(!router.begin(&dead.hotkey, t1), "a second request while the probe is out");
		// A probe that never reports (its client went away) holds the miner for a lease only.
		assert!(router.begin(&dead.hotkey, t1 + config.probe_lease));
		assert!(!router.begin(&dead.hotkey, t1 + config.probe_lease));
		router.failed(&dead.hotkey, t1);
		// The pause doubles with each failure in a row, up to the maximum.
		assert!(
			!router.begin(&dead.hotkey, t1 + config.backoff_base * 2 - Duration::from_millis(1))
		);
		let mut t = t1;
		for _ in 0..30 {
			t += config.backoff_max;
			assert!(router.begin(&dead.hotkey, t));
			router.failed(&dead.hotkey, t);
		}
		assert_eq!(router.record(&dead.hotkey).unwrap().paused_until, Some(t + config.backoff_max));
		// One success ends the backoff.
		let t2 = t + config.backoff_max;
		assert!(router.begin(&dead.hotkey, t2));
		router.succeeded(&dead.hotkey, Duration::from_millis(5));
		assert!(router.begin(&dead.hotkey, t2) && router.begin(&dead.hotkey, t2));
	}

	#[test]
	fn a_busy_miner_releases_its_probe_without_a_penalty() {
		let router = Router::new(RouterConfig::default());
		let m = miner(1, 1);
		let t0 = Instant::now();
		router.failed(&m.hotkey, t0);
		let t1 = t0 + router.config.backoff_base;
		assert!(router.begin(&m.hotkey, t1));
		assert!(!router.begin(&m.hotkey, t1));
		router.release(&m.hotkey);
		let record = router.record(&m.hotkey).unwrap();
		assert_eq!((record.failures, record.failures_in_a_row), (1, 1), "not counted");
		assert!(router.begin(&m.hotkey, t1), "the next request may probe at once");
	}

	#[test]
	fn when_every_miner_pauses_the_soonest_back_comes_first() {
		let router = Router::new(RouterConfig::default());
		let (a, b) = (miner(1, 1), miner(2, 1));
		let t0 = Instant::now();
		router.failed(&a.hotkey, t0);
		router.failed(&a.hotkey, t0); // a pauses twice as long
		router.failed(&b.hotkey, t0);
		let plan = router.plan(&[a.clone(), b.clone()], t0, (1.0, 0.0));
		assert_eq!(plan, vec![b, a]);
	}

	#[test]
	fn a_failed_audit_routes_the_miner_away() {
		let config = RouterConfig::default();
		let router = Router::new(config.clone());
		let (cheat, honest) = (miner(1, u16::MAX), miner(2, 1_000));
		seasoned(&router, &cheat, 10);
		seasoned(&router, &honest, 10);
		let t0 = Instant::now();
		router.audit_failed(&cheat.hotkey, t0);
		let plan = router.plan(&[cheat.clone(), honest.clone()], t0, (1.0, 0.0));
		assert_eq!(plan, vec![honest.clone()]);
		// After the penalty its success average is still at zero: last in line.
		let later = t0 + config.audit_penalty;
		let plan = router.plan(&[cheat.clone(), honest.clone()], later, (1.0, 0.999));
		assert_eq!(plan[0].hotkey, honest.hotkey);
	}

	#[test]
	fn edge_draws_and_weights() {
		assert_eq!(weighted_index(0.0, [0.0, 0.0].into_iter()), Some(0));
		assert_eq!(weighted_index(0.999, [1.0, 0.0].into_iter()), Some(0));
		assert_eq!(weighted_index(1.0, [1.0, 1.0].into_iter()), Some(1));
		assert_eq!(weighted_index(0.5, std::iter::empty()), None);
		assert_eq!(pick_index(1.0, 3), 2);
		assert_eq!(pick_index(-1.0, 3), 0);
		let router = Router::new(RouterConfig::default());
		assert!(router.plan(&[], Instant::now(), (0.0, 0.0)).is_empty());
	}
}
