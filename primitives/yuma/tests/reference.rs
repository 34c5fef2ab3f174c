//! The fixed-point epoch against a dense `f64` reference of the same formulas, and properties
//! that must hold on any network: sums, bounds, zero for unweighted miners, clipping.

#![allow(
	clippy::arithmetic_side_effects,
	clippy::indexing_slicing,
	clippy::unwrap_used,
	clippy::needless_range_loop
)]

use myelin_yuma::{epoch, EpochInput, SparseRow};
use proptest::prelude::*;

/// What the float reference computes.
struct Reference {
	consensus: Vec<f64>,
	incentive: Vec<f64>,
	trust: Vec<f64>,
	sa: Vec<f64>,
	dividends: Vec<f64>,
	bonds: Vec<Vec<f64>>,
	/// Row-normalized, filtered weights (before clipping).
	weights: Vec<Vec<f64>>,
}

/// The epoch on dense `f64` matrices, written as plainly as the formulas.
fn reference(input: &EpochInput) -> Reference {
	let n = input.stake.len();
	let norm = |v: &[f64]| -> Vec<f64> {
		let s: f64 = v.iter().sum();
		if s == 0.0 {
			vec![0.0; v.len()]
		} else {
			v.iter().map(|x| x / s).collect()
		}
	};
	let stake: Vec<f64> = norm(&input.stake.iter().map(|&s| s as f64).collect::<Vec<_>>());
	let active: Vec<bool> = (0..n)
		.map(|i| {
			input.last_update[i] as u64 + input.activity_cutoff as u64 >= input.current_block as u64
		})
		.collect();
	let mut order: Vec<usize> = (0..n).collect();
	order.sort_by(|&a, &b| stake[b].partial_cmp(&stake[a]).unwrap().then(a.cmp(&b)));
	let mut permit = vec![false; n];
	for &i in order.iter().take(input.max_validators as usize) {
		permit[i] = stake[i] > 0.0;
	}
	let sa = norm(
		&(0..n).map(|i| if active[i] && permit[i] { stake[i] } else { 0.0 }).collect::<Vec<_>>(),
	);
	let mut w = vec![vec![0.0f64; n]; n];
	for i in 0..n {
		if !permit[i] {
			continue;
		}
		for &(j, v) in &input.weights[i] {
			let j = j as usize;
			if j < n && j != i && input.last_update[i] > input.registered_at[j] {
				w[i][j] = v as f64;
			}
		}
		let s: f64 = w[i].iter().sum();
		if s > 0.0 {
			w[i].iter_mut().for_each(|x| *x /= s);
		}
	}
	let kappa = input.kappa as f64 / u16::MAX as f64;
	let consensus: Vec<f64> = (0..n)
		.map(|j| {
			let mut col: Vec<(f64, f64)> = (0..n)
				.filter(|&i| w[i][j] > 0.0 && sa[i] > 0.0)
				.map(|i| (w[i][j], sa[i]))
				.collect();
			col.sort_by(|a, b| b.0.partial_cmp(&a.0).unwrap());
			let mut acc = 0.0;
			for (wv, s) in col {
				acc += s;
				if acc >= kappa - 1e-9 {
					return wv;
				}
			}
			0.0
		})
		.collect();
	let clipped: Vec<Vec<f64>> =
		(0..n).map(|i| (0..n).map(|j| w[i][j].min(consensus[j])).collect()).collect();
	let rank: Vec<f64> = (0..n).map(|j| (0..n).map(|i| sa[i] * clipped[i][j]).sum()).collect();
	let incentive = norm(&rank);
	let trust: Vec<f64> = (0..n).map(|i| clipped[i].iter().sum()).collect();
	// Bonds: B = colnorm((1 − α)·B_prev + α·colnorm(ΔB)), B_prev of permitted rows.
	let column_normalize = |m: &mut Vec<Vec<f64>>| {
		for j in 0..n {
			let s: f64 = (0..n).map(|i| m[i][j]).sum();
			for row in m.iter_mut() {
				row[j] = if s > 0.0 { row[j] / s } else { 0.0 };
			}
		}
	};
	let mut delta: Vec<Vec<f64>> =
		(0..n).map(|i| (0..n).map(|j| sa[i] * clipped[i][j]).collect()).collect();
	column_normalize(&mut delta);
	let alpha = 1.0 - input.bonds_moving_average.min(1_000_000) as f64 / 1e6;
	let mut bonds = vec![vec![0.0f64; n]; n];
	for i in 0..n {
		// Only validators holding a permit keep their bonds.
		if permit[i] {
			for &(j, b) in &input.bonds[i] {
				bonds[i][j as usize] = b as f64 / u16::MAX as f64;
			}
		}
		for j in 0..n {
			bonds[i][j] = (1.0 - alpha) * bonds[i][j] + alpha * delta[i][j];
		}
	}
	column_normalize(&mut bonds);
	let dividends =
		norm(&(0..n).map(|i| (0..n).map(|j| bonds[i][j] * incentive[j]).sum()).collect::<Vec<_>>());
	Reference { consensus, incentive, trust, sa, dividends, bonds, weights: w }
}

