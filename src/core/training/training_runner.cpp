#include "training_runner.h"

#include "trainer.h"

namespace initscope {

template class BurstWorker<Experiment, Trainer, TrainingSnapshot>;

TrainingRunner::TrainingRunner(Experiment e, bool playing, int compute_threads, int burst_steps,
                               StageHook before_stage)
    : BurstWorker(std::move(e),
                  {[](const Experiment& next) { return next.training_data(); },
                   [](const Experiment& next, std::shared_ptr<const ImageDataset> data,
                      const std::atomic<bool>* cancel) {
                     // Pretraining (rbm) checks `cancel`.
                     return std::make_unique<Trainer>(next, std::move(data), cancel);
                   }},
                  playing, compute_threads, burst_steps, std::move(before_stage)) {}

}  // namespace initscope
