//! Stake by UID, and rewards accrued by UID until their pool takes them.
//!
//! A subnet's epoch needs the stake behind each of its up to 4096 UIDs and pays each of them.
//! Read and written pool by pool, that is two storage accesses per UID in one block, most of a
//! block's weight. So the pallet keeps, for each subnet, one [`UidStake`] per UID in pages of
//! [`UID_PAGE`] ([`UidStakes`]):
//! - the pool of the hotkey holding the UID as it is once credited with every reward the UID
//!   accrued (each credited as it came, with the take in force then, exactly as the pool
//!   itself would have been), kept in step by every pool write;
//! - how much of that the stored pool has not taken yet;
//! - the hotkey's take and announced increase, kept in step by the take calls.
//!
//! The epoch reads and writes a subnet's pages only ([`Pallet::accrue`]): 16 of each for a
//! full subnet. A pool takes what its UID accrued ([`Pallet::collect_at`]) before anything else
//! touches it, by storing the credited pool:
//! - before every deposit and withdrawal (so add, remove, move on both sides and transfer):
//!   nobody can join a pool just before its rewards land and take a share of them, nor leave
//!   and lose their share;
//! - before its UID is given to another hotkey, so the rewards stay with the pool that earned
//!   them;
//! - when a dissolved subnet is cleared (its pools' stake cannot move until then).
//!
//! Accrued rewards are owed ([`TotalOwed`]) and stake on the subnet ([`SubnetStake`](crate::SubnetStake)) from the
//! epoch that paid them, exactly as if the pool had taken them then. Taking them cannot fail:
//! each credit was computed, and checked, when it accrued.

use alloc::{collections::BTreeMap, vec::Vec};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{ensure, pallet_prelude::*, BoundedVec};
use myelin_primitives::{
	subnets::{uid_page, uid_pages, UID_PAGE},
	Balance, BlockNumber, NetUid, SubnetClearing, SubnetInfo, Uid,
};
use scale_info::TypeInfo;
use sp_runtime::{ArithmeticError, Perbill};

use crate::{
	pallet::{Config, Error, Event, Pallet, PendingTake, Pools, Take, TotalOwed, UidStakes},
	Pool,
};

/// One page of a subnet's [`UidStake`]s.
pub type UidStakePage<AccountId> = BoundedVec<UidStake<AccountId>, ConstU32<{ UID_PAGE as u32 }>>;

/// The stake behind one UID, and what it earned that its pool has not taken yet.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct UidStake<AccountId> {
	/// The hotkey holding the UID.
	pub hotkey: AccountId,
	/// The hotkey's pool on the subnet ([`Pools`]; empty if none) credited with everything
	/// accrued.
	pub pool: Pool,
	/// Rewards credited to `pool` and not yet to the stored pool.
	pub accrued: Balance,
	/// The hotkey's own take ([`Take`]); `None` for the runtime's default, which is read when
	/// a reward is credited (a runtime upgrade may change it).
	pub take: Option<Perbill>,
	/// The hotkey's announced take increase and its first block ([`PendingTake`]).
	pub take_increase: Option<(Perbill, BlockNumber)>,
}

impl<AccountId> UidStake<AccountId> {
	/// The stake behind the UID: its pool, accrued rewards included.
	pub fn stake(&self) -> Balance {
		self.pool.value
	}

	/// The take in force at `block` (as [`Pallet::take`] at that block), `default` for a
	/// hotkey without its own.
	pub fn take_at(&self, block: BlockNumber, default: Perbill) -> Perbill {
		match self.take_increase {
			Some((take, from)) if block >= from => take,
			_ => self.take.unwrap_or(default),
		}
	}
}

impl<T: Config> Pallet<T> {
	/// The [`UidStake`] of `hotkey` as registered now on `netuid`.
	pub(crate) fn fresh_uid_stake(netuid: NetUid, hotkey: &T::AccountId) -> UidStake<T::AccountId> {
		UidStake {
			hotkey: hotkey.clone(),
			pool: Pools::<T>::get(hotkey, netuid).unwrap_or_default(),
			accrued: 0,
			take: Take::<T>::get(hotkey),
			take_increase: PendingTake::<T>::get(hotkey),
		}
	}

