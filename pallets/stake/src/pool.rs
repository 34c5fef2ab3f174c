//! Share-pool arithmetic: what shares an amount buys, what shares are worth, what a withdrawal
//! burns. Pure functions on [`Pool`] and [`Position`]; the pallet's flows (`staking.rs`,
//! `impls.rs`) decide when to call them and what to write.
//!
//! Every rounding favours the pool, so that the share price (`value / shares`) never falls:
//! deposits buy shares rounded down, withdrawals burn shares rounded up, the take buys shares
//! rounded down after the rest of a reward raised the price. Because the price never falls, a
//! position's value never falls while its shares stay, and the rule that a position's principal
//! never exceeds its value, once established, holds until the position itself changes.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use myelin_primitives::Balance;
use scale_info::TypeInfo;
use sp_runtime::{helpers_128bit::multiply_by_rational_with_rounding, ArithmeticError, Rounding};

/// Shares an empty pool issues per token unit (planck). Fine-grained shares keep the rounding
/// of later deposits below one planck while the price grows by up to 10¹² (far beyond what the
/// whole supply cap could pay into a pool of one planck).
pub const SHARES_PER_PLANCK: u128 = 1_000_000_000_000;

/// The most a deposit or a withdrawal may lose to share rounding, in planck. A pool whose share
/// price grew so large that an amount would lose more (its stake shrank to almost nothing
/// while rewards kept coming) refuses that amount rather than hand the loss to its other
/// holders; withdrawing everything always works.
pub const MAX_ROUNDING_LOSS: Balance = 2;

/// A (hotkey, subnet) pool: everything staked on the hotkey on that subnet, and its rewards.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Default,
)]
pub struct Pool {
	/// Stake the pool is worth: its principal plus rewards credited and not withdrawn. This is
	/// the hotkey's stake on the subnet.
	pub value: Balance,
	/// Shares outstanding: Σ of its positions' shares plus `owner_shares`.
	pub shares: u128,
	/// Σ of its positions' principal: the part of `value` held in stakers' accounts. The rest,
	/// `value − principal`, is owed: credited, and minted only when withdrawn.
	pub principal: Balance,
	/// Shares the take bought for the hotkey's owner and no position holds yet. Kept here so
	/// that crediting writes the pool alone; they join the owner's position when the owner
	/// next touches the pool.
	pub owner_shares: u128,
}

/// One coldkey's part of a pool.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Default,
)]
pub struct Position {
	/// Its shares of the pool.
	pub shares: u128,
	/// Tokens of the coldkey held for this position (at most the position's value).
	pub principal: Balance,
}

/// `a · b / c` rounded as asked, `None` on overflow or `c = 0`.
fn mul_div(a: u128, b: u128, c: u128, rounding: Rounding) -> Option<u128> {
	if c == 0 {
		return None;
	}
	multiply_by_rational_with_rounding(a, b, c, rounding)
}

impl Pool {
	/// The owed part of the pool: credited, not yet minted.
	pub fn owed(&self) -> Balance {
		self.value.saturating_sub(self.principal)
	}

	/// What `shares` of this pool are worth, rounded down; all the shares are worth all the
	/// value.
	pub fn value_of(&self, shares: u128) -> Balance {
		if shares == 0 {
			return 0;
		}
		if shares >= self.shares {
			return self.value;
		}
		mul_div(shares, self.value, self.shares, Rounding::Down).unwrap_or_default()
	}

	/// The shares `amount` buys, rounded down (an empty pool issues [`SHARES_PER_PLANCK`] each).
	pub fn shares_for(&self, amount: Balance) -> Result<u128, ArithmeticError> {
		if self.shares == 0 || self.value == 0 {
			return amount.checked_mul(SHARES_PER_PLANCK).ok_or(ArithmeticError::Overflow);
		}
		mul_div(amount, self.shares, self.value, Rounding::Down).ok_or(ArithmeticError::Overflow)
	}

