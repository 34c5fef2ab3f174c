//! # Subnets pallet
//!
//! The registry of Myelin's AI subnets and of the neurons (miners and validators) on them.
//!
//! ## Subnets
//! A coldkey creates a subnet with [`Pallet::register_network`], naming the hotkey that becomes
//! its first neuron. The coldkey pays a *lock*: the tokens stay in its account under a hold
//! ([`HoldReason::SubnetLock`]) and are released when the subnet is dissolved
//! ([`Pallet::dissolve_network`], by the owner or governance). The lock cost doubles after every
//! subnet registration and decays linearly back to `MinLockCost` over `LockReductionInterval`
//! blocks; `NetworkRateLimit` spaces registrations and [`SubnetLimit`] caps their number.
//!
//! Each subnet has [`SubnetHyperparams`]. The owner may change the owner-settable ones within
//! bounds, once per `HyperparameterRateLimit` blocks each; governance may set any of them.
//!
//! ## Neurons
//! A coldkey registers a hotkey on a subnet with [`Pallet::burned_register`], burning the
//! subnet's current price (never more than the caller's `max_burn`). The price rises by
//! `burn_increase_mult`% per registration and halves every `burn_half_life` blocks, within
//! `[min_burn, max_burn]`.
//!
//! ## Hotkey ownership needs the hotkey's consent
//! A hotkey belongs forever to one coldkey, and only with the hotkey's consent: the coldkey
//! submits [`Pallet::associate_hotkey`] with the hotkey's signature of
//! [`hotkey_consent_payload`] (the chain's genesis hash and its own address), or the coldkey uses itself as the hotkey. So
//! nobody can claim someone else's miner key, register it on their own subnet or collect its
//! owner's take. Registering a hotkey that no coldkey owns yet fails until it consented.
//!
//! UIDs are dense, `0..n`. When the subnet is full, the newcomer takes the UID of the non-immune
//! neuron with the lowest emission (ties: oldest registration, then lowest UID); a neuron is
//! immune for `immunity_period` blocks after it registered. Other pallets learn of the
//! replacement through [`OnNeuronChange`] and drop that UID's data.
//!
//! Neurons advertise their endpoint with [`Pallet::serve_axon`].
//!
//! ## Interface to other pallets
//! [`SubnetInfo`] (implemented in `impls.rs`) is how the stake, Yuma and emission pallets read
//! subnets; they never touch this pallet's storage.

#![warn(missing_docs)]
#![cfg_attr(not(test), warn(unused_crate_dependencies))]
#![cfg_attr(not(feature = "std"), no_std)]
#![cfg_attr(test, allow(clippy::arithmetic_side_effects, clippy::indexing_slicing))]

extern crate alloc;

pub use pallet::*;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod hyperparams;
mod impls;
pub mod migrations;
mod networks;
mod neurons;
mod pages;
pub mod pricing;
#[cfg(test)]
mod tests;
pub mod weights;

pub use hyperparams::Hyperparameter;
pub use myelin_primitives::{AxonInfo, NetUid, SubnetHyperparams, Uid};
pub use weights::WeightInfo;

use myelin_primitives::{
	subnets::UID_PAGE, Balance, BlockNumber, OnNeuronChange, MAX_UIDS_HARD_CAP,
};
use sp_runtime::traits::{IdentifyAccount, Verify};

/// What a hotkey signs to consent to belong to `coldkey` on the chain of `genesis_hash`: SCALE
/// of a tag, the genesis hash and the coldkey. The tag starts with `0xff`, which no UTF-8 text
/// contains, so a key asked to "sign this message" cannot be tricked into consenting. Signed
/// once, off chain, by the hotkey's key; carried by [`Pallet::associate_hotkey`].
pub fn hotkey_consent_payload<Hash: codec::Encode, AccountId: codec::Encode>(
	genesis_hash: &Hash,
	coldkey: &AccountId,
) -> alloc::vec::Vec<u8> {
	codec::Encode::encode(&(b"\xffmyelin/hotkey-consent", genesis_hash, coldkey))
}

