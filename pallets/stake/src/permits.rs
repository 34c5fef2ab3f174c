//! Validator permit selection: the top `k` neurons by stake.

use alloc::vec::Vec;
use myelin_primitives::Balance;

/// Permits indexed by UID for the given stakes: the `k` largest stakes get one; equal stakes
/// are ranked by UID (lower first), so the result never depends on iteration order. Zero stake
/// never earns a permit.
pub fn top_k_permits(stakes: &[Balance], k: u16) -> Vec<bool> {
	let mut order: Vec<usize> = (0..stakes.len()).collect();
	order.sort_by(|&a, &b| {
		let stake = |i: usize| stakes.get(i).copied().unwrap_or_default();
		stake(b).cmp(&stake(a)).then(a.cmp(&b))
	});
	let mut permits = alloc::vec![false; stakes.len()];
	for &uid in order.iter().take(usize::from(k)) {
		if stakes.get(uid).copied().unwrap_or_default() > 0 {
			if let Some(permit) = permits.get_mut(uid) {
				*permit = true;
			}
		}
	}
	permits
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn picks_the_largest_stakes() {
		assert_eq!(top_k_permits(&[5, 50, 10, 40], 2), vec![false, true, false, true]);
	}

	#[test]
	fn ties_go_to_the_lower_uid() {
		assert_eq!(top_k_permits(&[10, 20, 20, 20], 2), vec![false, true, true, false]);
	}

	#[test]
	fn zero_stake_never_gets_a_permit() {
		assert_eq!(top_k_permits(&[0, 3, 0], 3), vec![false, true, false]);
	}

	#[test]
	fn k_larger_than_n_and_empty_inputs() {
		assert_eq!(top_k_permits(&[1, 2], 10), vec![true, true]);
		assert!(top_k_permits(&[], 4).is_empty());
		assert_eq!(top_k_permits(&[1, 2], 0), vec![false, false]);
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
				let permits = top_k_permits(&stakes, k);
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