	/// Adds `amount` of value (of which `principal` is held) for the shares it buys. Returns the
	/// shares. On error the pool is unchanged.
	pub fn deposit(
		&mut self,
		amount: Balance,
		principal: Balance,
	) -> Result<u128, ArithmeticError> {
		let shares = self.shares_for(amount)?;
		*self = Pool {
			value: self.value.checked_add(amount).ok_or(ArithmeticError::Overflow)?,
			shares: self.shares.checked_add(shares).ok_or(ArithmeticError::Overflow)?,
			principal: self.principal.checked_add(principal).ok_or(ArithmeticError::Overflow)?,
			owner_shares: self.owner_shares,
		};
		Ok(shares)
	}

	/// Takes `amount` of value out for `position_shares`' holder: burns the shares it is worth,
	/// rounded up, or all of them when `amount` is the position's whole value. Returns the
	/// shares burned. The caller has checked `amount ≤ value_of(position_shares)`.
	pub fn withdraw(
		&mut self,
		amount: Balance,
		position_shares: u128,
	) -> Result<u128, ArithmeticError> {
		let burned = if amount >= self.value_of(position_shares) {
			position_shares
		} else {
			mul_div(amount, self.shares, self.value, Rounding::Up)
				.ok_or(ArithmeticError::Overflow)?
				.min(position_shares)
		};
		let value = self.value.checked_sub(amount).ok_or(ArithmeticError::Underflow)?;
		self.shares = self.shares.checked_sub(burned).ok_or(ArithmeticError::Underflow)?;
		self.value = value;
		Ok(burned)
	}

	/// Credits a reward: `to_stakers` raises the value of every share, then `take` buys new
	/// shares for the hotkey's owner at the raised price ([`Pool::owner_shares`]). An empty
	/// pool gives the whole reward to the owner. Returns the owner's new shares.
	pub fn credit(&mut self, to_stakers: Balance, take: Balance) -> Result<u128, ArithmeticError> {
		let mut pool = *self;
		let bought = if pool.shares == 0 {
			let amount = to_stakers.checked_add(take).ok_or(ArithmeticError::Overflow)?;
			pool.deposit(amount, 0)?
		} else {
			pool.value = pool.value.checked_add(to_stakers).ok_or(ArithmeticError::Overflow)?;
			pool.deposit(take, 0)?
		};
		pool.owner_shares =
			pool.owner_shares.checked_add(bought).ok_or(ArithmeticError::Overflow)?;
		*self = pool;
		Ok(bought)
	}

	/// Hands the owner's shares to the owner's `position`: the owner is about to act on it.
	pub fn release_owner_shares(&mut self, position: &mut Position) -> Result<(), ArithmeticError> {
		position.shares =
			position.shares.checked_add(self.owner_shares).ok_or(ArithmeticError::Overflow)?;
		self.owner_shares = 0;
		Ok(())
	}
}

impl Position {
	/// What this position is worth in `pool`.
	pub fn value_in(&self, pool: &Pool) -> Balance {
		pool.value_of(self.shares)
	}

