//! The block emission schedule (docs/ARCHITECTURE.md, "Emission schedule"):
//! `initial · 2^(−⌊log₂(1 / (1 − issued/cap))⌋)`.
//!
//! The emission halves each time the issued supply crosses another half of what remains below
//! the cap: at 50%, 75%, 87.5%, … of it. It never takes the supply above the cap.

/// An amount of tokens in their smallest unit.
pub type Balance = u128;

/// Emission of the next block when `issued` tokens exist (or are owed) under `cap`.
pub fn block_emission(initial: Balance, cap: Balance, issued: Balance) -> Balance {
	let remaining = cap.saturating_sub(issued);
	if remaining == 0 {
		return 0;
	}
	// ⌊log₂(cap / remaining)⌋: how many times the cap can be halved and stay ≥ remaining.
	let mut halvings = 0u32;
	while cap.checked_shr(halvings.saturating_add(1)).is_some_and(|half| half >= remaining) {
		halvings = halvings.saturating_add(1);
	}
	initial.checked_shr(halvings).unwrap_or(0).min(remaining)
}

#[cfg(test)]
mod tests {
	use super::*;

	const CAP: Balance = 21_000_000_000_000_000;
	const ONE: Balance = 1_000_000_000;

	#[test]
	fn halves_at_each_half_of_the_remaining_supply() {
		assert_eq!(block_emission(ONE, CAP, 0), ONE);
		assert_eq!(block_emission(ONE, CAP, CAP / 2 - 1), ONE);
		assert_eq!(block_emission(ONE, CAP, CAP / 2), ONE / 2);
		assert_eq!(block_emission(ONE, CAP, CAP / 4 * 3 - 1), ONE / 2);
		assert_eq!(block_emission(ONE, CAP, CAP / 4 * 3), ONE / 4);
		assert_eq!(block_emission(ONE, CAP, CAP / 8 * 7), ONE / 8);
	}

	#[test]
	fn matches_the_float_formula() {
		for step in 0..1000u128 {
			let issued = CAP / 1000 * step;
			let exponent = (1.0 / (1.0 - issued as f64 / CAP as f64)).log2().floor() as u32;
			let expected = ONE >> exponent;
			assert_eq!(block_emission(ONE, CAP, issued), expected.min(CAP - issued), "{issued}");
		}
	}

	#[test]
	fn never_exceeds_the_cap() {
		assert_eq!(block_emission(ONE, CAP, CAP), 0);
		assert_eq!(block_emission(ONE, CAP, CAP + 5), 0);
		// Three tokens left: ~52 halvings have already brought the emission to zero.
		assert_eq!(block_emission(ONE, CAP, CAP - 3), 0);
		assert_eq!(block_emission(ONE, 10, 0), 10);
		assert_eq!(block_emission(0, CAP, 0), 0);
	}
}
