//! The fixed-point epoch against an exact rational reference on small networks, where stakes and
//! weights are small integers so that sums land exactly on κ and weights tie; the edge values of
//! κ; and bonds of validators that lose their permit.

#![allow(
	clippy::arithmetic_side_effects,
	clippy::indexing_slicing,
	clippy::unwrap_used,
	clippy::needless_range_loop
)]

use myelin_yuma::{epoch, EpochInput, EpochOutput, SparseRow};
use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{One, Signed, ToPrimitive, Zero};
use proptest::prelude::*;

type Q = BigRational;

fn q(n: u128, d: u128) -> Q {
	Q::new(BigInt::from(n), BigInt::from(d))
}

/// What the exact reference computes, as rationals.
struct Exact {
	permit: Vec<bool>,
	consensus: Vec<Q>,
	incentive: Vec<Q>,
	trust: Vec<Q>,
	dividends: Vec<Q>,
	bonds: Vec<Vec<Q>>,
}

fn normalized(v: &[Q]) -> Vec<Q> {
	let total: Q = v.iter().cloned().sum();
	if total.is_zero() {
		vec![Q::zero(); v.len()]
	} else {
		v.iter().map(|x| x / &total).collect()
	}
}

/// The epoch's specification (the crate's module doc), in exact rational arithmetic.
fn exact(input: &EpochInput) -> Exact {
	let n = input.stake.len();
	// 1-2. Activity; permits to the largest stakes (ties to the lower UID, never to zero).
	let active: Vec<bool> = (0..n)
		.map(|i| {
			u64::from(input.last_update[i]) + u64::from(input.activity_cutoff)
				>= u64::from(input.current_block)
		})
		.collect();
	let mut order: Vec<usize> = (0..n).collect();
	order.sort_by(|&a, &b| input.stake[b].cmp(&input.stake[a]).then(a.cmp(&b)));
	let mut permit = vec![false; n];
	for &i in order.iter().take(usize::from(input.max_validators)) {
		permit[i] = input.stake[i] > 0;
	}
	let sa = normalized(
		&(0..n)
			.map(|i| if active[i] && permit[i] { q(input.stake[i], 1) } else { Q::zero() })
			.collect::<Vec<_>>(),
	);
	// 3. Filtered, row-normalized weights.
	let mut w = vec![vec![Q::zero(); n]; n];
	for i in 0..n {
		if !permit[i] {
			continue;
		}
		for &(j, v) in &input.weights[i] {
			let j = usize::from(j);
			if j < n && j != i && input.last_update[i] > input.registered_at[j] {
				w[i][j] = q(u128::from(v), 1);
			}
		}
		w[i] = normalized(&w[i]);
	}
	// 4. Consensus: the largest c with Σ_{i: W_ij ≥ c} Sa_i ≥ κ, over the weights given.
	let kappa = q(u128::from(input.kappa), u128::from(u16::MAX));
	let consensus: Vec<Q> = (0..n)
		.map(|j| {
			let mut column: Vec<(Q, Q)> = (0..n)
				.filter(|&i| w[i][j].is_positive() && sa[i].is_positive())
				.map(|i| (w[i][j].clone(), sa[i].clone()))
				.collect();
			column.sort_by(|a, b| b.0.cmp(&a.0));
			let mut reached = Q::zero();
			for (weight, stake) in column {
				reached += stake;
				if reached >= kappa {
					return weight;
				}
			}
			Q::zero()
		})
		.collect();
	// 5-6. Clipping, trust, rank, incentive.
	let clipped: Vec<Vec<Q>> = (0..n)
		.map(|i| (0..n).map(|j| w[i][j].clone().min(consensus[j].clone())).collect())
		.collect();
	let trust: Vec<Q> = clipped.iter().map(|row| row.iter().cloned().sum()).collect();
	let rank: Vec<Q> = (0..n).map(|j| (0..n).map(|i| &sa[i] * &clipped[i][j]).sum()).collect();
	let incentive = normalized(&rank);
	// 7. Bonds: only permitted validators keep theirs; B = colnorm((1−α)·B_prev + α·colnorm(ΔB)).
	let alpha = Q::one() - q(u128::from(input.bonds_moving_average.min(1_000_000)), 1_000_000);
	let mut bonds = vec![vec![Q::zero(); n]; n];
	for i in 0..n {
		if permit[i] {
			for &(j, b) in &input.bonds[i] {
				if usize::from(j) < n {
					bonds[i][usize::from(j)] = q(u128::from(b), u128::from(u16::MAX));
				}
			}
		}
		for j in 0..n {
			let delta =
				if rank[j].is_zero() { Q::zero() } else { &sa[i] * &clipped[i][j] / &rank[j] };
			bonds[i][j] = (Q::one() - &alpha) * &bonds[i][j] + &alpha * delta;
		}
	}
	for j in 0..n {
		let total: Q = (0..n).map(|i| bonds[i][j].clone()).sum();
		for i in 0..n {
			bonds[i][j] = if total.is_zero() { Q::zero() } else { &bonds[i][j] / &total };
		}
	}
	// 8. Dividends.
	let dividends = normalized(
		&(0..n).map(|i| (0..n).map(|j| &bonds[i][j] * &incentive[j]).sum()).collect::<Vec<Q>>(),
	);
	Exact { permit, consensus, incentive, trust, dividends, bonds }
}

