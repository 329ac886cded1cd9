// How much faster than real time one session runs, and how many sessions one
// core keeps in real time, against the waveform generator alone doing the
// same work (docs/BENCHMARKS.md).
//
// The figure of merit is simulated seconds per wall second. The baseline is
// the bare WaveformGenerator producing the same four waveforms for the same
// rhythms in the same 0.1 s steps: it is the part of a session's work that
// no controller design can avoid, so session / generator says how much of
// the generator's speed a whole session (engine, assessment, numerics,
// events, publishing) keeps.
//
// BM_LibraryCase/<case> runs each library case (scenarios/) with its
// good-team action file from start to its terminal state, engine and
// assessor and the scripted manikin, no waveforms: the cost of real rules
// (quantities, compound conditions, judges) per simulated second, beside
// the cycling scenario's engine-only hour, which has none.
//
// BM_PharmacologyHour/{off,on} runs the cycling scenario's hour with all
// waveforms, pharmacology off and then on with every library model and
// five drugs acting at once the whole hour (an epinephrine infusion and four
// drugs given again every five minutes): on / off is what the layer costs.
//
// Timing is set on the command line (--benchmark_min_time), not here, so
// that `./pedisim bench --quick` can shorten it.

#include <benchmark/benchmark.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "bench/cycling_scenario.h"
#include "controller/session/simulation.h"
#include "controller/waveforms/waveform_generator.h"
#include "core/pharmacology/drug_library.h"
#include "core/scenario/guideline_library.h"
#include "core/scenario/scenario_loader.h"
#include "devices/builtin_adapters.h"
#include "devices/registry.h"

namespace pedisim {
namespace {

using bench::LoadCyclingScenario;

constexpr double kStepS = 0.1;
constexpr int kStepsPerHour = 36000;
// Sinus, SVT and VF for two minutes each: every rhythm's share of the work.
constexpr int kStepsPerCycle = 3600;

// The generator's inputs for bench/cycling_scenario.h at `step`: the
// states' targets, without the 20 s trend into sinus (the generator does not
// trend).
waveforms::WaveformInputs CyclingInputs(int step) {
  waveforms::WaveformInputs inputs;
  inputs.spo2_pct = 96;
  inputs.etco2_mmhg = 38;
  inputs.respiratory_rate_bpm = 24;
  switch ((step / 1200) % 3) {
    case 0:
      inputs.rhythm = v1::RHYTHM_SINUS;
      inputs.heart_rate_bpm = 110;
      break;
    case 1:
      inputs.rhythm = v1::RHYTHM_SVT;
      inputs.heart_rate_bpm = 240;
      break;
    default:
      inputs.rhythm = v1::RHYTHM_VENTRICULAR_FIBRILLATION;
      inputs.heart_rate_bpm = 240;
      inputs.pulse_present = false;
      inputs.respiratory_rate_bpm = 0;
      break;
  }
  return inputs;
}

// One session (session::Simulation, the per-step core of live sessions and
// dry runs) whose updates go to a counter.
class CountingSession {
 public:
  CountingSession(const v1::Scenario& scenario, bool waveforms)
      : simulation_(scenario, 42, {}, waveforms) {
    simulation_.fan_out().AddWatcher(&count_);
    simulation_.Begin();
  }
  void Step() { simulation_.Tick(); }
  int64_t updates() const { return updates_; }

 private:
  int64_t updates_ = 0;
  session::UpdateCallback count_{[this](const v1::SessionUpdate&) { ++updates_; }};
  session::Simulation simulation_;
};

// The baseline: the generator alone, chunks counted as the session's
// updates are.
class BareGenerator {
 public:
  BareGenerator() : generator_(42) {}
  void Step() {
    chunks_.clear();
    generator_.Generate(CyclingInputs(step_), step_ * kStepS, kStepS, &chunks_);
    updates_ += static_cast<int64_t>(chunks_.size());
    ++step_;
  }
  int64_t updates() const { return updates_; }

