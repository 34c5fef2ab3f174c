//! Prices of registration, as pure functions of chain state.
//!
//! - **Subnet lock cost.** After each subnet registration the cost doubles, then decays linearly
//!   back toward the minimum: `max(min, 2·last − last·elapsed/interval)`.
//! - **Neuron burn.** After each neuron registration the burn is multiplied by
//!   `burn_increase_mult`% and every block it decays by `2^(−1/half_life)`, so it halves over
//!   `half_life` blocks. It is always clamped to `[min_burn, max_burn]`.
//!
//! All math is integer or `FixedU128`, saturating: no floats, no panics.

use myelin_primitives::{Balance, BlockNumber};
use sp_arithmetic::{
	helpers_128bit::multiply_by_rational_with_rounding,
	traits::{CheckedDiv, One, Saturating, Zero},
	FixedPointNumber, FixedU128, Rounding,
};

/// Lock cost of the next subnet. A zero `reduction_interval` drops the doubling at once (the
/// cost is the last cost, or the minimum if higher).
pub fn lock_cost(
	min_lock: Balance,
	last_lock: Balance,
	elapsed: BlockNumber,
	reduction_interval: BlockNumber,
) -> Balance {
	let decay = if reduction_interval == 0 {
		last_lock
	} else {
		last_lock
			.saturating_mul(Balance::from(elapsed))
			.checked_div(Balance::from(reduction_interval))
			.unwrap_or(last_lock)
	};
	last_lock.saturating_mul(2).saturating_sub(decay).max(min_lock)
}

/// ln 2 in `FixedU128` (18 decimals).
const LN_2: FixedU128 = FixedU128::from_inner(693_147_180_559_945_309);

/// Terms of the exponential series: with x ≤ ln 2 the 13th term is below 10⁻¹³.
const SERIES_TERMS: u32 = 13;

/// `2^(−blocks/half_life)`, the factor the burn decays by over `blocks` blocks. Zero half-life
/// means no decay.
pub fn decay_factor(blocks: BlockNumber, half_life: BlockNumber) -> FixedU128 {
	if half_life == 0 {
		return FixedU128::one();
	}
	// 2^(−b/h) = 2^(−q) · 2^(−r/h) with b = q·h + r; the first factor is exact.
	let whole_halvings = blocks.checked_div(half_life).unwrap_or(0);
	let remainder = blocks.checked_rem(half_life).unwrap_or(0);
	let x = LN_2.saturating_mul(FixedU128::saturating_from_rational(remainder, half_life));
	let fraction = exp_neg(x);
	if whole_halvings >= 64 {
		return FixedU128::zero();
	}
	let halving = FixedU128::from_inner(FixedU128::DIV.checked_shr(whole_halvings).unwrap_or(0));
	fraction.saturating_mul(halving)
}

/// `e^(−x)` for `0 ≤ x ≤ 1` by its Taylor series, summing the positive and negative terms
/// separately so unsigned fixed point suffices.
fn exp_neg(x: FixedU128) -> FixedU128 {
	let mut positive = FixedU128::one();
	let mut negative = FixedU128::zero();
	let mut term = FixedU128::one();
	for k in 1..SERIES_TERMS {
		term = term
			.saturating_mul(x)
			.checked_div(&FixedU128::saturating_from_integer(k))
			.unwrap_or_default();
		if k & 1 == 1 {
			negative = negative.saturating_add(term);
		} else {
			positive = positive.saturating_add(term);
		}
	}
	positive.saturating_sub(negative)
}

/// The burn after `blocks` blocks of decay, clamped to `[min, max]`.
pub fn decayed_burn(
	burn: Balance,
	blocks: BlockNumber,
	half_life: BlockNumber,
	min: Balance,
	max: Balance,
) -> Balance {
	clamp(decay_factor(blocks, half_life).saturating_mul_int(burn), min, max)
}

/// The burn after one registration: `burn × mult_percent / 100`, clamped to `[min, max]`.
pub fn bumped_burn(burn: Balance, mult_percent: u32, min: Balance, max: Balance) -> Balance {
	let bumped =
		multiply_by_rational_with_rounding(burn, Balance::from(mult_percent), 100, Rounding::Down)
			.unwrap_or(Balance::MAX);
	clamp(bumped, min, max)
}

fn clamp(value: Balance, min: Balance, max: Balance) -> Balance {
	value.max(min).min(max.max(min))
}
