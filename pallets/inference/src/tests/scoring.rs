//! The validator's integer scoring against a float reference, and its properties.

use crate::offchain::scoring::*;
use crate::{TaskSpec, PPM};

fn float_cosine(a: &[i8], b: &[i8]) -> f64 {
	let dot: f64 = a.iter().zip(b).map(|(&x, &y)| f64::from(x) * f64::from(y)).sum();
	let na: f64 = a.iter().map(|&x| f64::from(x).powi(2)).sum::<f64>().sqrt();
	let nb: f64 = b.iter().map(|&x| f64::from(x).powi(2)).sum::<f64>().sqrt();
	if na == 0.0 || nb == 0.0 {
		0.0
	} else {
		dot / (na * nb)
	}
}

/// A deterministic pseudo-random vector.
fn vector(seed: u64, width: usize) -> Vec<i8> {
	let mut state = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
	(0..width)
		.map(|_| {
			state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
			(state >> 56) as u8 as i8
		})
		.collect()
}

#[test]
fn cosine_matches_the_float_reference() {
	for seed in 0..500u64 {
		let width = 1 + (seed as usize % 400);
		let (a, b) = (vector(seed, width), vector(seed + 7919, width));
		let got = cosine_ppm(&a, &b) as f64 / 1e6;
		assert!((got - float_cosine(&a, &b)).abs() <= 2e-6, "seed {seed}: {got}");
	}
	let a = vector(1, 384);
	assert_eq!(cosine_ppm(&a, &a), 1_000_000);
	let negated: Vec<i8> = a.iter().map(|&x| x.saturating_neg()).collect();
	assert!(cosine_ppm(&a, &negated) <= -999_000);
	assert_eq!(cosine_ppm(&a, &a[..10]), 0, "widths differ");
	assert_eq!(cosine_ppm(&[0; 4], &[1; 4]), 0, "zero vector");
	assert_eq!(cosine_ppm(&[-128; 1024], &[-128; 1024]), 1_000_000, "no overflow at the extremes");
}

#[test]
fn mean_cosine_needs_matching_counts() {
	let refs = vec![vector(1, 16), vector(2, 16)];
	assert_eq!(mean_cosine_ppm(&refs, &refs), 1_000_000);
	assert_eq!(mean_cosine_ppm(&refs[..1], &refs), 0);
	let none: [Vec<i8>; 0] = [];
	assert_eq!(mean_cosine_ppm(&none, &[]), 0);
	let mixed = vec![vector(1, 16), vector(3, 16)];
	let expected = (1_000_000 + cosine_ppm(&vector(3, 16), &vector(2, 16))) / 2;
	assert_eq!(mean_cosine_ppm(&mixed, &refs), expected);
}

fn spec() -> TaskSpec {
	super::mock::spec()
}

#[test]
fn speed_falls_linearly_over_the_commit_window() {
	let spec = TaskSpec { commit_window: 4, speed_weight: 400_000, ..spec() };
	let speeds: Vec<u32> = (10..16).map(|block| speed_ppm(&spec, 10, block)).collect();
	assert_eq!(speeds, vec![1_000_000, 900_000, 800_000, 700_000, 600_000, 600_000]);
	let flat = TaskSpec { speed_weight: 0, ..spec };
	assert_eq!(speed_ppm(&flat, 10, 13), PPM);
}

#[test]
fn quality_is_a_threshold() {
	let spec = spec();
	assert_eq!(round_score(&spec, 900_000, 800_000), 800_000);
	assert_eq!(round_score(&spec, 899_999, 800_000), 0);
	assert_eq!(round_score(&spec, -5, 1_000_000), 0);
}

#[test]
fn averages_move_towards_scores_within_bounds() {
	assert_eq!(update_ema(0, PPM), EMA_ALPHA);
	assert_eq!(update_ema(PPM, PPM), PPM);
	assert_eq!(update_ema(PPM, 0), PPM - EMA_ALPHA);
	let mut a = 0;
	let mut b = 0;
	for round in 0..50 {
		let before = (a, b);
		a = update_ema(a, PPM);
		b = update_ema(b, if round % 2 == 0 { PPM } else { 0 });
		assert!(a >= before.0 && a <= PPM, "monotone towards a constant score");
		assert!(b <= PPM);
		if round >= 1 {
			assert!(a > b, "always passing beats passing half the rounds");
		}
	}
}

#[test]
fn weight_vectors_list_every_uid_scaled() {
	assert_eq!(weight_vector(&[(2, 0), (1, 0)]), None);
	let (uids, values) = weight_vector(&[(3, 0), (1, PPM), (2, 500_000)]).unwrap();
	assert_eq!(uids, vec![1, 2, 3]);
	assert_eq!(values, vec![u16::MAX, 32_767, 0]);
}

#[test]
fn organic_work_folds_in_like_the_exact_reference() {
	// Exact rational reference: ((1 − s)·c + s·served/max) in ppm, floored.
	let share = u128::from(ORGANIC_SHARE);
	let ppm = u128::from(PPM);
	let reference = |c: u32, served: u32, max: u32| -> u32 {
		let c = u128::from(c.min(PPM));
		let served = u128::from(served.min(max));
		let max = u128::from(max);
		// (c·(ppm − s)·max + served·ppm·s) / (ppm·max)
		let num = c * (ppm - share) * max + served * ppm * share;
		(num / (ppm * max)) as u32
	};
	let mut state = 0x5eed_u64;
	let mut next = |bound: u64| {
		state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
		(state >> 33) % bound
	};
	for _ in 0..5_000 {
		let c = next(u64::from(PPM) + 1) as u32;
		let max = 1 + next(1_000_000) as u32;
		let served = next(u64::from(max) + 1) as u32;
		assert_eq!(
			with_organic(c, served, 0, max),
			reference(c, served, max),
			"{c} {served} {max}"
		);
	}
	// Edges: no traffic on the subnet leaves the challenge score; a single failed audit zeroes
	// even a perfect miner; the busiest perfect miner keeps 1; extreme counts do not overflow.
	assert_eq!(with_organic(PPM, 0, 0, 0), PPM);
	assert_eq!(with_organic(0, 0, 0, 0), 0);
	assert_eq!(with_organic(PPM, 10, 1, 10), 0);
	assert_eq!(with_organic(PPM, u32::MAX, 0, u32::MAX), PPM);
	assert_eq!(with_organic(0, u32::MAX, 0, u32::MAX), ORGANIC_SHARE);
	assert_eq!(with_organic(PPM, 0, 0, u32::MAX), PPM - ORGANIC_SHARE);
	assert_eq!(with_organic(u32::MAX, 1, 0, 1), PPM);
	// More volume never lowers a score; a failure always does.
	for served in 0..100 {
		assert!(with_organic(500_000, served + 1, 0, 100) >= with_organic(500_000, served, 0, 100));
	}
}