fn network() -> impl Strategy<Value = EpochInput> {
	(2usize..24).prop_flat_map(|n| {
		(
			prop::collection::vec(0u128..1_000_000, n),
			prop::collection::vec(
				prop::collection::vec((0u16..n as u16, 0u16..=u16::MAX), 0..n),
				n,
			),
			prop::collection::vec(
				prop::collection::vec((0u16..n as u16, 0u16..=u16::MAX), 0..n),
				n,
			),
			1u16..=8,
			0u16..=u16::MAX,
			0u32..=1_000_000,
		)
			.prop_map(move |(stake, weights, bonds, max_validators, kappa, moving_average)| {
				EpochInput {
					stake,
					last_update: vec![100; n],
					registered_at: vec![0; n],
					weights: dedup(weights),
					bonds: dedup(bonds),
					max_validators,
					kappa,
					bonds_moving_average: moving_average,
					activity_cutoff: 1000,
					current_block: 100,
				}
			})
	})
}

/// One weight per target, as the Yuma pallet guarantees.
fn dedup(rows: Vec<SparseRow>) -> Vec<SparseRow> {
	rows.into_iter()
		.map(|row| {
			let mut seen = std::collections::BTreeMap::new();
			for (j, w) in row {
				seen.insert(j, w);
			}
			seen.into_iter().collect()
		})
		.collect()
}

fn u16_close(fixed: u16, float: f64, tolerance: u16) -> bool {
	let expected = (float * u16::MAX as f64).round() as i64;
	(fixed as i64 - expected).unsigned_abs() <= tolerance as u64
}

