//! The fixed-point building blocks of the epoch: ratios, reciprocals, normalization, top-k and
//! the `u16` proportion conversions.

use alloc::{vec, vec::Vec};
use substrate_fixed::types::U32F32;

/// The fixed-point type of the epoch: unsigned binary Q32.32 (resolution 2⁻³² ≈ 2.3·10⁻¹⁰).
/// Multiplication is a widening multiply and a shift; divisions happen once per row or column.
pub type Fixed = U32F32;

/// Zero.
pub const ZERO: Fixed = Fixed::from_bits(0);
/// One.
pub const ONE: Fixed = Fixed::from_bits(1 << 32);

/// `a / b` as a fraction (zero when `b` is zero), saturating at the largest value.
pub fn ratio(a: u128, b: u128) -> Fixed {
	if b == 0 {
		return ZERO;
	}
	// Keep `a · 2³²` within u128: scale both down together when `a` is huge.
	let shift = 128u32.saturating_sub(a.leading_zeros()).saturating_sub(96);
	let (a, b) = (a.checked_shr(shift).unwrap_or(0), b.checked_shr(shift).unwrap_or(0).max(1));
	let bits = a.checked_shl(32).unwrap_or(u128::MAX).checked_div(b).unwrap_or(0);
	Fixed::from_bits(u64::try_from(bits).unwrap_or(u64::MAX))
}

/// `value · amount`, rounded down, saturating.
pub fn mul_int(value: Fixed, amount: u128) -> u128 {
	let bits = u128::from(value.to_bits());
	let high = (amount >> 32).saturating_mul(bits);
	let low = (amount & 0xffff_ffff).saturating_mul(bits) >> 32;
	high.saturating_add(low)
}

/// `values[i] · scale` for a precomputed `scale = 1 / total` held as a 64.64 reciprocal:
/// one division per vector instead of one per entry.
fn reciprocal(total: Fixed) -> Option<u128> {
	let bits = u128::from(total.to_bits());
	(bits != 0).then(|| (1u128 << 96).checked_div(bits).unwrap_or(0))
}

fn scale(value: Fixed, reciprocal: u128) -> Fixed {
	let bits = u128::from(value.to_bits()).saturating_mul(reciprocal) >> 64;
	Fixed::from_bits(u64::try_from(bits).unwrap_or(u64::MAX))
}

/// `v / Σv`, or all zeros when the sum is zero. One division, then multiplications.
pub fn normalize(values: &[Fixed]) -> Vec<Fixed> {
	let total = values.iter().fold(ZERO, |acc, v| acc.saturating_add(*v));
	match reciprocal(total) {
		None => vec![ZERO; values.len()],
		Some(r) => values.iter().map(|&v| scale(v, r)).collect(),
	}
}

/// Balances as fractions of their sum, exact to the fixed-point resolution.
pub fn normalize_balances(values: &[u128]) -> Vec<Fixed> {
	let total = values.iter().fold(0u128, |acc, v| acc.saturating_add(*v));
	if total == 0 {
		return vec![ZERO; values.len()];
	}
	values.iter().map(|&v| ratio(v, total)).collect()
}

/// Permits for the `k` largest values: ties go to the lower index (so the result never depends
/// on iteration order) and a zero value never gets one. Used for validator permits, on raw stake
/// (the stake pallet) and on normalized stake (the epoch) alike.
pub fn top_k<T: Ord + Copy + Default>(values: &[T], k: u16) -> Vec<bool> {
	let value = |i: usize| values.get(i).copied().unwrap_or_default();
	let mut order: Vec<usize> = (0..values.len()).collect();
	order.sort_by(|&a, &b| value(b).cmp(&value(a)).then(a.cmp(&b)));
	let mut chosen = vec![false; values.len()];
	for &i in order.iter().take(usize::from(k)) {
		if value(i) != T::default() {
			if let Some(c) = chosen.get_mut(i) {
				*c = true;
			}
		}
	}
	chosen
}

