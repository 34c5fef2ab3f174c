//! # Yuma consensus
//!
//! Turns a subnet's stake and its validators' weights into consensus, incentive (miners),
//! dividends (validators), validator trust and new bonds — the epoch of ARCHITECTURE §4:
//!
//! 1. `active_i = last_update_i + activity_cutoff ≥ now`; `S = normalize(stake)`.
//! 2. Permits: top `max_validators` of `S` (ties to the lower UID);
//!    `Sa = normalize(S ⊙ active ⊙ permit)`.
//! 3. Weights: rows without permit, the diagonal and weights set before the target registered
//!    (`last_update_i ≤ registered_at_j`) are dropped; rows are normalized.
//! 4. Consensus `C_j`: the stake-weighted κ-quantile of column `j` — the largest `c` with
//!    `Σ_{i: W_ij ≥ c} Sa_i ≥ κ`.
//! 5. Clipping `W̄_ij = min(W_ij, C_j)`; validator trust `VT_i = Σ_j W̄_ij`.
//! 6. Rank `R_j = Σ_i Sa_i·W̄_ij`; incentive `I = normalize(R)`.
//! 7. Bonds: `ΔB_ij = Sa_i·W̄_ij` column-normalized;
//!    `B = column-normalize((1−α)·B_prev + α·ΔB)` with `α = 1 − bonds_moving_average/10⁶`.
//! 8. Dividends `D_i = Σ_j B_ij·I_j`, normalized.
//!
//! Every step is a single pass over the sparse rows: O(n + nnz), plus a sort per column for the
//! quantile. All arithmetic is binary fixed point (`U32F32`, 2⁻³² resolution) or integer,
//! saturating; nothing panics, whatever the input (out-of-range UIDs are ignored).

#![cfg_attr(not(feature = "std"), no_std)]
#![cfg_attr(test, allow(clippy::arithmetic_side_effects, clippy::indexing_slicing))]

extern crate alloc;

mod math;

use alloc::{vec, vec::Vec};
pub use math::{normalize, top_k, Fixed};
use math::{ONE, ZERO};

/// A sparse row: `(column uid, value)` pairs.
pub type SparseRow = Vec<(u16, u16)>;

/// Everything one epoch needs, indexed by UID (`0..n`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EpochInput {
	/// Stake behind each UID's hotkey, in token units.
	pub stake: Vec<u128>,
	/// Block of each UID's last weight update.
	pub last_update: Vec<u32>,
	/// Block at which each UID registered.
	pub registered_at: Vec<u32>,
	/// Weights set by each UID (rows of validators; miners' rows are usually empty).
	pub weights: Vec<SparseRow>,
	/// Bonds from the previous epoch, `u16::MAX` = 1, column-normalized.
	pub bonds: Vec<SparseRow>,
	/// Validator permits to grant.
	pub max_validators: u16,
	/// Consensus quantile, `u16::MAX` = 1.
	pub kappa: u16,
	/// Bonds moving average, parts per million.
	pub bonds_moving_average: u32,
	/// Blocks without an update after which a validator is inactive.
	pub activity_cutoff: u32,
	/// The current block.
	pub current_block: u32,
}

/// The epoch's results, indexed by UID; proportions as `u16` (`u16::MAX` = 1).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EpochOutput {
	pub active: Vec<bool>,
	pub validator_permit: Vec<bool>,
	pub consensus: Vec<u16>,
	pub incentive: Vec<u16>,
	pub dividends: Vec<u16>,
	pub validator_trust: Vec<u16>,
	/// New bonds, column-normalized, `u16::MAX` = 1.
	pub bonds: Vec<SparseRow>,
	/// Active, permitted stake `Sa` (the validators' share when nobody set weights).
	pub active_stake: Vec<u16>,
	/// Whether any weight survived the filters (if not, miners earn nothing this epoch).
	pub has_weights: bool,
	incentive_exact: Vec<Fixed>,
	dividends_exact: Vec<Fixed>,
	active_stake_exact: Vec<Fixed>,
}

/// How an epoch's emission is split (token units, indexed by UID).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EmissionSplit {
	/// Miners' share by incentive.
	pub miner: Vec<u128>,
	/// Validators' share by dividends (or by active stake when nobody set weights).
	pub validator: Vec<u128>,
	/// Not handed out: the miners' half when nobody set weights, plus rounding dust.
	pub pending: u128,
}