	/// The [`UidStake`] of `uid` on `netuid`, if recorded.
	pub fn uid_stake(netuid: NetUid, uid: Uid) -> Option<UidStake<T::AccountId>> {
		let (page, index) = uid_page(uid);
		UidStakes::<T>::get(netuid, page).get(index).cloned()
	}

	/// The stake behind each UID of `netuid`, indexed by UID: one read per page.
	pub fn stakes_by_uid(netuid: NetUid) -> Vec<Balance> {
		let n = T::Subnets::neuron_count(netuid);
		let mut stakes = alloc::vec![0; usize::from(n)];
		for page in 0..uid_pages(n) {
			let first = usize::from(page).saturating_mul(usize::from(UID_PAGE));
			for (index, entry) in UidStakes::<T>::get(netuid, page).iter().enumerate() {
				if let Some(slot) = stakes.get_mut(first.saturating_add(index)) {
					*slot = entry.stake();
				}
			}
		}
		stakes
	}

	/// Writes `pool` of (`hotkey`, `netuid`) (removing it once it has no shares) and into the
	/// hotkey's [`UidStake`] on the subnet. Every pool write outside [`Self::collect_at`] goes
	/// through here, after the pool took what its UID accrued (so nothing accrued is lost).
	pub(crate) fn write_pool(hotkey: &T::AccountId, netuid: NetUid, pool: &Pool) {
		let pool = if pool.shares == 0 {
			Pools::<T>::remove(hotkey, netuid);
			Pool::default()
		} else {
			Pools::<T>::insert(hotkey, netuid, pool);
			*pool
		};
		if let Some(uid) = T::Subnets::uid_of_hotkey(netuid, hotkey) {
			let (page, index) = uid_page(uid);
			let mut entries = UidStakes::<T>::get(netuid, page);
			if let Some(entry) = entries.get_mut(index).filter(|e| &e.hotkey == hotkey) {
				entry.pool = pool;
				UidStakes::<T>::insert(netuid, page, entries);
			}
		}
	}

	/// The pool of `hotkey` on `netuid` takes what the hotkey's UID there accrued.
	pub(crate) fn collect_accrued(hotkey: &T::AccountId, netuid: NetUid) {
		if let Some(uid) = T::Subnets::uid_of_hotkey(netuid, hotkey) {
			Self::collect_at(netuid, uid);
		}
	}

	/// The pool of the hotkey holding `uid` on `netuid` takes what the UID accrued: the
	/// credited pool is stored. Returns whether there was anything to take.
	pub(crate) fn collect_at(netuid: NetUid, uid: Uid) -> bool {
		let (page, index) = uid_page(uid);
		let mut entries = UidStakes::<T>::get(netuid, page);
		let Some(entry) = entries.get_mut(index).filter(|e| e.accrued > 0) else {
			return false;
		};
		Self::store_accrued(netuid, entry);
		UidStakes::<T>::insert(netuid, page, entries);
		true
	}

	/// Stores `entry`'s credited pool as its hotkey's pool on `netuid`: nothing is left accrued.
	/// The caller writes the entry's page back.
	fn store_accrued(netuid: NetUid, entry: &mut UidStake<T::AccountId>) {
		Pools::<T>::insert(&entry.hotkey, netuid, entry.pool);
		entry.accrued = 0;
	}