/// Sets up what the benchmarks need that only the runtime can make.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId, Signature> {
	/// A fresh hotkey and its signature of its consent to `coldkey`.
	fn hotkey_consent(coldkey: &AccountId) -> (AccountId, Signature);

	/// Stores `rows` per-UID rows of `netuid` in the other pallets at their largest (the runtime
	/// writes full weight rows), so clearing a dissolved subnet is measured on its heaviest keys.
	/// A runtime whose other pallets keep nothing per UID leaves this empty.
	fn full_neuron_rows(_netuid: NetUid, _rows: u32) {}

	/// Leaves UIDs `0..uids` of `netuid` with a reward accrued in the other pallets, as after an
	/// epoch, so replacing or clearing a UID is measured with what it collects first. A runtime
	/// whose other pallets accrue nothing per UID leaves this empty.
	fn accrued_stakes(_netuid: NetUid, _uids: u16) {}
}

/// What the chain records about a subnet.
#[derive(
	codec::Encode,
	codec::Decode,
	codec::DecodeWithMemTracking,
	codec::MaxEncodedLen,
	scale_info::TypeInfo,
	Clone,
	PartialEq,
	Eq,
	Debug,
)]
pub struct NetworkInfo<AccountId> {
	/// The coldkey that registered the subnet and holds its lock.
	pub owner: AccountId,
	/// The hotkey registered as the subnet's first neuron.
	pub owner_hotkey: AccountId,
	/// Tokens held from the owner until the subnet is dissolved.
	pub lock: Balance,
	/// Block of registration.
	pub registered_at: BlockNumber,
}

/// One neuron of a subnet: an entry of a [`Neurons`] page.
#[derive(
	codec::Encode,
	codec::Decode,
	codec::DecodeWithMemTracking,
	codec::MaxEncodedLen,
	scale_info::TypeInfo,
	Clone,
	PartialEq,
	Eq,
	Debug,
)]
pub struct Neuron<AccountId> {
	/// The neuron's hotkey.
	pub hotkey: AccountId,
	/// Block at which it registered (took its UID).
	pub registered_at: BlockNumber,
}

