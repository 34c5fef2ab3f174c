//! # Yuma consensus
//!
//! Turns a subnet's stake and its validators' weights into consensus, incentive (miners),
//! dividends (validators), validator trust and new bonds — the epoch of docs/ARCHITECTURE.md
//! ("The epoch"):
//!
//! 1. `active_i = last_update_i + activity_cutoff ≥ now`.
//! 2. Permits: top `max_validators` by stake (ties to the lower UID, never to zero stake);
//!    `Sa = normalize(stake ⊙ active ⊙ permit)`.
//! 3. Weights: rows without permit, the diagonal and weights set before the target registered
//!    (`last_update_i ≤ registered_at_j`) are dropped; rows are normalized.
//! 4. Consensus `C_j`: the stake-weighted κ-quantile of column `j` — the largest weight `c`
//!    given to `j` with `Σ_{i: W_ij ≥ c} Sa_i ≥ κ` (zero if none). The comparison is exact, on
//!    integer stake (`65535·Σ stake_i ≥ κ·Σ_all stake`), so a set of validators holding exactly
//!    κ reaches it and `κ = 1` (65535) means "every validator".
//! 5. Clipping `W̄_ij = min(W_ij, C_j)`; validator trust `VT_i = Σ_j W̄_ij`.
//! 6. Rank `R_j = Σ_i Sa_i·W̄_ij`; incentive `I = normalize(R)`.
//! 7. Bonds: `ΔB_ij = Sa_i·W̄_ij` column-normalized;
//!    `B = column-normalize((1−α)·B_prev + α·ΔB)` with `α = 1 − bonds_moving_average/10⁶`,
//!    where `B_prev` keeps only the rows of validators holding a permit (losing it empties the
//!    row, and with it the dividends old bonds would earn).
//! 8. Dividends `D_i = Σ_j B_ij·I_j`, normalized.
//!
//! Every step is a single pass over compressed sparse rows (one allocation per matrix, rows sorted
//! by column): O(n + nnz), with an in-place quickselect per column for the quantile. All
//! arithmetic is binary fixed point (`U32F32`, 2⁻³² resolution) or integer, saturating; nothing
//! panics, whatever the input (out-of-range UIDs are ignored).
//!
//! [`emission`] holds the other piece of economic math: the block emission's halving schedule.

#![warn(missing_docs)]
#![cfg_attr(not(test), warn(unused_crate_dependencies))]
#![cfg_attr(not(feature = "std"), no_std)]
#![cfg_attr(test, allow(clippy::arithmetic_side_effects, clippy::indexing_slicing))]

extern crate alloc;

pub mod emission;
mod math;
mod sparse;

