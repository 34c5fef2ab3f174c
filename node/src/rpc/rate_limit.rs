//! A token bucket shared by every connection, for RPC methods whose work is worth more than a
//! request (Substrate's `--rpc-rate-limit` counts calls per connection; a caller can open many).

use std::{
	sync::Mutex,
	time::{Duration, Instant},
};

/// Allows `per_second` calls per second on average and bursts of up to `burst` calls.
pub struct RateLimiter {
	per_second: u32,
	burst: u32,
	/// Tokens left (in thousandths of a call) and when they were counted.
	state: Mutex<(u64, Instant)>,
}

impl RateLimiter {
	/// A full bucket.
	pub fn new(per_second: u32, burst: u32) -> RateLimiter {
		let full = u64::from(burst).saturating_mul(1000);
		RateLimiter { per_second, burst, state: Mutex::new((full, Instant::now())) }
	}

	/// Takes one call's token now; false when the bucket is empty.
	pub fn try_acquire(&self) -> bool {
		self.try_acquire_at(Instant::now())
	}

	/// Takes one call's token at `now` (refilled since the last count); false when empty.
	pub fn try_acquire_at(&self, now: Instant) -> bool {
		self.try_acquire_many_at(now, 1)
	}

	/// Takes `calls` tokens at once now, or none; false when fewer are left.
	pub fn try_acquire_many(&self, calls: u32) -> bool {
		self.try_acquire_many_at(Instant::now(), calls)
	}

	/// Takes `calls` tokens at `now`, or none (more than the burst never succeeds).
	pub fn try_acquire_many_at(&self, now: Instant, calls: u32) -> bool {
		let Ok(mut state) = self.state.lock() else { return false };
		let (tokens, counted_at) = *state;
		let full = u64::from(self.burst).saturating_mul(1000);
		let elapsed = now.saturating_duration_since(counted_at);
		// Whole milliseconds are credited and the count moves on by exactly those, so calls
		// closer together than a millisecond cannot hold the refill back.
		// At most an hour is credited at once; past it the count restarts at `now`.
		let hour = Duration::from_secs(3600);
		let millis = u64::try_from(elapsed.min(hour).as_millis()).unwrap_or(u64::MAX);
		// Thousandths of a token per millisecond is tokens per second.
		let refill = u64::from(self.per_second).saturating_mul(millis);
		let tokens = tokens.saturating_add(refill).min(full);
		let counted_at = if elapsed >= hour {
			now
		} else {
			counted_at.checked_add(Duration::from_millis(millis)).unwrap_or(now)
		};
		match tokens.checked_sub(u64::from(calls).saturating_mul(1000)) {
			Some(left) => {
				*state = (left, counted_at);
				true
			}
			None => {
				*state = (tokens, counted_at);
				false
			}
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn bursts_then_refills_at_the_rate() {
		let limiter = RateLimiter::new(10, 3);
		let t0 = Instant::now();
		assert!((0..3).all(|_| limiter.try_acquire_at(t0)));
		assert!(!limiter.try_acquire_at(t0));
		// 10 per second: one more token every 100 ms.
		assert!(!limiter.try_acquire_at(t0 + Duration::from_millis(99)));
		assert!(limiter.try_acquire_at(t0 + Duration::from_millis(100)));
		assert!(!limiter.try_acquire_at(t0 + Duration::from_millis(150)));
		// A long pause refills the burst, no more.
		let later = t0 + Duration::from_secs(60);
		assert!((0..3).all(|_| limiter.try_acquire_at(later)));
		assert!(!limiter.try_acquire_at(later));
	}

	#[test]
	fn takes_several_tokens_or_none() {
		let limiter = RateLimiter::new(10, 5);
		let t0 = Instant::now();
		assert!(limiter.try_acquire_many_at(t0, 3));
		assert!(!limiter.try_acquire_many_at(t0, 3), "two left");
		assert!(limiter.try_acquire_many_at(t0, 2), "a refused request took nothing");
		assert!(!limiter.try_acquire_many_at(t0 + Duration::from_secs(60), 6), "beyond the burst");
	}

	#[test]
	fn calls_closer_than_a_millisecond_do_not_stop_the_refill() {
		let limiter = RateLimiter::new(10, 1);
		let t0 = Instant::now();
		assert!(limiter.try_acquire_at(t0));
		// A flood every 0.4 ms: refused until 100 ms have passed, then one token.
		let mut granted = Vec::new();
		for step in 1..=300u64 {
			let at = t0 + Duration::from_micros(400 * step);
			if limiter.try_acquire_at(at) {
				granted.push(at - t0);
			}
		}
		assert_eq!(granted.len(), 1, "{granted:?}");
		assert!(
			granted[0] >= Duration::from_millis(100) && granted[0] < Duration::from_millis(101)
		);
	}

	#[test]
	fn edge_rates_are_handled() {
		// No burst: nothing is ever allowed.
		let closed = RateLimiter::new(1_000, 0);
		assert!(!closed.try_acquire_at(Instant::now() + Duration::from_secs(10)));
		// No refill: the burst only.
		let once = RateLimiter::new(0, 1);
		let t0 = Instant::now();
		assert!(once.try_acquire_at(t0));
		assert!(!once.try_acquire_at(t0 + Duration::from_secs(3600)));
		// A clock that goes backwards refills nothing and breaks nothing.
		let limiter = RateLimiter::new(u32::MAX, u32::MAX);
		assert!(limiter.try_acquire_at(t0 + Duration::from_secs(5)));
		assert!(limiter.try_acquire_at(t0));
	}
}
