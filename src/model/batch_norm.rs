//! `nn.BatchNorm2d` as PyTorch trains it.
//!
//! burn's `BatchNorm` moves its running variance toward the biased batch variance; PyTorch
//! uses the unbiased one. This layer does what PyTorch does, so statistics trained here match
//! statistics trained there.

use burn::module::{Flag, Module, Param, RunningState};
use burn::nn::Initializer;
use burn::tensor::module::{batch_norm, batch_norm_train};
use burn::tensor::{Device, Tensor};

pub(crate) const EPSILON: f64 = 1e-5;
const MOMENTUM: f64 = 0.1;

#[derive(Module, Debug)]
pub struct BatchNorm2d {
    pub gamma: Param<Tensor<1>>,
    pub beta: Param<Tensor<1>>,
    pub running_mean: RunningState<Tensor<1>>,
    pub running_var: RunningState<Tensor<1>>,
    /// Cleared by `freeze`: explanations run on an autodiff device with the running statistics.
    pub training: Param<Flag>,
}

impl BatchNorm2d {
    pub fn new(channels: usize, device: &Device) -> Self {
        Self {
            gamma: Initializer::Ones.init([channels], device),
            beta: Initializer::Zeros.init([channels], device),
            running_mean: RunningState::new(Tensor::zeros([channels], device)),
            running_var: RunningState::new(Tensor::ones([channels], device)),
            training: Param::from_bool(true),
        }
    }

    /// Batch statistics while training (an autodiff device, not frozen), running statistics
    /// otherwise.
    pub fn forward(&self, x: Tensor<4>) -> Tensor<4> {
        let device = x.device();
        if !device.is_autodiff() || !self.training.is_enabled() {
            return batch_norm(
                x,
                self.gamma.val(),
                self.beta.val(),
                self.running_mean.value_sync().to_device(&device),
                self.running_var.value_sync().to_device(&device),
                EPSILON,
            );
        }
        let [batch, _, height, width] = x.dims();
        let count = (batch * height * width) as f64;
        let result = batch_norm_train(x, self.gamma.val(), self.beta.val(), EPSILON);
        let unbiased = result
            .variance
            .detach()
            .mul_scalar(count / (count - 1.0).max(1.0));
        let blend = |running: &RunningState<Tensor<1>>, batch: Tensor<1>| {
            let updated = running
                .value_sync()
                .to_device(&device)
                .mul_scalar(1.0 - MOMENTUM)
                .add(batch.mul_scalar(MOMENTUM));
            running.update(updated.detach());
        };
        blend(&self.running_mean, result.mean.detach());
        blend(&self.running_var, unbiased);
        result.output
    }
}