use alloc::{vec, vec::Vec};
pub use math::{normalize, top_k, Fixed};
use math::{ONE, ZERO};
use sparse::{Csr, Entry};

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
	/// Weights set by each UID (rows of validators; miners' rows are usually empty), each row
	/// sorted by UID as the Yuma pallet stores them (an unsorted row is sorted first).
	pub weights: Vec<SparseRow>,
	/// Bonds from the previous epoch, `u16::MAX` = 1, column-normalized, each row sorted by UID
	/// (an unsorted row is sorted first, at a cost).
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
	/// Whether each UID updated its weights within `activity_cutoff`.
	pub active: Vec<bool>,
	/// Validator permits: the top `max_validators` by stake.
	pub validator_permit: Vec<bool>,
	/// Stake-weighted κ-quantile of the weights on each UID (step 4).
	pub consensus: Vec<u16>,
	/// Miners' share: clipped weights by stake, normalized.
	pub incentive: Vec<u16>,
	/// Validators' share: bonds times incentive, normalized.
	pub dividends: Vec<u16>,
	/// How much of each validator's weight survived clipping.
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
	let get = |v: &[Fixed], i: usize| v.get(i).copied().unwrap_or_default();

	// 1. Activity and normalized stake.
	let active: Vec<bool> = (0..n)
		.map(|i| {
			at(&input.last_update, i).saturating_add(input.activity_cutoff) >= input.current_block
		})
		.collect();

	// 2. Permits (on raw stake: no rounding can tie two stakes) and active permitted stake.
	let permit = math::top_k(&input.stake, input.max_validators);
	let active_stake: Vec<u128> = (0..n)
		.map(|i| {
			let keep = active.get(i) == Some(&true) && permit.get(i) == Some(&true);
			if keep {
				input.stake.get(i).copied().unwrap_or_default()
			} else {
				0
			}
		})
		.collect();
	let sa = math::normalize_balances(&active_stake);

	// 3. Filtered, row-normalized weights, rows sorted by column.
	let capacity = (0..n)
		.filter(|&i| permit.get(i) == Some(&true))
		.map(|i| input.weights.get(i).map_or(0, Vec::len))
		.fold(0usize, usize::saturating_add);
	let mut weights = Csr::with_capacity(n, capacity);
	for i in 0..n {
		let mut total = 0u64;
		if permit.get(i) == Some(&true) {
			let updated = at(&input.last_update, i);
			for &(j, w) in input.weights.get(i).map_or(&[][..], Vec::as_slice) {
				let target = usize::from(j);
				if target < n && target != i && w > 0 && updated > at(&input.registered_at, target)
				{
					weights.push(Entry::new(j, Fixed::from_bits(u64::from(w))));
					total = total.saturating_add(u64::from(w));
				}
			}
		}
		let row = weights.finish_row();
		sparse::sort_row(row);
		// One division per row; each entry is then a multiply and a shift.
		let reciprocal = (1u128 << 96).checked_div(u128::from(total)).unwrap_or(0);
		for entry in row.iter_mut() {
			// A weight is below 2¹⁶ and the reciprocal at most 2⁹⁶: the product never wraps.
			let scaled = u128::from(entry.value().to_bits()).wrapping_mul(reciprocal) >> 64;
			let weight = Fixed::from_bits(u64::try_from(scaled).unwrap_or(u64::MAX));
			*entry = Entry::new(entry.column(), weight);
		}
	}

	// 4. Consensus per column.
	let consensus = sparse::weighted_quantiles(&weights, &active_stake, n, input.kappa);

	// 5-6. Clipping, trust and rank. The clipped, stake-weighted weights `Sa_i·W̄_ij` replace the
	// weights in place: they are the bonds' ΔB, and their column sums are the ranks.
	let mut validator_trust = vec![ZERO; n];
	let mut rank = vec![ZERO; n];
	for (i, trust) in validator_trust.iter_mut().enumerate() {
		let s = get(&sa, i);
		for entry in weights.row_mut(i) {
			let j = usize::from(entry.column());
			let clipped = entry.value().min(get(&consensus, j));
			*trust = trust.saturating_add(clipped);
			let delta = math::mul(s, clipped);
			*entry = Entry::new(entry.column(), delta);
			if let Some(r) = rank.get_mut(j) {
				*r = r.saturating_add(delta);
			}
		}
	}
	let incentive = normalize(&rank);
	let has_weights = incentive.iter().any(|&v| v != ZERO);

	// 7. Bonds: `(1−α)·B_prev + α·ΔB/rank`, rows merged by column, then column-normalized.
	let alpha = ONE.saturating_sub(math::ratio(
		u128::from(input.bonds_moving_average.min(1_000_000)),
		1_000_000,
	));
	let keep = ONE.saturating_sub(alpha);
	// The new bonds' column sums are known before the merge — `(1−α)·Σ_i B_prev_ij`, plus `α`
	// where anything was weighted — so one merge pass emits normalized bonds and dividends.
	// Only validators holding a permit keep bonds: a row without one is dropped, so a lost
	// permit ends the dividends its old bonds would earn.
	let previous_bonds = |i: usize| -> &[(u16, u16)] {
		match (permit.get(i), input.bonds.get(i)) {
			(Some(true), Some(row)) => row.as_slice(),
			_ => &[],
		}
	};
	let mut previous_sums = vec![ZERO; n];
	for row in (0..n).map(previous_bonds) {
		for &(j, b) in row {
			if let Some(sum) = previous_sums.get_mut(usize::from(j)) {
				*sum = sum.saturating_add(math::from_u16(b));
			}
		}
	}
	let factors: Vec<ColumnFactors> = (0..n)
		.map(|j| {
			let r = get(&rank, j);
			let fresh = if r == ZERO { ZERO } else { alpha };
			let sum = math::mul(keep, get(&previous_sums, j)).saturating_add(fresh);
			let normalize = math::quotient(ONE, sum);
			ColumnFactors {
				// A nonzero rank is at least 2⁻³², so `α / rank` fits.
				delta: math::quotient(alpha, r),
				normalize,
				dividend: math::mul(normalize, get(&incentive, j)),
			}
		})
		.collect();

	// 8. Dividends `D_i = Σ_j B_ij·I_j`, in the pass that merges and emits the normalized bonds.
	let mut raw_dividends = vec![ZERO; n];
	let mut new_bonds: Vec<SparseRow> = Vec::with_capacity(n);
	let mut unsorted: SparseRow = Vec::new();
	for (i, dividend) in raw_dividends.iter_mut().enumerate() {
		let mut old = previous_bonds(i);
		// Stored bonds are sorted by UID; anything else is sorted into a scratch row first.
		if !old.windows(2).all(|w| matches!(w, [a, b] if a.0 < b.0)) {
			unsorted.clear();
			unsorted.extend_from_slice(old);
			unsorted.sort_by_key(|&(j, _)| j);
			old = &unsorted;
		}
		let delta = weights.row(i);
		let mut row = SparseRow::with_capacity(old.len().max(delta.len()));
		merge(old, delta, |j, old, new| {
			let Some(f) = factors.get(usize::from(j)) else { return };
			let value =
				math::mul(keep, math::from_u16(old)).saturating_add(math::mul(new, f.delta));
			*dividend = dividend.saturating_add(math::mul(value, f.dividend));
			let proportion = math::to_u16(math::mul(value, f.normalize));
			if proportion > 0 {
				row.push((j, proportion));
			}
		});
		new_bonds.push(row);
	}
	let dividends = normalize(&raw_dividends);

	EpochOutput {
		active,
		validator_permit: permit,
		consensus: consensus.iter().map(|&v| math::to_u16(v)).collect(),
		incentive: incentive.iter().map(|&v| math::to_u16(v)).collect(),
		dividends: dividends.iter().map(|&v| math::to_u16(v)).collect(),
		validator_trust: validator_trust.iter().map(|&v| math::to_u16(v)).collect(),
		bonds: new_bonds,
		active_stake: sa.iter().map(|&v| math::to_u16(v)).collect(),
		has_weights,
		incentive_exact: incentive,
		dividends_exact: dividends,
		active_stake_exact: sa,
	}
}

