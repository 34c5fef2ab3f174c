mod commit_reveal;
mod copy_attack;
mod epoch;
pub mod mock;
mod neuron_change;
mod set_weights;
