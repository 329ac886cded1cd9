#include "devices/hl7/hl7_mllp_adapter.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "core/vitals/vital_table.h"
#include "devices/hl7/oru_message.h"

namespace pedisim::devices::hl7 {

namespace {

bool IsFinal(v1::SessionStatus status) {
  return status == v1::SESSION_STATUS_STOPPED || status == v1::SESSION_STATUS_COMPLETED;
}

}  // namespace

std::unique_ptr<DeviceAdapter> Hl7MllpAdapter::Create(const AdapterConfig& config) {
  return std::make_unique<Hl7MllpAdapter>(ParseMllpConfig(config));
}

Hl7MllpAdapter::Hl7MllpAdapter(MllpConfig config)
    : config_(std::move(config)),
      control_prefix_(fmt::format("{:x}", std::chrono::duration_cast<std::chrono::milliseconds>(
                                              std::chrono::system_clock::now().time_since_epoch())
                                              .count())) {
  if (config_.header.processing_id == "P") {
    // Allowed, since a receiver may file nothing else, but never quietly.
    spdlog::warn(
        "hl7-mllp {}:{}: processing_id P (production) is set for simulated data; a hospital "
        "system may file these vitals in a real chart",
        config_.host, config_.port);
  }
  client_ = std::make_unique<MllpClient>(config_.host, config_.port, config_.interval,
                                         config_.ack_timeout, [this] { return NextMessage(); });
}

Hl7MllpAdapter::~Hl7MllpAdapter() { client_.reset(); }

v1::DeviceIdentity Hl7MllpAdapter::Identity() const {
  v1::DeviceIdentity identity;
  identity.set_manufacturer("PediSim");
  identity.set_model("HL7 v2 MLLP gateway (IHE PCD-01)");
  identity.set_serial(fmt::format("hl7-mllp {}:{} EUI-64 {}", config_.host, config_.port,
                                  config_.marking.device_eui64));
  identity.set_firmware_version("1");
  return identity;
}

v1::DeviceCapabilities Hl7MllpAdapter::Capabilities() const {
  v1::DeviceCapabilities capabilities;
  for (const vitals::VitalField& field : vitals::VitalFields()) {
    capabilities.add_renders_vitals(std::string(field.name));
  }
  return capabilities;
}

void Hl7MllpAdapter::OnUpdate(const v1::SessionUpdate& update) {
  // Copies only: the session thread must never wait on the network.
  {
    std::lock_guard lock(mu_);
    nibp_.OnUpdate(update, std::chrono::system_clock::now());
  }
  if (update.has_snapshot()) {
    const v1::Session& session = update.snapshot();
    std::lock_guard lock(mu_);
    session_id_ = session.id();
    patient_ = session.patient();
    age_band_ = session.age_band();
    session_ended_ = session_ended_ || IsFinal(session.status());
  } else if (update.has_event()) {
    // Snapshots may not reach devices; the end event always does.
    const v1::EventKind kind = update.event().kind();
    if (kind == v1::EVENT_KIND_SESSION_COMPLETED || kind == v1::EVENT_KIND_SESSION_STOPPED) {
      std::lock_guard lock(mu_);
      session_ended_ = true;
    }
  } else if (update.has_vitals()) {
    std::lock_guard lock(mu_);
    latest_ = update.vitals();
    latest_at_ = std::chrono::system_clock::now();
    ++latest_number_;
  }
}

std::vector<Observation> Hl7MllpAdapter::TakeObservations(double) { return {}; }

v1::DeviceStatus Hl7MllpAdapter::Health() const {
  return client_->Stats().state == MllpStats::State::kConnected ? v1::DEVICE_STATUS_CONNECTED
                                                                : v1::DEVICE_STATUS_DISCONNECTED;
}

std::string Hl7MllpAdapter::StatusDetail() const {
  std::string status = client_->StatusLine();
  std::lock_guard lock(mu_);
  if (!latest_) status += "; waiting for numerics";
  return status;
}

std::optional<OutgoingMessage> Hl7MllpAdapter::NextMessage() {
  OruInput input;
  {
    std::lock_guard lock(mu_);
    if (!latest_) return std::nullopt;
    // After the session ends the last values go out once; repeating them
    // would tell the receiver a finished simulation is still measuring.
    if (session_ended_ && sent_number_ == latest_number_) return std::nullopt;
    sent_number_ = latest_number_;
    input.control_id = fmt::format("{}-{}", control_prefix_, next_control_id_++);
    input.session_id = session_id_;
    input.patient = patient_;
    input.age_band = age_band_;
    input.sample = *latest_;
    input.observation_time = latest_at_;
    input.nibp = nibp_.TakeNew();
  }
  input.header = config_.header;
  input.marking = config_.marking;
  input.message_time = std::chrono::system_clock::now();
  OutgoingMessage message;
  message.control_id = input.control_id;
  message.text = BuildOruR01(input);
  return message;
}

}  // namespace pedisim::devices::hl7