/// Per-column factors of the bonds pass.
struct ColumnFactors {
	/// `α / rank_j`: turns `Sa_i·W̄_ij` into `α·ΔB_ij`.
	delta: Fixed,
	/// `1 / Σ_i B_ij`: normalizes the new bonds' column.
	normalize: Fixed,
	/// `I_j / Σ_i B_ij`: a bond's contribution to its holder's dividends.
	dividend: Fixed,
}

/// Merges previous bonds and new deltas, both sorted by column, calling `emit(column, old, new)`
/// once per column present in either (a missing side is zero).
fn merge(old: &[(u16, u16)], new: &[Entry], mut emit: impl FnMut(u16, u16, Fixed)) {
	let (mut old, mut new) = (old.iter().peekable(), new.iter().peekable());
	loop {
		match (old.peek(), new.peek()) {
			(Some(&&(j, b)), Some(delta)) if j < delta.column() => {
				old.next();
				emit(j, b, ZERO);
			}
			(Some(&&(j, b)), Some(delta)) if j == delta.column() => {
				emit(j, b, delta.value());
				old.next();
				new.next();
			}
			(_, Some(delta)) => {
				emit(delta.column(), 0, delta.value());
				new.next();
			}
			(Some(&&(j, b)), None) => {
				old.next();
				emit(j, b, ZERO);
			}
			(None, None) => break,
		}
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
