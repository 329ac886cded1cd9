#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "devices/adapter.h"
#include "devices/hl7/mllp_client.h"
#include "devices/hl7/mllp_config.h"
#include "devices/hl7/nibp_tracker.h"

namespace pedisim::devices::hl7 {

// A gateway that sends the session's numerics to a hospital system as HL7
// v2 ORU^R01 (IHE PCD-01 shape) over MLLP, every `interval_s`; NIBP only
// in the message after a new measurement (NibpTracker). OnUpdate only
// keeps the latest numerics under a mutex; the client's own thread builds,
// sends and waits for ACKs, so a slow receiver never stalls the session.
// Config keys: see ParseMllpConfig and docs/devices.md.
class Hl7MllpAdapter : public DeviceAdapter {
 public:
  static std::unique_ptr<DeviceAdapter> Create(const AdapterConfig& config);

  explicit Hl7MllpAdapter(MllpConfig config);
  ~Hl7MllpAdapter() override;

  v1::DeviceIdentity Identity() const override;
  v1::DeviceCapabilities Capabilities() const override;
  void OnUpdate(const v1::SessionUpdate& update) override;
  std::vector<Observation> TakeObservations(double sim_time_s) override;
  std::string StatusDetail() const override;
  // DISCONNECTED while the receiver cannot be reached.
  v1::DeviceStatus Health() const override;

  // For tests and callers that want numbers rather than the status line.
  MllpStats Stats() const { return client_->Stats(); }

 private:
  // Called on the client's thread: the message for the latest numerics, or
  // nothing when there are none yet or the final ones have gone out.
  std::optional<OutgoingMessage> NextMessage();

  const MllpConfig config_;
  // Distinguishes this adapter's control ids from an earlier run's.
  const std::string control_prefix_;

  mutable std::mutex mu_;
  std::string session_id_;
  v1::Patient patient_;
  v1::AgeBand age_band_;
  std::optional<v1::VitalsSample> latest_;
  std::chrono::system_clock::time_point latest_at_;
  NibpTracker nibp_;            // NIBP goes out once per measurement
  uint64_t latest_number_ = 0;  // samples received
  uint64_t sent_number_ = 0;    // the sample last handed to the client
  bool session_ended_ = false;  // then only the final numerics go out
  uint64_t next_control_id_ = 1;

  // Last, so it stops (and joins its thread) before the state above dies.
  std::unique_ptr<MllpClient> client_;
};

}  // namespace pedisim::devices::hl7
