mod accrual;
mod governance;
mod invariants;
pub mod mock;
mod payout;