 private:
  waveforms::WaveformGenerator generator_;
  std::vector<v1::WaveformChunk> chunks_;
  int step_ = 0;
  int64_t updates_ = 0;
};

void SetHourCounters(benchmark::State& state, int64_t updates) {
  // Simulated seconds per wall second: an hour per iteration.
  state.counters["x_real_time"] = benchmark::Counter(
      3600.0 * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["updates_per_hour"] =
      static_cast<double>(updates) / static_cast<double>(state.iterations());
}

void RunSessionHour(benchmark::State& state, bool waveforms) {
  const v1::Scenario scenario = LoadCyclingScenario();
  int64_t updates = 0;
  for (auto _ : state) {
    CountingSession session(scenario, waveforms);
    for (int step = 0; step < kStepsPerHour; ++step) session.Step();
    updates += session.updates();
    benchmark::DoNotOptimize(updates);
  }
  SetHourCounters(state, updates);
}

void BM_SessionHourEngineOnly(benchmark::State& state) { RunSessionHour(state, false); }
void BM_SessionHourAllWaveforms(benchmark::State& state) { RunSessionHour(state, true); }

void BM_GeneratorHourAllWaveforms(benchmark::State& state) {
  int64_t updates = 0;
  for (auto _ : state) {
    BareGenerator generator;
    for (int step = 0; step < kStepsPerHour; ++step) generator.Step();
    updates += generator.updates();
    benchmark::DoNotOptimize(updates);
  }
  SetHourCounters(state, updates);
}

// N sessions (or generators) on one thread, one step of each in turn, as
// their pacing threads would share one core, for one scenario cycle (six
// simulated minutes) each.
// sessions_per_core = session-seconds simulated per wall second: how many
// sessions at 1x one core keeps in real time (each with every waveform, its
// updates going nowhere: gRPC fan-out and recording are not in it).
template <typename Runner, typename... Args>
void RunInterleaved(benchmark::State& state, Args&&... args) {
  const int count = static_cast<int>(state.range(0));
  // Made and destroyed outside the timed part.
  std::vector<std::unique_ptr<Runner>> runners;
  for (auto _ : state) {
    state.PauseTiming();
    runners.clear();
    for (int i = 0; i < count; ++i) runners.push_back(std::make_unique<Runner>(args...));
    state.ResumeTiming();
    for (int step = 0; step < kStepsPerCycle; ++step) {
      for (auto& runner : runners) runner->Step();
    }
    benchmark::DoNotOptimize(runners.front()->updates());
  }
  state.counters["sessions_per_core"] =
      benchmark::Counter(kStepsPerCycle * kStepS * count * static_cast<double>(state.iterations()),
                         benchmark::Counter::kIsRate);
}

void BM_SessionsOnOneCore(benchmark::State& state) {
  RunInterleaved<CountingSession>(state, LoadCyclingScenario(), true);
}
void BM_GeneratorsOnOneCore(benchmark::State& state) { RunInterleaved<BareGenerator>(state); }

// The drugs of BM_PharmacologyHour: given every five minutes (doses for
// the cycling scenario's 4-year-old, 16 kg), besides the infusion.
struct RepeatedDose {
  const char* drug;
  const char* route;
  double dose;
  bool fluid;
};
constexpr RepeatedDose kRepeatedDoses[] = {
    {"midazolam", "IV", 1.6, false},
    {"fentanyl", "IV", 0.016, false},
    {"atropine", "IV", 0.32, false},
    {"normal_saline", "IV", 160, true},
};

v1::Scenario PharmacologyScenario(bool enabled) {
  v1::Scenario scenario = LoadCyclingScenario();
  if (!enabled) return scenario;
  const pharmacology::DrugLibrary library = pharmacology::DrugLibrary::LoadFolder(
      std::filesystem::path(PEDISIM_SCENARIO_LIBRARY_DIR) / "pharmacology");
  v1::PharmacologySettings& settings = *scenario.mutable_pharmacology();
  settings.set_enabled(true);
  for (const v1::DrugModel& model : library.models()) *settings.add_models() = model;
  for (const RepeatedDose& dose : kRepeatedDoses) {
    if (!library.Find(dose.drug)) throw std::runtime_error(std::string("no model of ") + dose.drug);
  }
  return scenario;
}

v1::Event GivenAction(const session::Simulation& simulation, v1::LearnerAction action) {
  v1::Event event =
      simulation.MakeEvent(v1::EVENT_KIND_LEARNER_ACTION, v1::AGENT_LEARNER, "bench", "dose");
  *event.mutable_action() = std::move(action);
  return event;
}

void BM_PharmacologyHour(benchmark::State& state) {
  const bool enabled = state.range(0) != 0;
  const v1::Scenario scenario = PharmacologyScenario(enabled);
  int64_t drugs_acting = 0, samples = 0;
  for (auto _ : state) {
    session::Simulation simulation(scenario, 42, {}, /*waveforms=*/true);
    simulation.Begin();
    v1::LearnerAction infusion;
    infusion.set_kind(v1::ACTION_KIND_DRUG);
    infusion.set_drug("epinephrine");
    infusion.set_route("IV");
    infusion.set_rate_mcg_per_kg_per_min(0.1);
    simulation.ApplyInput(GivenAction(simulation, infusion));
    for (int step = 0; step < kStepsPerHour; ++step) {
      if (step % 3000 == 0) {
        for (const RepeatedDose& dose : kRepeatedDoses) {
          v1::LearnerAction action;
          action.set_kind(dose.fluid ? v1::ACTION_KIND_FLUID_BOLUS : v1::ACTION_KIND_DRUG);
          action.set_drug(dose.drug);
          action.set_route(dose.route);
          if (dose.fluid) {
            action.set_volume_ml(dose.dose);
          } else {
            action.set_dose_mg(dose.dose);
          }
          simulation.ApplyInput(GivenAction(simulation, action));
        }
      }
      simulation.Tick();
      if (step % 600 == 0) {
        drugs_acting += simulation.engine().Sample().drug_levels_size();
        ++samples;
      }
    }
    benchmark::DoNotOptimize(simulation.events().size());
  }
  state.counters["x_real_time"] = benchmark::Counter(
      3600.0 * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  // Drugs acting, averaged over a sample a minute: five with it on.
  state.counters["drugs_acting"] =
      samples > 0 ? static_cast<double>(drugs_acting) / static_cast<double>(samples) : 0;
}

// One library case as a dry run plays it: the scenario with its guideline
// table, and its good-team action file on the virtual manikin.
struct LibraryCase {
  v1::Scenario scenario;
  std::string actions;
};

LibraryCase LoadLibraryCase(const std::filesystem::path& folder) {
  const std::filesystem::path library = PEDISIM_SCENARIO_LIBRARY_DIR;
  const scenario::GuidelineLibrary guidelines =
      scenario::GuidelineLibrary::LoadFolder(library / "guidelines");
  const pharmacology::DrugLibrary drugs =
      pharmacology::DrugLibrary::LoadFolder(library / "pharmacology");
  scenario::LoadResult loaded =
      scenario::LoadScenarioFile(folder / "scenario.yaml", &guidelines, &drugs);
  if (!loaded.ok()) throw std::runtime_error(loaded.FormatDiagnostics());
  std::ifstream file(folder / "good-team.actions.yaml");
  if (!file) throw std::runtime_error("no good-team.actions.yaml in " + folder.string());
  return {*loaded.scenario, std::string(std::istreambuf_iterator<char>(file), {})};
}

void BM_LibraryCase(benchmark::State& state, const std::filesystem::path& folder) {
  const LibraryCase library_case = LoadLibraryCase(folder);
  devices::AdapterRegistry adapters;
  devices::RegisterBuiltinAdapters(adapters);
  double simulated_s = 0;
  int64_t assessment_updates = 0;
  session::UpdateCallback count{[&](const v1::SessionUpdate& update) {
    if (update.has_assessment()) ++assessment_updates;
  }};
  std::unique_ptr<session::Simulation> simulation;
  for (auto _ : state) {
    // The session is made (the action file parsed, the scenario copied) and
    // destroyed outside the timed part: the figure is the per-step work.
    state.PauseTiming();
    simulation.reset();
    std::vector<session::AttachedDevice> room;
    devices::AdapterRegistry::CreateResult manikin = adapters.Create(
        "virtual-manikin", {{"script", library_case.actions}, {"script_name", "good-team"}});
    if (!manikin.adapter) throw std::runtime_error(manikin.message);
    session::AttachedDevice& device = room.emplace_back();
    device.info.set_name("manikin");
    device.info.set_adapter("virtual-manikin");
    device.info.set_status(v1::DEVICE_STATUS_CONNECTED);
    device.adapter = std::move(manikin.adapter);
    simulation =
        std::make_unique<session::Simulation>(library_case.scenario, 1, std::move(room), false);
    simulation->fan_out().AddWatcher(&count);
    state.ResumeTiming();
    simulation->Begin();
    // An hour at most, as a dry run: every good team reaches a terminal
    // state long before.
    for (int step = 0; step < kStepsPerHour && !simulation->engine().completed(); ++step) {
      simulation->Tick();
    }
    simulated_s += simulation->engine().sim_time_s();
    benchmark::DoNotOptimize(simulation->events().size());
  }
  state.counters["x_real_time"] = benchmark::Counter(simulated_s, benchmark::Counter::kIsRate);
  state.counters["simulated_s"] = simulated_s / static_cast<double>(state.iterations());
  state.counters["assessment_updates"] =
      static_cast<double>(assessment_updates) / static_cast<double>(state.iterations());
}

// One benchmark per case folder that has a good-team action file, in name
// order, so that runs of two builds line up.
void RegisterLibraryCases() {
  std::vector<std::filesystem::path> folders;
  for (const auto& entry : std::filesystem::directory_iterator(PEDISIM_SCENARIO_LIBRARY_DIR)) {
    if (std::filesystem::exists(entry.path() / "good-team.actions.yaml")) {
      folders.push_back(entry.path());
    }
  }
  std::sort(folders.begin(), folders.end());
  for (const std::filesystem::path& folder : folders) {
    benchmark::RegisterBenchmark(("BM_LibraryCase/" + folder.filename().string()).c_str(),
                                 BM_LibraryCase, folder)
        ->Unit(benchmark::kMillisecond);
  }
}

BENCHMARK(BM_SessionHourEngineOnly)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_PharmacologyHour)->ArgName("on")->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SessionHourAllWaveforms)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_GeneratorHourAllWaveforms)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SessionsOnOneCore)->Arg(100)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_GeneratorsOnOneCore)->Arg(100)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace pedisim

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  pedisim::RegisterLibraryCases();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