// The FRAME macros expand to code (storage prefixes, metadata, error encoding) that trips the
// runtime deny-lints; the pallet module holds only declarations and thin call wrappers, and every
// piece of logic lives in the sibling modules, where the lints apply.
#[allow(
	clippy::expect_used,
	clippy::unwrap_used,
	clippy::indexing_slicing,
	clippy::arithmetic_side_effects
)]
#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame_support::{
		pallet_prelude::*,
		traits::fungible::{Mutate, MutateHold},
	};
	use frame_system::pallet_prelude::*;

	/// The in-code storage version.
	// 1: `OwnedHotkeys` indexes `Owner` by coldkey.
	// 3: `Neurons` pages replace the per-UID `Keys` and `RegisteredAt` maps.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(3);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Default configurations of this pallet.
	pub mod config_preludes {
		use super::*;
		use frame_support::derive_impl;
		use frame_support::traits::{ConstU128, ConstU16, ConstU32};

		/// The token unit of test runtimes (10⁹, as MYL).
		pub const TEST_UNIT: Balance = 1_000_000_000;

		frame_support::parameter_types! {
			/// Test subnets: tempo 10, 8 UIDs, 3 validators, a burn of one unit, no immunity
			/// and no weights rate limit.
			pub TestHyperparams: SubnetHyperparams = SubnetHyperparams {
				tempo: 10,
				max_allowed_uids: 8,
				max_allowed_validators: 3,
				min_burn: TEST_UNIT,
				immunity_period: 0,
				weights_set_rate_limit: 0,
				..SubnetHyperparams::default()
			};
		}

		/// The configuration test runtimes start from: small bounds, no rate limits, nothing
		/// that depends on other pallets (those items have no default).
		pub struct TestDefaultConfig;

		#[derive_impl(frame_system::config_preludes::TestDefaultConfig, no_aggregated_types)]
		impl frame_system::DefaultConfig for TestDefaultConfig {}

		#[frame_support::register_default_impl(TestDefaultConfig)]
		impl DefaultConfig for TestDefaultConfig {
			#[inject_runtime_type]
			type RuntimeHoldReason = ();
			type GovernanceOrigin = frame_system::EnsureRoot<Self::AccountId>;
			type DissolveOrigin = frame_system::EnsureRoot<Self::AccountId>;
			type NeuronEmission = ();
			type OnNeuronChange = ();
			type DefaultHyperparams = TestHyperparams;
			type MinLockCost = ConstU128<{ 10 * TEST_UNIT }>;
			type LockReductionInterval = ConstU32<100>;
			type NetworkRateLimit = ConstU32<0>;
			type MaxSubnets = ConstU16<8>;
			type MaxClearedPerBlock = ConstU32<16>;
			type HyperparameterRateLimit = ConstU32<0>;
			type WeightInfo = ();
		}
	}

	#[pallet::config(with_default)]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The token: burns registration fees and holds subnet locks.
		#[pallet::no_default]
		type Currency: Mutate<Self::AccountId, Balance = Balance>
			+ MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason, Balance = Balance>;

		/// The overarching hold reason.
		#[pallet::no_default_bounds]
		type RuntimeHoldReason: From<HoldReason>;

		/// Origin that may set any subnet's hyperparameters and the subnet limit.
		#[pallet::no_default_bounds]
		type GovernanceOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Origin that may dissolve any subnet besides its owner. Dissolving ends every neuron's
		/// registration and the owner's lock: the runtime asks for Root (a `root` referendum),
		/// not the origin that tunes parameters.
		#[pallet::no_default_bounds]
		type DissolveOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Emission of each neuron in its last epoch: the pruning score.
		type NeuronEmission: myelin_primitives::NeuronEmission;

		/// Pallets that keep per-UID or per-subnet data and must drop it on replacement/removal.
		type OnNeuronChange: OnNeuronChange<Self::AccountId>;

		/// A hotkey's signature, proving its consent to a coldkey (`associate_hotkey`).
		#[pallet::no_default]
		type HotkeySignature: Parameter
			+ Verify<Signer: IdentifyAccount<AccountId = Self::AccountId>>;

		/// Makes hotkey consents for the benchmarks.
		#[pallet::no_default]
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId, Self::HotkeySignature>;

		/// Hyperparameters of a newly registered subnet.
		#[pallet::constant]
		type DefaultHyperparams: Get<SubnetHyperparams>;

		/// Lowest subnet lock cost.
		#[pallet::constant]
		type MinLockCost: Get<Balance>;

		/// Blocks over which the lock cost decays from twice the last cost to the last cost
		/// (and on, to the minimum).
		#[pallet::constant]
		type LockReductionInterval: Get<BlockNumber>;

		/// Blocks between two subnet registrations.
		#[pallet::constant]
		type NetworkRateLimit: Get<BlockNumber>;

		/// Hard cap on the number of subnets; [`SubnetLimit`] may be set up to it.
		#[pallet::constant]
		type MaxSubnets: Get<u16>;

		/// Most storage keys of dissolved subnets removed per block (this pallet's and, through
		/// [`OnNeuronChange::clear_subnet`], the other pallets'): a full subnet holds tens of
		/// thousands, more than one block can delete.
		#[pallet::constant]
		type MaxClearedPerBlock: Get<u32>;

		/// Blocks an owner waits between two changes of the same hyperparameter.
		#[pallet::constant]
		type HyperparameterRateLimit: Get<BlockNumber>;

		/// Weights of this pallet's calls and hooks.
		type WeightInfo: WeightInfo;
	}

	/// Why this pallet holds tokens.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// The lock of a registered subnet, returned when it is dissolved.
		SubnetLock,
	}

	/// Registered subnets.
	#[pallet::storage]
	pub type Networks<T: Config> =
		CountedStorageMap<_, Twox64Concat, NetUid, NetworkInfo<T::AccountId>, OptionQuery>;

	/// Hyperparameters of each subnet.
	#[pallet::storage]
	pub type Hyperparams<T: Config> =
		StorageMap<_, Twox64Concat, NetUid, SubnetHyperparams, OptionQuery>;

	/// Block at which the owner last set a hyperparameter kind ([`Hyperparameter::kind`]).
	#[pallet::storage]
	pub type HyperparamLastSet<T: Config> =
		StorageDoubleMap<_, Twox64Concat, NetUid, Twox64Concat, u8, BlockNumber, OptionQuery>;

	/// Current registration burn of each subnet.
	#[pallet::storage]
	pub type Burn<T: Config> = StorageMap<_, Twox64Concat, NetUid, Balance, ValueQuery>;

	/// Number of neurons on each subnet (UIDs `0..n`).
	#[pallet::storage]
	pub type SubnetworkN<T: Config> = StorageMap<_, Twox64Concat, NetUid, u16, ValueQuery>;

	/// The neurons of each subnet by UID, [`UID_PAGE`] to a page: UID `u` is entry
	/// `u % UID_PAGE` of page `u / UID_PAGE`, pages `0..ceil(n / UID_PAGE)` are full but the
	/// last. The epoch and the pruning scan read a full subnet (4096 UIDs) in 16 reads.
	#[pallet::storage]
	pub type Neurons<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		NetUid,
		Twox64Concat,
		u16,
		BoundedVec<Neuron<T::AccountId>, ConstU32<{ UID_PAGE as u32 }>>,
		ValueQuery,
	>;

	/// UID of each registered hotkey.
	#[pallet::storage]
	pub type Uids<T: Config> =
		StorageDoubleMap<_, Twox64Concat, NetUid, Blake2_128Concat, T::AccountId, Uid, OptionQuery>;

	/// Dissolved subnets whose per-UID data is still being removed, oldest first; their netuids
	/// are not reused until it is gone.
	#[pallet::storage]
	pub type Clearing<T: Config> = StorageValue<
		_,
		BoundedVec<NetUid, myelin_primitives::MaxSubnetsOf<Pallet<T>, T::AccountId>>,
		ValueQuery,
	>;

	/// The coldkey owning each hotkey, fixed at the hotkey's first registration.
	#[pallet::storage]
	pub type Owner<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, T::AccountId, OptionQuery>;

	/// The hotkeys each coldkey owns: [`Owner`] indexed by coldkey, written with it.
	#[pallet::storage]
	pub type OwnedHotkeys<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Blake2_128Concat,
		T::AccountId,
		(),
		OptionQuery,
	>;

	/// Endpoints advertised by neurons.
	#[pallet::storage]
	pub type Axons<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		NetUid,
		Blake2_128Concat,
		T::AccountId,
		AxonInfo,
		OptionQuery,
	>;

	/// How many subnets may exist (governance-set, at most `MaxSubnets`).
	#[pallet::storage]
	pub type SubnetLimit<T: Config> = StorageValue<_, u16, ValueQuery, T::MaxSubnets>;

	/// Lock cost paid by the last subnet registration.
	#[pallet::storage]
	pub type LastLockCost<T: Config> = StorageValue<_, Balance, ValueQuery>;

	/// Block of the last subnet registration, if any.
	#[pallet::storage]
	pub type LastLockBlock<T: Config> = StorageValue<_, BlockNumber, OptionQuery>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A hotkey consented to belong to a coldkey, for good.
		HotkeyAssociated {
			/// The hotkey.
			hotkey: T::AccountId,
			/// Its owner from now on.
			coldkey: T::AccountId,
		},
		/// A subnet was registered.
		NetworkRegistered {
			/// The new subnet.
			netuid: NetUid,
			/// The coldkey that owns it and whose lock is held.
			owner: T::AccountId,
			/// The owner's hotkey, the subnet's first neuron.
			hotkey: T::AccountId,
			/// Tokens held as the subnet's lock.
			lock: Balance,
		},
		/// The last storage of a dissolved subnet was removed: its netuid is free again.
		NetworkCleared {
			/// The subnet.
			netuid: NetUid,
		},
		/// A subnet was dissolved and its lock returned; its per-UID storage is removed over
		/// the next blocks (`NetworkCleared`).
		NetworkDissolved {
			/// The dissolved subnet.
			netuid: NetUid,
			/// Its owner, who got the lock back.
			owner: T::AccountId,
			/// Tokens released from the lock.
			lock_returned: Balance,
		},
		/// A neuron registered on a subnet.
		NeuronRegistered {
			/// The subnet.
			netuid: NetUid,
			/// The neuron's UID.
			uid: Uid,
			/// The neuron's hotkey.
			hotkey: T::AccountId,
			/// The coldkey that paid the burn and owns the hotkey.
			coldkey: T::AccountId,
			/// Tokens burned for the registration.
			burned: Balance,
		},
		/// A full subnet's UID passed from a pruned neuron to a new one.
		NeuronReplaced {
			/// The subnet.
			netuid: NetUid,
			/// The UID that changed hands.
			uid: Uid,
			/// The pruned neuron's hotkey.
			old_hotkey: T::AccountId,
			/// The new neuron's hotkey.
			new_hotkey: T::AccountId,
		},
		/// A hyperparameter changed.
		HyperparameterSet {
			/// The subnet.
			netuid: NetUid,
			/// The hyperparameter and its new value.
			param: Hyperparameter,
		},
		/// A neuron advertised its endpoint.
		AxonServed {
			/// The subnet.
			netuid: NetUid,
			/// The neuron's hotkey.
			hotkey: T::AccountId,
			/// The endpoint.
			axon: AxonInfo,
		},
		/// The subnet limit changed.
		SubnetLimitSet {
			/// How many subnets may exist now.
			limit: u16,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No subnet with this id.
		SubnetNotFound,
		/// As many subnets exist as [`SubnetLimit`] allows.
		SubnetLimitReached,
		/// The last subnet registration was less than `NetworkRateLimit` blocks ago.
		NetworkRateLimitExceeded,
		/// The account cannot pay the lock or the burn.
		InsufficientBalance,
		/// Only the subnet's owner (or governance) may do this.
		NotSubnetOwner,
		/// The hotkey belongs to another coldkey.
		HotkeyOwnedByAnotherColdkey,
		/// The hotkey has not consented to belong to this coldkey: submit `associate_hotkey`
		/// with its signature first.
		HotkeyNotAssociated,
		/// The signature is not the hotkey's signature of the consent to this coldkey.
		BadHotkeySignature,
		/// The hotkey is already registered on this subnet.
		AlreadyRegistered,
		/// The current burn is above the caller's `max_burn`.
		BurnAboveMax,
		/// The subnet is full and every neuron is still immune.
		AllNeuronsImmune,
		/// The hotkey is not registered on this subnet.
		HotkeyNotRegistered,
		/// `ip_type` is neither 4 nor 6.
		InvalidIpType,
		/// The address is zero or not a valid address of its type.
		InvalidIpAddress,
		/// Port 0 is not a port.
		InvalidPort,
		/// The neuron updated its axon less than `serving_rate_limit` blocks ago.
		ServingRateLimitExceeded,
		/// A hyperparameter value is outside its bounds.
		HyperparameterOutOfBounds,
		/// The values would contradict each other (min above max, fewer UIDs than neurons, …).
		HyperparametersInconsistent,
		/// Only governance may set this hyperparameter.
		NotOwnerSettable,
		/// The owner set this hyperparameter less than `HyperparameterRateLimit` blocks ago.
		HyperparameterRateLimitExceeded,
		/// The requested subnet limit is above `MaxSubnets`.
		SubnetLimitAboveMaximum,
		/// The neuron pages do not match the neuron count (a storage inconsistency): the UID
		/// cannot be stored, so nothing is registered.
		NeuronSlotUnavailable,
	}

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// Subnets to create at genesis: (owner coldkey, owner hotkey, tempo). Each takes the
		/// minimum lock from its owner and registers the hotkey as UID 0.
		pub subnets: Vec<(T::AccountId, T::AccountId, u16)>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			for (owner, hotkey, tempo) in &self.subnets {
				let mut params = T::DefaultHyperparams::get();
				params.tempo = *tempo;
				if let Err(e) =
					Pallet::<T>::create_network(owner, hotkey, T::MinLockCost::get(), params)
				{
					panic!("genesis subnet of {owner:?} cannot be created: {e:?}");
				}
			}
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		/// Decays every subnet's registration burn by one block, and removes up to
		/// `MaxClearedPerBlock` storage keys of dissolved subnets.
		fn on_initialize(_n: BlockNumberFor<T>) -> Weight {
			let subnets = Networks::<T>::count();
			for netuid in Networks::<T>::iter_keys() {
				Self::decay_burn(netuid);
			}
			let cleared = Self::clear_dissolved(T::MaxClearedPerBlock::get());
			T::WeightInfo::on_initialize(subnets)
				.saturating_add(T::WeightInfo::clear_dissolved(cleared))
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Registers a new subnet owned by the signing coldkey, with `hotkey` as its UID 0.
		/// Holds the current lock cost from the coldkey.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::register_network())]
		pub fn register_network(origin: OriginFor<T>, hotkey: T::AccountId) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			Self::do_register_network(&owner, &hotkey)
		}

		/// Dissolves a subnet: returns the lock to its owner and removes everything stored for it.
		/// Signed by the owner, or by `DissolveOrigin` (Root).
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::dissolve_network())]
		pub fn dissolve_network(origin: OriginFor<T>, netuid: NetUid) -> DispatchResult {
			let info = Networks::<T>::get(netuid).ok_or(Error::<T>::SubnetNotFound)?;
			Self::ensure_owner_or::<T::DissolveOrigin>(origin, &info.owner)?;
			Self::remove_network(netuid, info)
		}

		/// Registers `hotkey` on `netuid` for the signing coldkey, burning the current price if it
		/// is at most `max_burn`. On a full subnet the newcomer replaces the lowest-emission
		/// non-immune neuron.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::burned_register(u32::from(MAX_UIDS_HARD_CAP)))]
		pub fn burned_register(
			origin: OriginFor<T>,
			netuid: NetUid,
			hotkey: T::AccountId,
			max_burn: Balance,
		) -> DispatchResultWithPostInfo {
			let coldkey = ensure_signed(origin)?;
			let scanned = Self::do_burned_register(&coldkey, netuid, &hotkey, max_burn)?;
			Ok(Some(T::WeightInfo::burned_register(u32::from(scanned))).into())
		}

		/// Sets one hyperparameter of a subnet. The owner may set owner-settable ones within
		/// bounds and rate limits; governance may set any within bounds.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::set_hyperparameter())]
		pub fn set_hyperparameter(
			origin: OriginFor<T>,
			netuid: NetUid,
			param: Hyperparameter,
		) -> DispatchResult {
			let info = Networks::<T>::get(netuid).ok_or(Error::<T>::SubnetNotFound)?;
			let by_owner = Self::ensure_owner_or::<T::GovernanceOrigin>(origin, &info.owner)?;
			Self::do_set_hyperparameter(netuid, param, by_owner)
		}

		/// Advertises the signing hotkey's endpoint on `netuid`.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::serve_axon())]
		pub fn serve_axon(
			origin: OriginFor<T>,
			netuid: NetUid,
			version: u32,
			ip: u128,
			port: u16,
			ip_type: u8,
			protocol: u8,
		) -> DispatchResult {
			let hotkey = ensure_signed(origin)?;
			Self::do_serve_axon(hotkey, netuid, version, ip, port, ip_type, protocol)
		}

		/// Makes the signing coldkey the owner of `hotkey`, with the hotkey's consent:
		/// `signature` is the hotkey's signature of [`hotkey_consent_payload`] for this coldkey.
		/// Needed once, before a hotkey that no coldkey owns is first registered.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::associate_hotkey())]
		pub fn associate_hotkey(
			origin: OriginFor<T>,
			hotkey: T::AccountId,
			signature: T::HotkeySignature,
		) -> DispatchResult {
			let coldkey = ensure_signed(origin)?;
			Self::do_associate_hotkey(coldkey, hotkey, signature)
		}

		/// Sets how many subnets may exist (governance).
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::set_subnet_limit())]
		pub fn set_subnet_limit(origin: OriginFor<T>, limit: u16) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			ensure!(limit <= T::MaxSubnets::get(), Error::<T>::SubnetLimitAboveMaximum);
			SubnetLimit::<T>::put(limit);
			Self::deposit_event(Event::SubnetLimitSet { limit });
			Ok(())
		}
	}
}