	/// Accrues each `(uid, amount)` to its UID on `netuid`, split by the take in force now.
	/// Reads and writes each page once. Each credit is all or nothing.
	pub(crate) fn accrue(
		netuid: NetUid,
		credits: &[(Uid, Balance)],
	) -> Vec<Result<(), DispatchError>> {
		let now = Self::now();
		let mut pages = BTreeMap::<u16, UidStakePage<T::AccountId>>::new();
		let mut owed = TotalOwed::<T>::get();
		let owed_before = owed;
		let mut credited_uids: u32 = 0;
		let results = credits
			.iter()
			.map(|&(uid, amount)| {
				if amount == 0 {
					return Ok(());
				}
				let (page, index) = uid_page(uid);
				let entries =
					pages.entry(page).or_insert_with(|| UidStakes::<T>::get(netuid, page));
				let entry = entries.get_mut(index).ok_or(Error::<T>::HotkeyNotOnSubnet)?;
				let take = entry.take_at(now, T::DefaultTake::get()).mul_floor(amount);
				let mut pool = entry.pool;
				pool.credit(amount.saturating_sub(take), take)?;
				let accrued = entry.accrued.checked_add(amount).ok_or(ArithmeticError::Overflow)?;
				let new_owed = owed.checked_add(amount).ok_or(ArithmeticError::Overflow)?;
				entry.pool = pool;
				entry.accrued = accrued;
				owed = new_owed;
				credited_uids = credited_uids.saturating_add(1);
				Ok(())
			})
			.collect();
		let credited = owed.saturating_sub(owed_before);
		if credited > 0 {
			for (page, entries) in pages {
				UidStakes::<T>::insert(netuid, page, entries);
			}
			TotalOwed::<T>::put(owed);
			// At most the supply: cannot overflow while the owed total did not.
			let _ = Self::change_subnet_stake(netuid, credited, true);
			Self::deposit_event(Event::StakeCredited {
				netuid,
				pools: credited_uids,
				amount: credited,
			});
		}
		results
	}

	/// Records `hotkey` at `uid` on `netuid`: the UID's previous holder's pool first takes what
	/// the UID accrued, then the entry starts afresh from the hotkey's pool and take.
	pub(crate) fn record_neuron(netuid: NetUid, uid: Uid, hotkey: &T::AccountId) {
		Self::collect_at(netuid, uid);
		let entry = Self::fresh_uid_stake(netuid, hotkey);
		let (page, index) = uid_page(uid);
		UidStakes::<T>::mutate(netuid, page, |entries| {
			let len = entries.len();
			match entries.get_mut(index) {
				Some(slot) => *slot = entry,
				// UIDs are dense: the subnets pallet appends only the next one.
				None if index == len => {
					let _ = entries.try_push(entry);
				}
				None => {}
			}
		});
	}

	/// Keeps the take of `hotkey` in its [`UidStake`] on every subnet where it holds a UID.
	pub(crate) fn record_take(hotkey: &T::AccountId) {
		let take = Take::<T>::get(hotkey);
		let take_increase = PendingTake::<T>::get(hotkey);
		for netuid in T::Subnets::netuids() {
			let Some(uid) = T::Subnets::uid_of_hotkey(netuid, hotkey) else { continue };
			let (page, index) = uid_page(uid);
			UidStakes::<T>::mutate(netuid, page, |entries| {
				if let Some(entry) = entries.get_mut(index).filter(|e| &e.hotkey == hotkey) {
					entry.take = take;
					entry.take_increase = take_increase;
				}
			});
		}
	}

	/// Stake on a dissolved subnet stays put until the subnet is cleared, so that every pool
	/// there has taken its accrued rewards before anyone leaves it.
	pub(crate) fn ensure_not_clearing(netuid: NetUid) -> DispatchResult {
		ensure!(!T::Subnets::is_clearing(netuid), Error::<T>::SubnetClearing);
		Ok(())
	}

	/// Clears a dissolved subnet's pages within `limit` storage keys: each pool first takes
	/// what its UID accrued (one key each: the pool's write), then the page goes (one key). A
	/// page is read and written (or removed) once per call.
	pub(crate) fn clear_uid_stakes(netuid: NetUid, limit: u32) -> SubnetClearing {
		let mut progress = SubnetClearing { removed: 0, done: true };
		let pages: Vec<u16> = UidStakes::<T>::iter_key_prefix(netuid).collect();
		for page in pages {
			let mut entries = UidStakes::<T>::get(netuid, page);
			let mut collected = false;
			for entry in entries.iter_mut().filter(|e| e.accrued > 0) {
				if progress.removed >= limit {
					break;
				}
				Self::store_accrued(netuid, entry);
				collected = true;
				progress.add(1, true);
			}
			if progress.removed >= limit {
				// What was collected is recorded; the rest of the page waits for the next call.
				if collected {
					UidStakes::<T>::insert(netuid, page, entries);
				}
				progress.done = false;
				return progress;
			}
			UidStakes::<T>::remove(netuid, page);
			progress.add(1, true);
		}
		progress
	}
}
