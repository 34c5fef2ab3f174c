//! The encoder's dense layers as one fused kernel, where a profile of the batch-32 workload
//! showed time going: candle runs one matrix product per batch item for 3-D inputs, adds the
//! bias in a separate pass over a fresh buffer, and evaluates the erf GELU with a slow
//! high-precision erf on one thread. Here a dense layer is one product over all tokens (gemm,
//! with its AVX-512 kernels where the CPU has them) into a buffer prefilled with the bias,
//! followed, for the feed-forward block, by a parallel GELU in place.

use candle_core::{
	backend::BackendStorage, CpuStorage, CustomOp1, Layout, Module, Result, Shape, Tensor,
};
use candle_nn::VarBuilder;
use rayon::prelude::*;

/// erf by Abramowitz–Stegun 7.1.26 (absolute error ≤ 1.5e-7, below the f32 rounding of GELU's
/// output), so the GELU below stays within f32 noise of the exact one.
fn erf(x: f32) -> f32 {
	let t = 1.0 / (1.0 + 0.327_591_1 * x.abs());
	let poly = ((((1.061_405_4 * t - 1.453_152_1) * t + 1.421_413_8) * t - 0.284_496_74) * t
		+ 0.254_829_6)
		* t;
	(1.0 - poly * (-x * x).exp()).copysign(x)
}

/// GELU with erf, `x · Φ(x)`, as BERT defines it.
fn gelu(x: f32) -> f32 {
	0.5 * x * (1.0 + erf(x * core::f32::consts::FRAC_1_SQRT_2))
}

/// Rows per parallel chunk of the GELU pass.
const GELU_ROWS: usize = 16;

/// A dense layer `x · Wᵀ + b` (optionally followed by GELU) over the last dimension of `x`.
pub struct Dense {
	/// `[out, in]`, row-major.
	weight: Vec<f32>,
	bias: Vec<f32>,
	input: usize,
	out: usize,
	gelu: bool,
}

impl Dense {
	fn new(weight: &Tensor, bias: &Tensor, gelu: bool) -> Result<Dense> {
		let (out, input) = weight.dims2()?;
		if bias.dims1()? != out {
			candle_core::bail!("dense: bias of {} for {out} outputs", bias.dims1()?);
		}
		Ok(Dense {
			weight: weight.flatten_all()?.to_vec1::<f32>()?,
			bias: bias.to_vec1::<f32>()?,
			input,
			out,
			gelu,
		})
	}

	/// Loads `weight` (`[out, in]`) and `bias` (`[out]`) under `vb`.
	pub fn load(input: usize, out: usize, vb: VarBuilder) -> Result<Dense> {
		Dense::new(&vb.get((out, input), "weight")?, &vb.get(out, "bias")?, false)
	}

	/// [`Dense::load`] with GELU applied to the output (the feed-forward block's first layer).
	pub fn load_with_gelu(input: usize, out: usize, vb: VarBuilder) -> Result<Dense> {
		Dense::new(&vb.get((out, input), "weight")?, &vb.get(out, "bias")?, true)
	}

	/// The query, key and value projections as one layer (`[q | k | v]` on the output), with
	/// the query pre-multiplied by the attention scale `1/√d`, so attention neither runs three
	/// products nor rescales its scores.
	pub fn load_qkv(hidden: usize, scale: f64, vb: VarBuilder) -> Result<Dense> {
		let part = |name: &str, factor: f64| -> Result<(Tensor, Tensor)> {
			let vb = vb.pp(name);
			let weight = vb.get((hidden, hidden), "weight")?.affine(factor, 0.0)?;
			let bias = vb.get(hidden, "bias")?.affine(factor, 0.0)?;
			Ok((weight, bias))
		};
		let (qw, qb) = part("query", scale)?;
		let (kw, kb) = part("key", 1.0)?;
		let (vw, vb_) = part("value", 1.0)?;
		Dense::new(&Tensor::cat(&[&qw, &kw, &vw], 0)?, &Tensor::cat(&[&qb, &kb, &vb_], 0)?, false)
	}
}