/// Runs one epoch.
pub fn epoch(input: &EpochInput) -> EpochOutput {
	let n = input.stake.len();
	let at = |v: &Vec<u32>, i: usize| v.get(i).copied().unwrap_or_default();

	// 1. Activity and normalized stake.
	let active: Vec<bool> = (0..n)
		.map(|i| {
			at(&input.last_update, i).saturating_add(input.activity_cutoff) >= input.current_block
		})
		.collect();
	let stake = math::normalize_balances(&input.stake);

	// 2. Permits and active permitted stake.
	let permit = math::top_k(&stake, input.max_validators);
	let active_stake: Vec<Fixed> = (0..n)
		.map(|i| {
			let keep = active.get(i) == Some(&true) && permit.get(i) == Some(&true);
			if keep {
				stake.get(i).copied().unwrap_or_default()
			} else {
				ZERO
			}
		})
		.collect();
	let sa = normalize(&active_stake);

	// 3. Filtered, row-normalized weights.
	let weights: Vec<Vec<(usize, Fixed)>> = (0..n)
		.map(|i| {
			if permit.get(i) != Some(&true) {
				return Vec::new();
			}
			let updated = at(&input.last_update, i);
			let row: Vec<(usize, u16)> = input
				.weights
				.get(i)
				.map(|row| {
					row.iter()
						.map(|&(j, w)| (usize::from(j), w))
						.filter(|&(j, w)| {
							j < n && j != i && w > 0 && updated > at(&input.registered_at, j)
						})
						.collect()
				})
				.unwrap_or_default();
			math::normalize_row(&row)
		})
		.collect();

	// 4. Consensus per column.
	let kappa = math::ratio(u128::from(input.kappa), u128::from(u16::MAX));
	let consensus = math::weighted_quantiles(&weights, &sa, n, kappa);

	// 5-6. Clipping, trust, rank, incentive.
	let mut validator_trust = vec![ZERO; n];
	let mut rank = vec![ZERO; n];
	let clipped: Vec<Vec<(usize, Fixed)>> = weights
		.iter()
		.enumerate()
		.map(|(i, row)| {
			let s = sa.get(i).copied().unwrap_or_default();
			row.iter()
				.filter_map(|&(j, w)| {
					let c = w.min(consensus.get(j).copied().unwrap_or_default());
					if c == ZERO {
						return None;
					}
					if let Some(t) = validator_trust.get_mut(i) {
						*t = t.saturating_add(c);
					}
					if let Some(r) = rank.get_mut(j) {
						*r = r.saturating_add(s.saturating_mul(c));
					}
					Some((j, c))
				})
				.collect()
		})
		.collect();
	let incentive = normalize(&rank);
	let has_weights = incentive.iter().any(|&v| v != ZERO);

	// 7. Bonds: EMA of the stake-weighted clipped weights, column-normalized.
	let delta: Vec<Vec<(usize, Fixed)>> = clipped
		.iter()
		.enumerate()
		.map(|(i, row)| {
			let s = sa.get(i).copied().unwrap_or_default();
			row.iter().map(|&(j, w)| (j, s.saturating_mul(w))).collect()
		})
		.collect();
	let delta = math::column_normalize(&delta, n);
	let alpha = ONE.saturating_sub(math::ratio(
		u128::from(input.bonds_moving_average.min(1_000_000)),
		1_000_000,
	));
	let previous: Vec<Vec<(usize, Fixed)>> = (0..n)
		.map(|i| {
			input
				.bonds
				.get(i)
				.map(|row| {
					row.iter()
						.filter(|&&(j, _)| usize::from(j) < n)
						.map(|&(j, b)| (usize::from(j), math::from_u16(b)))
						.collect()
				})
				.unwrap_or_default()
		})
		.collect();
	let bonds = math::column_normalize(&math::ema_rows(&previous, &delta, alpha), n);

	// 8. Dividends.
	let raw_dividends: Vec<Fixed> = bonds
		.iter()
		.map(|row| {
			row.iter().fold(ZERO, |acc, &(j, b)| {
				acc.saturating_add(b.saturating_mul(incentive.get(j).copied().unwrap_or_default()))
			})
		})
		.collect();
	let dividends = normalize(&raw_dividends);

	EpochOutput {
		active,
		validator_permit: permit,
		consensus: consensus.iter().map(|&v| math::to_u16(v)).collect(),
		incentive: incentive.iter().map(|&v| math::to_u16(v)).collect(),
		dividends: dividends.iter().map(|&v| math::to_u16(v)).collect(),
		validator_trust: validator_trust.iter().map(|&v| math::to_u16(v)).collect(),
		bonds: bonds
			.iter()
			.map(|row| {
				row.iter()
					.filter_map(|&(j, b)| {
						let b = math::to_u16(b);
						(b > 0).then(|| (u16::try_from(j).unwrap_or(u16::MAX), b))
					})
					.collect()
			})
			.collect(),
		active_stake: sa.iter().map(|&v| math::to_u16(v)).collect(),
		has_weights,
		incentive_exact: incentive,
		dividends_exact: dividends,
		active_stake_exact: sa,
	}
}

impl EpochOutput {
	/// Splits `amount`: half to miners by incentive, half to validators by dividends. If nobody
	/// set weights, the validators' half goes by active stake and the miners' half stays
	/// pending. Rounding dust is pending too, so `Σ miner + Σ validator + pending = amount`.
	pub fn emission_split(&self, amount: u128) -> EmissionSplit {
		let miners_half = amount.checked_div(2).unwrap_or_default();
		let validators_half = amount.saturating_sub(miners_half);
		let share = |weights: &[Fixed], total: u128| -> Vec<u128> {
			weights.iter().map(|&w| math::mul_int(w, total)).collect()
		};
		let (miner, validator) = if self.has_weights {
			(
				share(&self.incentive_exact, miners_half),
				share(&self.dividends_exact, validators_half),
			)
		} else {
			(vec![0; self.incentive_exact.len()], share(&self.active_stake_exact, validators_half))
		};
		let paid = miner.iter().chain(&validator).fold(0u128, |acc, v| acc.saturating_add(*v));
		EmissionSplit { miner, validator, pending: amount.saturating_sub(paid) }
	}
}
