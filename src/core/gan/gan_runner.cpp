#include "gan_runner.h"

#include "gan_trainer.h"

namespace initscope {

template class BurstWorker<GanConfig, GanTrainer, GanSnapshot>;

GanRunner::GanRunner(GanConfig config, bool playing, int compute_threads, int burst_steps,
                     GanTrainerSetup setup, StageHook before_stage)
    : BurstWorker(std::move(config),
                  {[](const GanConfig& next) {
                     next.validate();  // before any data is read
                     return next.resolved_data();
                   },
                   [setup = std::move(setup)](const GanConfig& next,
                                              std::shared_ptr<const ImageDataset> data,
                                              const std::atomic<bool>* cancel) {
                     auto trainer = std::make_unique<GanTrainer>(next, std::move(data));
                     if (setup) setup(*trainer, cancel);
                     return trainer;
                   }},
                  playing, compute_threads, burst_steps, std::move(before_stage)) {}

}  // namespace initscope
