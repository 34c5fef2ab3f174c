mod accrual;
mod capture;
mod governance;
mod invariants;
pub mod mock;
mod payout;
