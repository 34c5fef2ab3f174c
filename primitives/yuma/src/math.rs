//! The fixed-point building blocks of the epoch: normalization, top-k, weighted quantiles, column
//! normalization and the bonds EMA, each one pass over sparse data.

use alloc::{vec, vec::Vec};
use sp_arithmetic::{
	traits::{CheckedDiv, One, Saturating, Zero},
	FixedPointNumber, FixedU64,
};

/// The fixed-point type of the epoch: unsigned, 9 decimal places, 64 bits.
pub type Fixed = FixedU64;

/// `v / Σv`, or all zeros when the sum is zero. One division, then multiplications.
pub fn normalize(values: &[Fixed]) -> Vec<Fixed> {
	let total = values.iter().fold(Fixed::zero(), |acc, v| acc.saturating_add(*v));
	if total.is_zero() {
		return vec![Fixed::zero(); values.len()];
	}
	values.iter().map(|v| v.checked_div(&total).unwrap_or_default()).collect()
}

/// Balances as fractions of their sum, exact to the fixed-point resolution.
pub fn normalize_balances(values: &[u128]) -> Vec<Fixed> {
	let total = values.iter().fold(0u128, |acc, v| acc.saturating_add(*v));
	if total == 0 {
		return vec![Fixed::zero(); values.len()];
	}
	values.iter().map(|&v| Fixed::from_rational(v, total)).collect()
}

/// Normalizes a sparse `u16` row to fractions summing to one (empty when all zero).
pub fn normalize_row(row: &[(usize, u16)]) -> Vec<(usize, Fixed)> {
	let total = row.iter().fold(0u128, |acc, &(_, w)| acc.saturating_add(u128::from(w)));
	if total == 0 {
		return Vec::new();
	}
	row.iter().map(|&(j, w)| (j, Fixed::from_rational(u128::from(w), total))).collect()
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
		if s.is_zero() {
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
			let mut reached = Fixed::zero();
			for &(w, s) in column.iter() {
				reached = reached.saturating_add(s);
				if reached >= kappa {
					return w;
				}
			}
			Fixed::zero()
		})
		.collect()
}

/// Normalizes every column of a sparse matrix to sum to one (columns summing to zero stay zero).
pub fn column_normalize(rows: &[Vec<(usize, Fixed)>], n: usize) -> Vec<Vec<(usize, Fixed)>> {
	let mut sums = vec![Fixed::zero(); n];
	for row in rows {
		for &(j, v) in row {
			if let Some(sum) = sums.get_mut(j) {
				*sum = sum.saturating_add(v);
			}
		}
	}
	rows.iter()
		.map(|row| {
			row.iter()
				.filter_map(|&(j, v)| {
					let sum = sums.get(j).copied().unwrap_or_default();
					let normalized = v.checked_div(&sum).unwrap_or_default();
					(!normalized.is_zero()).then_some((j, normalized))
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
	let keep = Fixed::one().saturating_sub(alpha);
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
				if !next.1.is_zero() {
					merged.push(next);
				}
			}
			merged
		})
		.collect()
}

/// A `u16` proportion (`u16::MAX` = 1) as a fraction.
pub fn from_u16(value: u16) -> Fixed {
	Fixed::from_rational(u128::from(value), u128::from(u16::MAX))
}

/// A fraction in `[0, 1]` as a `u16` proportion, rounded to nearest, saturating at 1.
pub fn to_u16(value: Fixed) -> u16 {
	let scaled = value.min(Fixed::one()).saturating_mul(Fixed::saturating_from_integer(u16::MAX));
	let rounded = scaled
		.saturating_add(Fixed::from_rational(1, 2))
		.into_inner()
		.checked_div(Fixed::DIV)
		.unwrap_or_default();
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
