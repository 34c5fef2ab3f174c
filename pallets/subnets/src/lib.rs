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
mod neurons;
pub mod pricing;
#[cfg(test)]
mod tests;
pub mod weights;

pub use hyperparams::Hyperparameter;
pub use myelin_primitives::{NetUid, SubnetHyperparams, Uid};
pub use weights::WeightInfo;

use myelin_primitives::{Balance, BlockNumber, OnNeuronChange};

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

/// A neuron's advertised endpoint.
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
pub struct AxonInfo {
	/// Block of the last update (for the serving rate limit).
	pub block: BlockNumber,
	/// Version of the neuron's software.
	pub version: u32,
	/// IPv4 (in the low 32 bits) or IPv6 address.
	pub ip: u128,
	/// TCP/UDP port, never 0.
	pub port: u16,
	/// 4 or 6.
	pub ip_type: u8,
	/// Transport protocol as the subnet defines it (e.g. 0 = TCP, 1 = UDP).
	pub protocol: u8,
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame_support::{
		pallet_prelude::*,
		traits::{
			fungible::{Inspect, Mutate, MutateHold},
			tokens::{Fortitude, Precision, Preservation},
		},
	};
	use frame_system::pallet_prelude::*;
	use sp_runtime::traits::SaturatedConversion;

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
	pub type Axons<T: Config> =
		StorageDoubleMap<_, Twox64Concat, NetUid, Blake2_128Concat, T::AccountId, AxonInfo, OptionQuery>;

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
		NetworkRegistered { netuid: NetUid, owner: T::AccountId, hotkey: T::AccountId, lock: Balance },
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
		NeuronReplaced { netuid: NetUid, uid: Uid, old_hotkey: T::AccountId, new_hotkey: T::AccountId },
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
				if let Err(e) = Pallet::<T>::create_network(owner, hotkey, T::MinLockCost::get(), params)
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
			let now = Self::now();
			if let Some(last) = LastLockBlock::<T>::get() {
				ensure!(
					now >= last.saturating_add(T::NetworkRateLimit::get()),
					Error::<T>::NetworkRateLimitExceeded
				);
			}
			let lock = Self::current_lock_cost();
			Self::create_network(&owner, &hotkey, lock, T::DefaultHyperparams::get())?;
			LastLockCost::<T>::put(lock);
			LastLockBlock::<T>::put(now);
			Ok(())
		}

		/// Dissolves a subnet: returns the lock to its owner and removes everything stored for it.
		/// Signed by the owner, or by governance.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::dissolve_network(u32::from(myelin_primitives::MAX_UIDS_HARD_CAP)))]
		pub fn dissolve_network(origin: OriginFor<T>, netuid: NetUid) -> DispatchResultWithPostInfo {
			let info = Networks::<T>::get(netuid).ok_or(Error::<T>::SubnetNotFound)?;
			Self::ensure_owner_or_governance(origin, &info.owner)?;
			let removed = Self::remove_network(netuid, info)?;
			Ok(Some(T::WeightInfo::dissolve_network(u32::from(removed))).into())
		}

		/// Registers `hotkey` on `netuid` for the signing coldkey, burning the current price if it
		/// is at most `max_burn`. On a full subnet the newcomer replaces the lowest-emission
		/// non-immune neuron.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::burned_register(u32::from(myelin_primitives::MAX_UIDS_HARD_CAP)))]
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
			let now = Self::now();
			if by_owner {
				ensure!(param.owner_settable(), Error::<T>::NotOwnerSettable);
				if let Some(last) = HyperparamLastSet::<T>::get(netuid, param.kind()) {
					ensure!(
						now >= last.saturating_add(T::HyperparameterRateLimit::get()),
						Error::<T>::HyperparameterRateLimitExceeded
					);
				}
			}
			let current = Hyperparams::<T>::get(netuid).ok_or(Error::<T>::SubnetNotFound)?;
			let updated = param.apply(current);
			updated.check().map_err(|e| match e {
				myelin_primitives::subnets::HyperparamError::OutOfBounds =>
					Error::<T>::HyperparameterOutOfBounds,
				myelin_primitives::subnets::HyperparamError::Inconsistent =>
					Error::<T>::HyperparametersInconsistent,
			})?;
			ensure!(
				updated.max_allowed_uids >= SubnetworkN::<T>::get(netuid),
				Error::<T>::HyperparametersInconsistent
			);
			// A new burn range applies to the current price at once.
			Burn::<T>::mutate(netuid, |burn| {
				*burn = (*burn).max(updated.min_burn).min(updated.max_burn)
			});
			Hyperparams::<T>::insert(netuid, updated);
			if by_owner {
				HyperparamLastSet::<T>::insert(netuid, param.kind(), now);
			}
			Self::deposit_event(Event::HyperparameterSet { netuid, param });
			Ok(())
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
			ensure!(Networks::<T>::contains_key(netuid), Error::<T>::SubnetNotFound);
			ensure!(Uids::<T>::contains_key(netuid, &hotkey), Error::<T>::HotkeyNotRegistered);
			Self::validate_endpoint(ip, port, ip_type)?;
			let now = Self::now();
			if let Some(previous) = Axons::<T>::get(netuid, &hotkey) {
				let limit = Hyperparams::<T>::get(netuid).map(|p| p.serving_rate_limit).unwrap_or(0);
				ensure!(
					now >= previous.block.saturating_add(limit),
					Error::<T>::ServingRateLimitExceeded
				);
			}
			let axon = AxonInfo { block: now, version, ip, port, ip_type, protocol };
			Axons::<T>::insert(netuid, &hotkey, axon.clone());
			Self::deposit_event(Event::AxonServed { netuid, hotkey, axon });
			Ok(())
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

	impl<T: Config> Pallet<T> {
		/// The current block as a `u32`.
		pub(crate) fn now() -> BlockNumber {
			frame_system::Pallet::<T>::block_number().saturated_into()
		}

		/// The lock cost a subnet registration would pay now.
		pub fn current_lock_cost() -> Balance {
			let elapsed = LastLockBlock::<T>::get()
				.map(|last| Self::now().saturating_sub(last))
				.unwrap_or(BlockNumber::MAX);
			pricing::lock_cost(
				T::MinLockCost::get(),
				LastLockCost::<T>::get(),
				elapsed,
				T::LockReductionInterval::get(),
			)
		}

		/// `Ok(true)` for the owner, `Ok(false)` for governance, an error for anyone else.
		fn ensure_owner_or_governance(
			origin: OriginFor<T>,
			owner: &T::AccountId,
		) -> Result<bool, DispatchError> {
			match T::GovernanceOrigin::try_origin(origin) {
				Ok(_) => Ok(false),
				Err(origin) => {
					let who = ensure_signed(origin)?;
					ensure!(&who == owner, Error::<T>::NotSubnetOwner);
					Ok(true)
				},
			}
		}

		/// Creates a subnet: holds `lock` from `owner`, stores it with `params`, and registers
		/// `hotkey` as UID 0. Skips the rate limit and lock pricing of `register_network`
		/// (used by genesis and benchmarks).
		pub fn create_network(
			owner: &T::AccountId,
			hotkey: &T::AccountId,
			lock: Balance,
			params: SubnetHyperparams,
		) -> Result<NetUid, DispatchError> {
			ensure!(
				Networks::<T>::count() < u32::from(SubnetLimit::<T>::get()),
				Error::<T>::SubnetLimitReached
			);
			Self::ensure_hotkey_available(owner, hotkey)?;
			let netuid = Self::first_free_netuid().ok_or(Error::<T>::SubnetLimitReached)?;
			T::Currency::hold(&HoldReason::SubnetLock.into(), owner, lock)
				.map_err(|_| Error::<T>::InsufficientBalance)?;
			let now = Self::now();
			Networks::<T>::insert(
				netuid,
				NetworkInfo {
					owner: owner.clone(),
					owner_hotkey: hotkey.clone(),
					lock,
					registered_at: now,
				},
			);
			Burn::<T>::insert(netuid, params.min_burn);
			Hyperparams::<T>::insert(netuid, params);
			Self::deposit_event(Event::NetworkRegistered {
				netuid,
				owner: owner.clone(),
				hotkey: hotkey.clone(),
				lock,
			});
			Self::append_neuron(netuid, 0, owner, hotkey, 0);
			Ok(netuid)
		}

		/// The lowest unused subnet id from 1.
		fn first_free_netuid() -> Option<NetUid> {
			(1..=T::MaxSubnets::get()).find(|netuid| !Networks::<T>::contains_key(netuid))
		}

		/// Removes a subnet and releases its lock. Returns how many neurons it had.
		fn remove_network(
			netuid: NetUid,
			info: NetworkInfo<T::AccountId>,
		) -> Result<u16, DispatchError> {
			T::Currency::release(
				&HoldReason::SubnetLock.into(),
				&info.owner,
				info.lock,
				Precision::BestEffort,
			)?;
			let n = SubnetworkN::<T>::take(netuid);
			let limit = u32::from(myelin_primitives::MAX_UIDS_HARD_CAP);
			let _ = Keys::<T>::clear_prefix(netuid, limit, None);
			let _ = Uids::<T>::clear_prefix(netuid, limit, None);
			let _ = RegisteredAt::<T>::clear_prefix(netuid, limit, None);
			let _ = Axons::<T>::clear_prefix(netuid, limit, None);
			let _ = HyperparamLastSet::<T>::clear_prefix(netuid, u32::from(u8::MAX), None);
			Hyperparams::<T>::remove(netuid);
			Burn::<T>::remove(netuid);
			Networks::<T>::remove(netuid);
			T::OnNeuronChange::on_subnet_removed(netuid);
			Self::deposit_event(Event::NetworkDissolved {
				netuid,
				owner: info.owner,
				lock_returned: info.lock,
			});
			Ok(n)
		}

		/// One block of burn decay for `netuid`.
		fn decay_burn(netuid: NetUid) {
			let Some(params) = Hyperparams::<T>::get(netuid) else { return };
			Burn::<T>::mutate(netuid, |burn| {
				*burn = pricing::decayed_burn(
					*burn,
					1,
					params.burn_half_life,
					params.min_burn,
					params.max_burn,
				)
			});
		}

		/// Checks an endpoint: IPv4 or IPv6, non-zero address valid for its type, non-zero port.
		fn validate_endpoint(ip: u128, port: u16, ip_type: u8) -> DispatchResult {
			match ip_type {
				4 => ensure!(
					ip != 0 && ip <= u128::from(u32::MAX) && ip != u128::from(u32::MAX),
					Error::<T>::InvalidIpAddress
				),
				6 => ensure!(ip != 0, Error::<T>::InvalidIpAddress),
				_ => return Err(Error::<T>::InvalidIpType.into()),
			}
			ensure!(port != 0, Error::<T>::InvalidPort);
			Ok(())
		}

		/// Ownership rule: a hotkey may be used by the coldkey that owns it, or by anyone if it
		/// is unowned.
		pub(crate) fn ensure_hotkey_available(
			coldkey: &T::AccountId,
			hotkey: &T::AccountId,
		) -> DispatchResult {
			match Owner::<T>::get(hotkey) {
				Some(owner) if &owner != coldkey => Err(Error::<T>::HotkeyOwnedByAnotherColdkey.into()),
				_ => Ok(()),
			}
		}

		/// Makes `coldkey` the owner of `hotkey` without registering it anywhere: lets other
		/// pallets' benchmarks start from a registered hotkey.
		#[cfg(feature = "runtime-benchmarks")]
		pub fn benchmark_set_hotkey_owner(coldkey: &T::AccountId, hotkey: &T::AccountId) {
			Owner::<T>::insert(hotkey, coldkey);
		}

		/// Burns `amount` from `coldkey`, keeping its account alive.
		pub(crate) fn burn_fee(coldkey: &T::AccountId, amount: Balance) -> DispatchResult {
			if amount == 0 {
				return Ok(());
			}
			ensure!(
				T::Currency::reducible_balance(coldkey, Preservation::Preserve, Fortitude::Polite) >=
					amount,
				Error::<T>::InsufficientBalance
			);
			T::Currency::burn_from(
				coldkey,
				amount,
				Preservation::Preserve,
				Precision::Exact,
				Fortitude::Polite,
			)
			.map(|_| ())
			.map_err(|_| Error::<T>::InsufficientBalance.into())
		}
	}
}