impl CustomOp1 for Dense {
	fn name(&self) -> &'static str {
		"myelin-dense"
	}

	fn cpu_fwd(&self, storage: &CpuStorage, layout: &Layout) -> Result<(CpuStorage, Shape)> {
		let CpuStorage::F32(data) = storage else {
			candle_core::bail!("dense: f32 only, got {:?}", storage.dtype())
		};
		let Some((start, end)) = layout.contiguous_offsets() else {
			candle_core::bail!("dense: contiguous input only")
		};
		let Some(x) = data.get(start..end) else {
			candle_core::bail!("dense: layout out of range")
		};
		let (rows, input) = layout.shape().dims2()?;
		let (Some(x_len), Some(w_len), Some(dst_len)) =
			(rows.checked_mul(input), self.out.checked_mul(self.input), rows.checked_mul(self.out))
		else {
			candle_core::bail!("dense: size overflow")
		};
		if input != self.input || x.len() != x_len || self.weight.len() != w_len {
			candle_core::bail!("dense: input width {input}, layer expects {}", self.input);
		}
		// The output starts as the bias on every row; the product is accumulated onto it.
		let mut dst = Vec::with_capacity(dst_len);
		for _ in 0..rows {
			dst.extend_from_slice(&self.bias);
		}
		if rows > 0 && self.out > 0 && input > 0 {
			let (input_stride, out_stride) = (input as isize, self.out as isize);
			// SAFETY: `dst` holds rows×out, `x` rows×input and `weight` out×input f32 values
			// (checked above); the strides below address exactly those elements: dst[r][c] at
			// r·out + c, x[r][k] at r·input + k, and Wᵀ[k][c] = weight[c][k] at c·input + k.
			unsafe {
				gemm::gemm(
					rows,
					self.out,
					input,
					dst.as_mut_ptr(),
					1,
					out_stride,
					true,
					x.as_ptr(),
					1,
					input_stride,
					self.weight.as_ptr(),
					input_stride,
					1,
					1.0,
					1.0,
					false,
					false,
					false,
					gemm::Parallelism::Rayon(rayon::current_num_threads()),
				);
			}
		}
		if self.gelu {
			let chunk = self.out.saturating_mul(GELU_ROWS).max(1);
			dst.par_chunks_mut(chunk).for_each(|part| {
				for value in part {
					*value = gelu(*value);
				}
			});
		}
		Ok((CpuStorage::F32(dst), Shape::from((rows, self.out))))
	}
}

impl Module for Dense {
	fn forward(&self, x: &Tensor) -> Result<Tensor> {
		let dims = x.dims().to_vec();
		let Some((&input, leading)) = dims.split_last() else {
			candle_core::bail!("dense: scalar input")
		};
		let rows: usize = leading.iter().product();
		let y = x.contiguous()?.reshape((rows, input))?.apply_op1_no_bwd(self)?;
		let mut shape = leading.to_vec();
		shape.push(self.out);
		y.reshape(shape)
	}
}

#[cfg(test)]
mod tests {
	#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

	use super::*;
	use candle_core::Device;

	fn reference(w: &Tensor, b: &Tensor, x: &Tensor) -> Tensor {
		candle_nn::Linear::new(w.clone(), Some(b.clone())).forward(x).unwrap()
	}

	#[test]
	fn dense_equals_candles_linear_on_3d_input() {
		let dev = Device::Cpu;
		let w =
			(Tensor::arange(0f32, 60.0, &dev).unwrap().reshape((5, 12)).unwrap() * 0.01).unwrap();
		let b = Tensor::new(&[0.5f32, -1.0, 2.0, 0.0, 0.25], &dev).unwrap();
		let x =
			(Tensor::arange(0f32, 72.0, &dev).unwrap().reshape((2, 3, 12)).unwrap() * 0.1).unwrap();
		let ours =
			Dense::new(&w, &b, false).unwrap().forward(&x).unwrap().to_vec3::<f32>().unwrap();
		let theirs = reference(&w, &b, &x).to_vec3::<f32>().unwrap();
		for (a, r) in ours.iter().flatten().flatten().zip(theirs.iter().flatten().flatten()) {
			assert!((a - r).abs() < 1e-4, "{a} vs {r}");
		}
	}

	#[test]
	fn fused_gelu_matches_candles_exact_erf_gelu() {
		let dev = Device::Cpu;
		// Identity weights, zero bias: the output is GELU of the input, over [-8, 8].
		let n = 1601;
		let xs: Vec<f32> = (0..n).map(|i| (i as f32 - 800.0) / 100.0).collect();
		let x = Tensor::from_vec(xs.clone(), (n, 1), &dev).unwrap();
		let w = Tensor::new(&[[1f32]], &dev).unwrap();
		let b = Tensor::new(&[0f32], &dev).unwrap();
		let ours = Dense::new(&w, &b, true).unwrap().forward(&x).unwrap();
		let ours = ours.flatten_all().unwrap().to_vec1::<f32>().unwrap();
		let exact = x.gelu_erf().unwrap().flatten_all().unwrap().to_vec1::<f32>().unwrap();
		for ((x, a), e) in xs.iter().zip(&ours).zip(&exact) {
			assert!((a - e).abs() <= 2e-6 * (1.0 + x.abs()), "gelu({x}): {a} vs {e}");
		}
	}

	#[test]
	fn dense_rejects_mismatched_widths() {
		let dev = Device::Cpu;
		let w = Tensor::zeros((2, 3), candle_core::DType::F32, &dev).unwrap();
		let b = Tensor::zeros(2, candle_core::DType::F32, &dev).unwrap();
		let x = Tensor::zeros((4, 5), candle_core::DType::F32, &dev).unwrap();
		assert!(Dense::new(&w, &b, false).unwrap().forward(&x).is_err());
		assert!(Dense::new(&w, &Tensor::zeros(3, candle_core::DType::F32, &dev).unwrap(), false)
			.is_err());
	}
}