proptest! {
	#![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

	#[test]
	fn agrees_with_the_dense_float_reference(input in network()) {
		let out = epoch(&input);
		let Reference { consensus, incentive, trust, sa, dividends, bonds, .. } = reference(&input);
		// Within a few u16 steps (≈ 5·10⁻⁵): fixed point has 10⁻⁹ resolution per operation.
		for j in 0..input.stake.len() {
			prop_assert!(u16_close(out.consensus[j], consensus[j], 2), "C[{j}] {} vs {}", out.consensus[j], consensus[j]);
			prop_assert!(u16_close(out.incentive[j], incentive[j], 2), "I[{j}] {} vs {}", out.incentive[j], incentive[j]);
			prop_assert!(u16_close(out.validator_trust[j], trust[j].min(1.0), 2), "VT[{j}]");
			prop_assert!(u16_close(out.active_stake[j], sa[j], 2), "Sa[{j}]");
			prop_assert!(u16_close(out.dividends[j], dividends[j], 3), "D[{j}] {} vs {}", out.dividends[j], dividends[j]);
			let row: std::collections::BTreeMap<u16, u16> = out.bonds[j].iter().copied().collect();
			for (k, &expected) in bonds[j].iter().enumerate() {
				let got = row.get(&(k as u16)).copied().unwrap_or(0);
				prop_assert!(u16_close(got, expected, 2), "B[{j}][{k}] {got} vs {expected}");
			}
			// Stored bonds are sorted by UID, as the next epoch expects.
			prop_assert!(out.bonds[j].windows(2).all(|w| w[0].0 < w[1].0));
		}
	}

	#[test]
	fn incentive_and_dividends_sum_to_one_or_zero(input in network()) {
		let out = epoch(&input);
		let n = input.stake.len() as i64;
		for (name, v) in [("incentive", &out.incentive), ("dividends", &out.dividends)] {
			let sum: i64 = v.iter().map(|&x| x as i64).sum();
			prop_assert!(sum == 0 || (sum - u16::MAX as i64).abs() <= n, "{name} sums to {sum}");
		}
		prop_assert_eq!(out.has_weights, out.incentive.iter().any(|&x| x > 0));
	}

	#[test]
	fn unweighted_miners_get_nothing_and_unpermitted_rows_count_nothing(input in network()) {
		let out = epoch(&input);
		let n = input.stake.len();
		for j in 0..n {
			let weighted = (0..n).any(|i| i != j && input.weights[i].iter().any(|&(t, w)| t as usize == j && w > 0));
			if !weighted {
				prop_assert_eq!(out.incentive[j], 0);
				prop_assert_eq!(out.consensus[j], 0);
			}
			// Without a permit a row's weights count for nothing.
			if !out.validator_permit[j] {
				prop_assert_eq!(out.validator_trust[j], 0);
			}
		}
	}

	#[test]
	fn emission_is_conserved(input in network(), amount in 0u128..1_000_000_000_000) {
		let out = epoch(&input);
		let split = out.emission_split(amount);
		let paid: u128 = split.miner.iter().chain(&split.validator).sum();
		prop_assert_eq!(paid + split.pending, amount);
		if !out.has_weights {
			prop_assert!(split.miner.iter().all(|&m| m == 0));
		}
	}
}

/// A network where honest validators all weight the honest miners equally and the other
/// validators weight only other miners, arbitrarily.
fn honest_and_colluding() -> impl Strategy<Value = (EpochInput, Vec<usize>, Vec<usize>)> {
	(4usize..20).prop_flat_map(|n| {
		(
			prop::collection::vec(1u128..1_000_000, n),
			prop::collection::vec(any::<bool>(), n),
			prop::collection::vec(any::<bool>(), n),
			prop::collection::vec(prop::collection::vec(1u16..=u16::MAX, n), n),
			0u16..=u16::MAX,
		)
			.prop_map(move |(stake, is_validator, is_honest, noise, kappa)| {
				let validators: Vec<usize> = (0..n).filter(|&i| is_validator[i]).collect();
				let honest: Vec<usize> =
					validators.iter().copied().filter(|&i| is_honest[i]).collect();
				let honest_miners: Vec<usize> =
					(0..n).filter(|&j| !is_validator[j] && is_honest[j]).collect();
				let other_miners: Vec<usize> =
					(0..n).filter(|&j| !is_validator[j] && !is_honest[j]).collect();
				let weights = (0..n)
					.map(|i| {
						if !is_validator[i] {
							Vec::new()
						} else if is_honest[i] {
							honest_miners.iter().map(|&j| (j as u16, u16::MAX)).collect()
						} else {
							other_miners.iter().map(|&j| (j as u16, noise[i][j])).collect()
						}
					})
					.collect();
				let input = EpochInput {
					stake: (0..n).map(|i| if is_validator[i] { stake[i] } else { 0 }).collect(),
					last_update: vec![100; n],
					registered_at: vec![0; n],
					weights,
					bonds: vec![Vec::new(); n],
					max_validators: n as u16,
					kappa,
					bonds_moving_average: 900_000,
					activity_cutoff: 1000,
					current_block: 100,
				};
				(input, honest, honest_miners)
			})
	})
}