	/// How a withdrawal of `amount` splits: `(principal released, rewards minted)`. The held
	/// principal comes back first; rewards are minted only for what exceeds it, so a
	/// withdrawal mints as little as it can.
	pub fn withdrawal_split(&self, amount: Balance) -> (Balance, Balance) {
		let principal = amount.min(self.principal);
		(principal, amount.saturating_sub(principal))
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	/// A deterministic xorshift sequence.
	struct Rng(u64);
	impl Rng {
		fn below(&mut self, n: u64) -> u64 {
			self.0 ^= self.0 << 13;
			self.0 ^= self.0 >> 7;
			self.0 ^= self.0 << 17;
			self.0 % n.max(1)
		}
	}

	/// Whether the price `value / shares` did not fall, compared exactly in 256 bits.
	fn price_not_below(after: &Pool, before: &Pool) -> bool {
		use sp_core::U256;
		if before.shares == 0 || after.shares == 0 {
			return true;
		}
		U256::from(after.value) * U256::from(before.shares)
			>= U256::from(before.value) * U256::from(after.shares)
	}

	#[test]
	fn an_empty_pool_issues_fixed_shares_per_planck() {
		let mut pool = Pool::default();
		assert_eq!(pool.deposit(5, 5), Ok(5 * SHARES_PER_PLANCK));
		assert_eq!(
			pool,
			Pool { value: 5, shares: 5 * SHARES_PER_PLANCK, principal: 5, owner_shares: 0 }
		);
		assert_eq!(pool.value_of(pool.shares), 5);
	}

	#[test]
	fn a_reward_raises_every_share_and_the_take_buys_new_ones() {
		let mut pool = Pool::default();
		let alice = pool.deposit(300, 300).unwrap();
		let bob = pool.deposit(100, 100).unwrap();
		let owner = pool.credit(90, 10).unwrap();
		assert_eq!(pool.owner_shares, owner);
		assert_eq!(pool.value, 500);
		assert_eq!(pool.owed(), 100);
		// 90 raised 400 to 490; alice holds 3/4 of the old shares.
		assert_eq!(pool.value_of(alice), 367);
		assert_eq!(pool.value_of(bob), 122);
		assert_eq!(pool.value_of(owner), 9);
		assert!(pool.value_of(alice) + pool.value_of(bob) + pool.value_of(owner) <= pool.value);
	}

	#[test]
	fn a_reward_to_an_empty_pool_is_all_the_owners() {
		let mut pool = Pool::default();
		let owner = pool.credit(90, 10).unwrap();
		assert_eq!(pool.value_of(owner), 100);
		assert_eq!(pool.owed(), 100);
	}

	#[test]
	fn withdrawing_everything_burns_every_share_and_empties_the_pool() {
		let mut pool = Pool::default();
		let shares = pool.deposit(7, 7).unwrap();
		pool.credit(3, 0).unwrap();
		assert_eq!(pool.withdraw(10, shares), Ok(shares));
		assert_eq!(pool, Pool { value: 0, shares: 0, principal: 7, owner_shares: 0 });
	}

	#[test]
	fn overflow_is_an_error_not_a_wrap() {
		let mut pool = Pool::default();
		assert_eq!(pool.deposit(u128::MAX, 0), Err(ArithmeticError::Overflow));
		assert_eq!(pool, Pool::default());
		pool.deposit(10, 10).unwrap();
		let before = pool;
		assert_eq!(pool.credit(u128::MAX - 5, 1), Err(ArithmeticError::Overflow));
		assert_eq!(pool, before, "a failed credit changes nothing");
	}

	#[test]
	fn withdrawal_takes_principal_first() {
		let position = Position { shares: 1, principal: 10 };
		assert_eq!(position.withdrawal_split(4), (4, 0));
		assert_eq!(position.withdrawal_split(15), (10, 5));
	}

	/// Property: whatever the sequence of deposits, rewards and withdrawals, the share price
	/// never falls, positions never claim more than the pool holds, and a position's value never
	/// falls while its shares stay.
	#[test]
	fn the_price_never_falls_and_claims_never_exceed_the_pool() {
		for seed in 1..200u64 {
			let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
			let mut pool = Pool::default();
			let mut shares = [0u128; 4];
			for _ in 0..200 {
				let before = pool;
				let values: Vec<Balance> = shares.iter().map(|s| pool.value_of(*s)).collect();
				let who = rng.below(4) as usize;
				match rng.below(3) {
					0 => {
						let amount = 1 + u128::from(rng.below(1_000_000_000_000));
						shares[who] += pool.deposit(amount, amount).unwrap();
					}
					1 => {
						let reward = u128::from(rng.below(1_000_000_000));
						let take = reward / 10;
						shares[0] += pool.credit(reward - take, take).unwrap();
					}
					_ => {
						let worth = pool.value_of(shares[who]);
						if worth > 0 {
							let amount =
								1 + u128::from(rng.below(u64::try_from(worth).unwrap_or(u64::MAX)));
							let amount = amount.min(worth);
							shares[who] -= pool.withdraw(amount, shares[who]).unwrap();
						}
					}
				}
				assert!(price_not_below(&pool, &before), "seed {seed}: price fell");
				assert_eq!(shares.iter().sum::<u128>(), pool.shares, "seed {seed}");
				let claims: u128 = shares.iter().map(|s| pool.value_of(*s)).sum();
				assert!(claims <= pool.value, "seed {seed}: claims {claims} > {}", pool.value);
				for (i, s) in shares.iter().enumerate() {
					if *s > 0 && i != who {
						assert!(pool.value_of(*s) >= values[i], "seed {seed}: a bystander lost");
					}
				}
			}
		}
	}
}
