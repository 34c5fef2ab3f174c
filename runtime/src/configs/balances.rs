//! The MYL token and transaction fees.

use frame_support::{
	parameter_types,
	traits::{ConstU128, ConstU32, ConstU8, VariantCountOf},
	weights::Weight,
};
use myelin_primitives::units::MICRO_MYL;
use pallet_transaction_payment::{ConstFeeMultiplier, FungibleAdapter, Multiplier};
use sp_runtime::traits::One;

use crate::{
	Balance, Balances, Runtime, RuntimeEvent, RuntimeFreezeReason, RuntimeHoldReason, System,
};

/// The existential deposit: an account holding less than this is reaped. 0.0005 MYL keeps dust
/// accounts from bloating state while costing users nothing noticeable.
pub const EXISTENTIAL_DEPOSIT: Balance = 500 * MICRO_MYL;

/// Balances: the MYL token. Holds and freezes are used by staking and governance pallets.
impl pallet_balances::Config for Runtime {
	type MaxLocks = ConstU32<50>;
	type MaxReserves = ();
	type ReserveIdentifier = [u8; 8];
	type Balance = Balance;
	type RuntimeEvent = RuntimeEvent;
	type DustRemoval = ();
	type ExistentialDeposit = ConstU128<EXISTENTIAL_DEPOSIT>;
	type AccountStore = System;
	type WeightInfo = pallet_balances::weights::SubstrateWeight<Runtime>;
	type FreezeIdentifier = RuntimeFreezeReason;
	type MaxFreezes = VariantCountOf<RuntimeFreezeReason>;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RuntimeFreezeReason = RuntimeFreezeReason;
	type DoneSlashHandler = ();
}

parameter_types! {
	/// The fee multiplier is constant: Myelin's blocks are far from full, and a fixed fee
	/// schedule is what wallets and miners can plan with.
	pub FeeMultiplier: Multiplier = Multiplier::one();
	/// 1 µMYL per byte of extrinsic: a 200-byte transfer pays 0.0002 MYL for its length.
	pub const TransactionByteFee: Balance = MICRO_MYL;
}

/// Converts weight to fee: one unit (10⁻⁹ MYL) per 100 picoseconds of reference time, so a
/// balance transfer (~160 µs including the extrinsic base weight) costs about 0.0016 MYL plus
/// its length fee.
pub struct WeightToFee;
impl frame_support::weights::WeightToFee for WeightToFee {
	type Balance = Balance;

	fn weight_to_fee(weight: &Weight) -> Self::Balance {
		let ref_time = Balance::from(weight.ref_time());
		ref_time.saturating_div(WEIGHT_FEE_DIVISOR)
	}
}

/// Reference time (ps) bought by one fee unit (10⁻⁹ MYL).
const WEIGHT_FEE_DIVISOR: Balance = 100;

/// Transaction payment: fees are withdrawn from the sender and burned.
impl pallet_transaction_payment::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type OnChargeTransaction = FungibleAdapter<Balances, ()>;
	type OperationalFeeMultiplier = ConstU8<5>;
	type WeightToFee = WeightToFee;
	type LengthToFee = frame_support::weights::ConstantMultiplier<Balance, TransactionByteFee>;
	type FeeMultiplierUpdate = ConstFeeMultiplier<FeeMultiplier>;
	type WeightInfo = pallet_transaction_payment::weights::SubstrateWeight<Runtime>;
}