/// A `u16` proportion (`u16::MAX` = 1) as a fraction, exactly rounded down: since
/// `65535 · 65537 = 2³² − 1`, `⌊b · 2³² / 65535⌋ = b · 65537` for `b < 65535`, and one for `65535`.
pub fn from_u16(value: u16) -> Fixed {
	if value == u16::MAX {
		return ONE;
	}
	Fixed::from_bits(u64::from(value).saturating_mul(65_537))
}

/// `a / b`, rounded down, saturating at the largest value (zero when `b` is zero).
pub fn quotient(a: Fixed, b: Fixed) -> Fixed {
	ratio(u128::from(a.to_bits()), u128::from(b.to_bits()))
}

/// `a · b`, rounded down, saturating: one widening multiply.
#[inline]
pub fn mul(a: Fixed, b: Fixed) -> Fixed {
	// A 64 × 64-bit product always fits in 128 bits: the wrapping multiply never wraps, and
	// compiles to one instruction where a checked one would not.
	let bits = u128::from(a.to_bits()).wrapping_mul(u128::from(b.to_bits())) >> 32;
	Fixed::from_bits(u64::try_from(bits).unwrap_or(u64::MAX))
}

/// A fraction in `[0, 1]` as a `u16` proportion, rounded to nearest, saturating at 1.
pub fn to_u16(value: Fixed) -> u16 {
	// At most 2³² · 65535 < 2⁴⁸: plain 64-bit arithmetic.
	let bits = value.min(ONE).to_bits();
	let rounded = bits.saturating_mul(u64::from(u16::MAX)).saturating_add(1 << 31) >> 32;
	u16::try_from(rounded).unwrap_or(u16::MAX)
}

#[cfg(test)]
mod top_k_tests {
	use super::*;
	type Balance = u128;

	#[test]
	fn picks_the_largest_stakes() {
		assert_eq!(top_k(&[5, 50, 10, 40], 2), vec![false, true, false, true]);
	}

	#[test]
	fn ties_go_to_the_lower_uid() {
		assert_eq!(top_k(&[10, 20, 20, 20], 2), vec![false, true, true, false]);
	}

	#[test]
	fn zero_stake_never_gets_a_permit() {
		assert_eq!(top_k(&[0, 3, 0], 3), vec![false, true, false]);
	}

	#[test]
	fn k_larger_than_n_and_empty_inputs() {
		assert_eq!(top_k(&[1, 2], 10), vec![true, true]);
		assert!(top_k::<Balance>(&[], 4).is_empty());
		assert_eq!(top_k(&[1, 2], 0), vec![false, false]);
	}

	#[test]
	fn exactly_min_k_nonzero_permits_on_random_inputs() {
		// Deterministic pseudo-random stakes (xorshift), many sizes.
		let mut state = 0x9e37_79b9_7f4a_7c15u64;
		for n in 0..64usize {
			let stakes: Vec<Balance> = (0..n)
				.map(|_| {
					state ^= state << 13;
					state ^= state >> 7;
					state ^= state << 17;
					Balance::from(state % 5)
				})
				.collect();
			for k in [0u16, 1, 3, 8, 100] {
				let permits = top_k(&stakes, k);
				let nonzero = stakes.iter().filter(|s| **s > 0).count();
				let granted = permits.iter().filter(|p| **p).count();
				assert_eq!(granted, nonzero.min(usize::from(k)));
				// Every permitted stake is ≥ every unpermitted nonzero stake.
				let min_in =
					stakes.iter().zip(&permits).filter(|(_, p)| **p).map(|(s, _)| *s).min();
				let max_out =
					stakes.iter().zip(&permits).filter(|(_, p)| !**p).map(|(s, _)| *s).max();
				if let (Some(lo), Some(hi)) = (min_in, max_out) {
					assert!(lo >= hi);
				}
			}
		}
	}
}
