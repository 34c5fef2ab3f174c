//! # Myelin primitives
//!
//! The basic types every Myelin crate agrees on: how accounts, balances, block numbers and nonces
//! are represented, the units of the MYL token, and chain-wide constants such as the SS58 prefix
//! and the supply cap. Keeping them here (and not in the runtime) lets the node, the CLI and later
//! pallets share one definition without depending on the whole runtime.

#![warn(missing_docs)]
#![cfg_attr(not(test), warn(unused_crate_dependencies))]
#![cfg_attr(not(feature = "std"), no_std)]
#![cfg_attr(test, allow(clippy::arithmetic_side_effects))]

extern crate alloc;

pub mod inference;
pub mod receipt;
pub mod subnets;
pub mod traits;

pub use subnets::{AxonInfo, NetUid, SubnetHyperparams, Uid, MAX_UIDS_HARD_CAP};
pub use traits::{
	EpochPayout, MaxSubnetsOf, NeuronEmission, OnNeuronChange, StakeInfo, SubnetClearing,
	SubnetInfo, ValidatorStatus,
};

use sp_runtime::{
	traits::{IdentifyAccount, Verify},
	MultiSignature,
};

/// A block number. `u32` lasts ~800 years at 6-second blocks.
pub type BlockNumber = u32;

/// The signature type of the chain: sr25519, ed25519 or ecdsa, as wallets expect.
pub type Signature = MultiSignature;

/// An account's public identity: the 32-byte public key behind [`Signature`].
pub type AccountId = <<Signature as Verify>::Signer as IdentifyAccount>::AccountId;

/// An amount of MYL in its smallest unit (10⁻⁹ MYL).
pub type Balance = u128;

/// The nonce of an account: the number of transactions it has sent.
pub type Nonce = u32;

/// The hash type of blocks and state.
pub type Hash = sp_core::H256;

/// The token's ticker.
pub const TOKEN_SYMBOL: &str = "MYL";

/// Decimal places of MYL: 1 MYL = 10⁹ units.
pub const TOKEN_DECIMALS: u8 = 9;

/// The SS58 address prefix (the generic Substrate prefix, so every wallet shows `5…` addresses).
pub const SS58_PREFIX: u16 = 42;

/// Units of the token.
pub mod units {
	use super::Balance;

	/// One MYL.
	pub const MYL: Balance = 1_000_000_000;
	/// 10⁻³ MYL.
	pub const MILLI_MYL: Balance = 1_000_000;
	/// 10⁻⁶ MYL.
	pub const MICRO_MYL: Balance = 1_000;
	/// 10⁻⁹ MYL, the smallest unit.
	pub const NANO_MYL: Balance = 1;

	/// The hard cap of the token supply: 21,000,000 MYL.
	pub const SUPPLY_CAP: Balance = 21_000_000 * MYL;

	/// Writes `amount` (in units) as a decimal MYL string with all nine decimals, e.g.
	/// `"1.500000000"`: how JSON-RPC and the CLI show balances (exact, no float rounding).
	pub fn format_myl(amount: Balance) -> alloc::string::String {
		alloc::format!("{}.{:09}", amount / MYL, amount % MYL)
	}

	/// Parses a decimal MYL amount (`"12"`, `"0.5"`, `"1.000000001"`) into units. `None` for
	/// anything else: signs, exponents, more than nine decimals, or an overflow.
	pub fn parse_myl(text: &str) -> Option<Balance> {
		let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
		let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
		if whole.is_empty() && fraction.is_empty()
			|| !digits(whole)
			|| !digits(fraction)
			|| fraction.len() > usize::from(super::TOKEN_DECIMALS)
		{
			return None;
		}
		let whole: Balance = if whole.is_empty() { 0 } else { whole.parse().ok()? };
		let mut scaled: Balance = if fraction.is_empty() { 0 } else { fraction.parse().ok()? };
		for _ in fraction.len()..usize::from(super::TOKEN_DECIMALS) {
			scaled = scaled.checked_mul(10)?;
		}
		whole.checked_mul(MYL)?.checked_add(scaled)
	}
}

/// Block timing.
pub mod time {
	use super::BlockNumber;

	/// Target block time in milliseconds. Aura's slot duration equals it.
	pub const MILLI_SECS_PER_BLOCK: u64 = 6000;
	/// The slot duration used by Aura; one block per slot.
	pub const SLOT_DURATION: u64 = MILLI_SECS_PER_BLOCK;

	/// Blocks per minute.
	pub const MINUTES: BlockNumber = 60_000 / (MILLI_SECS_PER_BLOCK as BlockNumber);
	/// Blocks per hour.
	pub const HOURS: BlockNumber = MINUTES * 60;
	/// Blocks per day.
	pub const DAYS: BlockNumber = HOURS * 24;
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn units_are_consistent() {
		assert_eq!(units::MYL, 10u128.pow(u32::from(TOKEN_DECIMALS)));
		assert_eq!(units::MILLI_MYL * 1000, units::MYL);
		assert_eq!(units::MICRO_MYL * 1000, units::MILLI_MYL);
		assert_eq!(time::MINUTES, 10);
		assert_eq!(time::DAYS, 14_400);
	}

	#[test]
	fn myl_amounts_format_and_parse_exactly() {
		use units::{format_myl, parse_myl, MYL};
		assert_eq!(format_myl(0), "0.000000000");
		assert_eq!(format_myl(MYL + MYL / 2), "1.500000000");
		assert_eq!(format_myl(u128::MAX), "340282366920938463463374607431.768211455");
		for (text, units) in [
			("12", 12 * MYL),
			("0.5", MYL / 2),
			(".5", MYL / 2),
			("3.", 3 * MYL),
			("1.000000001", MYL + 1),
			("340282366920938463463374607431.768211455", u128::MAX),
		] {
			assert_eq!(parse_myl(text), Some(units), "{text}");
		}
		for bad in [
			"",
			".",
			"-1",
			"+1",
			"1e9",
			"1.0000000001",
			"1,5",
			" 1",
			"340282366920938463463374607432",
		] {
			assert_eq!(parse_myl(bad), None, "{bad}");
		}
		for amount in [0, 1, MYL - 1, 123_456_789_012_345, u128::MAX] {
			assert_eq!(parse_myl(&format_myl(amount)), Some(amount));
		}
	}
}
