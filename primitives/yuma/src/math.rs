//! The fixed-point building blocks of the epoch: normalization, top-k, weighted quantiles, column
//! normalization and the bonds EMA, each one pass over sparse data.

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

/// Normalizes a sparse `u16` row to fractions summing to one (empty when all zero).
pub fn normalize_row(row: &[(usize, u16)]) -> Vec<(usize, Fixed)> {
	let total = row.iter().fold(0u128, |acc, &(_, w)| acc.saturating_add(u128::from(w)));
	if total == 0 {
		return Vec::new();
	}
	// One division per row; each entry is then a multiply and a shift.
	let r = (1u128 << 96).checked_div(total).unwrap_or(0);
	row.iter().map(|&(j, w)| (j, int_scale(u128::from(w), r))).collect()
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

/// For every column `j`, the largest `c` such that the stake of the rows with `W_ij ≥ c`
/// reaches `kappa`. Rows are scattered into columns once (O(nnz)), each column sorted once.
pub fn weighted_quantiles(
	rows: &[Vec<(usize, Fixed)>],
	stake: &[Fixed],
	n: usize,
	kappa: Fixed,
) -> Vec<Fixed> {
	let mut columns: Vec<Vec<(Fixed, Fixed)>> = vec![Vec::new(); n];
	for (i, row) in rows.iter().enumerate() {
		let s = stake.get(i).copied().unwrap_or_default();
		if s == ZERO {
			continue;
		}
		for &(j, w) in row {
			if let Some(column) = columns.get_mut(j) {
				column.push((w, s));
			}
		}
	}
	columns
		.iter_mut()
		.map(|column| {
			column.sort_by_key(|&(w, _)| core::cmp::Reverse(w));
			let mut reached = ZERO;
			for &(w, s) in column.iter() {
				reached = reached.saturating_add(s);
				if reached >= kappa {
					return w;
				}
			}
			ZERO
		})
		.collect()
}

/// Normalizes every column of a sparse matrix to sum to one (columns summing to zero stay zero).
pub fn column_normalize(rows: &[Vec<(usize, Fixed)>], n: usize) -> Vec<Vec<(usize, Fixed)>> {
	let mut sums = vec![ZERO; n];
	for row in rows {
		for &(j, v) in row {
			if let Some(sum) = sums.get_mut(j) {
				*sum = sum.saturating_add(v);
			}
		}
	}
	let reciprocals: Vec<Option<u128>> = sums.into_iter().map(reciprocal).collect();
	rows.iter()
		.map(|row| {
			row.iter()
				.filter_map(|&(j, v)| {
					let r = reciprocals.get(j).copied().flatten()?;
					let normalized = scale(v, r);
					(normalized != ZERO).then_some((j, normalized))
				})
				.collect()
		})
		.collect()
}

/// `(1 − α)·previous + α·delta`, row by row; both rows are merged by column in one pass.
pub fn ema_rows(
	previous: &[Vec<(usize, Fixed)>],
	delta: &[Vec<(usize, Fixed)>],
	alpha: Fixed,
) -> Vec<Vec<(usize, Fixed)>> {
	let keep = ONE.saturating_sub(alpha);
	let rows = previous.len().max(delta.len());
	(0..rows)
		.map(|i| {
			let mut old: Vec<(usize, Fixed)> = previous.get(i).cloned().unwrap_or_default();
			let mut new: Vec<(usize, Fixed)> = delta.get(i).cloned().unwrap_or_default();
			old.sort_by_key(|&(j, _)| j);
			new.sort_by_key(|&(j, _)| j);
			let mut merged = Vec::with_capacity(old.len().saturating_add(new.len()));
			let (mut a, mut b) = (old.into_iter().peekable(), new.into_iter().peekable());
			loop {
				let next = match (a.peek(), b.peek()) {
					(Some(&(ja, va)), Some(&(jb, vb))) if ja == jb => {
						a.next();
						b.next();
						(ja, keep.saturating_mul(va).saturating_add(alpha.saturating_mul(vb)))
					}
					(Some(&(ja, va)), Some(&(jb, _))) if ja < jb => {
						a.next();
						(ja, keep.saturating_mul(va))
					}
					(_, Some(&(jb, vb))) => {
						b.next();
						(jb, alpha.saturating_mul(vb))
					}
					(Some(&(ja, va)), None) => {
						a.next();
						(ja, keep.saturating_mul(va))
					}
					(None, None) => break,
				};
				if next.1 != ZERO {
					merged.push(next);
				}
			}
			merged
		})
		.collect()
}

/// A `u16` proportion (`u16::MAX` = 1) as a fraction.
pub fn from_u16(value: u16) -> Fixed {
	int_scale(u128::from(value), RECIPROCAL_U16_MAX)
}

/// `2⁹⁶ / u16::MAX`: the reciprocal that turns a `u16` proportion into a fraction.
const RECIPROCAL_U16_MAX: u128 = (1u128 << 96) / 65_535;

/// `value · reciprocal / 2⁶⁴` as a fraction, where `reciprocal = 2⁹⁶ / total`.
fn int_scale(value: u128, reciprocal: u128) -> Fixed {
	let bits = value.saturating_mul(reciprocal) >> 64;
	Fixed::from_bits(u64::try_from(bits).unwrap_or(u64::MAX))
}

/// A fraction in `[0, 1]` as a `u16` proportion, rounded to nearest, saturating at 1.
pub fn to_u16(value: Fixed) -> u16 {
	let bits = u128::from(value.min(ONE).to_bits());
	let rounded = bits.saturating_mul(u128::from(u16::MAX)).saturating_add(1 << 31) >> 32;
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