/// `value` as a `u16` proportion, rounded to nearest.
fn as_u16(value: &Q) -> i64 {
	(value.min(&Q::one()) * q(u128::from(u16::MAX), 1)).round().to_integer().to_i64().unwrap()
}

fn close(fixed: u16, exact: &Q, tolerance: i64) -> bool {
	(i64::from(fixed) - as_u16(exact)).abs() <= tolerance
}

/// Checks every output of the fixed-point epoch against the exact reference.
fn check(input: &EpochInput) -> Result<(), TestCaseError> {
	let out: EpochOutput = epoch(input);
	let reference = exact(input);
	prop_assert_eq!(&out.validator_permit, &reference.permit);
	for j in 0..input.stake.len() {
		// The quantile compares stake exactly, and a weight is off by at most 2⁻³²: the
		// consensus is the exact one, rounded.
		prop_assert!(
			close(out.consensus[j], &reference.consensus[j], 1),
			"C[{j}] {} vs {}",
			out.consensus[j],
			reference.consensus[j]
		);
		prop_assert!(
			close(out.incentive[j], &reference.incentive[j], 2),
			"I[{j}] {} vs {}",
			out.incentive[j],
			reference.incentive[j]
		);
		prop_assert!(close(out.validator_trust[j], &reference.trust[j], 2), "VT[{j}]");
		prop_assert!(
			close(out.dividends[j], &reference.dividends[j], 3),
			"D[{j}] {} vs {}",
			out.dividends[j],
			reference.dividends[j]
		);
		let row: std::collections::BTreeMap<u16, u16> = out.bonds[j].iter().copied().collect();
		for (k, expected) in reference.bonds[j].iter().enumerate() {
			let got = row.get(&(k as u16)).copied().unwrap_or(0);
			prop_assert!(close(got, expected, 2), "B[{j}][{k}] {got} vs {expected}");
		}
	}
	Ok(())
}

/// The edge values of κ, and anything between.
fn kappa() -> impl Strategy<Value = u16> {
	prop_oneof![
		Just(0u16),
		Just(1),
		Just(u16::MAX / 2),
		Just(u16::MAX / 3 * 2),
		Just(u16::MAX - 1),
		Just(u16::MAX),
		any::<u16>(),
	]
}

/// Small networks of small integers: stake sums hit κ exactly and weights tie.
fn small_network() -> impl Strategy<Value = EpochInput> {
	(2usize..7).prop_flat_map(|n| {
		let row = prop::collection::btree_map(0u16..n as u16, 0u16..6, 0..n)
			.prop_map(|m| m.into_iter().collect::<SparseRow>());
		let bonds = prop::collection::btree_map(0u16..n as u16, 0u16..=u16::MAX, 0..n)
			.prop_map(|m| m.into_iter().collect::<SparseRow>());
		(
			prop::collection::vec(0u128..8, n),
			prop::collection::vec(row, n),
			prop::collection::vec(bonds, n),
			prop::collection::vec(95u32..=100, n),
			1u16..=n as u16,
			kappa(),
			prop_oneof![Just(0u32), Just(1_000_000), 0u32..=1_000_000],
		)
			.prop_map(
				move |(stake, weights, bonds, last_update, max_validators, kappa, average)| {
					EpochInput {
						stake,
						last_update,
						registered_at: vec![0; n],
						weights,
						bonds,
						max_validators,
						kappa,
						bonds_moving_average: average,
						activity_cutoff: 2,
						current_block: 100,
					}
				},
			)
	})
}

