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
//! `[min_burn, max_burn]`. A hotkey belongs forever to the coldkey that first registered it.
//!
//! UIDs are dense, `0..n`. When the subnet is full, the newcomer takes the UID of the non-immune
//! neuron with the lowest emission (ties: oldest registration, then lowest UID); a neuron is
//! immune for `immunity_period` blocks after it registered. Other pallets learn of the
//! replacement through [`OnNeuronChange`] and drop that UID's data.
//!
//! Neurons advertise their endpoint with [`Pallet::serve_axon`].
//!
//! ## Interface to other pallets
//! [`SubnetInfo`] (implemented in `impls.rs`) is how the stake, weights and emission pallets read
//! subnets; they never touch this pallet's storage.

#![cfg_attr(not(feature = "std"), no_std)]
#![cfg_attr(test, allow(clippy::arithmetic_side_effects, clippy::indexing_slicing))]

extern crate alloc;

pub use pallet::*;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod hyperparams;
mod impls;
mod networks;
mod neurons;
pub mod pricing;
#[cfg(test)]
mod tests;
pub mod weights;

pub use hyperparams::Hyperparameter;
pub use myelin_primitives::{AxonInfo, NetUid, SubnetHyperparams, Uid};
pub use weights::WeightInfo;

use myelin_primitives::{Balance, BlockNumber, OnNeuronChange, MAX_UIDS_HARD_CAP};

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
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The token: burns registration fees and holds subnet locks.
		type Currency: Mutate<Self::AccountId, Balance = Balance>
			+ MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason, Balance = Balance>;

		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// Origin that may dissolve any subnet, set any hyperparameter and the subnet limit.
		type GovernanceOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Emission of each neuron in its last epoch: the pruning score.
		type NeuronEmission: myelin_primitives::NeuronEmission;

		/// Pallets that keep per-UID or per-subnet data and must drop it on replacement/removal.
		type OnNeuronChange: OnNeuronChange<Self::AccountId>;

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

	/// Hotkey of each UID.
	#[pallet::storage]
	pub type Keys<T: Config> =
		StorageDoubleMap<_, Twox64Concat, NetUid, Twox64Concat, Uid, T::AccountId, OptionQuery>;

	/// UID of each registered hotkey.
	#[pallet::storage]
	pub type Uids<T: Config> =
		StorageDoubleMap<_, Twox64Concat, NetUid, Blake2_128Concat, T::AccountId, Uid, OptionQuery>;

	/// Block at which each UID's current neuron registered.
	#[pallet::storage]
	pub type RegisteredAt<T: Config> =
		StorageDoubleMap<_, Twox64Concat, NetUid, Twox64Concat, Uid, BlockNumber, OptionQuery>;

	/// The coldkey owning each hotkey, fixed at the hotkey's first registration.
	#[pallet::storage]
	pub type Owner<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, T::AccountId, OptionQuery>;

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
		/// A subnet was registered.
		NetworkRegistered {
			netuid: NetUid,
			owner: T::AccountId,
			hotkey: T::AccountId,
			lock: Balance,
		},
		/// A subnet was dissolved and its lock returned.
		NetworkDissolved { netuid: NetUid, owner: T::AccountId, lock_returned: Balance },
		/// A neuron registered on a subnet.
		NeuronRegistered {
			netuid: NetUid,
			uid: Uid,
			hotkey: T::AccountId,
			coldkey: T::AccountId,
			burned: Balance,
		},
		/// A full subnet's UID passed from a pruned neuron to a new one.
		NeuronReplaced {
			netuid: NetUid,
			uid: Uid,
			old_hotkey: T::AccountId,
			new_hotkey: T::AccountId,
		},
		/// A hyperparameter changed.
		HyperparameterSet { netuid: NetUid, param: Hyperparameter },
		/// A neuron advertised its endpoint.
		AxonServed { netuid: NetUid, hotkey: T::AccountId, axon: AxonInfo },
		/// The subnet limit changed.
		SubnetLimitSet { limit: u16 },
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
		/// Decays every subnet's registration burn by one block.
		fn on_initialize(_n: BlockNumberFor<T>) -> Weight {
			let subnets = Networks::<T>::count();
			for netuid in Networks::<T>::iter_keys() {
				Self::decay_burn(netuid);
			}
			T::WeightInfo::on_initialize(subnets)
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
		/// Signed by the owner, or by governance.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::dissolve_network(u32::from(MAX_UIDS_HARD_CAP)))]
		pub fn dissolve_network(
			origin: OriginFor<T>,
			netuid: NetUid,
		) -> DispatchResultWithPostInfo {
			let info = Networks::<T>::get(netuid).ok_or(Error::<T>::SubnetNotFound)?;
			Self::ensure_owner_or_governance(origin, &info.owner)?;
			let removed = Self::remove_network(netuid, info)?;
			Ok(Some(T::WeightInfo::dissolve_network(u32::from(removed))).into())
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
			let by_owner = Self::ensure_owner_or_governance(origin, &info.owner)?;
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
