//! The validator's arithmetic, in integers so every validator running the same outputs gets the
//! same scores: cosine similarity of quantized outputs, a round's score (quality × speed), the
//! moving average per miner, and the weight vector it becomes.

use alloc::vec::Vec;
use myelin_primitives::{BlockNumber, Uid};
use sp_arithmetic::traits::IntegerSquareRoot;

use crate::types::{TaskSpec, PPM};

/// How much one round moves a miner's average, in ppm (0.3: a round's score weighs 30 %).
pub const EMA_ALPHA: u32 = 300_000;

/// Cosine similarity of two quantized outputs in ppm (−1_000_000 ..= 1_000_000); 0 when the
/// widths differ or either is all zero.
pub fn cosine_ppm(a: &[i8], b: &[i8]) -> i64 {
	if a.len() != b.len() {
		return 0;
	}
	let (mut dot, mut norm_a, mut norm_b) = (0i128, 0u128, 0u128);
	for (&x, &y) in a.iter().zip(b) {
		let (x, y) = (i128::from(x), i128::from(y));
		dot = dot.saturating_add(x.saturating_mul(y));
		norm_a = norm_a.saturating_add(x.unsigned_abs().saturating_mul(x.unsigned_abs()));
		norm_b = norm_b.saturating_add(y.unsigned_abs().saturating_mul(y.unsigned_abs()));
	}
	// sqrt(|a|²|b|²) scaled by 10^6 before rounding down, so the root loses under 1e-6.
	const SCALE: u128 = 1_000_000_000_000;
	let denominator = norm_a.saturating_mul(norm_b).saturating_mul(SCALE).integer_sqrt();
	let Ok(denominator) = i128::try_from(denominator) else { return 0 };
	let cosine = dot
		.saturating_mul(i128::try_from(SCALE).unwrap_or(i128::MAX))
		.checked_div(denominator)
		.unwrap_or(0)
		.clamp(i128::from(PPM).saturating_neg(), i128::from(PPM));
	i64::try_from(cosine).unwrap_or(0)
}

/// Mean cosine similarity, in ppm, of a miner's outputs to the references (0 when the counts
/// differ or there are none).
pub fn mean_cosine_ppm(outputs: &[impl AsRef<[i8]>], references: &[Vec<i8>]) -> i64 {
	if outputs.len() != references.len() || outputs.is_empty() {
		return 0;
	}
	let total = outputs
		.iter()
		.zip(references)
		.fold(0i64, |acc, (o, r)| acc.saturating_add(cosine_ppm(o.as_ref(), r)));
	let count = i64::try_from(outputs.len()).unwrap_or(i64::MAX);
	total.checked_div(count).unwrap_or(0)
}

/// The speed factor of a commit in ppm: 1 at the round's start, falling linearly by
/// `speed_weight` to the end of the commit window.
pub fn speed_ppm(spec: &TaskSpec, start: BlockNumber, commit_block: BlockNumber) -> u32 {
	let delay = commit_block.saturating_sub(start).min(spec.commit_window);
	let penalty = u64::from(spec.speed_weight)
		.saturating_mul(u64::from(delay))
		.checked_div(u64::from(spec.commit_window))
		.unwrap_or(0);
	PPM.saturating_sub(u32::try_from(penalty).unwrap_or(PPM))
}

/// A round's score in ppm: quality (1 if the mean cosine reaches the threshold, else 0) times
/// speed.
pub fn round_score(spec: &TaskSpec, mean_cosine: i64, speed: u32) -> u32 {
	if mean_cosine >= i64::from(spec.score_threshold) {
		speed
	} else {
		0
	}
}

/// Share of a round's score that comes from organic work, in ppm, when the validator's gateway
/// relayed any answers on the subnet since the last round.
pub const ORGANIC_SHARE: u32 = 500_000;

/// A miner's score for a round with its organic record folded in: 0 if any audited answer
/// failed (the miner signed a wrong answer); the challenge score alone if the gateway relayed
/// nothing on the subnet (`max_served` 0); otherwise `(1 − share) · challenge + share · volume`,
/// where volume is the miner's answers relayed over the most any miner had relayed.
pub fn with_organic(challenge: u32, served: u32, failed: u32, max_served: u32) -> u32 {
	if failed > 0 {
		return 0;
	}
	if max_served == 0 {
		return challenge;
	}
	let ppm = u64::from(PPM);
	let volume = u64::from(served.min(max_served))
		.saturating_mul(ppm)
		.checked_div(u64::from(max_served))
		.unwrap_or(0);
	let from_challenge =
		u64::from(challenge.min(PPM)).saturating_mul(ppm.saturating_sub(u64::from(ORGANIC_SHARE)));
	let from_volume = volume.saturating_mul(u64::from(ORGANIC_SHARE));
	let total = from_challenge.saturating_add(from_volume).checked_div(ppm).unwrap_or(0);
	u32::try_from(total).unwrap_or(PPM)
}

/// The moving average after one more round: `ema + α · (score − ema)`.
pub fn update_ema(ema: u32, score: u32) -> u32 {
	let kept = u64::from(ema).saturating_mul(u64::from(PPM.saturating_sub(EMA_ALPHA)));
	let added = u64::from(score.min(PPM)).saturating_mul(u64::from(EMA_ALPHA));
	let next = kept.saturating_add(added).checked_div(u64::from(PPM)).unwrap_or(0);
	u32::try_from(next).unwrap_or(PPM)
}

/// The weight vector of moving averages (ppm) by UID: every UID listed, values scaled so that
/// 1_000_000 is `u16::MAX`. `None` when every average is zero (there is nothing to say yet).
pub fn weight_vector(averages: &[(Uid, u32)]) -> Option<(Vec<Uid>, Vec<u16>)> {
	if averages.iter().all(|&(_, ema)| ema == 0) {
		return None;
	}
	let mut sorted = averages.to_vec();
	sorted.sort_unstable_by_key(|&(uid, _)| uid);
	let uids = sorted.iter().map(|&(uid, _)| uid).collect();
	let values = sorted
		.iter()
		.map(|&(_, ema)| {
			let scaled = u64::from(ema.min(PPM))
				.saturating_mul(u64::from(u16::MAX))
				.checked_div(u64::from(PPM))
				.unwrap_or(0);
			u16::try_from(scaled).unwrap_or(u16::MAX)
		})
		.collect();
	Some((uids, values))
}