proptest! {
	#![proptest_config(ProptestConfig { cases: 2_000, ..ProptestConfig::default() })]

	#[test]
	fn agrees_with_the_exact_reference_on_small_networks(input in small_network()) {
		check(&input)?;
	}
}

/// Two validators' worth of stake, one permit: UID 0 alone weights UID 1.
fn lone_validator(kappa: u16) -> EpochInput {
	EpochInput {
		stake: vec![5, 4],
		last_update: vec![10, 10],
		registered_at: vec![0, 0],
		weights: vec![vec![(1, u16::MAX)], vec![]],
		bonds: vec![vec![], vec![]],
		max_validators: 1,
		kappa,
		bonds_moving_average: 900_000,
		activity_cutoff: 100,
		current_block: 20,
	}
}

#[test]
fn every_kappa_up_to_one_pays_the_miner_all_validators_agree_on() {
	for kappa in [0, 1, u16::MAX / 2, u16::MAX - 1, u16::MAX] {
		let out = epoch(&lone_validator(kappa));
		assert_eq!(out.consensus[1], u16::MAX, "κ = {kappa}");
		assert_eq!(out.incentive[1], u16::MAX, "κ = {kappa}");
		assert_eq!(out.dividends[0], u16::MAX, "κ = {kappa}");
		check(&lone_validator(kappa)).unwrap();
	}
}

#[test]
fn stake_exactly_at_kappa_reaches_the_quantile() {
	// Permits to UIDs 1, 4, 0 (stakes 6, 4, 2 of 12); κ = 2/3 of it is 8 = 6 + 2 exactly.
	// Miner 2's column, by weight: 8/11 (stake 2), 4/11 (stake 6), 1/11 (stake 4): the
	// quantile is reached exactly at 4/11.
	let input = EpochInput {
		stake: vec![2, 6, 1, 1, 4],
		last_update: vec![10; 5],
		registered_at: vec![0; 5],
		weights: vec![
			vec![(2, 8), (3, 3)],
			vec![(2, 4), (3, 7)],
			vec![],
			vec![],
			vec![(2, 1), (3, 10)],
		],
		bonds: vec![Vec::new(); 5],
		max_validators: 3,
		kappa: u16::MAX / 3 * 2,
		bonds_moving_average: 900_000,
		activity_cutoff: 100,
		current_block: 20,
	};
	let out = epoch(&input);
	assert_eq!(out.validator_permit, vec![true, true, false, false, true]);
	assert!(close(out.consensus[2], &q(4, 11), 1), "C[2] = {}", out.consensus[2]);
	assert!(close(out.consensus[3], &q(7, 11), 1), "C[3] = {}", out.consensus[3]);
	check(&input).unwrap();
}

#[test]
fn a_validator_that_loses_its_permit_loses_its_bonds_and_dividends() {
	// Epoch 1: validators 0 and 1 (one permit each of two) weight miner 2 and build bonds.
	let mut input = EpochInput {
		stake: vec![10, 8, 0],
		last_update: vec![10, 10, 10],
		registered_at: vec![0; 3],
		weights: vec![vec![(2, 1)], vec![(2, 1)], vec![]],
		bonds: vec![Vec::new(); 3],
		max_validators: 2,
		kappa: u16::MAX / 2,
		bonds_moving_average: 900_000,
		activity_cutoff: 100,
		current_block: 20,
	};
	let first = epoch(&input);
	assert!(!first.bonds[1].is_empty() && first.dividends[1] > 0);

	// Epoch 2..5: a third staker outranks validator 1, which keeps its old weights.
	input.stake = vec![10, 8, 0, 9];
	input.last_update.push(10);
	input.registered_at.push(0);
	input.weights.push(vec![(2, 1)]);
	let mut bonds = first.bonds.clone();
	bonds.push(Vec::new());
	for round in 0..4 {
		input.bonds = bonds;
		let out = epoch(&input);
		assert!(!out.validator_permit[1]);
		assert!(out.bonds[1].is_empty(), "round {round}: bonds kept without a permit");
		assert_eq!(out.dividends[1], 0, "round {round}: dividends without a permit");
		assert!(out.dividends[0] > 0 && out.dividends[3] > 0);
		check(&input).unwrap();
		bonds = out.bonds;
	}
	// Regaining the permit starts from no bonds.
	input.stake = vec![10, 11, 0, 9];
	input.bonds = bonds;
	let back = epoch(&input);
	assert!(back.validator_permit[1]);
	check(&input).unwrap();
}