proptest! {
	#![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

	#[test]
	fn clipping_never_raises_a_weight(input in network()) {
		let out = epoch(&input);
		let Reference { weights, .. } = reference(&input);
		let n = input.stake.len();
		for j in 0..n {
			// Consensus never exceeds the largest weight any permitted validator gave.
			let largest = (0..n).map(|i| weights[i][j]).fold(0.0, f64::max);
			prop_assert!(out.consensus[j] as f64 <= largest * u16::MAX as f64 + 2.0);
			// Trust is the clipped row's sum: at most the row's sum (one, or zero if empty).
			let row_sum: f64 = weights[j].iter().sum();
			prop_assert!(out.validator_trust[j] as f64 <= row_sum * u16::MAX as f64 + 2.0);
		}
	}

	#[test]
	fn more_honest_stake_never_lowers_an_honest_miners_incentive(
		(input, honest, honest_miners) in honest_and_colluding(),
		which in any::<prop::sample::Index>(),
		extra in 1u128..5_000_000,
	) {
		prop_assume!(!honest.is_empty() && !honest_miners.is_empty());
		let before = epoch(&input);
		let mut more = input.clone();
		more.stake[honest[which.index(honest.len())]] += extra;
		let after = epoch(&more);
		for &j in &honest_miners {
			prop_assert!(
				u32::from(after.incentive[j]) + 2 >= u32::from(before.incentive[j]),
				"miner {j}: {} -> {}", before.incentive[j], after.incentive[j]
			);
		}
	}
}

#[test]
fn honest_majority_sets_incentive_and_a_lone_dissenter_is_clipped() {
	// UIDs 0-2 validators (stakes 50, 30, 20), 3-4 miners.
	let input = EpochInput {
		stake: vec![50, 30, 20, 0, 0],
		last_update: vec![10; 5],
		registered_at: vec![0; 5],
		weights: vec![
			vec![(3, 3), (4, 1)],
			vec![(3, 3), (4, 1)],
			vec![(4, 1)], // the dissenter puts everything on miner 4
			vec![],
			vec![],
		],
		bonds: vec![Vec::new(); 5],
		max_validators: 3,
		kappa: u16::MAX / 2,
		bonds_moving_average: 900_000,
		activity_cutoff: 100,
		current_block: 20,
	};
	let out = epoch(&input);
	assert_eq!(out.validator_permit, vec![true, true, true, false, false]);
	// Consensus follows the 80% majority: miner 3 at 0.75, miner 4 at 0.25.
	assert!(u16_close(out.consensus[3], 0.75, 2) && u16_close(out.consensus[4], 0.25, 2));
	assert!(out.incentive[3] > out.incentive[4]);
	// The dissenter's weight on miner 4 is clipped to 0.25: trust 0.25 against 1.0.
	assert!(u16_close(out.validator_trust[2], 0.25, 2));
	assert!(u16_close(out.validator_trust[0], 1.0, 2));
	// Dividends follow stake among agreeing validators.
	assert!(out.dividends[0] > out.dividends[1] && out.dividends[1] > out.dividends[2]);
	// More honest stake never lowers the honest miner's incentive.
	let mut more = input.clone();
	more.stake[1] = 60;
	assert!(epoch(&more).incentive[3] >= out.incentive[3]);
}

#[test]
fn hostile_inputs_do_not_panic() {
	let input = EpochInput {
		stake: vec![u128::MAX, u128::MAX, 0],
		last_update: vec![u32::MAX],
		registered_at: vec![],
		weights: vec![vec![(9, 1), (1, u16::MAX), (1, u16::MAX)], vec![(0, 0)]],
		bonds: vec![vec![(7, 3)]],
		max_validators: u16::MAX,
		kappa: u16::MAX,
		bonds_moving_average: u32::MAX,
		activity_cutoff: u32::MAX,
		current_block: u32::MAX,
	};
	let out = epoch(&input);
	assert_eq!(out.incentive.len(), 3);
	assert_eq!(epoch(&EpochInput::default()), epoch(&EpochInput::default()));
}
